"""A saved plan's itinerary document: planned, serialised, and read back for any language.

`plan_document` plans a validated request and returns the JSON a revision keeps: the
itinerary (messages as codes), the totals, and notices about kept stops. Texts are not stored:
`with_texts` adds each message's sentence in the reader's language when the plan is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from planner.agency import CrossingNotice, add_agency_sections, notice_closures
from planner.catalogue import Catalogue, load_catalogue
from planner.edits import EDIT_TEMPLATES, pinned_notices
from planner.messages import Message
from planner.messages import render as render_message
from planner.model import LocalizedName
from planner.planning import plan_trip
from planner.request_spec import PlanSpec, spec_to_json, to_trip_request
from planner.serialize import itinerary_to_json
from planner.totals import trip_totals
from planner.travel import load_travel_data
from planner.trip import Itinerary

Gettext = Callable[[str], str]


def plan_document(
    spec: PlanSpec,
    catalogue: Catalogue | None = None,
    time_limit: float = 2.0,
    seed: int | None = None,
    notices: Sequence[CrossingNotice] = (),
) -> dict[str, Any]:
    """Plan *spec* around the crossing *notices* of its dates (suspensions are respected);
    PlanningError when it cannot be planned as asked."""
    cat = catalogue or load_catalogue()
    req = to_trip_request(spec, cat, notice_closures(notices))
    itinerary = plan_trip(req, cat, time_limit=time_limit, seed=seed)
    return finish_document(itinerary, spec, cat, notices)


def finish_document(
    itinerary: Itinerary, spec: PlanSpec, cat: Catalogue, notices: Sequence[CrossingNotice] = ()
) -> dict[str, Any]:
    """The JSON of a planned itinerary: with its totals (the trip's and each day's, so that a
    day re-planned alone can be added up again), kept-stop notices and the agency's sections."""
    doc = itinerary_to_json(itinerary)
    travel = load_travel_data()
    doc["totals"] = trip_totals(itinerary, travel)
    for day, plan in zip(doc["days"], itinerary.days, strict=True):
        day["totals"] = trip_totals(replace(itinerary, days=(plan,)), travel)
    spec_json = spec_to_json(spec)
    doc["warnings"] = doc["warnings"] + pinned_notices(spec_json, doc)
    return add_agency_sections(doc, spec_json, notices, cat)


def _param_from_json(value: Any) -> Any:
    if isinstance(value, dict) and set(value) >= {"code", "params"}:
        return message_from_json(value)
    if isinstance(value, dict) and set(value) == {"zh", "ru", "en"}:
        return LocalizedName(**value)
    if isinstance(value, list):
        return tuple(_param_from_json(v) for v in value)
    return value


def message_from_json(data: dict[str, Any]) -> Message:
    """The Message of its JSON (`serialize.message_to_json` read back)."""
    params = {k: _param_from_json(v) for k, v in (data.get("params") or {}).items()}
    return Message(str(data.get("code", "")), params)


def render(message: Message, gettext: Gettext, lang: str) -> str:
    """A message in *lang*, including the codes this layer adds (kept stops)."""
    template = EDIT_TEMPLATES.get(message.code)
    if template is None:
        return render_message(message, gettext, lang)
    values = {
        k: v.get(lang) if isinstance(v, LocalizedName) else v for k, v in message.params.items()
    }
    return gettext(template) % values


def with_texts(value: Any, gettext: Gettext, lang: str) -> Any:
    """A copy of a document with "text" beside every message (not inside params)."""
    if isinstance(value, list):
        return [with_texts(v, gettext, lang) for v in value]
    if not isinstance(value, dict):
        return value
    out = {k: (v if k == "params" else with_texts(v, gettext, lang)) for k, v in value.items()}
    if "code" in value and "params" in value:
        out["text"] = render(message_from_json(value), gettext, lang)
    return out
