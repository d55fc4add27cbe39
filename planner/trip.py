"""The trip request and the itinerary that answers it: plain typed data, no behaviour.

`plan_trip()` (planner/planning.py) turns a TripRequest into an Itinerary; the web pages, the API,
the command line and the exports read these types and nothing of the planner's internals. Every
datetime is aware and shown on the clock of the city where it happens (its zone in
data/region.json).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from planner.crossing import Closure, CrossingOption
from planner.errors import PlannerError
from planner.messages import Message
from planner.model import Attraction, LatLon
from planner.region import city_ids


def _walk_and_taxi() -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((city, ("walk", "taxi")) for city in city_ids())


class PlanningError(PlannerError, ValueError):
    """The request cannot be planned as given: English text for logs and the command line, and
    a coded `message` (planner.messages) that the adapters render in the traveller's language."""

    def __init__(self, text: str, message: Message | None = None) -> None:
        super().__init__(text)
        self.message = message


@dataclass(frozen=True)
class TripRequest:
    """What a traveller asks for. Times are aware; places are catalogue ids."""

    arrive: datetime  # when the traveller is at `arrive_place` (or in the first city)
    depart: datetime  # when they leave from `depart_place` (or the last city)
    stay: tuple[str, ...]  # city of each night; one entry means every night
    arrive_place: str | None = None  # catalogue id (airport, station, crossing point, hotel)
    depart_place: str | None = None
    interests: tuple[str, ...] = ()  # history, architecture, religion, nature, food, ...
    pace: str = "normal"  # relaxed | normal | packed
    nationality: str = "CN"  # ISO 3166-1 alpha-2 code of the passport
    party_size: int = 1  # 5-50 in a tour opens the group visa-free regime
    must_see: tuple[str, ...] = ()  # catalogue ids scheduled whenever they can be
    exclude: tuple[str, ...] = ()  # catalogue ids never scheduled
    # modes allowed per city (default: walk and taxi in every city of the region)
    transport: tuple[tuple[str, tuple[str, ...]], ...] = field(default_factory=_walk_and_taxi)
    daily_budget: float | None = None  # entry fees per day for the whole party
    budget_currency: str = "CNY"
    language: str = "en"  # zh | ru | en
    hotels: tuple[tuple[str, LatLon], ...] = ()  # city -> hotel point; default: city centre
    visas: tuple[str, ...] = ()  # countries (CN, RU) the traveller holds a visa for
    group_tour: bool = False  # travelling as an organised tour group (group visa-free regime)
    # The day's last run back is used with a cushion where a missed run costs one night;
    # allow_last_crossing also where it strands for days (hovercraft, ice road: red), and
    # safe_return never uses it (the rule before 2026-12).
    allow_last_crossing: bool = False
    safe_return: bool = False
    # A day in the other city: "auto" (when it holds real sights), "yes" (planned even when
    # short, and said), "no" (stay on one bank); day_across_on: that day (index from 0).
    day_across: str = "auto"
    day_across_on: int | None = None
    # Suspensions from published crossing notices (planner/agency.py), added to the data's own.
    extra_closures: tuple[Closure, ...] = ()
    pinned: tuple[tuple[str, int], ...] = ()  # (place id, day index from 0): kept on that day
    # A partial re-plan (planning/partial.py): the days a place not pinned may go to (None: any),
    # and (day index, place ids): that day's stops in this order (an edit's reorder). Out of the
    # repr, which seeds the search (`request_seed`): a plain request plans as it always did.
    open_days: tuple[int, ...] | None = field(default=None, repr=False)
    stop_order: tuple[tuple[int, tuple[str, ...]], ...] = field(default=(), repr=False)

    def modes_in(self, city: str) -> tuple[str, ...]:
        return dict(self.transport).get(city, ("walk", "taxi"))


@dataclass(frozen=True)
class Leg:
    """The way to a stop: mode (walk, taxi, bus), whole minutes, great-circle km x circuity."""

    mode: str
    minutes: int
    km: float


@dataclass(frozen=True)
class Visit:
    """A place visited: arrival and departure on the local clock, and the leg that led there."""

    attraction: Attraction
    arrive: datetime
    depart: datetime
    leg: Leg


@dataclass(frozen=True)
class Crossing:
    """A crossing of the river on a real departure of the border model."""

    option: CrossingOption
    direction_from: str  # a city id of the region
    leg: Leg | None = None  # the way to the departure terminal, to be there by `report_by`
    last_of_day: bool = False  # the day's last departure: no fallback if it is missed
    back_by: datetime | None = None  # for the way out: when to be at the port to come back
    # For the day's last run back: what to do if it is missed (next run, a night there).
    if_missed: Message | None = None

    @property
    def report_by(self) -> datetime:
        return self.option.report_by


@dataclass(frozen=True)
class Meal:
    """Lunch or dinner, on the clock of the city where it is eaten."""

    kind: str  # lunch | dinner
    start: datetime
    end: datetime
    city: str
    place: Attraction | None = None  # a food place of the catalogue; None: see `near`
    leg: Leg | None = None  # the way there (zero when eaten where the traveller already is)
    # Without a place: eaten where the traveller is (near the last stop; before any stop, near
    # the hotel, the port just crossed to, or the arrival point), or, when that would leave too
    # little time, near where the traveller goes next: the hotel, the departure, the crossing.
    near: str = "last_stop"  # last_stop | hotel | departure | crossing | arrival


Item = Visit | Meal | Crossing


@dataclass(frozen=True)
class DayPlan:
    """One calendar day: where it starts and ends, and its visits, meals and crossings in order.

    `start` is when the day can begin (the arrival, or the pace's start at the hotel); `leave_at`
    when the traveller actually sets off (later when the first place opens later); `end` is when
    they must be where the day ends (the hotel, or the departure point with its margin).
    """

    date: date
    city_start: str
    city_end: str
    items: tuple[Item, ...]
    start: datetime
    end: datetime
    end_leg: Leg | None = None  # from the last stop to where the day ends
    leave_at: datetime | None = None
    end_place: str = "hotel"  # hotel | departure
    warnings: tuple[Notice, ...] = ()

    @property
    def stops(self) -> tuple[Visit, ...]:
        return tuple(i for i in self.items if isinstance(i, Visit))

    @property
    def meals(self) -> tuple[Meal, ...]:
        return tuple(i for i in self.items if isinstance(i, Meal))

    @property
    def crossings(self) -> tuple[Crossing, ...]:
        return tuple(i for i in self.items if isinstance(i, Crossing))


SEVERITIES = ("red", "amber", "info")


@dataclass(frozen=True)
class Notice:
    """A warning for the traveller: a severity (red, amber, info) and a coded message.

    Red: the plan is not safe as it stands (a missed departure is possible); amber: it holds,
    with a risk worth knowing; info: good to know."""

    severity: str
    message: Message


@dataclass(frozen=True)
class LeftOut:
    """A place not scheduled, with the reason code and a detail for the traveller."""

    attraction: Attraction
    # excluded | season | not_on_dates | dates_not_published | closed | over_budget |
    # not_reachable | no_time | ...
    reason: str
    detail: Message


@dataclass(frozen=True)
class Itinerary:
    """The answer to a TripRequest: the days, the places left out and the warnings."""

    request: TripRequest
    days: tuple[DayPlan, ...]
    left_out: tuple[LeftOut, ...]
    warnings: tuple[Notice, ...]  # about the whole trip; each day has its own list
    score: int = 0  # the solver's objective value
    stats: dict[str, Any] = field(default_factory=dict)  # variant, runtime, ...
