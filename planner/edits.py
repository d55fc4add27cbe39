"""Edits of a saved plan, as changes to its request: the planner then plans around them.

remove -> exclude; add -> must-see (on a day: kept there); lock -> kept (must-see, on its day);
move -> kept on another day; pace and dates -> the request's fields; reorder changes no field
(the day is re-timed in that order: planner/replan.py). Pure: no Flask, no storage.
The core has no "on this day" constraint yet, so a kept stop's day is a wish: `pinned_notices`
says when the plan put it elsewhere.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, TypeAdapter

from planner.messages import N_
from planner.model import LocalizedName
from planner.plan_document import Notice, PlanDocument
from planner.request_spec import DAY_NOTE_MAX, MAX_DAYS, nights_between
from planner.textsafe import user_text
from planner.timeutil import parse_aware

PlaceId = Annotated[StrictStr, Field(min_length=1, max_length=100)]
Day = Annotated[StrictInt, Field(ge=0, le=14)]


class _Edit(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Remove(_Edit):
    op: Literal["remove"]
    attraction_id: PlaceId


class Add(_Edit):
    op: Literal["add"]
    attraction_id: PlaceId
    day: Day | None = None


class Lock(_Edit):
    op: Literal["lock"]
    attraction_id: PlaceId
    day: Day | None = None


class Unlock(_Edit):
    op: Literal["unlock"]
    attraction_id: PlaceId


class Move(_Edit):
    op: Literal["move"]
    attraction_id: PlaceId
    day: Day


class Reorder(_Edit):
    """A day's stops in the traveller's order (the plan re-times them; no request change)."""

    op: Literal["reorder"]
    day: Day
    attraction_ids: Annotated[list[PlaceId], Field(min_length=1, max_length=40)]


class SetDayNote(_Edit):
    """The traveller's note for a day (no re-plan; "" removes it)."""

    op: Literal["note"]
    day: Day
    text: Annotated[StrictStr, Field(max_length=DAY_NOTE_MAX)]


class SetPace(_Edit):
    op: Literal["pace"]
    pace: Literal["relaxed", "normal", "packed"]


class SetDates(_Edit):
    op: Literal["dates"]
    arrive: StrictStr
    depart: StrictStr


Edit = Annotated[
    Remove | Add | Lock | Unlock | Move | Reorder | SetDayNote | SetPace | SetDates,
    Field(discriminator="op"),
]
EDITS = TypeAdapter(list[Edit])
_EDIT_MODELS = (Remove, Add, Lock, Unlock, Move, Reorder, SetDayNote, SetPace, SetDates)
# The edit operations, written once: the page's form and the OpenAPI description read these.
EDIT_OPS: tuple[str, ...] = tuple(
    get_args(m.model_fields["op"].annotation)[0] for m in _EDIT_MODELS
)
# The operations on one place (they carry an attraction_id).
PLACE_OPS: tuple[str, ...] = tuple(
    get_args(m.model_fields["op"].annotation)[0]
    for m in _EDIT_MODELS
    if "attraction_id" in m.model_fields
)


def _without(items: list[Any], value: Any) -> list[Any]:
    return [item for item in items if item != value]


def _unlocked(locked: list[dict[str, Any]], pid: str) -> list[dict[str, Any]]:
    return [lock for lock in locked if lock["attraction_id"] != pid]


def apply_edit(request: dict[str, Any], edit: Edit) -> dict[str, Any]:
    """The request JSON after one edit (a new dict; the input is not changed)."""
    out = {
        **request,
        "must_see": list(request.get("must_see", [])),
        "exclude": list(request.get("exclude", [])),
        "locked": [dict(lock) for lock in request.get("locked", [])],
    }
    if isinstance(edit, Remove):
        out["must_see"] = _without(out["must_see"], edit.attraction_id)
        out["locked"] = _unlocked(out["locked"], edit.attraction_id)
        if edit.attraction_id not in out["exclude"]:
            out["exclude"].append(edit.attraction_id)
    elif isinstance(edit, Add | Lock | Move):
        pid = edit.attraction_id
        out["exclude"] = _without(out["exclude"], pid)
        if isinstance(edit, Add) and edit.day is None:
            if pid not in out["must_see"]:
                out["must_see"].append(pid)
        else:
            out["must_see"] = _without(out["must_see"], pid)
            kept = {"attraction_id": pid, "day": edit.day}
            out["locked"] = [*_unlocked(out["locked"], pid), kept]
    elif isinstance(edit, Unlock):
        out["locked"] = _unlocked(out["locked"], edit.attraction_id)
    elif isinstance(edit, SetDayNote):
        notes = [str(n) for n in request.get("day_notes", [])]
        notes += [""] * (edit.day + 1 - len(notes))
        notes[edit.day] = user_text(edit.text)
        while notes and not notes[-1]:
            notes.pop()
        out["day_notes"] = notes
    elif isinstance(edit, SetPace):
        out["pace"] = edit.pace
    elif isinstance(edit, SetDates):
        out["arrive"], out["depart"] = edit.arrive, edit.depart
        out["stay"] = _stays_for(request.get("stay"), edit.arrive, edit.depart)
    return out


def _stays_for(stay: Any, arrive: str, depart: str) -> Any:
    """The per-night city list fitted to new dates: a trip that changes city keeps its switch
    (as many nights as before in the first city, at least one in the last), a shorter trip loses
    nights from the end but keeps the last city. One city, or unreadable dates, stay as given
    (validation words the problem)."""
    if not isinstance(stay, list) or len(stay) < 2 or not all(isinstance(c, str) for c in stay):
        return stay
    try:
        nights = nights_between(parse_aware(arrive), parse_aware(depart), stay[0])
    except (ValueError, KeyError):
        return stay
    if nights < 1 or nights > MAX_DAYS:
        return stay[0] if nights < 1 else stay
    if nights >= len(stay):
        out = [*stay, *[stay[-1]] * (nights - len(stay))]
    else:
        out = [*stay[: nights - 1], stay[-1]]
    return out[0] if len(out) == 1 else out


def apply_edits(request: dict[str, Any], edits: list[Edit]) -> dict[str, Any]:
    for edit in edits:
        request = apply_edit(request, edit)
    return request


def describe(edits: list[Edit]) -> str:
    """A short note for the revision list (codes and ids: the page words it)."""
    return ", ".join(
        edit.op
        + (f":{edit.attraction_id}" if hasattr(edit, "attraction_id") else "")
        + (f":{edit.day + 1}" if isinstance(edit, Reorder) else "")
        for edit in edits
    )[:200]


EDIT_TEMPLATES: dict[str, str] = {
    "pinned_day_not_kept": N_(
        "%(place)s is kept, but the planner put it on day %(planned)s, not day %(wanted)s "
        "(choosing the day is not supported yet)"
    ),
    "kept_missing": N_("%(place)s is kept but could not be fitted into the plan"),
}


def pinned_notices(request: dict[str, Any], doc: PlanDocument) -> list[Notice]:
    """Amber notices for kept stops the plan did not put on their day."""
    where: dict[str, int] = {}
    names: dict[str, LocalizedName] = {}
    for index, day in enumerate(doc.days):
        for stop in day.stops:
            where.setdefault(stop.attraction_id, index)
            names[stop.attraction_id] = stop.name
    left = {x.attraction_id: x.name for x in doc.left_out}
    notices = []
    for lock in request.get("locked", []):
        pid, wanted = lock["attraction_id"], lock.get("day")
        name = names.get(pid) or left.get(pid) or LocalizedName(zh=pid, ru=pid, en=pid)
        if pid not in where:
            notices.append(Notice(severity="amber", code="kept_missing", params={"place": name}))
        elif wanted is not None and where[pid] != wanted:
            params = {"place": name, "planned": where[pid] + 1, "wanted": wanted + 1}
            notices.append(Notice(severity="amber", code="pinned_day_not_kept", params=params))
    return notices
