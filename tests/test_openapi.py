"""The OpenAPI description matches the routes, and fuzzing every operation from it finds no 5xx."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from planner.web import create_app
from planner.web.openapi import spec

DOCS = Path(__file__).resolve().parent.parent / "docs" / "openapi.json"
METHODS = {"get", "post", "put", "patch", "delete"}


def _app_routes(app) -> set[tuple[str, str]]:
    routes = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1"):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}:
            routes.add((path, method.lower()))
    return routes


def _spec_routes(document: dict) -> set[tuple[str, str]]:
    return {
        (path, method)
        for path, item in document["paths"].items()
        for method in item
        if method in METHODS
    }


def test_every_api_route_and_method_is_in_the_spec_and_nothing_else(app):
    assert _spec_routes(spec()) == _app_routes(app)


def test_spec_is_served_as_openapi_3_1(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    body = response.get_json()
    assert body["openapi"].startswith("3.1")
    assert body == json.loads(json.dumps(spec()))


def test_docs_copy_of_the_spec_is_up_to_date():
    assert json.loads(DOCS.read_text(encoding="utf-8")) == json.loads(json.dumps(spec())), (
        "regenerate it: python -m planner.web.openapi > docs/openapi.json"
    )


def test_path_parameters_of_the_spec_are_those_of_the_routes():
    assert any("{" in path for path in spec()["paths"]), "the spec has paths with parameters"
    for path, item in spec()["paths"].items():
        named = set(re.findall(r"{(\w+)}", path))
        for method, operation in item.items():
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert declared == named, (method, path)


class _NoPlaces:
    """A geocoder that finds nothing (without one, /geocode is a documented 503)."""

    def search(self, query: str, language: str = "en") -> list:
        return []


# The fuzzed app: a short search per plan keeps the run well under a minute.
FUZZ_APP = create_app(
    {
        "TESTING": True,
        "SECRET_KEY": "test-only",
        "PLAN_TIME_LIMIT": 0.02,
        "TILES": "none",
        "GEOCODER": _NoPlaces(),
    }
)
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", FUZZ_APP)


@schema.parametrize()
@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_operation_answers_5xx_to_generated_input(case):
    response = case.call()
    assert response.status_code < 500, (case.method, case.formatted_path, response.text[:300])
    if response.status_code >= 400:
        body = response.json()
        assert body["ok"] is False and body["status"] == response.status_code
        assert "Traceback" not in response.text


@pytest.mark.parametrize("size", [256 * 1024 + 1, 2 * 1024 * 1024])
def test_a_body_over_the_limit_is_a_413_in_the_envelope(client, size):
    response = client.post(
        "/api/v1/plans", data=b"{" + b" " * size, content_type="application/json"
    )
    assert response.status_code == 413
    assert response.get_json() == {
        "ok": False,
        "error": "the request body is too large",
        "status": 413,
    }


def test_a_list_over_its_maximum_is_a_400(client):
    body = {
        "arrive": "2027-07-10T09:00+08:00",
        "depart": "2027-07-11T18:00+08:00",
        "stay": "heihe",
        "visas": ["CN", "RU", "CN"],
    }
    response = client.post("/api/v1/plans", json=body)
    assert response.status_code == 400


def test_a_lang_that_is_an_object_is_a_400(client):
    body = {"arrive": "2027-07-10T09:00+08:00", "depart": "2027-07-11T18:00+08:00", "lang": {}}
    response = client.post("/api/v1/plans", json={**body, "stay": "heihe"})
    assert response.status_code == 400
