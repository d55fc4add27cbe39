"""Saved plans in the JSON API (/api/v1/plans): create, read, edit, revisions, restore.

Writes need the plan's edit token (`Authorization: Bearer` or `X-Edit-Token`) and the version
the writer read (409 when it is stale). Errors use the one envelope; never a 500 for bad input.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, request, url_for
from flask_babel import force_locale, gettext

from planner import languages
from planner.documents import with_texts
from planner.messages import refusal_text
from planner.request_spec import RequestInvalid
from planner.storage import Plan
from planner.store_schema import StaleVersion, UnknownPlan
from planner.trip import PlanningError
from planner.web import data
from planner.web.errors import ApiError
from planner.web.plan_store import bearer_token, store

bp = Blueprint("plans_api", __name__, url_prefix="/api/v1")


def planner():
    from planner.plans import Planner
    from planner.web.solving import BoundedPlanner

    # Plans are made only in a free solver slot, else 503 + Retry-After (planner.web.solving).
    return BoundedPlanner(Planner(store(), data.catalogue(), current_app.config["PLAN_TIME_LIMIT"]))


def plan_payload(plan: Plan, lang: str) -> dict[str, Any]:
    """The plan JSON: head fields, the request, and the itinerary with texts in *lang*."""
    rev = plan.current
    with force_locale(lang):
        itinerary = with_texts(rev.document, gettext, lang).to_json()
    return {
        "id": plan.id,
        "title": plan.title,
        "notes": rev.request.get("notes", ""),
        "version": plan.version,
        "revision": rev.number,
        "lang": lang,
        "request": rev.request,
        "created_at": plan.created_at.isoformat(timespec="seconds"),
        "updated_at": plan.updated_at.isoformat(timespec="seconds"),
        **itinerary,
    }


def _lang(plan: Plan | None = None) -> str:
    asked = request.args.get("lang", "")
    if asked:
        if not languages.is_known(asked):
            raise ApiError(f"lang must be one of: {', '.join(languages.codes())}", 400)
        return asked
    return (plan.current.request.get("lang") if plan else None) or languages.DEFAULT


def _body() -> dict[str, Any]:
    try:
        body = request.get_json(silent=True, force=True)
    except RecursionError:  # "silent" covers syntax errors only; a deep nest exhausts the parser
        raise ApiError("the body must be a JSON object (nested too deeply)", 400) from None
    if body is None:
        raise ApiError("the body must be a JSON object (malformed JSON)", 400)
    if not isinstance(body, dict):
        raise ApiError("the body must be a JSON object", 400)
    return body


def _get(plan_id: str) -> Plan:
    try:
        return store().get(plan_id)
    except UnknownPlan:
        raise ApiError(f"no plan with id {plan_id!r}", 404) from None


def _authorised(plan_id: str) -> None:
    if not store().token_matches(plan_id, bearer_token()):
        raise ApiError("a valid edit token is required to change this plan", 403)


def _version(body: dict[str, Any]) -> int:
    version = body.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise ApiError(
            "version (the plan's version you read) is required",
            400,
            [{"field": "version", "code": "required", "message": "a whole number is required"}],
        )
    return version


def _invalid(exc: RequestInvalid, lang: str) -> ApiError:
    with force_locale(lang):
        errors = [e.as_dict(gettext) for e in exc.errors]
    fields = ", ".join(e["field"] or "(body)" for e in errors)
    return ApiError(f"invalid request: {fields}", 400, errors)


def _refused(exc: PlanningError, lang: str) -> ApiError:
    """422: valid, but impossible; the reason coded and in the asked language."""
    errors = []
    if exc.message is not None:
        with force_locale(lang):
            text = refusal_text(exc, gettext, lang)
        errors = [{"field": "", "code": exc.message.code, "params": {}, "message": text}]
    return ApiError(f"this trip cannot be planned: {exc}", 422, errors)


def _stale(exc: StaleVersion) -> ApiError:
    return ApiError(
        f"the plan has changed (it is now at version {exc.current}): read it again", 409
    )


@bp.post("/plans")
def create_plan():
    body = _body()
    asked = body.get("lang")
    lang = asked if languages.is_known(asked) else _lang()
    try:
        plan, token = planner().create(body)
    except RequestInvalid as exc:
        raise _invalid(exc, lang) from None
    except PlanningError as exc:
        raise _refused(exc, lang) from None
    response = jsonify({"ok": True, "plan": plan_payload(plan, lang), "edit_token": token})
    response.status_code = 201
    response.headers["Location"] = url_for("plans_api.get_plan", plan_id=plan.id)
    return response


@bp.get("/plans/<plan_id>")
def get_plan(plan_id: str):
    plan = _get(plan_id)
    return jsonify({"ok": True, "plan": plan_payload(plan, _lang(plan))})


@bp.patch("/plans/<plan_id>")
def edit_plan(plan_id: str):
    plan = _get(plan_id)
    _authorised(plan_id)
    body = _body()
    version = _version(body)
    unknown = set(body) - {"version", "request", "edits", "note"}
    if unknown:
        raise ApiError(f"unknown field(s): {', '.join(sorted(unknown))}", 400)
    changes, edits = body.get("request") or {}, body.get("edits") or []
    if not isinstance(changes, dict) or not isinstance(edits, list):
        raise ApiError("request must be an object and edits a list", 400)
    note = body.get("note") if isinstance(body.get("note"), str) else ""
    asked = changes.get("lang")  # an edit that changes the language is answered in it
    lang = asked if languages.is_known(asked) else _lang(plan)
    try:
        plan = planner().edit(plan_id, version, changes, edits, note)
    except RequestInvalid as exc:
        raise _invalid(exc, lang) from None
    except PlanningError as exc:
        raise _refused(exc, lang) from None
    except StaleVersion as exc:
        raise _stale(exc) from None
    return jsonify({"ok": True, "plan": plan_payload(plan, _lang(plan))})


@bp.get("/plans/<plan_id>/revisions")
def revisions(plan_id: str):
    plan = _get(plan_id)
    return jsonify(
        {
            "ok": True,
            "current": plan.current.number,
            "version": plan.version,
            "revisions": [
                {
                    "number": r.number,
                    "created_at": r.created_at.isoformat(timespec="seconds"),
                    "note": r.note,
                }
                for r in store().revisions(plan_id)
            ],
        }
    )


@bp.get("/plans/<plan_id>/revisions/<int:number>")
def revision(plan_id: str, number: int):
    plan = _get(plan_id)
    try:
        rev = store().revision(plan_id, number)
    except UnknownPlan:
        raise ApiError(f"the plan has no revision {number}", 404) from None
    lang = _lang(plan)
    with force_locale(lang):
        itinerary = with_texts(rev.document, gettext, lang).to_json()
    return jsonify(
        {
            "ok": True,
            "number": rev.number,
            "created_at": rev.created_at.isoformat(timespec="seconds"),
            "note": rev.note,
            "request": rev.request,
            **itinerary,
        }
    )


@bp.post("/plans/<plan_id>/revisions/<int:number>/restore")
def restore(plan_id: str, number: int):
    _get(plan_id)
    _authorised(plan_id)
    version = _version(_body())
    try:
        plan = planner().restore(plan_id, version, number)
    except UnknownPlan:
        raise ApiError(f"the plan has no revision {number}", 404) from None
    except StaleVersion as exc:
        raise _stale(exc) from None
    return jsonify({"ok": True, "plan": plan_payload(plan, _lang(plan))})
