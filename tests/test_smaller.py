"""Smaller hardening: invisible marks stripped from user text, one map per result set, a deeply
nested data file refused cleanly, a read-only or full disk answered with 503, and a dev server
that does not name its version."""

from __future__ import annotations

import json
import threading
import urllib.request

import pytest
from conftest import make_app

FORM = {
    "arrive_date": "2027-07-10",
    "arrive_time": "09:00",
    "depart_date": "2027-07-12",
    "depart_time": "18:00",
    "stay_first": "heihe",
    "nationality": "RU",
    "visas": ["CN"],
    "party_size": "2",
    "pace": "normal",
    "lang": "en",
    "transport_heihe": ["walk", "taxi"],
    "transport_blagoveshchensk": ["walk", "taxi"],
}
PLAN = {
    "arrive": "2027-07-10T09:00+08:00",
    "depart": "2027-07-11T18:00+08:00",
    "stay": "heihe",
    "nationality": "CN",
}
INVISIBLE = "\u200b\u200e\u200f\u061c\u2028\ufeff\u034f"


def _app(tmp_path, **config):
    return make_app(tmp_path, **config)


def test_zero_width_and_direction_marks_are_removed_from_user_text(tmp_path):
    client = _app(tmp_path).test_client()
    body = {**PLAN, "title": f"Ame{INVISIBLE}lia", "notes": f"gate{INVISIBLE} 3"}
    plan = client.post("/api/v1/plans", json=body).get_json()["plan"]
    assert plan["title"] == "Amelia"
    stored = client.get(f"/api/v1/plans/{plan['id']}").get_json()["plan"]
    assert stored["title"] == "Amelia"
    assert not any(mark in json.dumps(stored, ensure_ascii=False) for mark in INVISIBLE)


def test_zero_width_joiners_that_scripts_and_emoji_need_stay():
    from planner.textsafe import user_text

    assert user_text("a\u200cb\u200dc") == "a\u200cb\u200dc"
    assert [user_text(f"x{m}y") for m in INVISIBLE] == ["xy"] * len(INVISIBLE)


def test_the_attractions_map_is_built_once_whatever_the_case_of_the_query(tmp_path, monkeypatch):
    from planner import maps

    built: list[int] = []
    real = maps.attractions_map

    def counting(*args, **kwargs):
        built.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(maps, "attractions_map", counting)
    client = _app(tmp_path).test_client()
    pages = [client.get(f"/attractions?q={q}") for q in ("E", "e", "%20e%20")]
    assert [p.status_code for p in pages] == [200, 200, 200]
    assert len(built) == 1
    client.get("/attractions?q=museum")
    assert len(built) == 2  # other places, another map


@pytest.mark.parametrize("depth", [5_000, 100_000])
def test_a_deeply_nested_catalogue_stops_the_app_with_a_message_not_a_traceback(tmp_path, depth):
    from planner.catalogue import DEFAULT_PATH
    from planner.errors import DataProblems

    text = DEFAULT_PATH.read_text(encoding="utf-8")
    nested = "[" * depth + "]" * depth
    deep = tmp_path / "deep.geojson"
    deep.write_text(text.replace('"properties": {', f'"properties": {{"x": {nested}, ', 1))
    with pytest.raises(DataProblems, match="nested too deeply"):
        _app(tmp_path, CATALOGUE_PATH=str(deep))


def test_a_read_only_database_volume_still_serves_reads_and_refuses_writes_with_503(
    tmp_path, monkeypatch
):
    import planner.storage

    writer = _app(tmp_path).test_client()
    plan_id = writer.post("/api/v1/plans", json=PLAN).get_json()["plan"]["id"]
    # The volume is mounted read-only (as root, chmod would not stop this process: the check
    # that statvfs/os.access make is what is replaced here).
    monkeypatch.setattr(planner.storage, "read_only_file", lambda path: True)
    reader = _app(tmp_path).test_client()
    assert reader.get(f"/api/v1/plans/{plan_id}").status_code == 200
    assert reader.get(f"/plans/{plan_id}").status_code == 200
    refused = reader.post("/api/v1/plans", json=PLAN)
    assert refused.status_code == 503 and refused.get_json()["status"] == 503
    assert int(refused.headers["Retry-After"]) > 0
    page = reader.post("/plan", data=FORM)
    assert page.status_code == 503


def test_a_full_disk_is_a_503_with_a_message_not_a_500(tmp_path, monkeypatch):
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from planner.storage import PlanStore

    def full(*args, **kwargs):
        raise OperationalError("INSERT", {}, sqlite3.OperationalError("database or disk is full"))

    monkeypatch.setattr(PlanStore, "create", full)
    client = _app(tmp_path).test_client()
    api = client.post("/api/v1/plans", json=PLAN)
    assert api.status_code == 503 and "cannot save" in api.get_json()["error"]
    page = client.post("/plan?lang=ru", data=FORM)
    assert page.status_code == 503
    assert "не может ничего сохранить" in page.get_data(as_text=True)


def test_a_pdf_cache_on_a_read_only_disk_is_a_503(tmp_path, monkeypatch):
    import errno
    from pathlib import Path

    client = _app(tmp_path).test_client()
    plan_id = client.post("/api/v1/plans", json=PLAN).get_json()["plan"]["id"]

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(Path, "touch", read_only)
    assert client.get(f"/plans/{plan_id}.pdf").status_code == 503


def test_the_dev_server_does_not_name_werkzeug_or_python(tmp_path):
    from werkzeug.serving import make_server

    from planner.web.devserver import QuietRequestHandler

    app = _app(tmp_path)
    server = make_server("127.0.0.1", 0, app, request_handler=QuietRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}/") as response:
            headers = dict(response.headers)
            assert response.status == 200
    finally:
        server.shutdown()
        thread.join()
    assert "Date" in headers
    assert "Werkzeug" not in json.dumps(headers) and "Python" not in json.dumps(headers)
