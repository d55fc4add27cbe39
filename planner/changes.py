"""What an edit changed in a plan: stops added, removed or moved to another day, and stops whose
time shifted by more than SHIFT_MINUTES. Pure: two saved documents in, coded changes out (the
page and the API word them with `documents.with_texts`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

SHIFT_MINUTES = 15


def _stops(doc: dict[str, Any]) -> dict[str, tuple[int, dict[str, Any]]]:
    out: dict[str, tuple[int, dict[str, Any]]] = {}
    for index, day in enumerate(doc.get("days", [])):
        for stop in day.get("stops", []):
            out.setdefault(stop["attraction_id"], (index, stop))
    return out


def _clock(value: str) -> str:
    return datetime.fromisoformat(value).strftime("%H:%M")


def plan_changes(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """The changes from *old* to *new*, in the new plan's order (days from 1), removals last.

    Each is {"code", "params"} with the place's name and attraction_id: stop_added (day),
    stop_removed (day), stop_moved (from_day, to_day), stop_time_shifted (day, before, after,
    minutes)."""
    before, after = _stops(old), _stops(new)
    out: list[dict[str, Any]] = []
    for pid, (day, stop) in after.items():
        place = stop["name"]
        if pid not in before:
            params = {"place": place, "attraction_id": pid, "day": day + 1}
            out.append({"code": "stop_added", "params": params})
            continue
        was_day, was = before[pid]
        if was_day != day:
            params = {"place": place, "attraction_id": pid, "from_day": was_day + 1}
            params["to_day"] = day + 1
            out.append({"code": "stop_moved", "params": params})
            continue
        shift = datetime.fromisoformat(stop["arrive"]) - datetime.fromisoformat(was["arrive"])
        minutes = round(shift.total_seconds() / 60)
        if abs(minutes) > SHIFT_MINUTES:
            params = {
                "place": place,
                "attraction_id": pid,
                "day": day + 1,
                "before": _clock(was["arrive"]),
                "after": _clock(stop["arrive"]),
                "minutes": minutes,
            }
            out.append({"code": "stop_time_shifted", "params": params})
    for pid, (day, stop) in before.items():
        if pid not in after:
            params = {"place": stop["name"], "attraction_id": pid, "day": day + 1}
            out.append({"code": "stop_removed", "params": params})
    return out
