"""What an edit changed in a plan: stops added, removed or moved to another day, and stops whose
time shifted by more than SHIFT_MINUTES. Pure: two plan documents in, coded changes out (the
page and the API word them with `documents.with_texts`)."""

from __future__ import annotations

from planner.plan_document import PlanDocument, PlanMessage, Stop

SHIFT_MINUTES = 15


def _stops(doc: PlanDocument) -> dict[str, tuple[int, Stop]]:
    out: dict[str, tuple[int, Stop]] = {}
    for index, day in enumerate(doc.days):
        for stop in day.stops:
            out.setdefault(stop.attraction_id, (index, stop))
    return out


def _change(code: str, stop: Stop, **params: int | str) -> PlanMessage:
    return PlanMessage(
        code=code, params={"place": stop.name, "attraction_id": stop.attraction_id, **params}
    )


def plan_changes(old: PlanDocument, new: PlanDocument) -> list[PlanMessage]:
    """The changes from *old* to *new*, in the new plan's order (days from 1), removals last.

    Each names the place and its attraction_id: stop_added (day), stop_removed (day),
    stop_moved (from_day, to_day), stop_time_shifted (day, before, after, minutes); the clocks
    are the stop's own (its city's)."""
    before, after = _stops(old), _stops(new)
    out: list[PlanMessage] = []
    for pid, (day, stop) in after.items():
        if pid not in before:
            out.append(_change("stop_added", stop, day=day + 1))
            continue
        was_day, was = before[pid]
        if was_day != day:
            out.append(_change("stop_moved", stop, from_day=was_day + 1, to_day=day + 1))
            continue
        minutes = round((stop.arrive - was.arrive).total_seconds() / 60)
        if abs(minutes) > SHIFT_MINUTES:
            out.append(
                _change(
                    "stop_time_shifted",
                    stop,
                    day=day + 1,
                    before=was.arrive.strftime("%H:%M"),
                    after=stop.arrive.strftime("%H:%M"),
                    minutes=minutes,
                )
            )
    for pid, (day, stop) in before.items():
        if pid not in after:
            out.append(_change("stop_removed", stop, day=day + 1))
    return out
