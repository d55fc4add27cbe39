"""plan_trip(): a trip request in, a day-by-day itinerary across both cities out.

The one service the web pages, the API and the command line call. It picks the places worth
planning, asks the border model which crossings each day may use, builds a few variants (which
day to spend across the river, which departures), solves each, re-times it with real legs, and
keeps the variant that is best for a traveller: value seen, less waiting, riding and border time,
a day on the other bank. Meals are first pauses wherever the traveller is; the best variant is
then solved again with each meal at a real food place near the route.
"""

from __future__ import annotations

import math
import time as clock
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from planner import crossing as border
from planner.catalogue import Catalogue, load_catalogue
from planner.messages import Message, english
from planner.model import Attraction
from planner.planning.builder import (
    CITY_CENTRES,
    Builder,
    Built,
    DaySpec,
    MealSpot,
    interest_score,
)
from planner.planning.days import (
    OUT_ARRIVAL_TARGET,
    Abroad,
    Border,
    abroad_options,
    align_nights,
    day_specs,
    move_options,
    nights,
)
from planner.planning.decode import Decoded, crossing_fares, decode, over_daily_budget
from planner.planning.notices import day_notices, trip_notices
from planner.planning.rules import (
    ABROAD_MIN_VISIT_MIN,
    BORDER_PENALTY_PER_HOUR,
    DAY_TRIP_MAX_RETURN_KM,
    FOOD_DETOUR_S,
    IDLE_PENALTY_PER_HOUR,
    OTHER_CITY_BONUS,
    PACES,
    TRAVEL_PENALTY_PER_HOUR,
    depart_margin_minutes,
    position_known,
)
from planner.planning.tighten import tighten
from planner.solver import FirstOf, MaxIterations, MaxRuntime, NoImprovement, check, solve
from planner.timeutil import CITIES, city_zone, other_city, require_aware
from planner.travel import MODES, great_circle_km, load_travel_data
from planner.trip import Crossing, Itinerary, LeftOut, Meal, Notice, PlanningError, TripRequest

MISSED_MEAL_PENALTY = 60
SEARCH_SHARE = 0.6
FRONT_RUNNERS = 2  # variants always weighed, even when the time limit is spent
FOOD_CATEGORIES = frozenset({"restaurant", "food_market", "food", "cafe", "food_court"})
EATERIES = frozenset({"restaurant", "cafe", "food_court"})  # meal places only, never a "visit"
# Spreading a stay: days differing by this many minutes of sights are evened out, if the plan
# keeps this share of its score; only days of at least BALANCE_MIN_DAY count.
BALANCE_GAP_MIN = 120
BALANCE_KEEP = 0.97
BALANCE_MIN_DAY = timedelta(hours=6)
BALANCE_ROUNDS = 3
BALANCE_IDLE_S = 45 * 60  # more waiting allowed per day of the trip (a free afternoon, not three)
CLUSTER_FAR_KM = 12.0  # places this far from the city centre form excursions
CLUSTER_LINK_KM = 6.0  # ... with the places this close to each other


def _refused(text: str, code: str, **params: object) -> PlanningError:
    """A refusal: English *text* for logs and the command line, *code* for the traveller."""
    return PlanningError(text, Message(code, params))  # type: ignore[arg-type]


def _validate(req: TripRequest, cat: Catalogue) -> TripRequest:
    """Check the request; return it with its country codes normalised (once, here)."""
    require_aware(req.arrive, "arrival time")
    require_aware(req.depart, "departure time")
    if req.depart <= req.arrive:
        raise _refused("departure must be after arrival", "refused_departure_before_arrival")
    if req.depart - req.arrive > timedelta(days=14):
        raise _refused("trips longer than 14 days are not supported", "refused_trip_too_long")
    if req.pace not in PACES:
        raise _refused(f"pace must be one of: {', '.join(PACES)}", "refused_pace")
    if isinstance(req.party_size, bool) or not isinstance(req.party_size, int):
        raise _refused("party size must be a whole number", "refused_party_size")
    if not 1 <= req.party_size <= 200:
        raise _refused("party size must be between 1 and 200", "refused_party_size")
    if not req.stay:
        raise _refused("say where you stay (heihe or blagoveshchensk)", "refused_stay")
    for city in req.stay:
        if city not in CITIES:
            raise _refused(
                f"unknown city {city!r}: expected heihe or blagoveshchensk", "refused_stay"
            )
    for city, modes in req.transport:
        if city not in CITIES or not modes or set(modes) - set(MODES):
            raise _refused(
                f"transport for {city} must be among: {', '.join(MODES)}", "refused_transport"
            )
    for pid in (*req.must_see, *req.exclude, req.arrive_place, req.depart_place):
        if pid is None:
            continue
        try:
            cat.get(pid)
        except KeyError:
            raise _refused(f"unknown place {pid!r}", "refused_unknown_place") from None
    if set(req.must_see) & set(req.exclude):
        raise _refused("a place cannot be both must-see and excluded", "refused_must_and_exclude")
    if req.daily_budget is not None and not 0 <= req.daily_budget < math.inf:  # nan fails
        raise _refused("daily budget cannot be negative", "refused_budget")
    if req.budget_currency not in ("CNY", "RUB"):
        raise _refused("budget currency must be CNY or RUB", "refused_budget")
    trip_days = (req.depart.date() - req.arrive.date()).days + 2  # either clock's calendar
    for pid, day in req.pinned:
        try:
            cat.get(pid)
        except KeyError:
            raise _refused(f"unknown place {pid!r}", "refused_unknown_place") from None
        if not 0 <= day < trip_days:
            raise _refused(
                f"{pid} is kept on day {day + 1}, outside the trip",
                "refused_kept_outside_trip",
                place=cat.get(pid).name,
                day=day + 1,
            )
    pinned_ids = tuple(pid for pid, _ in req.pinned if pid not in req.must_see)
    return replace(
        req,
        must_see=(*req.must_see, *dict.fromkeys(pinned_ids)),
        nationality=border.normalize_nationality(req.nationality),
        visas=tuple(border.normalize_nationality(v) for v in req.visas),
    )


def _rates() -> dict[str, float]:
    """CNY per unit of each currency for budgets: data/travel.json, or the dated rate set by
    $PLANNER_EXCHANGE_RATE_RUB_PER_CNY (load_travel_data applies it; not cached, so a changed
    setting or file is seen by the next plan, like the totals and the pages)."""
    return dict(load_travel_data().exchange.cny_per_unit)


def _candidates(
    req: TripRequest, cat: Catalogue, specs: list[DaySpec]
) -> tuple[list[Attraction], dict[str, LeftOut]]:
    """Places worth planning, and why each of the others is left out."""
    # Restaurants and cafés are where meals are eaten, not sights to schedule.
    pool = [
        a
        for a in cat.attractions
        if a.kind in ("attraction", "day_trip", "event") and a.category not in EATERIES
    ]
    excluded, must = set(req.exclude), set(req.must_see)
    months = {s.day.month for s in specs}
    rates = _rates()
    left: dict[str, LeftOut] = {}
    out: list[Attraction] = []
    for place in pool:
        why: Message | None = None
        reason = ""
        return_km = place.tags.get("return_km")
        if place.id in excluded:
            reason, why = "excluded", Message("left_excluded")
        elif not months & set(place.months):
            reason, why = "season", Message("left_season")
        elif not position_known(place) and place.id not in must:
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
    return out, left


def _crow_return_km(place: Attraction) -> float:
    """There and back from the city centre in a straight line: a lower bound of the road."""
    return 2 * float(great_circle_km([CITY_CENTRES[place.city], place.location])[0, 1])


def _clusters(places: list[Attraction], builder: Builder) -> list[list[Attraction]]:
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


@dataclass
class _Variant:
    specs: list[DaySpec]
    crossings: dict[int, list[Crossing]]
    abroad: int  # days spent across the river and back


@dataclass
class _Outcome:
    variant: _Variant
    built: Built
    decoded: Decoded
    value: float


# A variant whose departure or crossing is missed even going straight is kept only when no
# other holds (then the plan says so in red); any plan that makes it wins over it.
LATE_PENALTY = 100_000
OVER_BUDGET_PENALTY = 300  # a day across that the budget cannot pay for
# The day's last crossing has no fallback: an earlier one is worth more than a landmark.
LAST_CROSSING_PENALTY = 150


def _value(dec: Decoded, abroad: int) -> float:
    """What a traveller gains from a plan, in score points.

    The other city is the reason most visitors come, so a day there earns a bonus, but only
    when it is a real visit (ABROAD_MIN_VISIT_MIN of sights), not two hours of ports.
    """
    worth_it = abroad and dec.abroad_visit_s >= ABROAD_MIN_VISIT_MIN * 60 * abroad
    return (
        dec.score
        - IDLE_PENALTY_PER_HOUR * dec.idle_s / 3600
        - TRAVEL_PENALTY_PER_HOUR * dec.travel_s / 3600
        - BORDER_PENALTY_PER_HOUR * dec.border_s / 3600
        - MISSED_MEAL_PENALTY * len(dec.missed_meals)
        - LAST_CROSSING_PENALTY * sum(c.last_of_day for d in dec.days for c in d.crossings)
        + (OTHER_CITY_BONUS if worth_it else 0)
    )


def _allowed_days(
    clusters: list[list[Attraction]], variant: _Variant, pinned: tuple[tuple[str, int], ...] = ()
) -> dict[str, set[int]]:
    """Each excursion on one day: the day a traveller pinned one of its places to, else the
    longest day spent wholly in its city. A pinned place is kept on its day."""
    out: dict[str, set[int]] = {pid: {day} for pid, day in pinned}
    for group in clusters:
        chosen = next((out[p.id] for p in group if p.id in out), None)
        if chosen is not None:
            for p in group:
                out.setdefault(p.id, set(chosen))
            continue
        city = group[0].city
        days = [
            s
            for s in variant.specs
            if s.start_city == s.end_city == city and not variant.crossings.get(s.index)
        ]
        if not days:
            continue
        best = max(days, key=lambda s: (s.end - s.start, -s.index))
        for p in group:
            out[p.id] = {best.index}
    return out


def _solve(
    req: TripRequest,
    builder: Builder,
    variant: _Variant,
    clusters: list[list[Attraction]],
    seconds: float,
    seed: int,
    rates: dict[str, float],
    meal_spots: dict | None = None,
) -> _Outcome | None:
    """Solve one variant for at most *seconds* of search; 0 means the construction only."""
    allowed = _allowed_days(clusters, variant, req.pinned)
    built = builder.build(variant.specs, variant.crossings, meal_spots, allowed)
    stop = FirstOf(MaxRuntime(seconds), NoImprovement(300)) if seconds > 0 else MaxIterations(0)
    result = solve(built.instance, stop, seed)
    if not check(built.instance, result.routes).feasible:
        return None
    routes = tighten(built.instance, result.routes, _free_first_wait(built))
    drop = over_daily_budget(req, built, routes, rates)
    dec = decode(req, built, routes, builder, drop)
    dec.dropped_budget = drop  # type: ignore[attr-defined]
    value = _value(dec, variant.abroad) - LATE_PENALTY * built.meta.get("late_segments", 0)
    if req.daily_budget is not None:
        # A day across whose fares alone break the budget is not sold to that traveller.
        value -= OVER_BUDGET_PENALTY * sum(
            1
            for cs in variant.crossings.values()
            if len(cs) == 2 and crossing_fares(req, cs, rates) > req.daily_budget
        )
    return _Outcome(variant, built, dec, value)


def _home_loads(outcome: _Outcome) -> dict[str, dict[int, int]]:
    """Minutes of sights on each full day spent wholly in one city, by city."""
    loads: dict[str, dict[int, int]] = {}
    for i, (day, spec) in enumerate(zip(outcome.decoded.days, outcome.variant.specs, strict=True)):
        if day.crossings or day.city_start != day.city_end:
            continue
        if spec.end - spec.start < BALANCE_MIN_DAY:
            continue
        minutes = sum(int((v.depart - v.arrive).total_seconds() // 60) for v in day.stops)
        loads.setdefault(day.city_start, {})[i] = minutes
    return loads


def _load_gap(outcome: _Outcome) -> int:
    """The largest difference in minutes of sights between two full days in one city."""
    gaps = [max(d.values()) - min(d.values()) for d in _home_loads(outcome).values() if len(d) > 1]
    return max(gaps, default=0)


def _load_spread(outcome: _Outcome) -> float:
    """How unevenly sights are spread over the full days in each city (sum of squared
    differences from each city's mean, in minutes squared)."""
    total = 0.0
    for loads in _home_loads(outcome).values():
        mean = sum(loads.values()) / len(loads)
        total += sum((v - mean) ** 2 for v in loads.values())
    return total


def _balancing_pins(
    req: TripRequest, outcome: _Outcome, clusters: list[list[Attraction]] = ()
) -> tuple[tuple[str, int], ...]:
    """Places to move from the fullest day to the emptiest one in the same city, as a guide
    spreads a stay (the solver alone fills the first day and leaves the others thin): the
    heavy day's latest stops, about half the difference. Must-see and kept places stay."""
    # Must-see and kept places stay; an excursion's places move only all together (never).
    fixed = set(req.must_see) | {pid for pid, _ in req.pinned}
    fixed |= {p.id for group in clusters for p in group}
    pins: list[tuple[str, int]] = []
    # Every other stop stays on its day, so the search re-orders days but cannot undo the move.
    for index, day in enumerate(outcome.decoded.days):
        pins += [(v.attraction.id, index) for v in day.stops if v.attraction.id not in fixed]
    moves: list[tuple[str, int]] = []
    for loads in _home_loads(outcome).values():
        if len(loads) < 2:
            continue
        heavy = max(loads, key=lambda i: (loads[i], -i))
        light = min(loads, key=lambda i: (loads[i], i))
        gap = loads[heavy] - loads[light]
        if gap < BALANCE_GAP_MIN:
            continue
        moved = 0
        for visit in sorted(
            outcome.decoded.days[heavy].stops, key=lambda v: v.arrive, reverse=True
        ):
            if moved >= gap // 2:
                break
            if visit.attraction.id in fixed:
                continue
            moves.append((visit.attraction.id, light))
            moved += int((visit.depart - visit.arrive).total_seconds() // 60)
    return tuple(pins + moves) if moves else ()


def _free_first_wait(built: Built) -> set[int]:
    """Routes whose wait before the first stop is absorbed by leaving later: each day's first
    segment, except on the arrival day (the traveller is already out)."""
    seen: set[int] = set()
    free = set()
    for r, seg in enumerate(built.segments):
        if seg.day not in seen:
            seen.add(seg.day)
            if seg.day > 0:
                free.add(r)
    return free


def _meal_spots(
    outcome: _Outcome, builder: Builder, food: list[Attraction]
) -> dict[tuple[int, str], MealSpot]:
    """For each meal of a plan, the food place with the smallest detour, or near the last stop."""
    spots: dict[tuple[int, str], MealSpot] = {}
    for spec, day in zip(outcome.variant.specs, outcome.decoded.days, strict=True):
        items = list(day.items)
        where = spec.start_loc
        for n, item in enumerate(items):
            if isinstance(item, Meal):
                nxt = next((i for i in items[n + 1 :]), None)
                if nxt is None:
                    after = spec.end_loc
                elif isinstance(nxt, Crossing):
                    after = nxt.option.from_point.location or where
                elif isinstance(nxt, Meal):
                    after = where
                else:
                    after = nxt.attraction.location
                base = builder.seconds(item.city, where, after)
                best: tuple[int, Attraction] | None = None
                for place in food:
                    if place.city != item.city or spec.day.month not in place.months:
                        continue
                    start = int(item.start.timestamp()) - builder.base
                    end = int(item.end.timestamp()) - builder.base
                    spans = builder.open_spans(place, spec.day)
                    if not any(a <= start and end <= b for a, b in spans):
                        continue
                    builder._add_point(place.location)
                    detour = (
                        builder.seconds(item.city, where, place.location)
                        + builder.seconds(item.city, place.location, after)
                        - base
                    )
                    if detour <= FOOD_DETOUR_S and (best is None or detour < best[0]):
                        best = (detour, place)
                if best is not None:
                    spots[(spec.index, item.kind)] = MealSpot(item.city, best[1].location, best[1])
                else:
                    spots[(spec.index, item.kind)] = MealSpot(item.city, where, None)
            elif isinstance(item, Crossing):
                where = item.option.to_point.location or where
            else:
                where = item.attraction.location
    return spots


def _move_picks(opts: list[Crossing], spec: DaySpec) -> tuple[Crossing, Crossing, Crossing]:
    """A move's departures worth weighing: the one arriving nearest mid-morning, the middle
    one, and the latest that is not the day's last (the last has no fallback)."""
    away = opts[0].option.to_point.city
    target = datetime.combine(spec.day, OUT_ARRIVAL_TARGET, city_zone(away))
    morning = min(opts, key=lambda c: abs((c.option.arrive - target).total_seconds()))
    safe = [c for c in opts if not c.last_of_day] or opts
    return morning, opts[len(opts) // 2], safe[-1]


def _variants(
    specs: list[DaySpec],
    moves: dict[int, list[Crossing]],
    abroad: list[Abroad],
    rank: dict[int, float],
    must_away: bool,
    lead_time: Callable[[DaySpec, Crossing], timedelta],
) -> list[_Variant]:
    """Which days go across the river and on which departures: a few sensible combinations."""
    move_days = sorted(moves)
    move_picks = [_move_picks(moves[k], specs[k]) for k in move_days]
    by_day: dict[int, list[Abroad]] = {}
    for a in abroad:
        by_day.setdefault(a.day, []).append(a)
    days = sorted(by_day, key=lambda k: -rank[k])[:2]
    sets: list[list[Abroad]] = []
    ndays = len(specs)
    for k in days:
        sets.extend([a] for a in by_day[k])
    if len(days) == 2 and ndays >= 4:
        sets.append([by_day[days[0]][-1], by_day[days[1]][-1]])
    # Staying on one bank is always weighed against the days across, and is the fallback when
    # no day across can be made (first when nothing across is a must-see).
    # The two front-runners go first (the best day across, then staying), so a short time limit
    # still weighs one against the other.
    if must_away:
        sets.append([])
    else:
        sets.insert(1 if sets else 0, [])
    variants = []
    for chosen in sets:
        # Every move on its mid-morning, middle or latest safe departure: three ways at most.
        combos = [tuple(p[i] for p in move_picks) for i in range(3)] if move_picks else [()]
        for picks in dict.fromkeys(combos):
            crossings = {k: [pick] for k, pick in zip(move_days, picks, strict=True)}
            day_list = list(specs)
            for a in chosen:
                crossings[a.day] = [a.out, a.back]
                lead = a.out.option.report_by - lead_time(day_list[a.day], a.out)
                if a.day > 0 and lead < day_list[a.day].start:  # never before the arrival
                    day_list[a.day] = replace(day_list[a.day], start=lead)
            for k in move_days:
                lead = crossings[k][0].option.report_by - lead_time(day_list[k], crossings[k][0])
                if k > 0 and lead < day_list[k].start:
                    day_list[k] = replace(day_list[k], start=lead)
            variants.append(_Variant(day_list, crossings, len(chosen)))
    return variants


def plan_trip(
    req: TripRequest,
    catalogue: Catalogue | None = None,
    time_limit: float = 0.25,
    seed: int = 0,
) -> Itinerary:
    """Plan the trip: choose, order and time the visits, meals and crossings of each day.

    Raises PlanningError (a ValueError) with a message a user can act on for a request that
    cannot be planned (an unknown place, a change of hotel across a closed border).
    """
    started = clock.perf_counter()
    deadline = started + time_limit
    cat = catalogue or load_catalogue()
    req = _validate(req, cat)
    asked = nights(req)
    stays = align_nights(req, cat, asked)
    specs = day_specs(req, cat, stays)
    base = int(min(s.start for s in specs).timestamp()) - 2 * 86400
    candidates, left = _candidates(req, cat, specs)
    builder = Builder(req, candidates, base)
    specs = [builder.fit(spec) for spec in specs]
    rates = _rates()
    b = Border(req)
    early: list[Notice] = []
    if stays != asked or len(specs) != len(stays) + 1:  # realigned, or left after midnight
        nights_used = {"nights": len(specs) - 1}
        early.append(Notice("info", Message("nights_on_local_calendar", nights_used)))

    def reachable(spec: DaySpec, c: Crossing) -> bool:
        """Whether the traveller can be at the port by the report time: from the arrival on
        the first day; other days start early enough for it (an hour before, from 07:00)."""
        if spec.index > 0:
            return True
        port = c.option.from_point.location or CITY_CENTRES[c.direction_from]
        builder._add_point(port)
        way = builder.seconds(spec.start_city, spec.start_loc, port)
        return c.option.report_by >= spec.start + timedelta(seconds=way)

    first = specs[0]
    if len(specs) > 1 and first.start_city != first.end_city:
        opts, _why = move_options(b, first)
        if not any(reachable(first, c) for c in opts):
            # Arriving after the day's last crossing: the first night is spent where one
            # arrives, and the river is crossed the next day.
            leave_from = specs[-1].end_city
            stays = [first.start_city, *stays[1:]]
            specs = [builder.fit(spec) for spec in day_specs(req, cat, stays, leave_from)]
            early.append(
                Notice("amber", Message("first_night_where_arrived", {"city": first.start_city}))
            )

    moves: dict[int, list[Crossing]] = {}
    for spec in specs:
        if spec.start_city != spec.end_city:
            opts, why = move_options(b, spec)
            opts = [c for c in opts if reachable(spec, c)]
            if not opts:
                reason = why or Message("no_crossing_fits")
                raise _refused(
                    f"no border crossing on {spec.day.isoformat()} from {spec.start_city} "
                    f"to {spec.end_city}: {english(reason)}",
                    "refused_no_crossing",
                    day=spec.day.isoformat(),
                    from_city=spec.start_city,
                    to_city=spec.end_city,
                    reason=reason,
                )
            moves[spec.index] = opts
    abroad: list[Abroad] = []
    blocked: dict[str, Message] = {}
    for spec in specs:
        if spec.index in moves or spec.end <= spec.start:
            continue
        choices, why = abroad_options(b, spec)
        choices = [a for a in choices if reachable(spec, a.out)]
        if choices:
            abroad.extend(choices)
        elif why is not None:
            blocked.setdefault(other_city(spec.start_city), why)

    def open_value(day: int) -> float:
        """What the other bank offers on that day: the value of its places open then."""
        spec = specs[day]
        away = other_city(spec.start_city)
        return sum(
            interest_score(p, req.interests)
            for p in candidates
            if p.city == away and builder.windows_for(p, spec.day)
        )

    rank = {a.day: open_value(a.day) for a in abroad}
    home_cities = {s.start_city for s in specs} | {s.end_city for s in specs}
    must_away = any(cat.get(m).city not in home_cities for m in req.must_see)

    def lead_time(spec: DaySpec, c: Crossing) -> timedelta:
        """How long before the report time a day that begins with a crossing must begin: the
        way to the port and the cushion, and never less than an hour."""
        port = c.option.from_point.location or CITY_CENTRES[c.direction_from]
        way = timedelta(seconds=builder.seconds(spec.start_city, spec.start_loc, port))
        return max(timedelta(minutes=60), way + builder.crossing_cushion)

    variants = _variants(specs, moves, abroad, rank, must_away, lead_time)
    clusters = _clusters(candidates, builder)
    # The search of the variants gets 60 % of the limit; the meal places and the spreading of
    # the days share the rest, so each has time even on a busy machine.
    share = time_limit * SEARCH_SHARE / len(variants)
    search_deadline = started + time_limit * SEARCH_SHARE
    best: _Outcome | None = None
    for attempt in range(2):
        if attempt == 1:
            if best is not None or not req.must_see:
                break
            # No plan holds every must-see (one too far for the transport, or closed): plan
            # with them as the most valued places; the ones left out are said in red.
            builder.must_see_optional = True
        for number, variant in enumerate(variants):
            # The limit holds: no new variant once it is spent, except that the two
            # front-runners (the best day across, staying put) are always built, construction
            # only if need be, so a busy machine still weighs one against the other; and until
            # a feasible variant is found, each is at least constructed.
            remaining = search_deadline - clock.perf_counter()
            if remaining <= 0 and best is not None and number >= FRONT_RUNNERS:
                break
            seconds = max(0.0, min(share, remaining))
            outcome = _solve(req, builder, variant, clusters, seconds, seed, rates)
            if outcome is not None and (best is None or outcome.value > best.value):
                best = outcome
    if best is None:
        raise _refused(
            "no feasible plan: the crossings or must-see places do not fit", "refused_no_plan"
        )

    excluded = set(req.exclude)
    food = [
        p
        for p in cat.attractions
        if p.category in FOOD_CATEGORIES and position_known(p) and p.id not in excluded
    ]
    spots = _meal_spots(best, builder, food)
    remaining = deadline - clock.perf_counter()
    if spots and remaining > 0:
        # Half of what is left: the other half spreads the days (below).
        second = _solve(req, builder, best.variant, clusters, remaining / 2, seed, rates, spots)
        if (
            second is not None
            and len(second.decoded.missed_meals) <= len(best.decoded.missed_meals)
            and second.decoded.score >= 0.9 * best.decoded.score
        ):
            best = second
    kept = req
    for _round in range(BALANCE_ROUNDS):
        pins = _balancing_pins(kept, best, clusters)
        remaining = deadline - clock.perf_counter()
        if not pins or remaining <= 0:
            break
        moved = replace(kept, pinned=(*kept.pinned, *pins))
        share_left = remaining / (BALANCE_ROUNDS - _round)
        third = _solve(moved, builder, best.variant, clusters, share_left, seed, rates, spots)
        if (
            third is None
            or len(third.decoded.missed_meals) > len(best.decoded.missed_meals)
            or third.decoded.score < BALANCE_KEEP * best.decoded.score
            or _load_spread(third) >= _load_spread(best)
            or third.decoded.idle_s > best.decoded.idle_s + BALANCE_IDLE_S * len(third.decoded.days)
        ):
            break
        best, kept = third, moved
    if (
        abroad
        and best.variant.abroad == 0
        and not any(s.start_city != s.end_city for s in best.variant.specs)
    ):
        # Weighed and left out: say why, so a guide can decide (a must-see there forces it).
        longest = max(a.back.option.report_by - a.out.option.arrive for a in abroad)
        away = other_city(abroad[0].out.direction_from)
        params = {"city": away, "hours": round(longest.total_seconds() / 3600, 1)}
        cheapest = min(crossing_fares(req, [a.out, a.back], rates) for a in abroad)
        if req.daily_budget is not None and cheapest > req.daily_budget:
            cost = {"cost": f"{cheapest:.0f}", "currency": req.budget_currency}
            early.append(Notice("info", Message("day_abroad_over_budget", {"city": away, **cost})))
        else:
            early.append(Notice("info", Message("day_abroad_not_worth", params)))
    place = cat.get(req.depart_place) if req.depart_place else None
    deadline = req.depart - timedelta(minutes=depart_margin_minutes(place))
    it = _itinerary(req, best, builder, candidates, left, blocked, specs, started, deadline)
    if not early:
        return it
    # "Weighed and left out" says more than "no day there" for the same city: say it once.
    weighed = {
        n.message.params["city"]
        for n in early
        if n.message.code in ("day_abroad_not_worth", "day_abroad_over_budget")
    }
    rest = tuple(
        n
        for n in it.warnings
        if not (n.message.code == "city_unreachable" and n.message.params.get("city") in weighed)
    )
    return replace(it, warnings=(*early, *rest))


def _itinerary(
    req: TripRequest,
    outcome: _Outcome,
    builder: Builder,
    candidates: Sequence[Attraction],
    left: dict[str, LeftOut],
    blocked: dict[str, Message],
    specs: list[DaySpec],
    started: float,
    deadline: datetime,
) -> Itinerary:
    dec = outcome.decoded
    for node in getattr(dec, "dropped_budget", ()):
        place = outcome.built.nodes[node].attraction
        left[place.id] = LeftOut(place, "over_budget", Message("left_over_day_budget"))
    reachable = {d.city_start for d in dec.days} | {d.city_end for d in dec.days}
    reachable |= {c.option.to_point.city for d in dec.days for c in d.crossings}
    for place in candidates:
        if place.id in dec.visited or place.id in left:
            continue
        if place.city not in reachable:
            why = blocked.get(place.city)
            detail = why if why is not None else Message("left_not_reachable", {"city": place.city})
            left[place.id] = LeftOut(place, "not_reachable", detail)
            continue
        open_days = [s for s in specs if builder.windows_for(place, s.day)]
        if not open_days and place.opening_hours:
            left[place.id] = LeftOut(place, "closed", Message("left_closed"))
        else:
            left[place.id] = LeftOut(place, "no_time", Message("left_no_time"))
    days = [
        replace(day, warnings=day_notices(req, day, spec, dec, deadline, _rates()))
        for day, spec in zip(dec.days, outcome.variant.specs, strict=True)
    ]
    notices = trip_notices(req, days, left, blocked, reachable)
    return Itinerary(
        req,
        tuple(days),
        tuple(sorted(left.values(), key=lambda x: x.attraction.id)),
        notices,
        dec.score,
        {
            "value": round(outcome.value, 1),
            "idle_min": dec.idle_s // 60,
            "travel_min": dec.travel_s // 60,
            "border_min": dec.border_s // 60,
            "missed_meals": len(dec.missed_meals),
            "days_abroad": outcome.variant.abroad,
            "dropped_on_retiming": dec.dropped,
            "runtime_s": round(clock.perf_counter() - started, 3),
        },
    )
