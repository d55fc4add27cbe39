"""Saved plans as a service: create, edit (re-plan around the edits), restore a revision.

The one path the pages and the API share, free of Flask: validation errors are RequestInvalid
(field errors), impossible requests PlanningError, a stale writer StaleVersion, an unknown id
UnknownPlan. A request that cannot be planned saves nothing.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from planner.agency import trip_dates
from planner.catalogue import Catalogue
from planner.changes import plan_changes
from planner.documents import plan_document
from planner.edits import EDITS, Add, Lock, Move, apply_edits, describe
from planner.messages import Message
from planner.plan_document import PlanDocument
from planner.replan import replan_document
from planner.request_spec import (
    RequestInvalid,
    field_errors,
    past_dates,
    spec_from_json,
    spec_to_json,
)
from planner.storage import Plan, PlanStore
from planner.store_schema import StaleVersion
from planner.textsafe import user_text
from planner.trip import PlanningError

NOTE_MAX = 200  # a revision note is a line (the column holds 200 characters)


class Planner:
    """Plans in *store*, planned against *catalogue* within *time_limit* seconds."""

    def __init__(self, store: PlanStore, catalogue: Catalogue, time_limit: float = 2.0):
        self.store, self.catalogue, self.time_limit = store, catalogue, time_limit

    def _document(
        self, request: dict[str, Any], *, new_dates: bool = False
    ) -> tuple[dict[str, Any], PlanDocument]:
        spec = spec_from_json(request, self.catalogue)
        if new_dates and (past := past_dates(spec)):  # a saved trip may age; a new one may not
            raise RequestInvalid(past)
        # Crossing notices of the trip's dates: shown, and their suspensions respected.
        notices = self.store.agency.notices(*trip_dates(spec.arrive_time, spec.depart_time))
        doc = plan_document(spec, self.catalogue, time_limit=self.time_limit, notices=notices)
        return spec_to_json(spec), doc

    def _replanned(
        self, request: dict[str, Any], old: PlanDocument, edits: list[Any]
    ) -> tuple[dict[str, Any], PlanDocument]:
        """The saved document with only the days *edits* concern planned again (the whole trip
        for pace, dates, or when the planner cannot keep the other days as they are)."""
        spec = spec_from_json(request, self.catalogue)
        notices = self.store.agency.notices(*trip_dates(spec.arrive_time, spec.depart_time))
        doc = replan_document(
            spec, old, edits, self.catalogue, time_limit=self.time_limit, notices=notices
        )
        if doc is None:
            return self._document(request)
        return spec_to_json(spec), doc

    def check(self, request: Any) -> None:
        """RequestInvalid when create() would refuse *request* as invalid, without planning (the
        web adapter asks before it takes a solver slot, so bad input is a 400, never a 503)."""
        spec = spec_from_json(request, self.catalogue)
        if past := past_dates(spec):
            raise RequestInvalid(past)

    def create(self, request: Any) -> tuple[Plan, str]:
        """Validate, plan and save a new plan; return it and its edit token."""
        spec_json, doc = self._document(request, new_dates=True)
        return self.store.create(spec_json["title"], spec_json, _versioned(doc), note="created")

    def edit(
        self,
        plan_id: str,
        version: int,
        changes: dict[str, Any] | None = None,
        edits: list[Any] | None = None,
        note: str = "",
    ) -> Plan:
        """Apply field *changes* and *edits* to the current request, re-plan, save a revision."""
        plan = self.store.get(plan_id)
        if plan.version != version:  # fail before planning; the append checks again
            raise StaleVersion(plan.version)
        try:
            parsed = EDITS.validate_python(edits or [])
        except ValidationError as exc:
            raise RequestInvalid(field_errors(exc, "edits")) from None
        request = apply_edits({**plan.current.request, **(changes or {})}, parsed)
        moved = any(
            (changes or {}).get(key, plan.current.request.get(key)) != plan.current.request.get(key)
            for key in ("arrive", "depart")
        )
        before = plan.current.document
        if changes:
            spec_json, doc = self._document(request, new_dates=moved)
        else:
            spec_json, doc = self._replanned(request, before, parsed)
        _refuse_lost_stops(before, request, parsed, doc)
        doc.changes = plan_changes(before, doc)
        # Typed by a person: no control or bidi characters (PostgreSQL refuses NUL in text).
        note = user_text(note)[:NOTE_MAX] or describe(parsed) or "edited"
        return self.store.append(
            plan_id, version, spec_json["title"], spec_json, _versioned(doc), note
        )

    def restore(self, plan_id: str, version: int, number: int) -> Plan:
        """Make revision *number* current again, as a new revision (nothing is lost)."""
        old = self.store.revision(plan_id, number)
        current = self.store.get(plan_id).current.document
        # (a revision of an older version is migrated; the cached document stays as read)
        doc = old.document.model_copy(update={"changes": plan_changes(current, old.document)})
        return self.store.append(
            plan_id,
            version,
            old.request.get("title", ""),
            old.request,
            _versioned(doc),
            note=f"restore:{number}",
        )


def _versioned(doc: PlanDocument) -> dict[str, Any]:
    """The document as a revision keeps it: the model's JSON, in its current version, checked
    against the model once more (a section set on a copy is not validated when it is set)."""
    data = doc.to_json()
    PlanDocument.from_saved(data)
    return data


def _visited(doc: PlanDocument) -> set[str]:
    return {stop.attraction_id for day in doc.days for stop in day.stops}


def _refuse_lost_stops(
    before: PlanDocument, request: dict[str, Any], edits: list[Any], doc: PlanDocument
) -> None:
    """An edit that would drop a kept stop or a must-see the plan held (or that the edit
    itself asks for) is refused with the planner's reason; the plan stays as it was."""
    asked = {e.attraction_id for e in edits if isinstance(e, Add | Lock | Move)}
    wanted = [
        *request.get("must_see", []),
        *(lock["attraction_id"] for lock in request.get("locked", [])),
    ]
    held, now = _visited(before), _visited(doc)
    left = {x.attraction_id: x for x in doc.left_out}
    for pid in dict.fromkeys(wanted):
        if pid in now or (pid not in held and pid not in asked) or pid not in left:
            continue
        name = left[pid].name
        reason = left[pid].detail.to_message()
        raise PlanningError(
            f"the edit would drop {pid}: {reason.code}",
            Message("refused_edit_drops", {"place": name, "reason": reason}),
        )
