"""Every JSON shape the planner serves, by domain; the data only, never an envelope.

The API adds `{"ok": true, ...}` around these, the command line prints them as they are.
Times are ISO 8601 with their offset, with the IANA zone name alongside. A `Message` is
`{"code", "params"}`; an adapter that knows the reader's language passes `render` to add
`"text"` (the sentence in that language).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from planner.crossing import CrossingAnswer, CrossingOption, Point
from planner.messages import Message

Render = Callable[[Message], str]

# --------------------------------------------------------------------------- shared


def iso(value: datetime) -> str:
    """An aware datetime as ISO 8601 to the minute, with its offset."""
    return value.isoformat(timespec="minutes")


def zone_name(value: datetime) -> str:
    """The IANA name of an aware datetime's zone."""
    return getattr(value.tzinfo, "key", str(value.tzinfo))


def _param(value: Any) -> Any:
    if isinstance(value, Message):
        return message_to_json(value)
    if isinstance(value, tuple):
        return [_param(item) for item in value]
    return value


def message_to_json(message: Message, render: Render | None = None) -> dict[str, Any]:
    """{"code", "params"} (nested messages likewise), plus "text" when *render* is given."""
    out: dict[str, Any] = {
        "code": message.code,
        "params": {key: _param(value) for key, value in message.params.items()},
    }
    if render is not None:
        out["text"] = render(message)
    return out


# --------------------------------------------------------------------------- the border crossing


def point_to_json(point: Point) -> dict[str, Any]:
    """A point as JSON: id, city, names in three languages, (lat, lon) or null, confidence."""
    return {
        "id": point.id,
        "city": point.city,
        "name": point.name.as_dict(),
        "location": (
            {"lat": point.location.lat, "lon": point.location.lon} if point.location else None
        ),
        "coord_confidence": point.coord_confidence,
        "coord_uncertainty_m": point.coord_uncertainty_m,
    }


def option_to_json(option: CrossingOption, render: Render | None = None) -> dict[str, Any]:
    """One option (times ISO 8601 with offsets, zone names alongside, messages as codes)."""
    return {
        "mode": option.mode,
        "mode_name": option.mode_name.as_dict(),
        "depart": iso(option.depart),
        "depart_zone": zone_name(option.depart),
        "arrive": iso(option.arrive),
        "arrive_zone": zone_name(option.arrive),
        "report_by": iso(option.report_by),
        "minutes": option.minutes,
        "fare": {"amount": option.fare.amount, "currency": option.fare.currency},
        "from_point": point_to_json(option.from_point),
        "to_point": point_to_json(option.to_point),
        "documents": [message_to_json(m, render) for m in option.documents],
        "warnings": [message_to_json(m, render) for m in option.warnings],
        "sources": [source.as_dict() for source in option.sources],
        "estimated": option.estimated,
    }


def answer_to_json(answer: CrossingAnswer, render: Render | None = None) -> dict[str, Any]:
    """The options, the deadline to come back, and the reasons (no envelope: adapters add it)."""
    return {
        "options": [option_to_json(option, render) for option in answer.options],
        "last_return": iso(answer.last_return) if answer.last_return else None,
        "last_return_zone": zone_name(answer.last_return) if answer.last_return else None,
        "reasons": [message_to_json(m, render) for m in answer.reasons],
    }


# --------------------------------------------------------------------------- itineraries
# (planner/planning.py's itinerary_to_json moves here next.)
