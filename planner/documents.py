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
from planner.plan_document import PlanDocument
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


def render(message: Message, gettext: Gettext, lang: str) -> str:
    """A message in *lang*, including the codes this layer adds (kept stops)."""
    template = EDIT_TEMPLATES.get(message.code)
    if template is None:
        return render_message(message, gettext, lang)
    values = {
        k: v.get(lang) if isinstance(v, LocalizedName) else v for k, v in message.params.items()
    }
    return gettext(template) % values


def with_texts(doc: PlanDocument, gettext: Gettext, lang: str) -> PlanDocument:
    """A copy of *doc* with each message's sentence in *lang* as its `text`."""
    return doc.with_texts(lambda message: render(message.to_message(), gettext, lang))
