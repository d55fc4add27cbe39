"""The facts of data/crossing.json: frozen pydantic models that validate the file and are read
as they are by options.py and entry.py (one layer: no copy into other classes).

Strict types (no "5" for 5), closed objects (`extra="forbid"`: a misspelt key is an error, not
a silently ignored fact), and every fact needs at least one source {url, supports, checked}.
Point ids are checked against the file's own points through the validation context
(`{"points": {id: city}}`), so a wrong id is reported at the field that holds it.
The value formats (times, dates, sources, texts as `LocalizedName`) are in formats.py, the entry
rules in entry_schema.py; load.py
reads the file once (cached) and turns a ValidationError into CrossingDataError messages.
"""

from __future__ import annotations

from datetime import date, time
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    RootModel,
    ValidationInfo,
    field_validator,
    model_validator,
)

from planner import region
from planner.crossing.base import VisaBase
from planner.crossing.entry_schema import Country, EntryRule
from planner.crossing.formats import (
    Closed,
    Count,
    Departure,
    FieldProblems,
    GradedSource,
    IsoDate,
    Listed,
    Minute,
    MonthDay,
    Name,
    OptionalSentence,
    PointId,
    Sentence,
    Sources,
    Text,
)

ModeId = Literal["ship", "hovercraft", "pontoon_bus", "bridge_bus", "cableway"]


def _region_city(value: str) -> str:
    """A city id of the loaded region (planner.region: data/region.json)."""
    ids = region.city_ids()
    if value not in ids:
        raise ValueError(f"unknown city {value!r}: expected one of {', '.join(ids)}")
    return value


City = Annotated[str, AfterValidator(_region_city)]


TimetableStatus = Literal["published", "ambiguous", "derived", "estimated", "unknown"]
CoordConfidence = Literal["high", "medium", "low", "estimated", "unknown"]


class Location(Closed):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class Point(Closed):
    """A terminal or check-point; location None when no source locates it."""

    id: Text
    city: City
    kind: Text
    name: Name
    location: Location | None = None
    coord_confidence: CoordConfidence
    coord_uncertainty_m: Count | None = None
    coord_method: Text
    sources: Sources

    @model_validator(mode="after")
    def _coordinate_is_qualified(self) -> Point:
        problems = []
        if self.location is None and self.coord_confidence != "unknown":
            problems.append(("coord_confidence", "a point without location must say 'unknown'"))
        estimated = self.coord_confidence in ("estimated", "low")
        if self.location is not None and estimated and self.coord_uncertainty_m is None:
            problems.append(
                ("coord_uncertainty_m", "an estimated coordinate needs its uncertainty")
            )
        if problems:
            raise FieldProblems(problems)
        return self


class SideMap(RootModel[dict[City, PointId]]):
    """A point id for each city of the region, by city id; the point must exist and stand in
    that city."""

    model_config = ConfigDict(strict=True, frozen=True)

    def __getitem__(self, city: str) -> str:
        """The point id of *city*'s side (`mode.points[city]`)."""
        return self.root[city]

    @field_validator("root")
    @classmethod
    def _a_point_in_each_city(cls, value: dict[str, str], info: ValidationInfo) -> dict:
        points = (info.context or {}).get("points") or {}
        problems = [(city, "missing") for city in region.city_ids() if city not in value]
        problems += [
            (city, f"point {pid!r} is not in {city}")
            for city, pid in value.items()
            if pid in points and points[pid] != city
        ]
        if problems:
            raise FieldProblems(problems)
        return value


class Range(Closed):
    start: IsoDate
    end: IsoDate | None = None


class Season(Closed):
    """A dated season of a mode; end None means open-ended."""

    start: IsoDate
    end: IsoDate | None = None
    start_estimated: bool = False
    end_estimated: bool = False
    note: str = ""
    sources: Sources

    @model_validator(mode="after")
    def _ends_after_start(self) -> Season:
        if self.end is not None and self.end < self.start:
            raise FieldProblems([("end", "ends before it starts")])
        return self

    @property
    def estimated(self) -> bool:
        return self.start_estimated or self.end_estimated

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


class Typical(Closed):
    start: MonthDay
    end: MonthDay


class Every(Closed):
    first: Minute
    last: Minute
    minutes: Annotated[int, Field(gt=0)]

    @model_validator(mode="after")
    def _in_one_day(self) -> Every:
        if self.last < self.first or self.last >= 24 * 60:
            raise ValueError("needs first <= last < 24:00 and minutes > 0")
        return self


class Timetable(Closed):
    """Departures from one side, in that side's local clock."""

    status: TimetableStatus
    as_of: Count
    times: Listed[Departure] = ()
    every: Every | None = None
    # True when the times are doubtful even though 'published' (e.g. copied from another year or
    # mode); derived/estimated/ambiguous timetables and old `as_of` years are indicative anyway.
    indicative: bool = False
    note: OptionalSentence = None
    sources: Sources

    @property
    def departures(self) -> tuple[time, ...]:
        """Every departure of the day in time order (`every` written out)."""
        if self.every is None:
            return tuple(sorted(self.times))
        first, last, step = self.every.first, self.every.last, self.every.minutes
        return tuple(time(m // 60, m % 60) for m in range(first, last + 1, step))

    @model_validator(mode="after")
    def _has_departures(self) -> Timetable:
        if self.every is not None and self.times:
            raise FieldProblems([("every", "give either times or every, not both")])
        if self.status != "unknown" and not self.times and self.every is None:
            raise FieldProblems(
                [("times", "a timetable that is not 'unknown' needs departure times")]
            )
        if self.indicative and self.note is None:
            raise FieldProblems([("note", "an indicative timetable must say why")])
        return self


class Ride(Closed):
    """Time on the way; for the bridge bus it already includes both border controls."""

    minutes: Count
    includes_checkpoints: bool = False
    estimated: bool = False
    note: OptionalSentence = None
    sources: Sources


class Fare(Closed):
    """A price in a currency; amount None means unknown."""

    amount: Annotated[float, Field(ge=0)] | None = None
    currency: Literal["CNY", "RUB"]
    note: OptionalSentence = None
    sources: Sources


class Note(Closed):
    """A sourced sentence shown to the traveller (luggage, queues, customs...)."""

    text: Sentence
    sources: Sources


class Mode(Closed):
    """One way across the river, with its seasons, timetables and fares per side."""

    in_service: bool
    status: OptionalSentence = None
    name: Name
    # How a sentence names the mode ("take the %(mode)s"), short and in lower case, where the
    # built-in name would be wrong for the region (a road bus over a land border is no "bus over
    # the road bridge"); unset: the built-in, translated name.
    label: OptionalSentence = None
    points: SideMap
    checkpoints: SideMap
    explicit_range: Range
    seasons: Listed[Season] = ()
    typical: Listed[Typical] = ()
    typical_sources: Listed[GradedSource] = ()
    timetables: dict[City, Timetable] = {}
    ride: Ride | None = None
    fares: dict[City, Fare] = {}
    notes: Listed[Note] = ()
    status_sources: Listed[GradedSource] = ()
    # The date of the latest source that states the status (required when not in service).
    status_date: IsoDate | None = None

    @model_validator(mode="after")
    def _complete_for_its_service(self) -> Mode:
        need_source = "a fact needs at least one source {url, supports, checked}"
        problems: list[tuple[str, str]] = []
        if self.typical and not self.typical_sources:
            problems.append(("typical_sources", need_source))
        if self.in_service:
            for city in region.city_ids():
                if city not in self.timetables:
                    problems.append((f"timetables.{city}", "missing (use status 'unknown')"))
                if city not in self.fares:
                    problems.append((f"fares.{city}", "missing (use amount null for unknown)"))
            if self.ride is None:
                problems.append(("ride", "missing: a mode in service needs its time on the way"))
            if not self.seasons and not self.typical:
                problems.append(("seasons", "a mode in service needs a season"))
        else:
            if self.status is None:
                problems.append(("status", "a mode not in service must say why"))
            if not self.status_sources:
                problems.append(("status_sources", need_source))
            if self.status_date is None:
                problems.append(("status_date", "a mode not in service must date its status"))
        if problems:
            raise FieldProblems(problems)
        return self


class Modes(Closed):
    """The modes of the model the region has, each at most once: a mode left out does not
    exist there (a region on land has no ship); one that exists but does not run says so
    (`in_service: false`)."""

    ship: Mode | None = None
    hovercraft: Mode | None = None
    pontoon_bus: Mode | None = None
    bridge_bus: Mode | None = None
    cableway: Mode | None = None

    @model_validator(mode="after")
    def _at_least_one(self) -> Modes:
        if not self.ids():
            raise ValueError("no mode: a region needs at least one way across")
        return self

    def ids(self) -> tuple[str, ...]:
        return tuple(m for m in type(self).model_fields if getattr(self, m) is not None)

    def items(self) -> tuple[tuple[str, Mode], ...]:
        """(mode id, mode) in the model's order."""
        return tuple((mode_id, getattr(self, mode_id)) for mode_id in self.ids())

    def __getitem__(self, mode_id: str) -> Mode:
        mode: Mode | None = getattr(self, mode_id, None) if mode_id in self.ids() else None
        if mode is None:
            raise KeyError(mode_id)
        return mode

    def __contains__(self, mode_id: object) -> bool:
        return mode_id in self.ids()


class Side(Closed):
    exit: Count
    entry: Count


class GroupMinutes(Closed):
    """Extra minutes an organised group needs at a check-point (an assumption: no source)."""

    minutes_per_passenger: Count
    max_minutes: Count
    estimated: Literal[True]  # no stored source times group processing: always an estimate
    note: Text

    def extra(self, party_size: int) -> int:
        """Per passenger after the first, capped."""
        return min(self.max_minutes, self.minutes_per_passenger * max(0, party_size - 1))


class CheckpointMinutes(Closed):
    """Typical minutes at exit and entry control on each side. In the file each city of the
    region is a key of its own ({"<city id>": {"exit": 30, "entry": 60}, "estimated": ...});
    here they are `sides`, by city id."""

    sides: dict[City, Side]
    estimated: bool = False
    note: str = ""
    sources: Sources
    group: GroupMinutes | None = None

    @model_validator(mode="before")
    @classmethod
    def _cities_are_sides(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        own = set(cls.model_fields) - {"sides"}
        sides = {key: value for key, value in data.items() if key not in own}
        return {**{k: v for k, v in data.items() if k in own}, "sides": sides}

    @model_validator(mode="after")
    def _a_side_per_city(self) -> CheckpointMinutes:
        missing = [(city, "missing") for city in region.city_ids() if city not in self.sides]
        if missing:
            raise FieldProblems(missing)
        return self

    def side(self, city: str) -> Side:
        """The exit and entry minutes of *city*'s check-point."""
        return self.sides[city]


class PortHours(Closed):
    """Opening hours of a check-point for some modes, in the point's local clock."""

    point: PointId
    modes: Listed[ModeId] = ()
    open: Minute
    close: Minute
    estimated: bool = False
    note: str = ""
    sources: Sources

    @model_validator(mode="after")
    def _opens_before_closing(self) -> PortHours:
        if self.close < self.open:
            raise FieldProblems([("close", "closes before it opens")])
        return self


class Closure(Closed):
    """Dated closure of check-points (dates in each point's local calendar)."""

    id: Text
    kind: Text
    start: IsoDate
    end: IsoDate
    points: Listed[PointId]
    reason: Sentence
    sources: Sources

    @model_validator(mode="after")
    def _ends_after_start(self) -> Closure:
        if self.end < self.start:
            raise FieldProblems([("end", "ends before it starts")])
        return self


class SpringFestivalRule(Closed):
    """The computed Chinese New Year closure for years without a published notice."""

    first_offset_days: int
    days: Count
    points: Listed[PointId]
    estimated: bool = True
    note: str = ""
    sources: Sources


class Closures(Closed):
    spring_festival: SpringFestivalRule
    dated: Listed[Closure] = ()


class HolidayNote(Closed):
    """A warning for days that are public holidays in one country (from the holidays package)."""

    names: Listed[Text]
    text: Sentence
    sources: Sources


class Period(Closed):
    start: MonthDay
    end: MonthDay
    label: Text


class IceRisk(Closed):
    """Yearly freeze-up / break-up periods when river crossings can stop at short notice."""

    periods: Listed[Period]
    modes: Listed[ModeId]
    estimated: bool = True
    text: Sentence
    sources: Sources


class Policy(Closed):
    buffer_minutes: Count
    expiry_warning_days: Count
    note: str = ""


class CrossingData(Closed):
    """Everything in data/crossing.json, validated; `source` and `visa_base` are set by the
    loader (they are not in the file)."""

    format: Literal["amur-crossing/1"]
    checked: IsoDate
    about: str = ""
    # Who translated the traveller texts ({zh, ru, en}): e.g. editor translations of the English.
    translations: str = ""
    policy: Policy
    points: Listed[Point]
    modes: Modes
    checkpoint_minutes: CheckpointMinutes
    port_hours: Listed[PortHours] = ()
    closures: Closures
    holiday_notes: dict[Country, HolidayNote] = {}
    ice_risk: IceRisk
    customs: dict[Country, Note] = {}
    documents: dict[str, Note]
    entry_rules: Listed[EntryRule]
    _source: str = PrivateAttr("<memory>")
    # The base layer (data/passport_index.csv): answers where no entry rule names the passport.
    _visa_base: VisaBase | None = PrivateAttr(None)

    @property
    def source(self) -> str:
        """Where the facts were read from (a path, or "<memory>")."""
        return self._source

    @property
    def visa_base(self) -> VisaBase | None:
        return self._visa_base

    def read_from(self, source: str, visa_base: VisaBase | None) -> CrossingData:
        """A copy that knows where it was read from, with the base layer of the entry rules."""
        copy = self.model_copy()
        copy._source, copy._visa_base = source, visa_base
        return copy

    def with_closures(self, extra: tuple[Closure, ...]) -> CrossingData:
        """A copy with more dated closures (the agency's crossing notices)."""
        closures = self.closures.model_copy(update={"dated": (*self.closures.dated, *extra)})
        return self.model_copy(update={"closures": closures})

    def point(self, point_id: str) -> Point:
        """The point of that id (ids are checked when the file is read)."""
        for point in self.points:
            if point.id == point_id:
                return point
        raise KeyError(point_id)

    @property
    def buffer_minutes(self) -> int:
        return self.policy.buffer_minutes

    @property
    def expiry_warning_days(self) -> int:
        return self.policy.expiry_warning_days

    @field_validator("points")
    @classmethod
    def _unique_ids(cls, points: tuple[Point, ...]) -> tuple[Point, ...]:
        seen: set[str] = set()
        problems = []
        for index, point in enumerate(points):
            if point.id in seen:
                problems.append((f"[{index}].id", f"duplicate id {point.id!r}"))
            seen.add(point.id)
        if problems:
            raise FieldProblems(problems)
        return points

    @field_validator("documents")
    @classmethod
    def _documents_of_others(cls, documents: dict[str, Note]) -> dict[str, Note]:
        if "other" not in documents:
            raise FieldProblems([("other", "missing (documents of third-country travellers)")])
        return documents
