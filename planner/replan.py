"""An edit re-plans only the days it concerns; the other days of the saved document stay as
they were, to the minute. Pure: no Flask, no storage.

A remove concerns the day of the stop; an add the day asked (else the day in the place's city
with the most free time); a move or a lock on another day the two days. Pace, dates and field
changes re-plan the whole trip (`None` scope). The concerned days keep their start and end city
and a day across stays a day across; when the planner cannot keep that, the whole trip is
planned again (as before partial edits).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from planner.agency import CrossingNotice, add_agency_sections, notice_closures
from planner.catalogue import Catalogue
from planner.documents import finish_document
from planner.edits import (
    Add,
    Edit,
    Lock,
    Move,
    Remove,
    Reorder,
    SetDayNote,
    Unlock,
    pinned_notices,
)
from planner.messages import Message
from planner.model import LocalizedName
from planner.plan_document import Day, LeftOut, Notice, PlanDocument, Totals
from planner.planning.partial import replan_days
from planner.planning.rules import position_approximate, position_known
from planner.request_spec import PlanSpec, spec_to_json, to_trip_request
from planner.totals import sum_totals
from planner.trip import PlanningError

PINNED_CODES = frozenset({"pinned_day_not_kept", "kept_missing"})


@dataclass
class Scope:
    """What an edit concerns: the days planned again and the places it moves or removes."""

    days: set[int] = field(default_factory=set)
    touched: set[str] = field(default_factory=set)
    order: dict[int, list[str]] = field(default_factory=dict)  # reorders: day -> place ids


def _where(doc: PlanDocument) -> dict[str, int]:
    out: dict[str, int] = {}
    for index, day in enumerate(doc.days):
        for stop in day.stops:
            out.setdefault(stop.attraction_id, index)
    return out


def _free_minutes(day: Day) -> float:
    busy = sum((s.depart - s.arrive).total_seconds() for s in day.stops)
    return (day.end - day.start).total_seconds() / 60 - busy / 60


def _day_for(doc: PlanDocument, city: str) -> set[int]:
    """The day in *city* (else the day across to it) with the most free time, for a place added
    without a day; every day when no day is spent there."""
    days = doc.days
    there = [i for i, d in enumerate(days) if d.city_start == d.city_end == city and not _across(d)]
    there = there or [
        i for i, d in enumerate(days) if _across(d) and city in {s.city for s in d.stops}
    ]
    if not there:
        return set(range(len(days)))
    return {max(there, key=lambda i: (_free_minutes(days[i]), -i))}


def edit_scope(doc: PlanDocument, edits: Sequence[Edit], cat: Catalogue) -> Scope | None:
    """The days *edits* concern in the saved *doc*; None when the whole trip is planned again
    (pace, dates, or a document without each day's totals)."""
    if not doc.days or any(d.totals is None for d in doc.days):
        return None
    where = _where(doc)
    scope = Scope()
    for edit in edits:
        if isinstance(edit, SetDayNote) and edit.day >= len(doc.days):
            raise PlanningError(
                f"no day {edit.day + 1} in this trip",
                Message("refused_no_such_day", {"day": edit.day + 1}),
            )
        if isinstance(edit, Unlock | SetDayNote):
            continue  # nothing planned changes
        if isinstance(edit, Reorder):
            if edit.day >= len(doc.days):
                raise _refused_order("not a day of the trip", "refused_reorder_unknown", edit.day)
            if sorted(edit.attraction_ids) != sorted(stops_of(doc.days[edit.day])):
                raise _refused_order("not the day's stops", "refused_reorder_unknown", edit.day)
            scope.days.add(edit.day)
            scope.order[edit.day] = list(edit.attraction_ids)
            continue
        if not isinstance(edit, Remove | Add | Lock | Move):
            return None
        pid = edit.attraction_id
        day = getattr(edit, "day", None)
        if day is not None and day >= len(doc.days):
            return None  # no such day: the planner words it
        if isinstance(edit, Remove):
            if pid in where:
                scope.days.add(where[pid])
                scope.touched.add(pid)
            continue
        if day is None:
            if pid not in where and pid in cat:  # an add (or a lock) of a place not planned
                scope.days |= _day_for(doc, cat.get(pid).city)
                scope.touched.add(pid)
            continue
        if where.get(pid) == day:
            continue  # already there
        scope.days.add(day)
        if pid in where:
            scope.days.add(where[pid])
        scope.touched.add(pid)
    return scope


def stops_of(day: Day) -> list[str]:
    return [stop.attraction_id for stop in day.stops]


def _refused_order(text: str, code: str, day: int, **params: Any) -> PlanningError:
    return PlanningError(
        f"reorder of day {day + 1}: {text}", Message(code, {"day": day + 1, **params})
    )


def _check_order(old: PlanDocument, new: PlanDocument, order: dict[int, list[str]]) -> None:
    """Each reordered day holds its stops in the order asked, or the edit is refused."""
    for day, ids in order.items():
        got = stops_of(new.days[day])
        if got != ids:
            late = next(pid for n, pid in enumerate(ids) if n >= len(got) or got[n] != pid)
            name = next(s.name for s in old.days[day].stops if s.attraction_id == late)
            raise _refused_order(f"{late} does not fit", "refused_reorder_late", day, place=name)


def _across(day: Day) -> bool:
    return day.city_start == day.city_end and len(day.crossings) >= 2


def _coherent(old: PlanDocument, new: PlanDocument, days: set[int]) -> bool:
    """The concerned days of *new* start and end where they did, and a day across stays one."""
    if len(old.days) != len(new.days):
        return False
    for i in days:
        a, b = old.days[i], new.days[i]
        if (a.city_start, a.city_end) != (b.city_start, b.city_end):
            return False
        if _across(a) and not _across(b):
            return False
    return True


# Trip warnings a partial plan makes about the days it did not plan (a city it did not reach).
PARTIAL_ARTEFACTS = frozenset(
    {"city_unreachable", "day_abroad_not_worth", "day_abroad_over_budget"}
)


def _left_out(old: PlanDocument, new: PlanDocument, visited: set[str]) -> list[LeftOut]:
    """The places not in the spliced plan: as the saved plan said (the partial plan did not
    weigh the other days), except those the edit excluded or dropped, said as the new plan says."""
    before = {x.attraction_id: x for x in old.left_out}
    out = dict(before)
    for x in new.left_out:
        if x.attraction_id not in before or x.reason == "excluded":
            out[x.attraction_id] = x
    return [out[pid] for pid in sorted(out) if pid not in visited]


def _totals(days: list[Day], like: Totals | None) -> Totals | None:
    """The trip's totals added up again from its *days* (totals.sum_totals reads their JSON)."""
    if like is None or any(d.totals is None for d in days):
        return like
    summed = sum_totals(
        [d.totals.model_dump(mode="json") for d in days if d.totals], like.model_dump(mode="json")
    )
    return Totals.model_validate(summed)


def splice_document(
    old: PlanDocument, new: PlanDocument, days: set[int], request: dict[str, Any]
) -> PlanDocument:
    """*old* with its *days* from *new*: the trip's totals added up again from the days, the
    places left out as `_left_out` says, the trip's warnings the old ones and any new one about
    what the edit changed. `stats` stay the last whole plan's search figures, with the days
    planned again (`replanned_days`)."""
    spliced_days = [new.days[i] if i in days else d for i, d in enumerate(old.days)]
    visited = {s.attraction_id for d in spliced_days for s in d.stops}
    doc = new.model_copy(
        update={
            "days": spliced_days,
            "left_out": _left_out(old, new, visited),
            "totals": _totals(spliced_days, new.totals),
            "score": old.score if "score" in old.model_fields_set else new.score,
            "stats": {**old.stats, "replanned_days": sorted(days)},
        }
    )
    names = [s.name for d in spliced_days for s in d.stops]

    def still_true(w: Notice) -> bool:
        """An old warning that still holds: not about kept stops, not a must-see now seen."""
        if w.code in PINNED_CODES or w.code == "position_approximate":
            return False
        return not (w.code == "must_see_missing" and w.params.get("place") in names)

    kept = [w for w in old.warnings if still_true(w)]
    skip = PINNED_CODES | PARTIAL_ARTEFACTS | {"position_approximate"}
    added = [w for w in new.warnings if w.code not in skip and w not in kept]
    doc.warnings = kept + added + pinned_notices(request, doc)
    return doc


def _approximate(doc: PlanDocument, cat: Catalogue) -> list[Notice]:
    """The plan's 'position approximate' warning for the places it now visits (as plan_trip
    words it: each place once)."""
    places: dict[str, LocalizedName] = {}
    for day in doc.days:
        for stop in day.stops:
            pid = stop.attraction_id
            place = cat.get(pid) if pid in cat else None
            if place is not None and (
                position_approximate(place) or (place.is_estimated and position_known(place))
            ):
                places.setdefault(pid, place.name)
    if not places:
        return []
    names = list(dict.fromkeys(places.values()))  # each name once, in the order first visited
    return [Notice(severity="amber", code="position_approximate", params={"places": names})]


def _finish(
    doc: PlanDocument,
    old: PlanDocument,
    request: dict[str, Any],
    cat: Catalogue,
    notices: Sequence[CrossingNotice],
) -> PlanDocument:
    """The approximate-position warning for the spliced days, where the saved plan had it."""
    codes = [w.code for w in old.warnings]
    at = codes.index("position_approximate") if "position_approximate" in codes else 0
    doc.warnings = [*doc.warnings[:at], *_approximate(doc, cat), *doc.warnings[at:]]
    return add_agency_sections(doc, request, notices, cat)


def replan_document(
    spec: PlanSpec,
    old: PlanDocument,
    edits: Sequence[Edit],
    cat: Catalogue,
    time_limit: float = 2.0,
    seed: int | None = None,
    notices: Sequence[CrossingNotice] = (),
) -> PlanDocument | None:
    """The saved *old* document after *edits* (already applied to *spec*), with only the days
    they concern planned again; None when the whole trip must be planned again."""
    scope = edit_scope(old, edits, cat)
    if scope is None:
        return None
    request = spec_to_json(spec)
    if not scope.days:  # nothing planned moves (an unlock, a lock where the stop is)
        doc = splice_document(old, old, set(), request)
        return _finish(doc, old, request, cat, notices)
    keep = [
        (stop.attraction_id, i)
        for i in scope.days
        for stop in old.days[i].stops
        if stop.attraction_id not in scope.touched
    ]
    held = {
        stop.attraction_id
        for i, day in enumerate(old.days)
        if i not in scope.days
        for stop in day.stops
    }
    across = [i for i in sorted(scope.days) if _across(old.days[i])]
    asked = {e.attraction_id for e in edits if isinstance(e, Add | Lock | Move)}
    homes = {old.days[i].city_start for i in scope.days}
    may_cross = any(pid in cat and cat.get(pid).city not in homes for pid in asked)
    req = to_trip_request(spec, cat, notice_closures(notices))
    try:
        itinerary = replan_days(
            req,
            scope.days,
            keep,
            held,
            cat,
            time_limit=time_limit,
            seed=seed,
            across_on=across[0] if across else None,
            may_cross=may_cross,
            order=list(scope.order.items()),
        )
    except PlanningError:
        if not scope.order:
            raise
        day = next(iter(scope.order))
        raise _refused_order("no plan holds that order", "refused_reorder", day) from None
    new = finish_document(itinerary, spec, cat, notices)
    _check_order(old, new, scope.order)
    if not _coherent(old, new, scope.days):
        if scope.order:
            raise _refused_order(
                "the day changes shape", "refused_reorder", next(iter(scope.order))
            )
        return None
    doc = splice_document(old, new, scope.days, request)
    return _finish(doc, old, request, cat, notices)
