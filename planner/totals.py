"""What a plan adds up to: minutes on foot and riding, entry fees and crossing fares by currency,
and their sum in the traveller's currency at the dated rate of data/travel.json."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from planner.travel import TravelData, load_travel_data
from planner.trip import Crossing, Itinerary, Leg, Meal, Visit

RIDING = ("taxi", "bus")


def _legs(it: Itinerary) -> list[Leg]:
    legs: list[Leg] = []
    for day in it.days:
        for item in day.items:
            if isinstance(item, Visit | Meal | Crossing) and item.leg is not None:
                legs.append(item.leg)
        if day.end_leg is not None:
            legs.append(day.end_leg)
    return legs


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
    target = it.request.budget_currency if it.request.budget_currency in rates else "CNY"
    in_cny = sum(v * rates[c] for c, v in fees.items()) + sum(
        v * rates[c] for c, v in fares.items()
    )
    return {
        "party_size": party,
        "minutes": minutes,
        "km": {k: round(v, 1) for k, v in km.items()},
        "entry_fees": {c: round(v, 2) for c, v in sorted(fees.items())},
        "crossing_fares": {c: round(v, 2) for c, v in sorted(fares.items())},
        "unknown_prices": {"entry_fees": unknown_fees, "crossing_fares": unknown_fares},
        "sum": {"amount": round(in_cny / rates[target], 2), "currency": target},
        "exchange": {
            "cny_per_unit": rates,
            "checked": travel.checked.isoformat(),
            "status": travel.exchange.status,
            "note": travel.exchange.note,
        },
    }
