"""What a trip request may ask and which places are worth planning for it.

The checks every caller gets (the web, the API and the command line validate at their edge too,
with field errors; these are the core's own, with coded refusals), the candidate places and why
each other place is left out, and the far-out groups planned as one excursion.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import timedelta

from planner import crossing as border
from planner import events
from planner.catalogue import Catalogue
from planner.messages import Message
from planner.model import Attraction
from planner.planning.builder import CITY_CENTRES, Builder, DaySpec
from planner.planning.rules import DAY_TRIP_MAX_RETURN_KM, PACES, position_plannable
from planner.timeutil import CITIES, require_aware
from planner.travel import CHOSEN_MODES, great_circle_km, load_travel_data
from planner.trip import LeftOut, PlanningError, TripRequest

EATERIES = frozenset({"restaurant", "cafe", "food_court"})  # meal places only, never a "visit"
CLUSTER_FAR_KM = 12.0  # places this far from the city centre form excursions
CLUSTER_LINK_KM = 6.0  # ... with the places this close to each other


DAY_ACROSS = ("auto", "yes", "no")


def refused(text: str, code: str, **params: object) -> PlanningError:
    """A refusal: English *text* for logs and the command line, *code* for the traveller."""
    return PlanningError(text, Message(code, params))  # type: ignore[arg-type]


def validate_request(req: TripRequest, cat: Catalogue) -> TripRequest:
    """Check the request; return it with its country codes normalised (once, here)."""
    require_aware(req.arrive, "arrival time")
    require_aware(req.depart, "departure time")
    if req.depart <= req.arrive:
        raise refused("departure must be after arrival", "refused_departure_before_arrival")
    if req.depart - req.arrive > timedelta(days=14):
        raise refused("trips longer than 14 days are not supported", "refused_trip_too_long")
    if req.pace not in PACES:
        raise refused(f"pace must be one of: {', '.join(PACES)}", "refused_pace")
    if isinstance(req.party_size, bool) or not isinstance(req.party_size, int):
        raise refused("party size must be a whole number", "refused_party_size")
    if not 1 <= req.party_size <= 200:
        raise refused("party size must be between 1 and 200", "refused_party_size")
    if not req.stay:
        raise refused(
            f"say where you stay ({' or '.join(CITIES)})", "refused_stay", cities=tuple(CITIES)
        )
    for city in req.stay:
        if city not in CITIES:
            raise refused(
                f"unknown city {city!r}: expected {' or '.join(CITIES)}",
                "refused_stay",
                cities=tuple(CITIES),
            )
    for city, modes in req.transport:
        if city not in CITIES or not modes or set(modes) - set(CHOSEN_MODES):
            raise refused(
                f"transport for {city} must be among: {', '.join(CHOSEN_MODES)}",
                "refused_transport",
            )
    for pid in (*req.must_see, *req.exclude, req.arrive_place, req.depart_place):
        if pid is None:
            continue
        try:
            cat.get(pid)
        except KeyError:
            raise refused(f"unknown place {pid!r}", "refused_unknown_place") from None
    if set(req.must_see) & set(req.exclude):
        raise refused("a place cannot be both must-see and excluded", "refused_must_and_exclude")
    if req.daily_budget is not None and not 0 <= req.daily_budget < math.inf:  # nan fails
        raise refused("daily budget cannot be negative", "refused_budget")
    if req.budget_currency not in ("CNY", "RUB"):
        raise refused("budget currency must be CNY or RUB", "refused_budget")
    trip_days = (req.depart.date() - req.arrive.date()).days + 2  # either clock's calendar
    for pid, day in req.pinned:
        try:
            cat.get(pid)
        except KeyError:
            raise refused(f"unknown place {pid!r}", "refused_unknown_place") from None
        if not 0 <= day < trip_days:
            raise refused(
                f"{pid} is kept on day {day + 1}, outside the trip",
                "refused_kept_outside_trip",
                place=cat.get(pid).name,
                day=day + 1,
            )
    if req.day_across not in DAY_ACROSS:
        raise refused(f"day_across must be one of: {', '.join(DAY_ACROSS)}", "refused_day_across")
    if req.day_across_on is not None and not 0 <= req.day_across_on < trip_days:
        raise refused(
            f"the day across (day {req.day_across_on + 1}) is outside the trip",
            "refused_day_across_day",
            day=req.day_across_on + 1,
        )
    if req.safe_return and req.allow_last_crossing:
        raise refused(
            "safe return and the day's last crossing exclude each other",
            "refused_safe_and_last",
        )
    pinned_ids = tuple(pid for pid, _ in req.pinned if pid not in req.must_see)
    return replace(
        req,
        must_see=(*req.must_see, *dict.fromkeys(pinned_ids)),
        nationality=border.normalize_nationality(req.nationality),
        visas=tuple(border.normalize_nationality(v) for v in req.visas),
    )


def exchange_rates() -> dict[str, float]:
    """CNY per unit of each currency for budgets: data/travel.json, or the dated rate set by
    $PLANNER_EXCHANGE_RATE_RUB_PER_CNY (load_travel_data applies it; not cached, so a changed
    setting or file is seen by the next plan, like the totals and the pages)."""
    return dict(load_travel_data().exchange.cny_per_unit)


def choose_candidates(
    req: TripRequest, cat: Catalogue, specs: list[DaySpec], rates: dict[str, float]
) -> tuple[list[Attraction], dict[str, LeftOut]]:
    """Places worth planning, and why each of the others is left out (*rates*: CNY per unit of
    each currency, to weigh prices against the daily budget)."""
    # Restaurants and cafés are where meals are eaten, not sights to schedule.
    pool = [
        a
        for a in cat.attractions
        if a.kind in ("attraction", "day_trip", "event") and a.category not in EATERIES
    ]
    excluded, must = set(req.exclude), set(req.must_see)
    months = {s.day.month for s in specs}
    days = [s.day for s in specs]
    left: dict[str, LeftOut] = {}
    out: list[Attraction] = []
    for place in pool:
        why: Message | None = None
        reason = ""
        return_km = place.tags.get("return_km")
        off_dates = events.why_not_on(place, days) if events.is_dated(place) else None
        if place.id in excluded:
            reason, why = "excluded", Message("left_excluded")
        elif off_dates is not None:
            # An event only on its published dates: never on a day guessed from its months.
            reason, why = off_dates.code.removeprefix("left_"), off_dates
        elif not months & set(place.months):
            reason, why = "season", Message("left_season")
        elif not position_plannable(place) and place.id not in must:
            km = round(place.coord_uncertainty_m / 1000, 1)
            reason, why = "position_unknown", Message("left_position_unknown", {"km": km})
        elif place.kind == "day_trip" and return_km and return_km > DAY_TRIP_MAX_RETURN_KM:
            reason, why = "too_far", Message("left_too_far", {"km": round(return_km)})
        elif (
            place.kind == "day_trip"
            and not return_km
            and _crow_return_km(place) > DAY_TRIP_MAX_RETURN_KM
        ):
            # No sourced road distance: the straight line there and back is already too far.
            km = round(_crow_return_km(place), -1)
            reason, why = "too_far", Message("left_too_far_straight", {"km": int(km)})
        elif req.daily_budget is not None and place.price:
            cost = place.price * req.party_size * rates[place.currency] / rates[req.budget_currency]
            if cost > req.daily_budget:
                params = {"cost": f"{cost:.0f}", "currency": req.budget_currency}
                reason, why = "over_budget", Message("left_over_budget", params)
        if why is not None:
            left[place.id] = LeftOut(place, reason, why)
        else:
            out.append(place)
    in_pool = {a.id for a in pool}
    for pid in must - in_pool:
        # A must-see that is not a sight: a restaurant is where a meal may be eaten (the plan
        # drops this line when one is), a station or an airport is where a trip starts or ends.
        place = cat.get(pid)
        if place.category in EATERIES:
            left[pid] = LeftOut(place, "eatery", Message("left_eatery"))
        else:
            left[pid] = LeftOut(place, "not_a_sight", Message("left_not_a_sight"))
    return out, left


def _crow_return_km(place: Attraction) -> float:
    """There and back from the city centre in a straight line: a lower bound of the road."""
    return 2 * float(great_circle_km([CITY_CENTRES[place.city], place.location])[0, 1])


def find_clusters(places: list[Attraction], builder: Builder) -> list[list[Attraction]]:
    """Groups of far-out places near each other (Aihui): each is planned as one excursion."""
    far = []
    for p in places:
        km = great_circle_km([p.location, CITY_CENTRES[p.city]])[0, 1]
        if km > CLUSTER_FAR_KM:
            far.append(p)
    groups: list[list[Attraction]] = []
    for p in far:
        for group in groups:
            if group[0].city == p.city and any(
                great_circle_km([p.location, q.location])[0, 1] <= CLUSTER_LINK_KM for q in group
            ):
                group.append(p)
                break
        else:
            groups.append([p])
    return [g for g in groups if len(g) >= 2]
