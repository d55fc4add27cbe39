"""From a trip's days and chosen crossings to the solver's integer instance, and back to legs.

One absolute time axis in seconds (from `base`), so the hour between the two clocks is only a
matter of display. Each day is cut into segments at its crossings; each segment is one solver
route on one bank, from where the traveller is to the next departure terminal by its report
time, or to where the day ends. A place of the other bank gets no window in it, so nothing can
hop the river.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

import numpy as np

from planner import hours
from planner.model import Attraction, LatLon
from planner.planning.rules import (
    ABROAD_MINUTE_SCORE,
    CITY_CENTRES,
    EVENING_CATEGORIES,
    LAST_RUN_CUSHION_MIN,
    MEAL_SLACK_S,
    MEAL_WINDOWS,
    MIN_LEG_S,
    OUTDOOR_CATEGORIES,
    PACES,
    SEASONAL_FACTOR,
    UNKNOWN_HOURS,
    crossing_cushion_minutes,
    daylight,
    needs_daylight,
    position_known,
)
from planner.solver import Instance, RouteSpec
from planner.timeutil import CITIES, city_zone
from planner.travel import MODES, Party, leg_matrix
from planner.trip import Crossing, Leg, TripRequest

BIG = 10**8
# A must-see that cannot be mandatory (no plan holds every must-see and every meal) outweighs
# any other sight and a meal: the traveller asked for it; a meal it displaces is said (amber).
MUST_SEE_SCORE = 3 * 1000
MEAL_SCORE = 1000  # a landmark of popularity 10 scores 100-165


def interest_score(place: Attraction, interests: Sequence[str]) -> int:
    """Score of a place for this traveller: its popularity, weighted by shared interests.

    Squared popularity, so one landmark outweighs several minor stops; a place open only in
    some months is worth more in them (the rink in January, the fair in summer).
    """
    base = max(1, place.popularity) ** 2
    if interests:
        shared = len(set(place.interests) & set(interests))
        base = base * (0.35 + 0.65 * min(shared, 2))
    if len(set(place.months)) < 12:
        base *= SEASONAL_FACTOR
    return int(round(base))


@dataclass(frozen=True)
class DaySpec:
    """A calendar day of the trip: where it starts and ends, and the time it may use."""

    index: int
    day: date
    start_city: str
    end_city: str
    start_loc: LatLon
    end_loc: LatLon
    start: datetime
    end: datetime
    end_place: str = "hotel"  # hotel | departure


@dataclass(frozen=True)
class Segment:
    """Part of a day on one bank, between the day's ends and its crossings."""

    day: int
    city: str
    start_loc: LatLon
    start: datetime
    end_loc: LatLon
    end: datetime
    crossing_after: Crossing | None


@dataclass(frozen=True)
class MealSpot:
    """Where a meal is eaten in the second pass: a food place, or near the stop before it."""

    city: str
    location: LatLon
    place: Attraction | None


@dataclass
class Node:
    """A node of the instance: a place, a segment's start or end, or a meal."""

    kind: str  # place | start | end | meal
    city: str  # the bank it is on ("" for a meal that happens wherever the traveller is)
    location: LatLon | None
    attraction: Attraction | None = None
    meal: str = ""
    day: int = -1  # for a meal
    length: int = 0  # for a meal: seconds at the table
    slack: int = 0  # for a meal with no place: allowance for the leg it hides
    spot: MealSpot | None = None


@dataclass
class Built:
    """An instance with what is needed to read its routes back."""

    instance: Instance
    nodes: list[Node]
    segments: list[Segment]
    specs: list[DaySpec]
    crossings: dict[int, list[Crossing]]
    meta: dict = field(default_factory=dict)


class Builder:
    """Builds solver instances for one trip and measures its legs."""

    def __init__(self, req: TripRequest, candidates: list[Attraction], base: int) -> None:
        self.req = req
        # Set when no plan holds every must-see: they become the most valued of the optional
        # places, and those that still do not fit are reported in red.
        self.must_see_optional = False
        self.abroad_minute_score = ABROAD_MINUTE_SCORE  # raised for a second try (service.py)
        self.crossing_cushion = timedelta(minutes=crossing_cushion_minutes(req))
        self.candidates = candidates
        self.pace = PACES[req.pace]
        self.base = base
        self._windows: dict[tuple[str, date], list[tuple[int, int]]] = {}
        self._points: list[LatLon] = []
        self._index: dict[tuple[float, float], int] = {}
        self._pad: dict[tuple[float, float], float] = {}  # km of uncertainty counted as distance
        for place in candidates:
            self._add_point(place.location, place)
        for loc in CITY_CENTRES.values():
            self._add_point(loc)
        self._mats: dict[str, object] = {}

    # ------------------------------------------------------------------ places and windows

    def service_s(self, place: Attraction) -> int:
        return int(place.visit_minutes * self.pace.visit * 60)

    def open_spans(self, place: Attraction, day: date) -> list[tuple[int, int]]:
        """When a place can be visited on *day* (seconds from base, whole minutes): its hours,
        or the assumed ones when unknown, cut to daylight for outdoor places in winter."""
        if day.month not in place.months:
            return []
        zone = city_zone(place.city)
        intervals = hours.open_intervals(place, day)
        if intervals is None:
            lo_t, hi_t = EVENING_CATEGORIES.get(
                place.category, OUTDOOR_CATEGORIES.get(place.category, UNKNOWN_HOURS)
            )
            lo = datetime.combine(day, lo_t, zone)
            hi = datetime.combine(day, hi_t, zone)
            if hi <= lo:
                hi += timedelta(days=1)
            intervals = [(lo, hi)]
        if needs_daylight(place, day):
            rise, dusk = daylight(place.city, place.location, day)
            intervals = [(max(a, rise), min(b, dusk)) for a, b in intervals]
        # No sightseeing before the pace's day begins (a park open all night is not visited at
        # 03:00 on the way to a dawn flight).
        earliest = datetime.combine(day, self.pace.start, zone)
        intervals = [(max(a, earliest), b) for a, b in intervals]
        return [
            (
                math.ceil(opens.timestamp() / 60) * 60 - self.base,
                math.floor(closes.timestamp() / 60) * 60 - self.base,
            )
            for opens, closes in intervals
            if closes > opens
        ]

    def windows_for(self, place: Attraction, day: date) -> list[tuple[int, int]]:
        """Start windows (seconds from base) of a visit on *day*: open, in daylight if needed."""
        key = (place.id, day)
        if key not in self._windows:
            service = self.service_s(place)
            self._windows[key] = [
                (a, b - service) for a, b in self.open_spans(place, day) if b - service >= a
            ]
        return self._windows[key]

    def meal_windows(self, kind: str, city: str, day: date, length: int) -> tuple[int, int]:
        """(earliest, latest) start of a meal on *city*'s clock, so that it ends in its window."""
        lo_t, hi_t = MEAL_WINDOWS[kind]
        zone = city_zone(city)
        lo = int(datetime.combine(day, lo_t, zone).timestamp()) - self.base
        hi = int(datetime.combine(day, hi_t, zone).timestamp()) - self.base
        return lo, hi - length

    def meal_length(self, kind: str) -> int:
        return (self.pace.lunch if kind == "lunch" else self.pace.dinner) * 60

    def fit(self, spec: DaySpec) -> DaySpec:
        """A day long enough for the way from its start to its end: a late arrival still
        reaches the hotel (the day ends later), an early departure is still made (the day
        starts earlier). Days that change bank are fitted around their crossing instead."""
        if spec.start_city != spec.end_city:
            return spec
        self._add_point(spec.start_loc)
        self._add_point(spec.end_loc)
        need = timedelta(seconds=self.seconds(spec.start_city, spec.start_loc, spec.end_loc))
        if spec.end - spec.start >= need:
            return spec
        if spec.end_place == "departure" and spec.index > 0:
            return replace(spec, start=spec.end - need)
        return replace(spec, end=spec.start + need)

    # ------------------------------------------------------------------ the instance

    def build(
        self,
        specs: list[DaySpec],
        crossings: Mapping[int, list[Crossing]],
        meal_spots: Mapping[tuple[int, str], MealSpot | None] | None = None,
        allowed_days: Mapping[str, set[int]] | None = None,
    ) -> Built:
        """The instance for one choice of crossings.

        *meal_spots* None: each meal is a pause wherever the traveller is, with a slack for the
        leg it hides (first pass). Otherwise each (day, meal) is eaten at its spot, with real
        legs there and on (second pass); a meal missing from the mapping is left out.
        *allowed_days* restricts places (by id) to some days, so a cluster is one excursion.
        """
        nodes = [Node("place", p.city, p.location, attraction=p) for p in self.candidates]
        n_places = len(nodes)
        segments: list[Segment] = []
        for spec in specs:
            cuts = sorted(crossings.get(spec.index, []), key=lambda c: c.option.report_by)
            city, loc, start = spec.start_city, spec.start_loc, spec.start
            for c in cuts:
                opt = c.option
                from_loc = opt.from_point.location or CITY_CENTRES[opt.from_point.city]
                # Keep the cushion where the day allows it (an arrival may leave less).
                way = timedelta(seconds=self.seconds(city, loc, from_loc))
                cushion = self.crossing_cushion
                if c.last_of_day:  # no later run: more in hand
                    cushion = max(cushion, timedelta(minutes=LAST_RUN_CUSHION_MIN))
                due = min(opt.report_by, max(opt.report_by - cushion, start + way))
                segments.append(Segment(spec.index, city, loc, start, from_loc, due, c))
                city = opt.to_point.city
                loc = opt.to_point.location or CITY_CENTRES[city]
                start = opt.arrive
            segments.append(Segment(spec.index, city, loc, start, spec.end_loc, spec.end, None))
        routes = []
        late = 0
        for r, seg in enumerate(segments):
            s_node = len(nodes)
            nodes.append(Node("start", seg.city, seg.start_loc, day=r))
            e_node = len(nodes)
            nodes.append(Node("end", seg.city, seg.end_loc, day=r))
            begin = int(seg.start.timestamp()) - self.base
            # A day whose end cannot be reached even straight away (a departure too close to
            # the arrival, a long walk) still gets a plan; the notices say it is late, in red.
            direct = self.seconds(seg.city, seg.start_loc, seg.end_loc)
            due = int(seg.end.timestamp()) - self.base
            finish = max(begin + direct, due)
            late += finish > max(begin, due)  # this segment's end is missed even going straight
            routes.append(RouteSpec(s_node, e_node, begin, finish))
        meal_nodes = []
        for spec in specs:
            for kind in MEAL_WINDOWS:
                length = self.meal_length(kind)
                if meal_spots is None:
                    node = Node("meal", "", None, meal=kind, day=spec.index, length=length)
                    node.slack = MEAL_SLACK_S
                else:
                    if (spec.index, kind) not in meal_spots:
                        continue
                    spot = meal_spots[(spec.index, kind)]
                    if spot is None or spot.place is None:  # no food place near: a pause
                        node = Node("meal", "", None, meal=kind, day=spec.index, length=length)
                        node.slack = MEAL_SLACK_S
                    else:
                        node = Node(
                            "meal",
                            spot.city,
                            spot.location,
                            meal=kind,
                            day=spec.index,
                            length=length,
                        )
                        node.spot = spot
                        self._add_point(spot.location)
                meal_nodes.append(len(nodes))
                nodes.append(node)
        n = len(nodes)
        travel = self._travel(nodes)
        scores = [0] * n
        service = [0] * n
        windows: list[list[tuple[tuple[int, int], ...]]] = [[() for _ in segments] for _ in nodes]
        mandatory = set()
        must = set(self.req.must_see)
        allowed_days = allowed_days or {}
        # Places seen only on a day across (their bank is no night's): time there is what the
        # border was crossed for, so each minute of a visit counts, and a museum is not traded
        # for a row of five-minute monuments.
        home_banks = {
            seg.city
            for seg in segments
            if specs[seg.day].start_city == specs[seg.day].end_city == seg.city
            or specs[seg.day].start_city != specs[seg.day].end_city
        }
        for i in range(n_places):
            place = nodes[i].attraction
            assert place is not None
            scores[i] = interest_score(place, self.req.interests)
            if place.city not in home_banks:
                scores[i] += self.abroad_minute_score * self.service_s(place) // 60
            service[i] = self.service_s(place)
            if place.id in must and self.must_see_optional:
                scores[i] += MUST_SEE_SCORE
            elif place.id in must:
                mandatory.add(i)
            days_ok = allowed_days.get(place.id)
            for r, seg in enumerate(segments):
                if seg.city != place.city or (days_ok is not None and seg.day not in days_ok):
                    continue
                a, b = routes[r].start_time, routes[r].end_time
                windows[i][r] = tuple(
                    (max(lo, a), min(hi, b))
                    for lo, hi in self.windows_for(place, specs[seg.day].day)
                    if max(lo, a) <= min(hi, b)
                )
        for i in meal_nodes:
            node = nodes[i]
            # Worth more than any sight, so the search never trades lunch for one more stop;
            # the decoder counts only the sights in a plan's score.
            scores[i] = MEAL_SCORE
            service[i] = node.length + node.slack
            for r, seg in enumerate(segments):
                if seg.day != node.day or (node.city and node.city != seg.city):
                    continue
                lo, hi = self.meal_windows(node.meal, seg.city, specs[seg.day].day, node.length)
                a, b = routes[r].start_time, routes[r].end_time - service[i]
                spans = [(max(lo, a), min(hi, b))]
                if node.spot is not None and node.spot.place is not None:
                    # Eaten at a food place: while it is open (its hours, or the assumed ones).
                    opened = self.open_spans(node.spot.place, specs[seg.day].day)
                    spans = [
                        (max(x, o), min(y, c - node.length)) for x, y in spans for o, c in opened
                    ]
                windows[i][r] = tuple((x, y) for x, y in spans if x <= y)
            if any(windows[i]) and not self.must_see_optional:
                mandatory.add(i)
        instance = Instance(
            scores=tuple(scores),
            service=tuple(service),
            travel=travel,
            windows=tuple(tuple(w) for w in windows),
            routes=tuple(routes),
            mandatory=frozenset(mandatory),
            name="trip",
        )
        return Built(
            instance,
            nodes,
            segments,
            list(specs),
            {k: list(v) for k, v in crossings.items()},
            {"late_segments": late},
        )

    # ------------------------------------------------------------------ legs

    def _add_point(self, loc: LatLon, place: Attraction | None = None) -> None:
        key = (loc.lat, loc.lon)
        if key not in self._index:
            self._index[key] = len(self._points)
            self._points.append(loc)
            self._mats = {}
        if place is not None and not position_known(place):
            # A place known only roughly (in town, or a must-see): its uncertainty counts as
            # distance.
            self._pad[key] = max(self._pad.get(key, 0.0), place.coord_uncertainty_m / 1000)

    def _matrices(self) -> dict[str, object]:
        if not self._mats:
            # Rough points: their uncertainty counts as distance, and their legs go by the
            # hired vehicle when the traveller allows one (travel.leg_matrix).
            pad = np.array([self._pad.get((p.lat, p.lon), 0.0) for p in self._points])
            party = Party(self.req.party_size, self.req.group_tour)
            for city in CITIES:
                self._mats[city] = leg_matrix(self._points, self.req.modes_in(city), party, pad)
        return self._mats

    def seconds(self, city: str, a: LatLon, b: LatLon) -> int:
        """Whole minutes (in seconds) from a to b, never zero between two different points."""
        if (a.lat, a.lon) == (b.lat, b.lon):
            return 0
        self._add_point(a)
        self._add_point(b)
        mat = self._matrices()[city]
        i, j = self._index[(a.lat, a.lon)], self._index[(b.lat, b.lon)]
        return max(MIN_LEG_S, int(math.ceil(int(mat.seconds[i, j]) / 60)) * 60)

    def leg(self, city: str, a: LatLon, b: LatLon, distinct: bool = False) -> Leg:
        """The leg from a to b; *distinct* places sharing one point are still a short walk."""
        if (a.lat, a.lon) == (b.lat, b.lon):
            return Leg(mode="walk", minutes=MIN_LEG_S // 60 if distinct else 0, km=0.0)
        self._add_point(a)
        self._add_point(b)
        mat = self._matrices()[city]
        i, j = self._index[(a.lat, a.lon)], self._index[(b.lat, b.lon)]
        return Leg(
            mode=MODES[int(mat.mode_index[i, j])],
            minutes=self.seconds(city, a, b) // 60,
            km=round(float(mat.km[i, j]), 2),
        )

    def _travel(self, nodes: list[Node]) -> list[list[int]]:
        """Travel seconds by the traveller's modes on each bank; a pause-meal costs none."""
        for node in nodes:
            if node.location is not None:
                self._add_point(node.location)
        n = len(nodes)
        travel = [[0] * n for _ in range(n)]
        for i in range(n):
            a = nodes[i].location
            if a is None:
                continue
            row = travel[i]
            city = nodes[i].city
            for j in range(n):
                b = nodes[j].location
                if b is None or i == j:
                    continue
                if nodes[j].city != city:
                    row[j] = BIG
                elif (a.lat, a.lon) == (b.lat, b.lon):
                    row[j] = MIN_LEG_S if nodes[i].kind == nodes[j].kind == "place" else 0
                else:
                    row[j] = self.seconds(city, a, b)
        return travel
