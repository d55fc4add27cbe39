"""Every JSON shape the planner serves, by domain; the data only, never an envelope.

The API adds `{"ok": true, ...}` around these, the command line prints them as they are.
Times are ISO 8601 with their offset, with the IANA zone name alongside. A `Message` is
`{"code", "params"}`; an adapter that knows the reader's language passes `render` to add
`"text"` (the sentence in that language).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, time
from typing import Any

from planner.crossing import CrossingAnswer, CrossingOption, Point
from planner.messages import Message
from planner.model import Attraction, EventDates, LocalizedName
from planner.plan_document import PlanDocument
from planner.trip import Itinerary

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
    if isinstance(value, LocalizedName):
        return value.as_dict()
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


# ----------------------------------------------------------------------- the catalogue (GeoJSON)


def to_feature(attraction: Attraction) -> dict[str, Any]:
    """The GeoJSON Feature for one place: the file's properties, plus derived conveniences."""
    a = attraction
    properties: dict[str, Any] = dict(a.tags)
    properties.update(
        {
            "id": a.id,
            "city": a.city,
            "kind": a.kind,
            "category": a.category,
            "name:zh": a.name.zh,
            "name:ru": a.name.ru,
            "name:en": a.name.en,
            "opening_hours": a.opening_hours,
            "hours_verified": a.hours_verified,
            "visit_minutes": a.visit_minutes,
            "price": a.price,
            "currency": a.currency,
            "indoor": a.indoor,
            "months": list(a.months),
            "popularity": a.popularity,
            "interests": list(a.interests),
            "address": a.address,
            "coord_confidence": a.coord_confidence,
            "coord_uncertainty_m": a.coord_uncertainty_m,
            "coord_method": a.coord_method,
            "is_estimated": a.is_estimated,
            "note": a.note.as_dict() if a.note is not None else None,
            "editorial_note": a.editorial_note,
            "sources": [s.as_dict() for s in a.sources],
        }
    )
    if a.dates:
        properties["dates"] = [_event_dates(d) for d in a.dates]
    if a.annual is not None:
        properties["annual"] = {
            "month": a.annual.month,
            "day": a.annual.day,
            "time": _time_of_day(a.annual.hours),
            "time_estimated": a.annual.hours_estimated,
            "sources": [s.as_dict() for s in a.annual.sources],
        }
    return {
        "type": "Feature",
        "id": a.id,
        "geometry": {"type": "Point", "coordinates": [a.location.lon, a.location.lat]},
        "properties": properties,
    }


def _time_of_day(hours: tuple[time, time] | None) -> str | None:
    return None if hours is None else f"{hours[0]:%H:%M}-{hours[1]:%H:%M}"


def _event_dates(d: EventDates) -> dict[str, Any]:
    """One year of an event's dates, in the catalogue file's own shape."""
    if d.start is None or d.end is None:
        checked = d.checked.isoformat() if d.checked else None
        return {"year": d.year, "published": False, "checked": checked, "searched": d.searched}
    return {
        "year": d.year,
        "start": d.start.isoformat(),
        "end": d.end.isoformat(),
        "time": _time_of_day(d.hours),
        "time_estimated": d.hours_estimated,
        "sources": [s.as_dict() for s in d.sources],
    }


def to_feature_collection(attractions: Iterable[Attraction]) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of *attractions*, in the order given."""
    return {"type": "FeatureCollection", "features": [to_feature(a) for a in attractions]}


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
        "indicative": option.indicative,
        "minutes": option.minutes,
        "fare": {"amount": option.fare.amount, "currency": option.fare.currency},
        "from_point": point_to_json(option.from_point),
        "to_point": point_to_json(option.to_point),
        "documents": [message_to_json(m, render) for m in option.documents],
        "warnings": [message_to_json(m, render) for m in option.warnings],
        "sources": [source.as_dict() for source in option.sources],
        "estimated": option.estimated,
        # Which layer of the entry rules let the traveller in, with its date.
        "entry_rule": option.entry_rule,
        "entry_basis": message_to_json(option.entry_basis, render) if option.entry_basis else None,
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

# Option warnings that a plan settles by choosing its crossings: left out of a plan's crossings.
SETTLED_BY_PLAN = frozenset({"arrives_after_last_return", "no_return_that_day"})


def itinerary_to_json(it: Itinerary, render: Render | None = None) -> dict[str, Any]:
    """A plan: its document's JSON (`PlanDocument.from_itinerary`: days with their items in
    order and by kind, places left out, warnings), each message with its sentence when *render*
    is given."""
    doc = PlanDocument.from_itinerary(it)
    if render is not None:
        doc = doc.with_texts(lambda message: render(message.to_message()))
    return doc.to_json()
