"""Travel times between places: vectorised great-circle distance x circuity / speed.

The parameters and their sources live in data/travel.json. Whole seconds, because the solver
works on integers. Points on different banks of the Amur are never connected here: the only way
across is the border crossing, which the planner adds as its own leg.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from planner import region, resources, settings
from planner.errors import DataProblems
from planner.model import LatLon
from planner.timeutil import CITIES
from planner.validation import (
    CurrencyCode,
    IsoDate,
    SourceEntry,
    Text,
    error_message,
    field_name,
)

FILE = "travel.json"  # in the region's data folder
DATA = resources.DATA / FILE  # the shipped region's
EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG), as geopy uses
MODES = ("walk", "taxi", "bus", "minibus", "coach")  # every way a leg is taken
# What a traveller chooses per city. "taxi" is a hired car: a group takes its chartered vehicle
# (minibus or coach) instead, and a party of 5-8 without a tour two taxis (party_vehicles).
CHOSEN_MODES = ("walk", "taxi", "bus")
HIRED = ("taxi", "minibus", "coach")  # door to door, with a driver who reads the card
CHARTERED = ("minibus", "coach")  # hired with the driver for the day (or by the hour)
BASE_CURRENCY = "CNY"  # exchange rates are CNY per unit of each currency
NEEDED_CURRENCIES = ("CNY", "RUB")  # the catalogue's prices are in these


class TravelDataError(DataProblems):
    """data/travel.json is unreadable or invalid; `problems` names the file and field of each."""

    what = "the travel data"


# --- the file's shape --------------------------------------------------------------------------
# Every object is closed (an unknown or misspelt key is an error) and every figure has sources.

Speed = Annotated[float, Field(gt=0, le=150)]  # km/h
Distance = Annotated[float, Field(gt=0, le=500)]  # km
Sources = Annotated[list[SourceEntry], Field(min_length=1)]


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Circuity(_Closed):
    """Network distance per straight-line distance, with where the figure comes from."""

    value: Annotated[float, Field(ge=1, le=3)]
    status: Text
    note: Text | None = None
    sources: Sources


class CircuityByNetwork(_Closed):
    road: Circuity
    walk: Circuity


class Hire(_Closed):
    """The price of one vehicle with its driver in one city, per day or per hour."""

    amount: Annotated[float, Field(gt=0)]
    currency: CurrencyCode
    per: Literal["day", "hour"]
    min_hours: Annotated[int, Field(ge=1, le=24)] | None = None  # an hourly hire's minimum
    estimated: bool = False  # the project's assumption, not a published price
    note: Text | None = None
    sources: list[SourceEntry] = Field(default_factory=list)

    @model_validator(mode="after")
    def _sourced_or_estimated(self) -> Hire:
        if not self.estimated and not self.sources:
            raise ValueError("a price without a source must be marked estimated: true")
        if self.estimated and not self.note:
            raise ValueError("an estimated price needs a note saying whose assumption it is")
        return self


class Mode(_Closed):
    """One way of moving: speed, the fixed minutes of starting it, and its limits."""

    speed_kmh: Speed
    # Minutes added to each leg: hailing a taxi, reaching the stop, a group boarding and
    # alighting its chartered vehicle.
    overhead_min: Annotated[int, Field(ge=0, le=120)]
    max_km: Distance | None = None  # walking: beyond this straight-line distance, take a vehicle
    town_km: Distance | None = None  # beyond this many km a vehicle runs at open_road_kmh
    open_road_kmh: Speed | None = None
    group_factor: Annotated[float, Field(gt=0.3, le=1)] | None = None  # walking: a group's pace
    seats: Annotated[int, Field(ge=1, le=100)] | None = None  # passengers per vehicle
    max_vehicles: Annotated[int, Field(ge=1, le=10)] | None = None  # taxis: more is a charter
    hire: dict[str, Hire] | None = None  # city -> the price of one vehicle
    estimated: bool = False  # speed, overhead or seats are the project's assumption
    status: Text
    note: Text | None = None
    sources: Sources

    @field_validator("hire")
    @classmethod
    def _hire_in_known_cities(cls, hire: dict[str, Hire] | None) -> dict[str, Hire] | None:
        unknown = sorted(set(hire or {}) - set(CITIES))
        if unknown:
            raise ValueError(f"hire for unknown city {', '.join(unknown)}: expected {CITIES}")
        return hire

    @model_validator(mode="after")
    def _town_and_open_road_together(self) -> Mode:
        if (self.town_km is None) != (self.open_road_kmh is None):
            raise ValueError("town_km and open_road_kmh go together: give both or neither")
        return self


class Modes(_Closed):
    walk: Mode
    taxi: Mode
    bus: Mode
    minibus: Mode
    coach: Mode

    @model_validator(mode="after")
    def _vehicles_have_seats(self) -> Modes:
        for name in HIRED:
            if getattr(self, name).seats is None:
                raise ValueError(f"{name} needs seats (how many passengers one vehicle takes)")
        if self.walk.group_factor is None:
            raise ValueError("walk needs group_factor (how much slower a group walks)")
        return self


class ReferenceRate(_Closed):
    """The official yuan rate the budgets rest on, with its date and where it was read."""

    rub_per_cny: Annotated[float, Field(gt=0)]
    date: IsoDate
    source: Text
    url: Text


class Exchange(_Closed):
    """Approximate rates for budgets: CNY per unit of each currency."""

    cny_per_unit: dict[CurrencyCode, Annotated[float, Field(gt=0)]]
    reference: ReferenceRate | None = None
    status: Text
    note: Text | None = None
    sources: Sources

    @field_validator("cny_per_unit")
    @classmethod
    def _base_and_needed_currencies(cls, rates: dict[str, float]) -> dict[str, float]:
        missing = [code for code in NEEDED_CURRENCIES if code not in rates]
        if missing:
            raise ValueError(f"no rate for {', '.join(missing)} (the catalogue's prices use it)")
        if rates[BASE_CURRENCY] != 1.0:
            raise ValueError(f"{BASE_CURRENCY} is the base currency: its rate must be 1.0")
        return rates

    @model_validator(mode="after")
    def _rub_matches_the_reference(self) -> Exchange:
        ref, rub = self.reference, self.cny_per_unit.get("RUB")
        if ref is not None and rub is not None and abs(rub * ref.rub_per_cny - 1) > 0.001:
            raise ValueError(
                f"cny_per_unit.RUB {rub} is not 1 / reference.rub_per_cny {ref.rub_per_cny}"
            )
        return self


class TravelData(_Closed):
    """The whole of data/travel.json."""

    about: Text
    checked: IsoDate
    circuity: CircuityByNetwork
    modes: Modes
    exchange: Exchange


RATE_ENV = "PLANNER_EXCHANGE_RATE_RUB_PER_CNY"  # overrides the file's reference rate
RATE_DATE_ENV = "PLANNER_EXCHANGE_RATE_DATE"  # the date of that rate (ISO), required with it


@dataclass(frozen=True)
class ExchangeRate:
    """RUB per CNY, the day it is of, and where it comes from (for pages to show)."""

    rub_per_cny: float
    date: date | None  # None only for an old file without a reference rate
    source: str
    url: str = ""
    overridden: bool = False  # set by the environment, not data/travel.json

    def age_days(self, today: date) -> int | None:
        return None if self.date is None else (today - self.date).days


def _rate_from_env() -> ExchangeRate | None:
    """The rate set by $PLANNER_EXCHANGE_RATE_RUB_PER_CNY and its $PLANNER_EXCHANGE_RATE_DATE."""
    text = settings.value(RATE_ENV)
    if not text:
        return None
    try:
        rate = float(text)
        if not (rate > 0 and rate < 1000):
            raise ValueError
    except ValueError:
        raise TravelDataError(
            [f"${RATE_ENV}: expected RUB per CNY (a number), got {text!r}"]
        ) from None
    day_text = settings.value(RATE_DATE_ENV)
    try:
        day = date.fromisoformat(day_text)
    except ValueError:
        raise TravelDataError(
            [f"${RATE_DATE_ENV}: the date of ${RATE_ENV} is needed (YYYY-MM-DD), got {day_text!r}"]
        ) from None
    return ExchangeRate(rate, day, f"${RATE_ENV}", overridden=True)


def exchange_rate(data: TravelData | None = None) -> ExchangeRate:
    """The RUB per CNY rate budgets use: $PLANNER_EXCHANGE_RATE_RUB_PER_CNY (with its date)
    when set, else data/travel.json's dated reference rate.

    Returns
    -------
    ExchangeRate(rub_per_cny, date, source, url, overridden). Raises TravelDataError when the
    setting is not a number or comes without its date.
    """
    override = _rate_from_env()
    if override is not None:
        return override
    exchange = (data or load_travel_data()).exchange
    ref = exchange.reference
    if ref is not None:
        return ExchangeRate(ref.rub_per_cny, ref.date, ref.source, ref.url)
    return ExchangeRate(1 / exchange.cny_per_unit["RUB"], None, exchange.status)


@dataclass(frozen=True)
class ModeParams:
    """How fast one way of moving is, with the fixed cost of starting it."""

    speed_kmh: float
    overhead_s: int
    circuity: float
    max_km: float | None
    town_km: float | None = None  # beyond this many km a vehicle runs at open_road_kmh
    open_road_kmh: float | None = None
    group_factor: float = 1.0  # a group's speed per a single traveller's (walking)
    seats: int | None = None
    max_vehicles: int | None = None


@dataclass(frozen=True)
class Party:
    """Who travels together: how many, and whether as an organised tour."""

    size: int = 1
    tour: bool = False


@dataclass(frozen=True)
class Vehicles:
    """What a party hires for a leg: taxi, minibus or coach, and how many of them."""

    mode: str
    count: int


def is_group(party: Party) -> bool:
    """A group moves as one: a tour of any size, or more than one taxi holds."""
    seats = load_params()["taxi"].seats or 4
    return party.tour or party.size > seats


def party_vehicles(party: Party) -> Vehicles:
    """The hired vehicles of a party: taxis up to their seats (a party without a tour may take
    up to taxi.max_vehicles of them, e.g. two taxis for 5-8), else a chartered minibus, else
    as many coaches as it fills."""
    params = load_params()
    taxi, minibus, coach = params["taxi"], params["minibus"], params["coach"]
    size = max(1, party.size)
    taxis = math.ceil(size / (taxi.seats or 4))
    if not party.tour and taxis <= (taxi.max_vehicles or 1):
        return Vehicles("taxi", taxis)
    if size <= (minibus.seats or 0):
        return Vehicles("minibus", 1)
    return Vehicles("coach", math.ceil(size / (coach.seats or 1)))


def party_modes(modes: tuple[str, ...], party: Party | None) -> tuple[str, ...]:
    """The traveller's chosen modes as this party takes them: 'taxi' is its hired vehicle."""
    if party is None:
        return modes
    ride = party_vehicles(party).mode
    return tuple(dict.fromkeys(ride if m == "taxi" else m for m in modes))


def load_travel_data(path: Path | str | None = None) -> TravelData:
    """Read and validate the travel-time parameters (not cached; check-data uses it).

    Parameters
    ----------
    path: the JSON file; the region's travel.json by default (planner.region.data_dir).

    Returns
    -------
    The validated TravelData. Raises TravelDataError listing every problem found.
    """
    path = Path(path) if path is not None else region.data_file(FILE)
    try:
        text = path.read_text(encoding="utf-8")
        json.loads(text)  # for the line and column of a syntax error
    except OSError as exc:
        raise TravelDataError([f"{path}: cannot read the file ({exc.strerror})"]) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise TravelDataError([f"{path}: not valid JSON ({exc})"]) from None
    except RecursionError:  # "[[[[…" thousands deep: a clean problem, not a traceback
        raise TravelDataError([f"{path}: not valid JSON (nested too deeply)"]) from None
    try:
        data = TravelData.model_validate_json(text, strict=True)
    except ValidationError as exc:
        problems = [
            f"{path}: field '{field_name(e['loc'])}': {error_message(e)}"
            if e["loc"]
            else f"{path}: top level: {error_message(e)}"
            for e in exc.errors(include_url=False)
        ]
        raise TravelDataError(problems) from None
    override = _rate_from_env()
    if override is None:
        return data
    # The setting replaces the file's rate everywhere budgets are computed.
    exchange = data.exchange.model_copy(
        update={
            "cny_per_unit": {**data.exchange.cny_per_unit, "RUB": 1 / override.rub_per_cny},
            "reference": ReferenceRate.model_construct(
                rub_per_cny=override.rub_per_cny,
                date=override.date,
                source=override.source,
                url=f"${RATE_ENV}",
            ),
            "status": f"set by ${RATE_ENV}",
        }
    )
    return data.model_copy(update={"exchange": exchange})


def load_params(path: Path | None = None) -> dict[str, ModeParams]:
    """Each mode's parameters, from the validated file (cached per path; by default the
    region's travel.json)."""
    return _load_params(Path(path) if path is not None else region.data_file(FILE))


@lru_cache(maxsize=4)
def _load_params(path: Path) -> dict[str, ModeParams]:
    data = load_travel_data(path)
    params = {}
    for mode in MODES:
        spec: Mode = getattr(data.modes, mode)
        circuity = data.circuity.walk if mode == "walk" else data.circuity.road
        params[mode] = ModeParams(
            speed_kmh=spec.speed_kmh,
            overhead_s=spec.overhead_min * 60,
            circuity=circuity.value,
            max_km=spec.max_km,
            town_km=spec.town_km,
            open_road_kmh=spec.open_road_kmh,
            group_factor=spec.group_factor or 1.0,
            seats=spec.seats,
            max_vehicles=spec.max_vehicles,
        )
    return params


def great_circle_km(points: list[LatLon]) -> np.ndarray:
    """n x n matrix of haversine distances in km (error < 0.5 % against geodesic)."""
    lat = np.radians(np.array([p.lat for p in points]))
    lon = np.radians(np.array([p.lon for p in points]))
    dlat = lat[:, None] - lat[None, :]
    dlon = lon[:, None] - lon[None, :]
    a = np.sin(dlat / 2) ** 2 + np.cos(lat[:, None]) * np.cos(lat[None, :]) * np.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


@dataclass(frozen=True)
class LegMatrix:
    """Best time, its mode and road distance between every pair of points."""

    seconds: np.ndarray  # int64, n x n
    mode_index: np.ndarray  # int8 index into MODES, n x n
    km: np.ndarray  # float, network distance estimate


def leg_matrix(
    points: list[LatLon],
    modes: tuple[str, ...],
    party: Party | None = None,
    pad_km: np.ndarray | None = None,
) -> LegMatrix:
    """Fastest allowed mode for every pair; walking only up to its distance limit.

    *party*: a group takes its chartered vehicle for 'taxi' and walks at the group's pace.
    *pad_km*: per point, km of position uncertainty; a leg to or from such a point goes by the
    hired vehicle when the traveller allows one, and the uncertainty counts as distance.
    """
    modes = tuple(dict.fromkeys(modes))  # a mode named twice is one (else walking has no limit)
    if not modes:
        raise ValueError("at least one transport mode is needed")
    unknown = set(modes) - set(CHOSEN_MODES)
    if unknown:
        raise ValueError(f"unknown transport mode(s): {', '.join(sorted(unknown))}")
    modes = party_modes(modes, party)
    group = party is not None and is_group(party)
    params = load_params()
    direct = great_circle_km(points)
    n = len(points)
    pad = np.zeros(n) if pad_km is None else np.asarray(pad_km, dtype=float)
    extra = pad[:, None] + pad[None, :]
    rough = extra > 0
    np.fill_diagonal(rough, False)
    ride = next((m for m in modes if m in HIRED), None)
    best = np.full((n, n), np.iinfo(np.int64).max, dtype=np.int64)
    best_mode = np.zeros((n, n), dtype=np.int8)
    best_km = np.zeros((n, n))
    for mode in modes:
        p = params[mode]
        speed = p.speed_kmh * (p.group_factor if group else 1.0)
        km = direct * p.circuity + extra
        if p.town_km is not None and p.open_road_kmh:
            town = np.minimum(km, p.town_km)
            hours = town / speed + (km - town) / p.open_road_kmh
        else:
            hours = km / speed
        secs = np.rint(hours * 3600).astype(np.int64) + p.overhead_s
        if p.max_km is not None and len(modes) > 1:
            secs = np.where(direct <= p.max_km, secs, np.iinfo(np.int64).max)
        if ride is not None and mode != ride:
            secs = np.where(rough, np.iinfo(np.int64).max, secs)  # found by name: hired
        better = secs < best
        best = np.where(better, secs, best)
        best_mode = np.where(better, MODES.index(mode), best_mode)
        best_km = np.where(better, km, best_km)
    np.fill_diagonal(best, 0)
    np.fill_diagonal(best_km, 0.0)
    return LegMatrix(seconds=best, mode_index=best_mode, km=best_km)
