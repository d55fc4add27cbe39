"""The plan document of a planned itinerary, built as the model (`PlanDocument.from_itinerary`):
the JSON a revision keeps is the model's `to_json()`, so its shape comes from the model alone.

Times are kept to the minute, as the document writes and reads them (a saved plan and the plan
just made compare alike); each keeps its zone, whose IANA name is written alongside.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from planner.crossing import CrossingOption
from planner.crossing import Point as CrossingPoint
from planner.messages import Message
from planner.model import Attraction
from planner.plan_document import (
    Clock,
    CrossingClocks,
    CrossingEntry,
    CrossingItem,
    Day,
    Fare,
    LatLon,
    LeftOut,
    Leg,
    MealEntry,
    MealItem,
    Notice,
    PlaceRef,
    PlanDocument,
    PlanMessage,
    Point,
    Source,
    Stop,
    VisitEntry,
)
from planner.serialize import SETTLED_BY_PLAN
from planner.timeutil import CITIES, city_zone
from planner.trip import Crossing, Itinerary, Meal, Visit
from planner.trip import Leg as TripLeg
from planner.trip import Notice as TripNotice


def _minute(value: datetime) -> datetime:
    return value.replace(second=0, microsecond=0)


def _zone(value: datetime) -> str:
    """The IANA name of an aware datetime's zone."""
    return getattr(value.tzinfo, "key", str(value.tzinfo))


def _param(value: Any) -> Any:
    if isinstance(value, Message):
        return message_of(value)
    if isinstance(value, tuple):
        return [_param(item) for item in value]
    return value


def message_of(message: Message) -> PlanMessage:
    """A core message as the document keeps it: its code and its values (nested ones alike)."""
    return PlanMessage(code=message.code, params={k: _param(v) for k, v in message.params.items()})


def _notice(notice: TripNotice) -> Notice:
    message = notice.message
    params = {k: _param(v) for k, v in message.params.items()}
    return Notice(severity=notice.severity, code=message.code, params=params)


def _leg(leg: TripLeg | None) -> Leg | None:
    return None if leg is None else Leg(mode=leg.mode, minutes=leg.minutes, km=leg.km)


def _place(place: Attraction) -> PlaceRef:
    return PlaceRef(attraction_id=place.id, name=place.name, city=place.city)


def _point(point: CrossingPoint) -> Point:
    where = point.location
    return Point(
        id=point.id,
        city=point.city,
        name=point.name,
        location=LatLon(lat=where.lat, lon=where.lon) if where else None,
        coord_confidence=point.coord_confidence,
        coord_uncertainty_m=point.coord_uncertainty_m,
    )


def _clock(value: datetime, city: str) -> Clock:
    local = _minute(value.astimezone(city_zone(city)))
    return Clock(time=local, zone=_zone(local))


def _visit(visit: Visit) -> dict[str, Any]:
    place = visit.attraction
    return {
        **dict(_place(place)),
        "arrive": _minute(visit.arrive),
        "depart": _minute(visit.depart),
        "zone": _zone(visit.arrive),
        "leg": _leg(visit.leg),
        "hours_verified": place.hours_verified,
        "price": place.price,
        "currency": place.currency,
    }


def _meal(meal: Meal) -> dict[str, Any]:
    return {
        "kind": meal.kind,
        "start": _minute(meal.start),
        "end": _minute(meal.end),
        "zone": _zone(meal.start),
        "city": meal.city,
        "place": _place(meal.place) if meal.place else None,
        "near": meal.near,
        "leg": _leg(meal.leg),
    }


def _option(option: CrossingOption) -> dict[str, Any]:
    return {
        "mode": option.mode,
        "mode_name": option.mode_name,
        "depart": _minute(option.depart),
        "depart_zone": _zone(option.depart),
        "arrive": _minute(option.arrive),
        "arrive_zone": _zone(option.arrive),
        "report_by": _minute(option.report_by),
        "indicative": option.indicative,
        "minutes": option.minutes,
        "fare": Fare(amount=option.fare.amount, currency=option.fare.currency),
        "from_point": _point(option.from_point),
        "to_point": _point(option.to_point),
        "documents": [message_of(m) for m in option.documents],
        # The plan has chosen the way back (or this is a move): "plan to stay overnight" is moot.
        "warnings": [message_of(m) for m in option.warnings if m.code not in SETTLED_BY_PLAN],
        "sources": [Source.model_validate(source.as_dict()) for source in option.sources],
        "estimated": option.estimated,
        # Which layer of the entry rules let the traveller in, with its date.
        "entry_rule": option.entry_rule,
        "entry_basis": message_of(option.entry_basis) if option.entry_basis else None,
    }


def _crossing(crossing: Crossing) -> dict[str, Any]:
    """A crossing of a plan: where to be by when, both clocks, papers, fare, the way there."""
    option = crossing.option
    return {
        **_option(option),
        "direction_from": crossing.direction_from,
        "report_by_zone": _zone(option.report_by),
        "clocks": {
            city: CrossingClocks(
                report_by=_clock(option.report_by, city),
                depart=_clock(option.depart, city),
                arrive=_clock(option.arrive, city),
            )
            for city in CITIES
        },
        "leg": _leg(crossing.leg),
        "last_of_day": crossing.last_of_day,
        "back_by": _minute(crossing.back_by) if crossing.back_by else None,
    }


def _item(item: Visit | Meal | Crossing) -> VisitEntry | MealEntry | CrossingEntry:
    if isinstance(item, Visit):
        return VisitEntry(**_visit(item))
    if isinstance(item, Meal):
        return MealEntry(**_meal(item))
    return CrossingEntry(**_crossing(item))


def document_of(it: Itinerary) -> PlanDocument:
    """The document of *it*: days with their items in order (and by kind), the places left out,
    the warnings, the search's score and figures (totals and the request's sections are added
    by planner.documents)."""
    days = [
        Day(
            date=day.date,
            city_start=day.city_start,
            city_end=day.city_end,
            start=_minute(day.start),
            leave_at=_minute(day.leave_at) if day.leave_at else None,
            end=_minute(day.end),
            end_place=day.end_place,
            items=[_item(item) for item in day.items],
            stops=[Stop(**_visit(v)) for v in day.stops],
            meals=[MealItem(**_meal(m)) for m in day.meals],
            crossings=[CrossingItem(**_crossing(c)) for c in day.crossings],
            end_leg=_leg(day.end_leg),
            warnings=[_notice(n) for n in day.warnings],
        )
        for day in it.days
    ]
    left_out = [
        LeftOut(
            attraction_id=x.attraction.id,
            name=x.attraction.name,
            reason=x.reason,
            detail=message_of(x.detail),
        )
        for x in it.left_out
    ]
    return PlanDocument(
        days=days,
        left_out=left_out,
        warnings=[_notice(n) for n in it.warnings],
        score=it.score,
        stats=dict(it.stats),
    )
