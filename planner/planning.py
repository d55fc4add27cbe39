"""plan_trip(): a trip request in, a day-by-day itinerary across both cities out.

The one service the web pages, the API and the command line call. It turns the catalogue, the
opening hours, the travel-time model and the border crossing into an integer `Instance` for the
solver, solves it, re-times the answer with the real legs, and explains every place left out.

Modelling choices, in short:
- one absolute time axis in seconds, so the one-hour shift across the river is only a matter
  of display;
- each day is cut into segments at its crossings, and each segment is one solver route on one
  bank: from where the traveller wakes (or arrives, or lands off a crossing) to the next departure
  terminal by its report time, or to where they sleep (or leave). Places of the other bank get no
  window in it, so nothing can hop the river; each crossing is a real departure of the border
  model;
- a day that must change bank (a new hotel, an arrival or departure abroad) gets one crossing; a day
  spent abroad from the hotel gets a pair (out in the morning, back by the last safe return); which
  days go abroad is chosen by comparing a few solved variants;
- meals are mandatory pauses; when a pause hid a long leg, the plan is solved again with each
  meal fixed where it fell.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from planner import crossing as border
from planner import hours, serialize
from planner.catalogue import Catalogue, load_catalogue
from planner.messages import english
from planner.model import Attraction, LatLon
from planner.solver import (
    FirstOf,
    Instance,
    MaxRuntime,
    NoImprovement,
    RouteSpec,
    check,
    solve,
)
from planner.timeutil import CITIES, city_zone, require_aware
from planner.travel import MODES, leg_matrix
from planner.trip import (
    Crossing,
    DayPlan,
    Itinerary,
    LeftOut,
    Leg,
    Meal,
    PlanningError,
    TripRequest,
    Visit,
)

PACES: dict[str, dict[str, Any]] = {
    # day start/end (local), visit-length factor, lunch and dinner minutes
    "relaxed": {"start": time(10, 0), "end": time(18, 30), "visit": 1.25, "lunch": 75},
    "normal": {"start": time(9, 0), "end": time(19, 30), "visit": 1.0, "lunch": 60},
    "packed": {"start": time(8, 0), "end": time(21, 0), "visit": 0.85, "lunch": 45},
}
DINNER_MIN = 75
EARLIEST = time(7, 0)  # a day abroad may start this early to catch the first departure
MEAL_SLACK_S = 15 * 60  # a meal node has no travel; this covers the leg it hides
UNKNOWN_HOURS = (time(10, 0), time(17, 0))  # assumed when a place's hours are not verified
DEPART_BUFFER_S = 60 * 60  # be at the departure place this long before leaving town
BIG = 10**8
RATES_PATH = Path(__file__).resolve().parent.parent / "data" / "travel.json"


# ---------------------------------------------------------------- helpers


@lru_cache(maxsize=1)
def _rates() -> dict[str, float]:
    """CNY per unit of each currency, from data/travel.json (for budgets only)."""
    raw = json.loads(RATES_PATH.read_text(encoding="utf-8"))
    return {k: float(v) for k, v in raw["exchange"]["cny_per_unit"].items()}


def _to_currency(amount: float, currency: str, target: str) -> float:
    rates = _rates()
    return amount * rates[currency] / rates[target]


CITY_CENTRES: dict[str, LatLon] = {
    # Hotels default to these points: Heihe centre per ru.wikipedia (dossier D, heihe-places.csv);
    # Blagoveshchensk: Lenin Square (visitblg guide point, dossier A1).
    "heihe": LatLon(50.245, 127.48167),
    "blagoveshchensk": LatLon(50.25732, 127.53458),
}


def interest_score(place: Attraction, interests: Sequence[str]) -> int:
    """Score of a place for this traveller: its popularity, weighted by shared interests."""
    base = max(1, place.popularity) ** 2  # squared: one landmark outweighs several minor stops
    if not interests:
        return base
    shared = len(set(place.interests) & set(interests))
    return int(round(base * (0.35 + 0.65 * min(shared, 2))))


@dataclass
class _Point:
    """A node of the instance: a place, a segment's start or end, or a meal."""

    kind: str  # place | start | end | meal
    city: str  # the bank it is on ("" for a meal, which happens wherever the traveller is)
    location: LatLon | None
    attraction: Attraction | None = None
    meal: str = ""
    route: int = -1  # for a meal: its day
    window: tuple[int, int] = (0, 0)  # for a meal: earliest and latest start
    service: int = 0  # for a meal: seconds reserved, including `slack`
    slack: int = 0  # for a meal with no place: allowance for the leg it hides


@dataclass
class _DaySpec:
    day: date
    start_city: str
    end_city: str
    start_loc: LatLon
    end_loc: LatLon
    start: datetime
    end: datetime


class _Builder:
    """Builds the solver instance for one choice of crossings, and measures its legs."""

    def __init__(self, req: TripRequest, candidates: list[Attraction]) -> None:
        self.req = req
        self.candidates = candidates
        self.pace = PACES[req.pace]

    def service_s(self, place: Attraction) -> int:
        return int(place.visit_minutes * self.pace["visit"] * 60)

    def windows_for(self, place: Attraction, day: date, base: int) -> list[tuple[int, int]]:
        if day.month not in place.months:
            return []
        service = self.service_s(place)
        intervals = hours.open_intervals(place, day)
        zone = city_zone(place.city)
        if intervals is None:
            lo = datetime.combine(day, UNKNOWN_HOURS[0], zone)
            hi = datetime.combine(day, UNKNOWN_HOURS[1], zone)
            intervals = [(lo, hi)]
        out = []
        for opens, closes in intervals:
            a = int(opens.timestamp()) - base
            b = int(closes.timestamp()) - base - service
            if b >= a:
                out.append((a, b))
        return out

    def build(
        self,
        days: list[_DaySpec],
        crossings: dict[int, list[Crossing]],
        base: int,
        meal_places: dict[tuple[int, str], tuple[str, LatLon]] | None = None,
    ):
        """Instance whose routes are the day segments between fixed crossings.

        A day with no crossing is one route; a day with crossings is split at each one: the
        segment before ends at the departure terminal by its report time, the next starts at the
        arrival terminal on arrival. A segment lies on one bank, so places of the other bank get
        no window in it, and nothing in the model can hop the river.
        """
        points: list[_Point] = []
        for place in self.candidates:
            points.append(_Point("place", place.city, place.location, attraction=place))
        n_places = len(points)
        segments: list[_Segment] = []
        for k, spec in enumerate(days):
            cuts = sorted(crossings.get(k, []), key=lambda c: c.option.report_by)
            city, loc, start = spec.start_city, spec.start_loc, spec.start
            for c in cuts:
                opt = c.option
                from_loc = opt.from_point.location or CITY_CENTRES[opt.from_point.city]
                segments.append(_Segment(k, city, loc, start, from_loc, opt.report_by, c))
                city = opt.to_point.city
                loc = opt.to_point.location or CITY_CENTRES[city]
                start = opt.arrive
            segments.append(_Segment(k, city, loc, start, spec.end_loc, spec.end, None))
        route_specs = []
        for r, seg in enumerate(segments):
            s_node = len(points)
            points.append(_Point("start", seg.city, seg.start_loc, route=r))
            e_node = len(points)
            points.append(_Point("end", seg.city, seg.end_loc, route=r))
            begin = int(seg.start.timestamp()) - base
            finish = max(begin, int(seg.end.timestamp()) - base)
            route_specs.append(RouteSpec(s_node, e_node, begin, finish))
        meal_nodes = []
        for k, spec in enumerate(days):
            for kind, lo, hi, length in self._meals(spec, base):
                where = (meal_places or {}).get((k, kind))
                if where is None:  # a pause wherever the traveller is; slack covers a short leg
                    node = _Point("meal", "", None, meal=kind, route=k)
                    node.slack = MEAL_SLACK_S
                else:  # eaten at a known place, so the legs around it are real
                    node = _Point("meal", where[0], where[1], meal=kind, route=k)
                    node.slack = 0
                    length -= MEAL_SLACK_S
                node.window = (lo, hi)
                node.service = length
                meal_nodes.append(len(points))
                points.append(node)
        n = len(points)
        travel = self._travel(points, segments)
        scores = [0] * n
        service = [0] * n
        windows: list[list[tuple[tuple[int, int], ...]]] = [
            [() for _ in segments] for _ in range(n)
        ]
        mandatory = set()
        must = set(self.req.must_see)
        day_windows: dict[tuple[int, int], list[tuple[int, int]]] = {}
        for i in range(n_places):
            place = points[i].attraction
            assert place is not None
            scores[i] = interest_score(place, self.req.interests)
            service[i] = self.service_s(place)
            if place.id in must:
                mandatory.add(i)
            for r, seg in enumerate(segments):
                if seg.city != place.city:
                    continue
                key = (i, seg.day)
                if key not in day_windows:
                    day_windows[key] = self.windows_for(place, days[seg.day].day, base)
                a, b = route_specs[r].start_time, route_specs[r].end_time
                windows[i][r] = tuple(
                    (max(lo, a), min(hi, b))
                    for lo, hi in day_windows[key]
                    if max(lo, a) <= min(hi, b)
                )
        for i in meal_nodes:
            pt = points[i]
            lo, hi = pt.window
            service[i] = pt.service
            for r, seg in enumerate(segments):
                if seg.day != pt.route or (pt.city and pt.city != seg.city):
                    continue
                a, b = route_specs[r].start_time, route_specs[r].end_time - service[i]
                if max(lo, a) <= min(hi, b):
                    windows[i][r] = ((max(lo, a), min(hi, b)),)
            if any(windows[i]):
                mandatory.add(i)
        instance = Instance(
            scores=tuple(scores),
            service=tuple(service),
            travel=travel,
            windows=tuple(tuple(w) for w in windows),
            routes=tuple(route_specs),
            mandatory=frozenset(mandatory),
            name="trip",
        )
        return instance, points, segments

    def _meals(self, spec: _DaySpec, base: int) -> list[tuple[str, int, int, int]]:
        zone = city_zone(spec.start_city)
        out = []
        lunch_lo = datetime.combine(spec.day, time(11, 30), zone)
        lunch_hi = datetime.combine(spec.day, time(13, 30), zone)
        lunch_s = self.pace["lunch"] * 60 + MEAL_SLACK_S
        if spec.start <= lunch_hi and spec.end >= lunch_lo + timedelta(seconds=lunch_s):
            lo = max(lunch_lo, spec.start)
            out.append(
                ("lunch", int(lo.timestamp()) - base, int(lunch_hi.timestamp()) - base, lunch_s)
            )
        dinner_lo = datetime.combine(spec.day, time(17, 30), zone)
        dinner_hi = datetime.combine(spec.day, time(19, 30), zone)
        dinner_s = DINNER_MIN * 60 + MEAL_SLACK_S
        latest = min(dinner_hi, spec.end - timedelta(seconds=dinner_s))
        if latest >= max(dinner_lo, spec.start):
            lo = max(dinner_lo, spec.start)
            out.append(
                ("dinner", int(lo.timestamp()) - base, int(latest.timestamp()) - base, dinner_s)
            )
        return out

    def _travel(self, points: list[_Point], segments: list[_Segment]):
        """Travel seconds by the traveller's modes on each bank; meals cost no travel."""
        locs = [p.location for p in points]
        uniq: list[LatLon] = []
        index: dict[tuple[float, float], int] = {}
        for loc in locs:
            if loc is not None and (loc.lat, loc.lon) not in index:
                index[(loc.lat, loc.lon)] = len(uniq)
                uniq.append(loc)
        self.mats = {city: leg_matrix(uniq, self.req.modes_in(city)) for city in CITIES}
        self.index = index
        n = len(points)
        travel = [[0] * n for _ in range(n)]
        rows = [index[(p.lat, p.lon)] if p is not None else -1 for p in locs]
        for i in range(n):
            if rows[i] < 0:
                continue
            city = points[i].city
            sec = self.mats[city].seconds[rows[i]]
            row = travel[i]
            for j in range(n):
                if rows[j] >= 0 and i != j:
                    row[j] = int(sec[rows[j]]) if points[j].city == city else BIG
        return travel

    def leg(self, city: str, a: LatLon, b: LatLon) -> Leg:
        m = self.mats[city]
        i, j = self.index[(a.lat, a.lon)], self.index[(b.lat, b.lon)]
        return Leg(
            mode=MODES[int(m.mode_index[i, j])],
            minutes=int(math.ceil(int(m.seconds[i, j]) / 60)),
            km=round(float(m.km[i, j]), 2),
        )


@dataclass
class _Segment:
    """Part of a day spent on one bank, between the day's ends and its crossings."""

    day: int
    city: str
    start_loc: LatLon
    start: datetime
    end_loc: LatLon
    end: datetime
    crossing_after: Crossing | None


# ---------------------------------------------------------------- the service


def _validate(req: TripRequest, cat: Catalogue) -> None:
    require_aware(req.arrive, "arrival time")
    require_aware(req.depart, "departure time")
    if req.depart <= req.arrive:
        raise PlanningError("departure must be after arrival")
    if req.depart - req.arrive > timedelta(days=14):
        raise PlanningError("trips longer than 14 days are not supported")
    if req.pace not in PACES:
        raise PlanningError(f"pace must be one of: {', '.join(PACES)}")
    if req.party_size < 1:
        raise PlanningError("party size must be at least 1")
    if not req.stay:
        raise PlanningError("say where you stay (heihe or blagoveshchensk)")
    for city in req.stay:
        if city not in CITIES:
            raise PlanningError(f"unknown city {city!r}: expected heihe or blagoveshchensk")
    for city, modes in req.transport:
        if city not in CITIES or not modes or set(modes) - set(MODES):
            raise PlanningError(f"transport for {city} must be among: {', '.join(MODES)}")
    for pid in (*req.must_see, *req.exclude, req.arrive_place, req.depart_place):
        if pid is None:
            continue
        try:
            cat.get(pid)
        except KeyError:
            raise PlanningError(f"unknown place {pid!r}") from None
    if set(req.must_see) & set(req.exclude):
        raise PlanningError("a place cannot be both must-see and excluded")
    if req.daily_budget is not None and req.daily_budget < 0:
        raise PlanningError("daily budget cannot be negative")
    for code in (req.nationality, *req.visas):
        try:
            border.normalize_nationality(code)
        except ValueError as exc:
            raise PlanningError(str(exc)) from None


def _nights(req: TripRequest) -> list[str]:
    start_city = req.stay[0]
    zone = city_zone(start_city)
    n = (req.depart.astimezone(zone).date() - req.arrive.astimezone(zone).date()).days
    if len(req.stay) == 1:
        return [req.stay[0]] * n
    if len(req.stay) != n:
        raise PlanningError(f"the trip has {n} night(s) but {len(req.stay)} stay cities were given")
    return list(req.stay)


def _place_city(cat: Catalogue, pid: str | None, default: str) -> tuple[str, LatLon | None]:
    if pid is None:
        return default, None
    place = cat.get(pid)
    return place.city, place.location


def _day_specs(req: TripRequest, cat: Catalogue, nights: list[str]) -> list[_DaySpec]:
    pace = PACES[req.pace]
    hotels = dict(req.hotels)
    first_city = nights[0] if nights else req.stay[0]
    last_city = nights[-1] if nights else req.stay[0]
    arrive_city, arrive_loc = _place_city(cat, req.arrive_place, first_city)
    depart_city, depart_loc = _place_city(cat, req.depart_place, last_city)
    ndays = len(nights) + 1
    zone0 = city_zone(arrive_city)
    day0 = req.arrive.astimezone(zone0).date()
    specs = []
    for d in range(ndays):
        day = day0 + timedelta(days=d)
        start_city = arrive_city if d == 0 else nights[d - 1]
        end_city = depart_city if d == ndays - 1 else nights[d]
        start_loc = (
            (arrive_loc or hotels.get(start_city) or CITY_CENTRES[start_city])
            if d == 0
            else hotels.get(start_city, CITY_CENTRES[start_city])
        )
        end_loc = (
            (depart_loc or hotels.get(end_city) or CITY_CENTRES[end_city])
            if d == ndays - 1
            else hotels.get(end_city, CITY_CENTRES[end_city])
        )
        start = datetime.combine(day, pace["start"], city_zone(start_city))
        end = datetime.combine(day, pace["end"], city_zone(end_city))
        if d == 0:
            start = max(start, req.arrive)
        if d == ndays - 1:
            end = min(end, req.depart - timedelta(seconds=DEPART_BUFFER_S))
        specs.append(_DaySpec(day, start_city, end_city, start_loc, end_loc, start, end))
    return specs


def _options(req: TripRequest, city: str, after: datetime, before: datetime):
    answer = border.crossing_options(
        city,
        after,
        req.nationality,
        party_size=req.party_size,
        limit=50,
        until=before,
        entry_permits=req.visas,
    )
    return [o for o in answer.options if after <= o.report_by and o.arrive <= before], answer


def _open_score(builder: _Builder, places: list[Attraction], spec: _DaySpec, base: int) -> int:
    return sum(
        interest_score(p, builder.req.interests)
        for p in places
        if builder.windows_for(p, spec.day, base)
    )


def plan_trip(
    req: TripRequest,
    catalogue: Catalogue | None = None,
    time_limit: float = 0.25,
    seed: int = 0,
) -> Itinerary:
    """Plan the trip: choose, order and time the visits of each day.

    Raises PlanningError (a ValueError) with a message a user can act on for bad requests.
    """
    cat = catalogue or load_catalogue()
    _validate(req, cat)
    # The one place a trip's passport and visa codes are normalised for the border model.
    req = replace(
        req,
        nationality=border.normalize_nationality(req.nationality),
        visas=tuple(border.normalize_nationality(v) for v in req.visas),
    )
    nights = _nights(req)
    specs = _day_specs(req, cat, nights)
    warnings: list[str] = []
    base = int(req.arrive.timestamp()) - 2 * 86400

    pool = [a for a in cat.attractions if a.kind in ("attraction", "day_trip", "event")]
    excluded = set(req.exclude)
    left: dict[str, LeftOut] = {}
    candidates: list[Attraction] = []
    trip_months = {s.day.month for s in specs}
    for place in pool:
        if place.id in excluded:
            left[place.id] = LeftOut(place, "excluded", "excluded by you")
            continue
        if not trip_months & set(place.months):
            left[place.id] = LeftOut(place, "season", "not visitable in the months of the trip")
            continue
        if req.daily_budget is not None and place.price:
            cost = _to_currency(place.price * req.party_size, place.currency, req.budget_currency)
            if cost > req.daily_budget:
                left[place.id] = LeftOut(
                    place,
                    "over_budget",
                    f"{cost:.0f} {req.budget_currency} for the party, over the daily budget",
                )
                continue
        candidates.append(place)

    builder = _Builder(req, candidates)

    # Which banks can the traveller reach, day by day?
    home_cities = {s.start_city for s in specs} | {s.end_city for s in specs}
    crossings_needed: dict[int, list[Crossing]] = {}
    for k, spec in enumerate(specs):
        if spec.start_city != spec.end_city:
            opts, answer = _options(req, spec.start_city, spec.start, spec.end)
            if not opts:
                raise PlanningError(
                    f"no border crossing on {spec.day.isoformat()} from {spec.start_city}: "
                    + "; ".join([english(r) for r in answer.reasons] or ["no departure that day"])
                )
            crossings_needed[k] = [Crossing(o, spec.start_city) for o in opts]

    # Candidate days for an out-and-back trip across the river.
    abroad_choices: list[tuple[int, Crossing, Crossing]] = []
    blocked_reason: dict[str, str] = {}
    for k, spec in enumerate(specs):
        if k in crossings_needed:
            continue
        home = spec.start_city
        away = "blagoveshchensk" if home == "heihe" else "heihe"
        # A day abroad starts early enough for the first departure of the morning.
        early = max(
            spec.start - timedelta(hours=2), datetime.combine(spec.day, EARLIEST, spec.start.tzinfo)
        )
        if k == 0:
            early = spec.start
        out_opts, out_answer = _options(req, home, early, spec.end)
        if not out_opts:
            blocked_reason.setdefault(
                away, "; ".join(map(english, out_answer.reasons)) or "no crossing"
            )
            continue
        first = out_opts[0]
        back_opts, back_answer = _options(req, away, first.arrive, spec.end)
        if not back_opts:
            blocked_reason.setdefault(
                away, "; ".join(map(english, back_answer.reasons)) or "no return"
            )
            continue
        back = back_opts[-1]  # the border model's last option already keeps a safety margin
        if (back.report_by - first.arrive) < timedelta(hours=2):
            continue
        abroad_choices.append((k, Crossing(first, home), Crossing(back, away)))

    def run(abroad_days: Sequence[tuple[int, Crossing, Crossing]], limit: float):
        crossings = {k: list(v) for k, v in crossings_needed.items()}
        days = list(specs)
        for k, out, back in abroad_days:
            crossings[k] = [out, back]
            lead = out.option.report_by - timedelta(minutes=45)
            if lead < days[k].start:
                days[k] = replace(days[k], start=lead)
        # A move day tries its earliest, a middle and its last departure.
        move_days = list(crossings_needed)
        choices = [
            list(dict.fromkeys((items[0], items[len(items) // 2], items[-1])))
            for items in crossings_needed.values()
        ]
        variants = []
        for picks in itertools.product(*choices):
            variant = dict(crossings)
            variant.update({k: [pick] for k, pick in zip(move_days, picks, strict=True)})
            variants.append(variant)
        best: _Solved | None = None
        for variant in variants:
            instance, points, segments = builder.build(days, variant, base)
            stop = FirstOf(MaxRuntime(limit / len(variants)), NoImprovement(400))
            result = solve(instance, stop, seed)
            if not check(instance, result.routes).feasible:
                continue  # e.g. the terminal cannot be reached by the report time
            if best is None or result.score > best.result.score:
                best = _Solved(result, instance, points, segments, days, variant)
        return best

    # Compare variants: no day abroad, then more days abroad in order of attractiveness.
    away_places = {c: [p for p in candidates if p.city == c] for c in CITIES}
    ranked = sorted(
        abroad_choices,
        key=lambda t: (
            -_open_score(
                builder,
                away_places[t[2].direction_from],
                specs[t[0]],
                base,
            )
        ),
    )
    must_away = any(cat.get(m).city not in home_cities for m in req.must_see)
    tried = []
    max_abroad = min(len(ranked), max(1, len(specs) - 1))
    budget = time_limit / (max_abroad + 1 + (0 if must_away else 1))
    for count in range(0 if not must_away else 1, max_abroad + 1):
        outcome = run(ranked[:count], budget)
        if outcome is not None:
            tried.append((outcome.result.score, count, outcome))
    if not tried:
        raise PlanningError("no feasible plan: the crossings or must-see places do not fit")
    tried.sort(key=lambda t: (-t[0], t[1]))
    solved = tried[0][2]
    plan = _decode(req, solved, builder, base, dict(left), blocked_reason, list(warnings))
    if plan.stats["dropped_on_retiming"]:
        # A meal hid a long leg. Solve again with each meal fixed where the first answer had it,
        # so the legs around meals are real, and keep the better of the two plans.
        meals = _meal_places(solved)
        instance, points, segments = builder.build(solved.specs, solved.crossings, base, meals)
        stop = FirstOf(MaxRuntime(time_limit / 2), NoImprovement(400))
        result = solve(instance, stop, seed)
        if check(instance, result.routes).feasible:
            again = _Solved(result, instance, points, segments, solved.specs, solved.crossings)
            second = _decode(req, again, builder, base, dict(left), blocked_reason, list(warnings))
            if second.score > plan.score:
                plan = second
    return plan


def _meal_places(solved: _Solved) -> dict[tuple[int, str], tuple[str, LatLon]]:
    """Where each meal of a solved plan happens: at the stop before it (or the segment start)."""
    places = {}
    for r, seg in enumerate(solved.segments):
        where = seg.start_loc
        for node in solved.result.routes[r]:
            pt = solved.points[node]
            if pt.kind == "meal":
                places[(seg.day, pt.meal)] = (seg.city, where)
            elif pt.attraction is not None:
                where = pt.attraction.location
    return places


def _over_daily_budget(req: TripRequest, solved: _Solved, builder: _Builder) -> set[int]:
    """Paid visits to drop so each day's tickets fit the daily budget (lowest value first).

    The solver has no budget constraint, so the day's total is enforced here; crossing fares
    are not counted (they are shown with each crossing).
    """
    if req.daily_budget is None:
        return set()
    drop: set[int] = set()
    for k in range(len(solved.specs)):
        paid = []
        for r, seg in enumerate(solved.segments):
            if seg.day != k:
                continue
            for node in solved.result.routes[r]:
                place = solved.points[node].attraction
                if place is not None and place.price:
                    cost = _to_currency(
                        place.price * req.party_size, place.currency, req.budget_currency
                    )
                    paid.append((solved.instance.scores[node] / cost, cost, node, place.id))
        spent = sum(cost for _, cost, _, _ in paid)
        must = set(req.must_see)
        for _, cost, node, pid in sorted(paid):
            if spent <= req.daily_budget:
                break
            if pid not in must:
                drop.add(node)
                spent -= cost
    return drop


@dataclass(frozen=True)
class _Solved:
    """One solved variant: the solver's answer and what is needed to read it back."""

    result: Any
    instance: Instance
    points: list[_Point]
    segments: list[_Segment]
    specs: list[_DaySpec]
    crossings: dict[int, list[Crossing]]


def _decode(
    req: TripRequest,
    solved: _Solved,
    builder: _Builder,
    base: int,
    left: dict[str, LeftOut],
    blocked_reason: dict[str, str],
    warnings: list[str],
) -> Itinerary:
    """Turn solver routes into days with aware times, re-timed with the real legs."""
    result, instance, points = solved.result, solved.instance, solved.points
    segments, specs, candidates = solved.segments, solved.specs, builder.candidates

    def at(seconds: int, city: str) -> datetime:
        return datetime.fromtimestamp(seconds + base, UTC).astimezone(city_zone(city))

    over_budget = _over_daily_budget(req, solved, builder)
    for node in over_budget:
        place = points[node].attraction
        left[place.id] = LeftOut(place, "over_budget", "the day's tickets would exceed the budget")
    days: list[DayPlan] = []
    visited: set[str] = set()
    total = 0
    dropped = 0
    for k, spec in enumerate(specs):
        stops: list[Visit] = []
        crossings: list[Crossing] = []
        meals: list[Meal] = []
        end_leg = None
        for r, seg in enumerate(segments):
            if seg.day != k:
                continue
            clock = instance.routes[r].start_time
            seg_end = instance.routes[r].end_time
            where = seg.start_loc
            for node in result.routes[r]:
                pt = points[node]
                if pt.kind == "meal":
                    lo, _hi = instance.windows[node][r][0]
                    if pt.location is not None:
                        clock += builder.leg(seg.city, where, pt.location).minutes * 60
                        where = pt.location
                    begin = max(clock, lo)
                    length = instance.service[node] - pt.slack
                    meals.append(
                        Meal(pt.meal, at(begin, seg.city), at(begin + length, seg.city), seg.city)
                    )
                    clock = begin + length
                    continue
                if node in over_budget:
                    continue
                place = pt.attraction
                leg = builder.leg(seg.city, where, place.location)
                arrive = clock + leg.minutes * 60
                wins = instance.windows[node][r]
                begin = next((max(arrive, a) for a, b in wins if max(arrive, a) <= b), None)
                if begin is None:
                    dropped += 1
                    continue  # the real leg made it late: leave it out
                end = begin + instance.service[node]
                back = builder.leg(seg.city, place.location, seg.end_loc)
                if end + back.minutes * 60 > seg_end:
                    dropped += 1
                    continue  # it would make the traveller late for the crossing or the night
                stops.append(Visit(place, at(begin, place.city), at(end, place.city), leg))
                visited.add(place.id)
                total += instance.scores[node]
                clock = end
                where = place.location
            end_leg = builder.leg(seg.city, where, seg.end_loc)
            if seg.crossing_after is not None:
                crossings.append(seg.crossing_after)
        days.append(
            DayPlan(
                spec.day,
                spec.start_city,
                spec.end_city,
                tuple(stops),
                tuple(crossings),
                tuple(meals),
                end_leg,
            )
        )

    crossed_to = {c.option.to_point.city for d in days for c in d.crossings}
    home = {s.start_city for s in specs} | {s.end_city for s in specs}
    reachable = home | crossed_to
    for place in candidates:
        if place.id in visited or place.id in left:
            continue
        if place.city not in reachable:
            why = (
                "no crossing to this city is possible on the trip (see the warnings)"
                if place.city in blocked_reason
                else "no day of the trip has time for this city"
            )
            left[place.id] = LeftOut(place, "not_reachable", why)
            continue
        open_days = [s.day for s in specs if builder.windows_for(place, s.day, base)]
        if not open_days:
            left[place.id] = LeftOut(place, "closed", "closed on every day of the trip")
            continue
        left[place.id] = LeftOut(place, "no_time", "not enough time for it")

    for city, why in blocked_reason.items():
        if city not in reachable:
            warnings.append(f"{city}: {why}")
    for must in req.must_see:
        if must not in visited:
            warnings.append(f"must-see place {must} could not be fitted ({left[must].detail})")
    if any(not s.attraction.hours_verified for d in days for s in d.stops):
        warnings.append("some opening hours are not verified: check before you go")
    if any(s.attraction.is_estimated for d in days for s in d.stops):
        warnings.append("some places have estimated positions: travel times there are approximate")
    for d in days:
        for c in d.crossings:
            for w in c.option.warnings:
                warnings.append(f"{d.date.isoformat()} {c.option.mode}: {english(w)}")
        if d.date.month in (11, 12, 1, 2):
            late = [s for s in d.stops if s.attraction.indoor is False and s.depart.hour >= 16]
            if late:
                warnings.append(f"{d.date.isoformat()}: outdoor visits after sunset (about 16:00)")
        if d.date.month in (12, 1, 2):
            warnings.append(f"{d.date.isoformat()}: extreme cold is usual (January mean -24 °C)")
        if len(d.meals) == 0 and d.stops:
            warnings.append(f"{d.date.isoformat()}: no time was left for a meal break")
    return Itinerary(
        req,
        tuple(days),
        tuple(sorted(left.values(), key=lambda x: x.attraction.id)),
        tuple(dict.fromkeys(warnings)),
        total,
        {
            "solver_iterations": result.iterations,
            "runtime_s": result.runtime_s,
            "dropped_on_retiming": dropped,
        },
    )


def itinerary_to_json(it: Itinerary) -> dict[str, Any]:
    """The shape the API serves: every time ISO 8601 with its offset, plus its IANA zone."""

    def t(value: datetime) -> str:
        return value.isoformat(timespec="minutes")

    def leg(value: Leg | None) -> dict[str, Any] | None:
        if value is None:
            return None
        return {"mode": value.mode, "minutes": value.minutes, "km": value.km}

    days = []
    for d in it.days:
        days.append(
            {
                "date": d.date.isoformat(),
                "city_start": d.city_start,
                "city_end": d.city_end,
                "stops": [
                    {
                        "attraction_id": s.attraction.id,
                        "name": s.attraction.name.as_dict(),
                        "city": s.attraction.city,
                        "arrive": t(s.arrive),
                        "depart": t(s.depart),
                        "zone": str(city_zone(s.attraction.city)),
                        "leg": leg(s.leg),
                        "hours_verified": s.attraction.hours_verified,
                    }
                    for s in d.stops
                ],
                "crossings": [serialize.option_to_json(c.option, english) for c in d.crossings],
                "meals": [
                    {"kind": m.kind, "start": t(m.start), "end": t(m.end), "city": m.city}
                    for m in d.meals
                ],
                "end_leg": leg(d.end_leg),
            }
        )
    return {
        "ok": True,
        "days": days,
        "left_out": [
            {"attraction_id": x.attraction.id, "reason": x.reason, "detail": x.detail}
            for x in it.left_out
        ],
        "warnings": list(it.warnings),
        "score": it.score,
    }
