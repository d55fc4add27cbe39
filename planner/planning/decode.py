"""Solver routes back to days with aware times, re-timed with the real legs.

The decoder is the authority on time: it walks each route with the legs a traveller will really
take, keeps a visit or a meal only if the day's end (the hotel, the departure with its margin, or
the crossing's report time) is still reached after it, and measures what makes a day good or
poor (waiting, riding, border hours).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from planner.model import LatLon
from planner.planning.builder import CITY_CENTRES, Builder, Built
from planner.planning.rules import MEAL_WINDOWS
from planner.timeutil import city_zone
from planner.trip import Crossing, DayPlan, Item, Leg, Meal, TripRequest, Visit

FAR_DINNER_S = 25 * 60  # a last stop this far from the night's hotel: dinner back in town


@dataclass
class Decoded:
    """Days of one solved variant and the measures the variants are compared by."""

    days: list[DayPlan]
    visited: set[str]
    score: int = 0
    idle_s: int = 0
    travel_s: int = 0
    border_s: int = 0
    abroad_visit_s: int = 0  # minutes of sights across the river on days out and back
    missed_meals: list[tuple[int, str]] = field(default_factory=list)
    dropped: int = 0
    dropped_budget: set[int] = field(default_factory=set)  # nodes left out for the day budget


def _to_currency(amount: float, currency: str, target: str, rates: dict[str, float]) -> float:
    return amount * rates[currency] / rates[target]


def over_daily_budget(
    req: TripRequest, built: Built, routes: list[list[int]], rates: dict[str, float]
) -> set[int]:
    """Paid visits to drop so each day's tickets and crossing fares fit the daily budget (the
    fares are fixed by the chosen crossings; tickets go, lowest value first)."""
    if req.daily_budget is None:
        return set()
    drop: set[int] = set()
    must = set(req.must_see)
    for spec in built.specs:
        paid = []
        fares = crossing_fares(req, [c for c in built.crossings.get(spec.index, [])], rates)
        for r, seg in enumerate(built.segments):
            if seg.day != spec.index:
                continue
            for node in routes[r]:
                place = built.nodes[node].attraction
                if place is not None and place.price:
                    cost = _to_currency(
                        place.price * req.party_size, place.currency, req.budget_currency, rates
                    )
                    paid.append((built.instance.scores[node] / cost, cost, node, place.id))
        spent = fares + sum(cost for _, cost, _, _ in paid)
        for _, cost, node, pid in sorted(paid):
            if spent <= req.daily_budget:
                break
            if pid not in must:
                drop.add(node)
                spent -= cost
    return drop


def crossing_fares(req: TripRequest, crossings: list[Crossing], rates: dict[str, float]) -> float:
    """What the party pays for these crossings, in the budget's currency (unknown fares: 0)."""
    return sum(
        _to_currency(
            c.option.fare.amount * req.party_size,
            c.option.fare.currency,
            req.budget_currency,
            rates,
        )
        for c in crossings
        if c.option.fare.amount is not None and c.option.fare.currency in rates
    )


def _end_kind(seg, spec) -> str:
    """What a segment ends at, for a meal eaten near it."""
    if seg.crossing_after is not None:
        return "crossing"
    return "departure" if spec.end_place == "departure" else "hotel"


def _start_kind(req: TripRequest, spec, seg, after_crossing: bool) -> str:
    """Where a segment begins, for a meal eaten there before any stop: the border (after a
    crossing), the arrival point (the first day, when the traveller arrives elsewhere than at
    the hotel), or the hotel."""
    if after_crossing:
        return "crossing"
    hotel = dict(req.hotels).get(seg.city, CITY_CENTRES.get(seg.city))
    return "arrival" if spec.index == 0 and seg.start_loc != hotel else "hotel"


def meal_needed(builder: Builder, kind: str, start: datetime, end: datetime, city: str) -> bool:
    """Whether a day running from *start* to *end* spans a whole meal window."""
    lo_t, hi_t = MEAL_WINDOWS[kind]
    zone = city_zone(city)
    lo = datetime.combine(start.astimezone(zone).date(), lo_t, zone)
    hi = datetime.combine(start.astimezone(zone).date(), hi_t, zone)
    length = timedelta(seconds=builder.meal_length(kind))
    return start <= hi - length and end >= lo + length


def decode(
    req: TripRequest,
    built: Built,
    routes: list[list[int]],
    builder: Builder,
    drop: set[int],
) -> Decoded:
    """Walk every route with real legs; keep what still lets the traveller make the day's end."""
    inst, nodes, base = built.instance, built.nodes, builder.base

    def at(seconds: int, city: str) -> datetime:
        return datetime.fromtimestamp(seconds + base, UTC).astimezone(city_zone(city))

    out = Decoded(days=[], visited=set())
    for spec in built.specs:
        items: list[Item] = []
        end_leg: Leg | None = None
        starts: list[int] = []  # when each item begins (report time for a crossing)
        legs: list[int] = []
        waits: list[int] = []  # waiting before each item (for a place to open, a departure)
        for r, seg in enumerate(built.segments):
            if seg.day != spec.index:
                continue
            clock = inst.routes[r].start_time
            seg_end = inst.routes[r].end_time
            where = seg.start_loc
            # What a meal eaten "here" is near: the segment's start until a stop is visited.
            here = _start_kind(req, spec, seg, any(isinstance(i, Crossing) for i in items))
            # (clock, where, score, here) before each visit, to give one back for a meal
            before: list[tuple[int, LatLon, int, str]] = []
            must = set(req.must_see)
            meal_before: tuple[int, LatLon, int] | None = None  # a pause meal just placed
            for node in routes[r]:
                nd = nodes[node]
                if nd.kind == "meal":
                    while True:
                        spot = nd.spot
                        loc = spot.location if spot else where
                        leg = builder.leg(seg.city, where, loc, distinct=bool(spot and spot.place))
                        arrive = clock + leg.minutes * 60
                        lo, hi = builder.meal_windows(nd.meal, seg.city, spec.day, nd.length)
                        begin = max(arrive, lo)
                        finish = begin + nd.length
                        home = builder.seconds(seg.city, loc, seg.end_loc)
                        fits = begin <= hi and finish + home <= seg_end
                        near = here
                        # Dinner far out of town (Aihui, 30 km) is eaten back in town, near
                        # where the day ends, unless it is at a food place out there.
                        far_dinner = (
                            nd.meal == "dinner"
                            and not (spot and spot.place)
                            and home >= FAR_DINNER_S
                        )
                        if (not fits or far_dinner) and not (spot and spot.place):
                            # Too late to eat here and still make the day's end: go on first
                            # and eat near where the traveller is going.
                            here_option = (loc, leg, arrive, begin, finish, fits, near)
                            loc = seg.end_loc
                            leg = builder.leg(seg.city, where, loc)
                            arrive = clock + leg.minutes * 60
                            begin = max(arrive, lo)
                            finish = begin + nd.length
                            fits = begin <= hi and finish <= seg_end
                            near = _end_kind(seg, spec)
                            if not fits and here_option[5]:  # back in town is too late
                                loc, leg, arrive, begin, finish, fits, near = here_option
                        last = items[-1] if items else None
                        # A meal is worth more than the sight just before it: give that back.
                        if fits or not before or not isinstance(last, Visit):
                            break
                        if last.attraction.id in must:
                            break
                        clock, where, score, here = before.pop()
                        items.pop(), starts.pop(), legs.pop(), waits.pop()
                        out.visited.discard(last.attraction.id)
                        out.score -= score
                        if spec.start_city == spec.end_city != last.attraction.city:
                            out.abroad_visit_s -= int((last.depart - last.arrive).total_seconds())
                        out.dropped += 1
                    if not fits:
                        continue  # counted as missed below
                    items.append(
                        Meal(
                            nd.meal,
                            at(begin, seg.city),
                            at(finish, seg.city),
                            seg.city,
                            spot.place if spot else None,
                            leg,
                            near if not (spot and spot.place) else "last_stop",
                        )
                    )
                    starts.append(begin)
                    legs.append(leg.minutes * 60)
                    waits.append(begin - arrive)
                    meal_before = (clock, where, len(items) - 1)
                    clock, where = finish, loc
                    here = "last_stop" if spot and spot.place else near
                    continue
                place = nd.attraction
                if place is None or node in drop:
                    continue
                leg = builder.leg(seg.city, where, place.location, distinct=True)
                arrive = clock + leg.minutes * 60
                begin = next(
                    (max(arrive, a) for a, b in inst.windows[node][r] if max(arrive, a) <= b), None
                )
                if begin is None and place.id in must and meal_before is not None:
                    # The search took the meal for a pause where the traveller was; the ride
                    # it hid makes the must-see late. The must-see holds; the meal is missed
                    # (and said) unless it fits later.
                    m_clock, m_where, m_index = meal_before
                    if m_index == len(items) - 1:
                        items.pop(), starts.pop(), legs.pop(), waits.pop()
                        clock, where, meal_before = m_clock, m_where, None
                        leg = builder.leg(seg.city, where, place.location, distinct=True)
                        arrive = clock + leg.minutes * 60
                        begin = next(
                            (
                                max(arrive, a)
                                for a, b in inst.windows[node][r]
                                if max(arrive, a) <= b
                            ),
                            None,
                        )
                if begin is None:
                    out.dropped += 1
                    continue  # the real leg made it late: leave it out
                finish = begin + inst.service[node]
                if finish + builder.seconds(seg.city, place.location, seg.end_loc) > seg_end:
                    out.dropped += 1
                    continue  # it would make the traveller late for the crossing or the night
                before.append((clock, where, inst.scores[node], here))
                items.append(Visit(place, at(begin, place.city), at(finish, place.city), leg))
                if spec.start_city == spec.end_city != place.city:
                    out.abroad_visit_s += finish - begin
                starts.append(begin)
                legs.append(leg.minutes * 60)
                waits.append(begin - arrive)
                out.visited.add(place.id)
                out.score += inst.scores[node]
                clock, where, here = finish, place.location, "last_stop"
            # A meal the route left out, when there is time for it where the traveller goes
            # next (hotel, departure point, border): the solver saw no room at the last stop.
            later = {
                nodes[n].meal
                for q, other in enumerate(built.segments)
                if other.day == spec.index and q > r
                for n in routes[q]
                if nodes[n].kind == "meal"
            }
            for kind in MEAL_WINDOWS:
                if kind in later or any(isinstance(i, Meal) and i.kind == kind for i in items):
                    continue
                length = builder.meal_length(kind)
                lo, hi = builder.meal_windows(kind, seg.city, spec.day, length)
                leg = builder.leg(seg.city, where, seg.end_loc)
                arrive = clock + leg.minutes * 60
                begin = max(arrive, lo)
                if begin > hi or begin + length > seg_end:
                    continue
                items.append(
                    Meal(
                        kind,
                        at(begin, seg.city),
                        at(begin + length, seg.city),
                        seg.city,
                        None,
                        leg,
                        _end_kind(seg, spec),
                    )
                )
                starts.append(begin)
                legs.append(leg.minutes * 60)
                waits.append(begin - arrive)
                clock, where = begin + length, seg.end_loc
            end_leg = builder.leg(seg.city, where, seg.end_loc)
            if seg.crossing_after is not None:
                c = seg.crossing_after
                items.append(replace(c, leg=end_leg))
                report = seg_end  # the report time less the cushion the builder kept
                starts.append(report)
                legs.append(end_leg.minutes * 60)
                waits.append(max(0, report - clock - end_leg.minutes * 60))
                out.border_s += int((c.option.arrive - c.option.report_by).total_seconds())
        out.travel_s += sum(legs) + (end_leg.minutes * 60 if end_leg else 0)
        # Waiting before the first stop is absorbed by leaving later (not on the arrival day,
        # when the traveller is already out and about).
        leave = spec.start
        if starts and spec.index > 0:
            leave = at(starts[0] - legs[0], spec.start_city)
            waits[0] = 0
        elif not items and spec.index > 0 and end_leg is not None:
            # A day with nothing to do but reach the departure: leave in time for it.
            leave = max(spec.start, spec.end - timedelta(minutes=end_leg.minutes))
        out.idle_s += sum(waits)
        for kind in MEAL_WINDOWS:
            has = any(isinstance(i, Meal) and i.kind == kind for i in items)
            if not has and meal_needed(builder, kind, spec.start, spec.end, spec.start_city):
                out.missed_meals.append((spec.index, kind))
        out.days.append(
            DayPlan(
                date=spec.day,
                city_start=spec.start_city,
                city_end=spec.end_city,
                items=tuple(items),
                start=spec.start,
                end=spec.end,
                end_leg=end_leg,
                leave_at=leave,
                end_place=spec.end_place,
            )
        )
    return out
