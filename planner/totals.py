"""What a plan adds up to: minutes on foot and riding, entry fees and crossing fares by currency,
and their sum in the traveller's currency at the dated rate of data/travel.json."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from planner.travel import CHARTERED, Party, TravelData, load_travel_data, party_vehicles
from planner.trip import Crossing, DayPlan, Itinerary, Leg, Meal, Visit

# The currencies a reader sees the total in, by the language they read: a Russian reader
# counts in roubles, a Chinese reader in yuan; an English reader may pay in either, so both.
READER_CURRENCIES: dict[str, tuple[str, ...]] = {
    "ru": ("RUB",),
    "zh": ("CNY",),
    "en": ("CNY", "RUB"),
}


def _legs(it: Itinerary) -> list[Leg]:
    legs: list[Leg] = []
    for day in it.days:
        for item in day.items:
            if isinstance(item, Visit | Meal | Crossing) and item.leg is not None:
                legs.append(item.leg)
        if day.end_leg is not None:
            legs.append(day.end_leg)
    return legs


def _chartered_spans(day: DayPlan) -> dict[str, tuple[datetime, datetime]]:
    """City -> (first set-off, last arrival) of the day's legs by chartered vehicle there."""
    spans: dict[str, tuple[datetime, datetime]] = {}

    def add(city: str, start: datetime, end: datetime) -> None:
        lo, hi = spans.get(city, (start, end))
        spans[city] = (min(lo, start), max(hi, end))

    clock = day.leave_at or day.start
    for item in day.items:
        if isinstance(item, Visit):
            start, end, here = item.arrive, item.depart, item.attraction.city
        elif isinstance(item, Meal):
            start, end, here = item.start, item.end, item.city
        else:
            start, end, here = item.option.report_by, item.option.arrive, item.direction_from
        leg = item.leg
        if leg is not None and leg.mode in CHARTERED:
            add(here, start - _minutes(leg), start)
        clock = end
    if day.end_leg is not None and day.end_leg.mode in CHARTERED:
        add(day.city_end, clock, clock + _minutes(day.end_leg))
    return spans


def _minutes(leg: Leg) -> timedelta:
    return timedelta(minutes=leg.minutes)


def vehicle_hire(it: Itinerary, travel: TravelData) -> tuple[dict[str, float], int, bool]:
    """The hire of the party's chartered vehicles, once per vehicle (never per person): per
    day in each city where it rides, or per hour from its first set-off to its last arrival
    there (at least the hire's minimum hours). Returns amounts by currency, how many hires
    have no price in the data, and whether a price counted is the project's estimate."""
    vehicles = party_vehicles(Party(it.request.party_size, it.request.group_tour))
    if vehicles.mode not in CHARTERED:
        return {}, 0, False
    prices = getattr(travel.modes, vehicles.mode).hire or {}
    out: dict[str, float] = defaultdict(float)
    unknown = 0
    estimated = False
    for day in it.days:
        for city, (lo, hi) in _chartered_spans(day).items():
            hire = prices.get(city)
            if hire is None:
                unknown += 1
                continue
            if hire.per == "day":
                units = 1
            else:
                hours = math.ceil((hi - lo).total_seconds() / 3600)
                units = max(hours, hire.min_hours or 1)
            out[hire.currency] += hire.amount * units * vehicles.count
            estimated = estimated or hire.estimated
    return dict(out), unknown, estimated


def trip_totals(it: Itinerary, travel: TravelData | None = None) -> dict[str, Any]:
    """Totals for the whole party; an unknown price is counted, never guessed."""
    travel = travel or load_travel_data()
    rates = dict(travel.exchange.cny_per_unit)
    party = it.request.party_size
    minutes = {"walk": 0, "ride": 0, "crossing": 0}
    km = {"walk": 0.0, "ride": 0.0}
    for leg in _legs(it):
        kind = "walk" if leg.mode == "walk" else "ride"
        minutes[kind] += leg.minutes
        km[kind] += leg.km
    fees: dict[str, float] = defaultdict(float)
    fares: dict[str, float] = defaultdict(float)
    unknown_fees = unknown_fares = 0
    for day in it.days:
        for item in day.items:
            if isinstance(item, Visit):
                place = item.attraction
                if place.price is None:
                    unknown_fees += 1
                else:
                    fees[place.currency] += place.price * party
            elif isinstance(item, Crossing):
                minutes["crossing"] += item.option.minutes
                fare = item.option.fare
                if fare.amount is None:
                    unknown_fares += 1
                else:
                    fares[fare.currency] += fare.amount * party
    hire, unknown_hire, hire_estimated = vehicle_hire(it, travel)
    target = it.request.budget_currency if it.request.budget_currency in rates else "CNY"
    in_cny = sum(v * rates[c] for part in (fees, fares, hire) for c, v in part.items())
    return {
        "party_size": party,
        "minutes": minutes,
        "km": {k: round(v, 1) for k, v in km.items()},
        "entry_fees": {c: round(v, 2) for c, v in sorted(fees.items())},
        "crossing_fares": {c: round(v, 2) for c, v in sorted(fares.items())},
        "vehicle_hire": {c: round(v, 2) for c, v in sorted(hire.items())},
        "vehicle_hire_estimated": hire_estimated,
        "vehicles": _vehicles_json(it),
        "unknown_prices": {
            "entry_fees": unknown_fees,
            "crossing_fares": unknown_fares,
            "vehicle_hire": unknown_hire,
        },
        "sum": {"amount": round(in_cny / rates[target], 2), "currency": target},
        "exchange": {
            "cny_per_unit": rates,
            "checked": travel.checked.isoformat(),
            "status": travel.exchange.status,
            "note": travel.exchange.note,
        },
    }


def _vehicles_json(it: Itinerary) -> dict[str, Any] | None:
    """The party's hired vehicle and how many, when it hires more than one taxi."""
    vehicles = party_vehicles(Party(it.request.party_size, it.request.group_tour))
    if vehicles.mode == "taxi" and vehicles.count == 1:
        return None
    return {"mode": vehicles.mode, "count": vehicles.count}


def reader_sums(totals: Mapping[str, Any], lang: str) -> list[dict[str, Any]]:
    """The total of *totals* (`trip_totals`' JSON, as stored with a plan) in each currency the
    reader of *lang* counts in (READER_CURRENCIES), at the plan's dated rate."""
    rates = totals["exchange"]["cny_per_unit"]
    total = totals["sum"]
    in_cny = total["amount"] * rates[total["currency"]]
    wanted = READER_CURRENCIES.get(lang, READER_CURRENCIES["en"])
    return [
        {"amount": round(in_cny / rates[code], 2), "currency": code}
        for code in wanted
        if rates.get(code)
    ]


def sum_totals(days: list[dict[str, Any]], like: dict[str, Any]) -> dict[str, Any]:
    """The trip's totals from its days' own (`trip_totals` of each day: they add up); *like*
    (the totals of a plan of the same request) gives the party, vehicles and exchange rates."""
    rates = like["exchange"]["cny_per_unit"]
    out: dict[str, Any] = {
        "party_size": like["party_size"],
        "minutes": {"walk": 0, "ride": 0, "crossing": 0},
        "km": {"walk": 0.0, "ride": 0.0},
        "entry_fees": {},
        "crossing_fares": {},
        "vehicle_hire": {},
        "vehicle_hire_estimated": any(d["vehicle_hire_estimated"] for d in days),
        "vehicles": like["vehicles"],
        "unknown_prices": {"entry_fees": 0, "crossing_fares": 0, "vehicle_hire": 0},
    }
    for day in days:
        for group in ("minutes", "km", "unknown_prices"):
            for key, value in day[group].items():
                out[group][key] += value
        for group in ("entry_fees", "crossing_fares", "vehicle_hire"):
            for currency, value in day[group].items():
                out[group][currency] = out[group].get(currency, 0.0) + value
    out["km"] = {k: round(v, 1) for k, v in out["km"].items()}
    for group in ("entry_fees", "crossing_fares", "vehicle_hire"):
        out[group] = {c: round(v, 2) for c, v in sorted(out[group].items())}
    target = like["sum"]["currency"]
    in_cny = sum(
        v * rates[c]
        for group in ("entry_fees", "crossing_fares", "vehicle_hire")
        for c, v in out[group].items()
    )
    out["sum"] = {"amount": round(in_cny / rates[target], 2), "currency": target}
    out["exchange"] = like["exchange"]
    return out
