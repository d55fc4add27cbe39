"""The OpenAPI 3.1 description of the JSON API, served at /api/v1/openapi.json.

The request schema is PlanSpec's own JSON Schema (the API validates with that model), so the two
cannot drift; tests/test_openapi.py fails when a route is missing from the paths or the paths name
a route that does not exist. `python -m planner.web.openapi` prints it (docs/openapi.json).
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, jsonify

from planner import __version__, languages, region
from planner.crossing.entry import ISO_ALPHA2
from planner.edits import EDIT_OPS

bp = Blueprint("openapi", __name__, url_prefix="/api/v1")

GROUPS = [
    "history",
    "religion",
    "nature",
    "city",
    "shopping",
    "culture",
    "day_trip",
    "transport",
    "other",
]
KINDS = ["attraction", "day_trip", "event", "transport"]
ERRORS = {
    "400": "Bad input: the envelope says what (and `errors` which fields)",
    "403": "A missing or wrong edit token",
    "404": "No such plan, attraction or revision",
    "409": "A stale `version`: read the plan again",
    "413": "A body over 256 kB",
    "422": "A valid request that cannot be planned",
    "429": "Too many requests of this kind from this client: wait (Retry-After) and retry",
    "503": "The data (or, for /geocode, the geocoder) is unavailable or not configured, the "
    "disk cannot be written at the moment, or the solver is busy making other plans "
    "(Retry-After)",
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: str) -> dict[str, Any]:
    return {code: {"$ref": f"#/components/responses/E{code}"} for code in codes}


# A whole-number query parameter as the code reads it: at least 1, at most nine digits.
_WHOLE: dict[str, Any] = {"type": "integer", "minimum": 1, "maximum": 999_999_999}


# The years the crossing model answers for (a date-time outside them is a 400).
_YEARS = r"^(19[7-9][0-9]|20[0-9][0-9]|2100)-"
# A comma-separated list of ISO 3166-1 alpha-2 codes (the crossings' `visa`), or nothing.
_CODE = "(?:" + "|".join(sorted(ISO_ALPHA2)) + ")"
_CODE_LIST = f"^(?:{_CODE}(?:,{_CODE})*)?$"


def _query(name: str, schema: dict[str, Any], description: str, required: bool = False):
    return {
        "name": name,
        "in": "query",
        "required": required,
        "schema": schema,
        "description": description,
    }


def _path(name: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": schema or {"type": "string"}}


def _langs() -> dict[str, Any]:
    """The languages of the registry (planner/languages.py), read when the spec is built."""
    return {"type": "string", "enum": list(languages.codes())}


def _lang() -> dict[str, Any]:
    return _query("lang", _langs(), "language of every message's `text`")


PLAN_ID = _path("plan_id", {"type": "string", "maxLength": 64})
NUMBER = _path("number", {"type": "integer", "minimum": 0})
TOKEN = [{"editToken": []}, {"editTokenHeader": []}]


def _plan_spec_schemas() -> dict[str, Any]:
    """PlanSpec's JSON Schema with its $defs moved to components (OpenAPI 3.1 is JSON Schema)."""
    from planner.request_spec import PlanSpec

    schema = PlanSpec.model_json_schema(
        mode="validation", ref_template="#/components/schemas/{model}"
    )
    defs = schema.pop("$defs", {})
    return {**defs, "PlanRequest": schema}


def _plan_document_schemas() -> dict[str, Any]:
    """The saved plan's JSON Schema (planner.plan_document), its $defs as Plan<Name> components
    (PlanSpec's Agency and Group are other shapes)."""
    from planner.plan_document import PlanDocument

    def name(model: str) -> str:
        return model if model.startswith("Plan") else f"Plan{model}"

    schema = PlanDocument.model_json_schema(
        mode="validation", ref_template="#/components/schemas/Plan{model}"
    )
    text = json.dumps(schema).replace("#/components/schemas/PlanPlan", "#/components/schemas/Plan")
    schema = json.loads(text)
    defs = {name(key): value for key, value in schema.pop("$defs", {}).items()}
    return {**defs, "PlanDocument": schema}


def _paths() -> dict[str, Any]:
    plan_answer = _json(
        {
            "type": "object",
            "required": ["ok", "plan"],
            "properties": {"ok": {"const": True}, "plan": _ref("Plan")},
        },
        "The plan",
    )
    body_version = {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["version"],
                    "properties": {"version": {"type": "integer"}},
                }
            }
        },
    }
    return {
        "/api/v1/attractions": {
            "get": {
                "summary": "The catalogue as a GeoJSON FeatureCollection, optionally filtered",
                "operationId": "listAttractions",
                "parameters": [
                    _query(
                        "city",
                        {"type": "string", "enum": [*region.city_ids(), ""]},
                        "city (empty: any)",
                    ),
                    _query(
                        "group", {"type": "string", "enum": [*GROUPS, ""]}, "group (empty: any)"
                    ),
                    _query("kind", {"type": "string", "enum": [*KINDS, ""]}, "kind (empty: any)"),
                    _query("q", {"type": "string"}, "text in any of the three names"),
                ],
                "responses": {
                    "200": _json(_ref("FeatureCollection"), "The places"),
                    **_errors("400", "503"),
                },
            }
        },
        "/api/v1/attractions/{attraction_id}": {
            "get": {
                "summary": "One place as a GeoJSON Feature",
                "operationId": "getAttraction",
                "parameters": [_path("attraction_id")],
                "responses": {
                    "200": _json(_ref("Feature"), "The place"),
                    **_errors("404", "503"),
                },
            }
        },
        "/api/v1/crossings": {
            "get": {
                "summary": "Crossing options across the Amur after a time",
                "operationId": "listCrossings",
                "parameters": [
                    _query(
                        "from", {"type": "string", "enum": list(region.city_ids())}, "city", True
                    ),
                    _query(
                        "after",
                        {"type": "string", "format": "date-time", "pattern": _YEARS},
                        "ISO 8601 with offset, 1970 to 2100",
                        True,
                    ),
                    _query(
                        "nationality",
                        {"type": "string", "enum": sorted(ISO_ALPHA2)},
                        "ISO 3166-1 alpha-2 (any case)",
                        True,
                    ),
                    _query("limit", _WHOLE | {"default": 10}, "options at most"),
                    _query("party", _WHOLE | {"default": 1}, "party size"),
                    _query(
                        "visa",
                        {"type": "string", "pattern": _CODE_LIST},
                        "comma-separated visa countries (ISO 3166-1 alpha-2)",
                    ),
                    _lang(),
                ],
                "responses": {
                    "200": _json({"type": "object", "required": ["ok", "options"]}, "Options"),
                    **_errors("400", "503"),
                },
            }
        },
        "/api/v1/geocode": {
            "get": {
                "summary": "Candidates for an address typed on the plan form, in the two cities",
                "operationId": "geocodeAddress",
                "parameters": [
                    _query(
                        "q",
                        {"type": "string", "minLength": 1, "maxLength": 200, "pattern": r"\S"},
                        "the address, any script (blank is refused)",
                        True,
                    ),
                    _query(
                        "city",
                        {"type": "string", "enum": list(region.city_ids())},
                        "only this city's bank",
                    ),
                    _query("lang", _langs(), "language of the labels"),
                ],
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "required": ["ok", "query", "candidates"],
                            "properties": {
                                "ok": {"const": True},
                                "query": {"type": "string"},
                                "candidates": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "required": ["label", "lat", "lon", "city"],
                                        "properties": {
                                            "label": {"type": "string"},
                                            "lat": {"type": "number"},
                                            "lon": {"type": "number"},
                                            "city": {
                                                "type": "string",
                                                "enum": list(region.city_ids()),
                                            },
                                        },
                                    },
                                },
                            },
                        },
                        "Candidates, best first (WGS-84), each with the city whose bank it is on",
                    ),
                    **_errors("400", "429", "503"),
                },
            }
        },
        "/api/v1/plans": {
            "post": {
                "summary": "Plan a trip and save it as revision 1",
                "operationId": "createPlan",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref("PlanRequest")}},
                },
                "responses": {
                    "201": _json(
                        {
                            "type": "object",
                            "required": ["ok", "plan", "edit_token"],
                            "properties": {
                                "ok": {"const": True},
                                "plan": _ref("Plan"),
                                "edit_token": {"type": "string"},
                            },
                        },
                        "Created; the edit token is shown only here",
                    ),
                    **_errors("400", "413", "422", "429", "503"),
                },
            }
        },
        "/api/v1/plans/{plan_id}": {
            "get": {
                "summary": "A saved plan",
                "operationId": "getPlan",
                "parameters": [PLAN_ID, _lang()],
                "responses": {"200": plan_answer, **_errors("400", "404")},
            },
            "patch": {
                "summary": "Change a plan (edits, request changes); it is planned again",
                "operationId": "editPlan",
                "security": TOKEN,
                "parameters": [PLAN_ID, _lang()],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref("PlanEdit")}},
                },
                "responses": {
                    "200": plan_answer,
                    **_errors("400", "403", "404", "409", "413", "422", "429", "503"),
                },
            },
        },
        "/api/v1/plans/{plan_id}/revisions": {
            "get": {
                "summary": "Every revision of a plan, oldest first",
                "operationId": "listRevisions",
                "parameters": [PLAN_ID],
                "responses": {
                    "200": _json({"type": "object", "required": ["ok", "revisions"]}, "Revisions"),
                    **_errors("404"),
                },
            }
        },
        "/api/v1/plans/{plan_id}/revisions/{number}": {
            "get": {
                "summary": "One revision as it was saved",
                "operationId": "getRevision",
                "parameters": [PLAN_ID, NUMBER, _lang()],
                "responses": {
                    "200": _json({"type": "object", "required": ["ok", "number"]}, "Revision"),
                    **_errors("400", "404"),
                },
            }
        },
        "/api/v1/plans/{plan_id}/revisions/{number}/restore": {
            "post": {
                "summary": "Make an old revision current again (appended as a new revision)",
                "operationId": "restoreRevision",
                "security": TOKEN,
                "parameters": [PLAN_ID, NUMBER, _lang()],
                "requestBody": body_version,
                "responses": {
                    "200": plan_answer,
                    **_errors("400", "403", "404", "409", "413", "429", "503"),
                },
            }
        },
        "/api/v1/notices": {
            "get": {
                "summary": "Crossing notices published by an agency administrator",
                "operationId": "listNotices",
                "parameters": [
                    _query("from", {"type": "string", "format": "date"}, "first day (YYYY-MM-DD)"),
                    _query("to", {"type": "string", "format": "date"}, "last day (YYYY-MM-DD)"),
                ],
                "responses": {
                    "200": _json(
                        {"type": "object", "required": ["ok", "notices"]}, "Notices in force"
                    ),
                    **_errors("400"),
                },
            }
        },
        "/api/v1/batch/{job_id}": {
            "get": {
                "summary": "Progress of a batch of group plans uploaded on /agency/batch",
                "operationId": "getBatchJob",
                "parameters": [_path("job_id", {"type": "string", "maxLength": 64})],
                "responses": {
                    "200": _json({"type": "object", "required": ["ok", "job"]}, "The job"),
                    **_errors("404", "429"),
                },
            }
        },
        "/api/v1/openapi.json": {
            "get": {
                "summary": "This description",
                "operationId": "getOpenApi",
                "responses": {"200": _json({"type": "object"}, "OpenAPI 3.1 document")},
            }
        },
    }


def _components() -> dict[str, Any]:
    LANGS = list(languages.codes())  # the registry's, when the spec is built
    error = {
        "type": "object",
        "required": ["ok", "error", "status"],
        "properties": {
            "ok": {"const": False},
            "error": {"type": "string"},
            "status": {"type": "integer"},
            "errors": {"type": "array"},
        },
    }
    edit = {
        "type": "object",
        "required": ["op"],
        "properties": {
            "op": {
                "type": "string",
                "enum": list(EDIT_OPS),
            },
            "attraction_id": {"type": "string"},
            "day": {"type": "integer"},
            "pace": {"type": "string", "enum": ["relaxed", "normal", "packed"]},
            "arrive": {"type": "string"},
            "depart": {"type": "string"},
        },
    }
    return {
        "schemas": {
            **_plan_spec_schemas(),
            "Error": error,
            "Edit": edit,
            "PlanEdit": {
                "type": "object",
                "additionalProperties": False,
                "required": ["version"],
                "properties": {
                    "version": {"type": "integer"},
                    "request": {"type": "object", "description": "PlanRequest fields to change"},
                    "edits": {"type": "array", "items": _ref("Edit")},
                    "note": {"type": "string", "maxLength": 200},
                },
            },
            **_plan_document_schemas(),
            "Plan": {
                "description": "a saved plan: its head fields, the request, and the plan document "
                "(every message with its `text` in the asked language)",
                "allOf": [
                    {
                        "type": "object",
                        "required": ["id", "title", "version", "revision", "lang", "request"],
                        "properties": {
                            "id": {"type": "string"},
                            "title": {"type": "string"},
                            "notes": {"type": "string"},
                            "version": {"type": "integer"},
                            "revision": {"type": "integer"},
                            "lang": {"type": "string", "enum": LANGS},
                            "request": {"type": "object"},
                            "created_at": {"type": "string", "format": "date-time"},
                            "updated_at": {"type": "string", "format": "date-time"},
                        },
                    },
                    _ref("PlanDocument"),
                ],
            },
            "Feature": {
                "type": "object",
                "required": ["type", "geometry", "properties"],
                "properties": {
                    "ok": {"const": True},
                    "type": {"const": "Feature"},
                    "geometry": {"type": "object"},
                    "properties": {"type": "object"},
                },
            },
            "FeatureCollection": {
                "type": "object",
                "required": ["ok", "type", "features"],
                "properties": {
                    "ok": {"const": True},
                    "type": {"const": "FeatureCollection"},
                    "features": {"type": "array", "items": _ref("Feature")},
                },
            },
        },
        "responses": {
            f"E{code}": _json(_ref("Error"), description) for code, description in ERRORS.items()
        },
        "securitySchemes": {
            "editToken": {"type": "http", "scheme": "bearer", "description": "the edit token"},
            "editTokenHeader": {"type": "apiKey", "in": "header", "name": "X-Edit-Token"},
        },
    }


def spec() -> dict[str, Any]:
    """The OpenAPI 3.1 document of /api/v1 (docs/api.md has the prose)."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Amur Twin Cities Planner API",
            "version": __version__,
            "description": f"{region.current().name.en}: places, border crossings, saved plans. "
            "Every answer is the JSON envelope; see docs/api.md.",
        },
        "servers": [{"url": "/"}],
        "paths": _paths(),
        "components": _components(),
    }


@bp.get("/openapi.json")
def openapi_json():
    return jsonify(spec())


if __name__ == "__main__":
    print(json.dumps(spec(), ensure_ascii=False, indent=2))
