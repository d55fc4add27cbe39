"""plan_trip(): a trip request in, a day-by-day itinerary across both cities out.

The one service the web pages, the API and the command line call. It picks the places worth
planning, asks the border model which crossings each day may use, builds a few variants (which
day to spend across the river, which departures), solves each, re-times it with real legs, and
keeps the variant that is best for a traveller: value seen, less waiting, riding and border time,
a day on the other bank. Meals are first pauses wherever the traveller is; the best variant is
then solved again with each meal at a real food place near the route, and the days of a stay
are spread out. What a request may ask and the candidate places: intake.py; the variants:
variants.py; the spreading: spread.py.
"""

from __future__ import annotations

import time as clock
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from planner.catalogue import Catalogue, load_catalogue
from planner.messages import Message, english
from planner.model import Attraction
from planner.planning.builder import (
    CITY_CENTRES,
    Builder,
    DaySpec,
    MealSpot,
    interest_score,
)
from planner.planning.days import (
    Abroad,
    Border,
    abroad_options,
    align_nights,
    day_specs,
    forced_days,
    move_options,
    nights,
)
from planner.planning.decode import crossing_fares
from planner.planning.intake import (
    choose_candidates,
    exchange_rates,
    find_clusters,
    refused,
    validate_request,
)
from planner.planning.notices import day_notices, trip_notices
from planner.planning.rules import (
    FOOD_DETOUR_S,
    MIN_HOURS_ABROAD,
    MIN_HOURS_ABROAD_ASKED,
    depart_margin_minutes,
    position_known,
)
from planner.planning.solving import Search, WorkBudget, request_seed, solve_variant
from planner.planning.spread import (
    BALANCE_IDLE_S,
    BALANCE_KEEP,
    BALANCE_ROUNDS,
    balancing_pins,
    load_spread,
)
from planner.planning.variants import Outcome, build_variants
from planner.timeutil import other_city
from planner.trip import Crossing, Itinerary, LeftOut, Meal, Notice, TripRequest

FRONT_RUNNERS = 2  # variants always weighed, even when the time limit is spent
FOOD_CATEGORIES = frozenset({"restaurant", "food_market", "food", "cafe", "food_court"})
DEFAULT_BUDGET = WorkBudget()


def _meal_spots(
    outcome: Outcome, builder: Builder, food: list[Attraction]
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


def plan_trip(
    req: TripRequest,
    catalogue: Catalogue | None = None,
    time_limit: float = 2.0,
    seed: int | None = None,
    budget: WorkBudget | None = None,
) -> Itinerary:
    """Plan the trip: choose, order and time the visits, meals and crossings of each day.

    The search runs on *budget* (iterations) from *seed* (default: drawn from the request), so
    the same request gives the same plan; *time_limit* seconds of wall time are only a cap.
    Raises PlanningError (a ValueError) with a message a user can act on for a request that
    cannot be planned (an unknown place, a change of hotel across a closed border).
    """
    started = clock.perf_counter()
    time_up = started + time_limit  # perf_counter seconds; `deadline` below is the departure
    cat = catalogue or load_catalogue()
    req = validate_request(req, cat)
    if seed is None:
        seed = request_seed(req)
    budget = budget or DEFAULT_BUDGET  # read at the call: a test session may set a smaller one
    capped = False

    def cap() -> float:
        """Seconds of wall time left; once spent, only what must be built is built."""
        nonlocal capped
        spare = time_up - clock.perf_counter()
        capped = capped or spare <= 0
        return max(0.0, spare)

    asked = nights(req)
    stays = align_nights(req, cat, asked)
    specs = day_specs(req, cat, stays)
    base = int(min(s.start for s in specs).timestamp()) - 2 * 86400
    rates = exchange_rates()  # read once per plan: the setting may change between plans
    candidates, left = choose_candidates(req, cat, specs, rates)
    builder = Builder(req, candidates, base)
    specs = [builder.fit(spec) for spec in specs]
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
                raise refused(
                    f"no border crossing on {spec.day.isoformat()} from {spec.start_city} "
                    f"to {spec.end_city}: {english(reason)}",
                    "refused_no_crossing",
                    day=spec.day.isoformat(),
                    from_city=spec.start_city,
                    to_city=spec.end_city,
                    reason=reason,
                )
            moves[spec.index] = opts
    forced = forced_days(req, cat, specs)
    abroad: list[Abroad] = []
    blocked: dict[str, Message] = {}
    for spec in specs:
        if spec.index in moves or spec.end <= spec.start or req.day_across == "no":
            continue
        if forced and spec.index not in forced:
            continue  # the day asked for, or the day of a kept stop across
        if moves and not forced:
            continue  # a night on the other bank already: one crossing serves, not three
        # A day asked for or forced is planned even when short (and the plan says so).
        hours = MIN_HOURS_ABROAD_ASKED if forced else MIN_HOURS_ABROAD
        choices, why = abroad_options(b, spec, hours)
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
    must_away = bool(forced) or any(cat.get(m).city not in home_cities for m in req.must_see)

    def lead_time(spec: DaySpec, c: Crossing) -> timedelta:
        """How long before the report time a day that begins with a crossing must begin: the
        way to the port and the cushion, and never less than an hour."""
        port = c.option.from_point.location or CITY_CENTRES[c.direction_from]
        way = timedelta(seconds=builder.seconds(spec.start_city, spec.start_loc, port))
        return max(timedelta(minutes=60), way + builder.crossing_cushion)

    variants = build_variants(specs, moves, abroad, rank, must_away, lead_time)
    clusters = find_clusters(candidates, builder)
    search = Search(req, builder, clusters, budget, seed, rates, forced=bool(forced))
    best: Outcome | None = None
    for attempt in range(2):
        if attempt == 1:
            if best is not None or not req.must_see:
                break
            # No plan holds every must-see (one too far for the transport, or closed): plan
            # with them as the most valued places; the ones left out are said in red.
            builder.must_see_optional = True
        for number, variant in enumerate(variants):
            # Every variant is weighed on the same budget. Past the cap (an overloaded
            # machine), the two front-runners (the best day across, staying put) are still
            # constructed, and so is each variant until a feasible one is found.
            spare = cap()
            if spare <= 0 and best is not None and number >= FRONT_RUNNERS:
                break
            outcome = solve_variant(search, variant, spare)
            if outcome is not None and (best is None or outcome.value > best.value):
                best = outcome
    if best is None:
        raise refused(
            "no feasible plan: the crossings or must-see places do not fit", "refused_no_plan"
        )

    excluded = set(req.exclude)
    food = [
        p
        for p in cat.attractions
        if p.category in FOOD_CATEGORIES and position_known(p) and p.id not in excluded
    ]
    spots = _meal_spots(best, builder, food)
    spare = cap()
    if spots and spare > 0:
        second = solve_variant(search, best.variant, spare, spots)
        if (
            second is not None
            and len(second.decoded.missed_meals) <= len(best.decoded.missed_meals)
            and second.decoded.score >= 0.9 * best.decoded.score
        ):
            best = second
    kept = req
    for _round in range(BALANCE_ROUNDS):
        pins = balancing_pins(kept, best, clusters)
        spare = cap()
        if not pins or spare <= 0:
            break
        moved = replace(kept, pinned=(*kept.pinned, *pins))
        third = solve_variant(search, best.variant, spare, spots, req=moved)
        if (
            third is None
            or len(third.decoded.missed_meals) > len(best.decoded.missed_meals)
            or third.decoded.score < BALANCE_KEEP * best.decoded.score
            or load_spread(third) >= load_spread(best)
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
    it = _itinerary(req, best, builder, candidates, left, blocked, specs, started, deadline, rates)
    it.stats["capped"] = capped
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
    outcome: Outcome,
    builder: Builder,
    candidates: Sequence[Attraction],
    left: dict[str, LeftOut],
    blocked: dict[str, Message],
    specs: list[DaySpec],
    started: float,
    deadline: datetime,
    rates: dict[str, float],
) -> Itinerary:
    dec = outcome.decoded
    for node in getattr(dec, "dropped_budget", ()):
        place = outcome.built.nodes[node].attraction
        left[place.id] = LeftOut(place, "over_budget", Message("left_over_day_budget"))
    eaten_at = {m.place.id for d in dec.days for m in d.meals if m.place is not None}
    for pid in eaten_at:
        if pid in left and left[pid].reason == "eatery":  # a must-see restaurant: eaten at
            del left[pid]
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
        replace(day, warnings=day_notices(req, day, spec, dec, deadline, rates))
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
