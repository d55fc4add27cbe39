"""The format of data/crossing.json as pydantic models: types, formats and cross-references.

Strict types (no "5" for 5), closed objects (`extra="forbid"`: a misspelt key is an error, not
a silently ignored fact), and every fact needs at least one source {url, supports, checked}.
Point ids are checked against the file's own points through the validation context
(`{"points": {id: city}}`), so a wrong id is reported at the field that holds it.
load.py turns a ValidationError into CrossingDataError messages and the models into facts.
"""

from __future__ import annotations

from datetime import date, time
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from planner.errors import PlannerError

ModeId = Literal["ship", "hovercraft", "pontoon_bus", "bridge_bus", "cableway"]
City = Literal["heihe", "blagoveshchensk"]
Country = Literal["CN", "RU"]
TimetableStatus = Literal["published", "ambiguous", "derived", "estimated", "unknown"]
CoordConfidence = Literal["high", "medium", "low", "estimated", "unknown"]
Confidence = Literal["high", "medium", "low"]
# primary: official (governments, ministries, operators, ports, checkpoint agencies);
# secondary: press and news agencies; tertiary: guides, personal sites, wikis, AI-assisted guides.
Grade = Literal["primary", "secondary", "tertiary"]


class FieldProblems(PlannerError, ValueError):
    """Problems found by a validator below the field it runs on: (sub-path, message) each."""

    def __init__(self, items: list[tuple[str, str]]) -> None:
        self.items = items
        super().__init__("; ".join(f"{path}: {message}" for path, message in items))


def _text(value: str) -> str:
    if not value.strip():
        raise ValueError("missing or not a non-empty string")
    return value


def _iso_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValueError(f"expected a date YYYY-MM-DD, got {value!r}") from None


def _month_day(value: Any) -> tuple[int, int]:
    try:
        if not isinstance(value, str):
            raise ValueError
        month, day = (int(part) for part in value.split("-"))
        date(2000, month, day)  # a leap year, so 02-29 is accepted
        return (month, day)
    except ValueError:
        raise ValueError(f"expected a month-day MM-DD, got {value!r}") from None


def _minute(value: Any) -> int:
    """'HH:MM' as minutes after midnight; '24:00' is allowed as a closing time."""
    try:
        if not isinstance(value, str):
            raise ValueError
        hours, minutes = (int(part) for part in value.split(":"))
        if not (0 <= hours <= 24 and 0 <= minutes < 60) or (hours == 24 and minutes):
            raise ValueError
        return hours * 60 + minutes
    except ValueError:
        raise ValueError(f"expected a time HH:MM, got {value!r}") from None


def _departure(value: Any) -> time:
    if isinstance(value, time):
        return value
    minute = _minute(value)
    if minute >= 24 * 60:
        raise ValueError("a departure time must be before 24:00")
    return time(minute // 60, minute % 60)


def _known_point(value: str, info: ValidationInfo) -> str:
    points = (info.context or {}).get("points")
    if points is not None and value not in points:
        raise ValueError(f"unknown point id {value!r}")
    return value


Text = Annotated[str, AfterValidator(_text)]
IsoDate = Annotated[date, BeforeValidator(_iso_date)]
MonthDay = Annotated[tuple[int, int], BeforeValidator(_month_day)]
Minute = Annotated[int, BeforeValidator(_minute)]
Departure = Annotated[time, BeforeValidator(_departure)]
Count = Annotated[int, Field(ge=0)]
PointId = Annotated[str, AfterValidator(_known_point)]


class Closed(BaseModel):
    """A JSON object of the format: strict types, no unknown keys, immutable."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class SourceModel(Closed):
    url: Text
    supports: Text
    checked: IsoDate
    # Required in crossing.json: no default, so a source is never silently taken as primary.
    grade: Grade


def only_tertiary(sources: list[SourceModel]) -> bool:
    """Whether a fact rests only on tertiary sources (then it is `low` whatever they say)."""
    return bool(sources) and all(s.grade == "tertiary" for s in sources)


Sources = Annotated[list[SourceModel], Field(min_length=1)]


class Name(Closed):
    zh: Text
    ru: Text
    en: Text


# A text a traveller reads: {zh, ru, en}, or (older copies, tests) English only, which is then
# shown in English in every language. The shipped file is fully translated (tested).
Sentence = Name | Text
OptionalSentence = Name | str


def blank(text: Name | str) -> bool:
    """Whether a sentence is missing ("" or only spaces)."""
    return not text.en.strip() if isinstance(text, Name) else not text.strip()


class Location(Closed):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class PointModel(Closed):
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
    def _coordinate_is_qualified(self) -> PointModel:
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


class SideMap(Closed):
    """A point id for each bank; the point must exist and stand in that city."""

    heihe: PointId
    blagoveshchensk: PointId

    @field_validator("heihe", "blagoveshchensk")
    @classmethod
    def _point_in_city(cls, value: str, info: ValidationInfo) -> str:
        points = (info.context or {}).get("points") or {}
        if value in points and points[value] != info.field_name:
            raise ValueError(f"point {value!r} is not in {info.field_name}")
        return value


class Range(Closed):
    start: IsoDate
    end: IsoDate | None = None


class Season(Closed):
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


class TimetableModel(Closed):
    status: TimetableStatus
    as_of: Count
    times: list[Departure] = []
    every: Every | None = None
    # True when the times are doubtful even though 'published' (e.g. copied from another year or
    # mode); derived/estimated/ambiguous timetables and old `as_of` years are indicative anyway.
    indicative: bool = False
    note: OptionalSentence = ""
    sources: Sources

    @model_validator(mode="after")
    def _has_departures(self) -> TimetableModel:
        if self.every is not None and self.times:
            raise FieldProblems([("every", "give either times or every, not both")])
        if self.status != "unknown" and not self.times and self.every is None:
            raise FieldProblems(
                [("times", "a timetable that is not 'unknown' needs departure times")]
            )
        if self.indicative and blank(self.note):
            raise FieldProblems([("note", "an indicative timetable must say why")])
        return self


class RideModel(Closed):
    minutes: Count
    includes_checkpoints: bool = False
    estimated: bool = False
    note: OptionalSentence = ""
    sources: Sources


class FareModel(Closed):
    amount: Annotated[float, Field(ge=0)] | None = None
    currency: Literal["CNY", "RUB"]
    note: OptionalSentence = ""
    sources: Sources


class NoteModel(Closed):
    text: Sentence
    sources: Sources


class ModeModel(Closed):
    in_service: bool
    status: OptionalSentence = ""
    name: Name
    points: SideMap
    checkpoints: SideMap
    explicit_range: Range
    seasons: list[Season] = []
    typical: list[Typical] = []
    typical_sources: list[SourceModel] = []
    timetables: dict[City, TimetableModel] = {}
    ride: RideModel | None = None
    fares: dict[City, FareModel] = {}
    notes: list[NoteModel] = []
    status_sources: list[SourceModel] = []
    # The date of the latest source that states the status (required when not in service).
    status_date: IsoDate | None = None

    @model_validator(mode="after")
    def _complete_for_its_service(self) -> ModeModel:
        need_source = "a fact needs at least one source {url, supports, checked}"
        problems: list[tuple[str, str]] = []
        if self.typical and not self.typical_sources:
            problems.append(("typical_sources", need_source))
        if self.in_service:
            for city in ("heihe", "blagoveshchensk"):
                if city not in self.timetables:
                    problems.append((f"timetables.{city}", "missing (use status 'unknown')"))
                if city not in self.fares:
                    problems.append((f"fares.{city}", "missing (use amount null for unknown)"))
            if self.ride is None:
                problems.append(("ride", "missing: a mode in service needs its time on the way"))
            if not self.seasons and not self.typical:
                problems.append(("seasons", "a mode in service needs a season"))
        else:
            if blank(self.status):
                problems.append(("status", "a mode not in service must say why"))
            if not self.status_sources:
                problems.append(("status_sources", need_source))
            if self.status_date is None:
                problems.append(("status_date", "a mode not in service must date its status"))
        if problems:
            raise FieldProblems(problems)
        return self


class Modes(Closed):
    """Every mode of the model, each exactly once."""

    ship: ModeModel
    hovercraft: ModeModel
    pontoon_bus: ModeModel
    bridge_bus: ModeModel
    cableway: ModeModel


class Side(Closed):
    exit: Count
    entry: Count


class GroupMinutesModel(Closed):
    """Extra minutes an organised group needs at a check-point (an assumption: no source)."""

    minutes_per_passenger: Count
    max_minutes: Count
    estimated: Literal[True]  # no stored source times group processing: always an estimate
    note: Text


class CheckpointMinutesModel(Closed):
    heihe: Side
    blagoveshchensk: Side
    estimated: bool = False
    note: str = ""
    sources: Sources
    group: GroupMinutesModel | None = None


class PortHoursModel(Closed):
    point: PointId
    modes: list[ModeId] = []
    open: Minute
    close: Minute
    estimated: bool = False
    note: str = ""
    sources: Sources

    @model_validator(mode="after")
    def _opens_before_closing(self) -> PortHoursModel:
        if self.close < self.open:
            raise FieldProblems([("close", "closes before it opens")])
        return self


class DatedClosure(Closed):
    id: Text
    kind: Text
    start: IsoDate
    end: IsoDate
    points: list[PointId]
    reason: Sentence
    sources: Sources

    @model_validator(mode="after")
    def _ends_after_start(self) -> DatedClosure:
        if self.end < self.start:
            raise FieldProblems([("end", "ends before it starts")])
        return self


class SpringFestival(Closed):
    first_offset_days: int
    days: Count
    points: list[PointId]
    estimated: bool = True
    note: str = ""
    sources: Sources


class Closures(Closed):
    spring_festival: SpringFestival
    dated: list[DatedClosure] = []


class HolidayNoteModel(Closed):
    names: list[Text]
    text: Sentence
    sources: Sources


class Period(Closed):
    start: MonthDay
    end: MonthDay
    label: Text


class IceRiskModel(Closed):
    periods: list[Period]
    modes: list[ModeId]
    estimated: bool = True
    text: Sentence
    sources: Sources


class ExtensionModel(Closed):
    valid_until: IsoDate
    confidence: Confidence
    verify: bool = False
    text: Sentence
    sources: Sources


class AppliedExtension(ExtensionModel):
    """An extension the planner applies: verified, so it needs a primary source."""

    @model_validator(mode="after")
    def _verified(self) -> AppliedExtension:
        problems = []
        if self.verify or self.confidence == "low":
            problems.append(
                (
                    "confidence",
                    "an applied extension must be verified (not low, not verify): "
                    "put a reported one under 'reported_extensions'",
                )
            )
        if not any(s.grade == "primary" for s in self.sources):
            problems.append(("sources", "an applied extension needs a primary source"))
        if problems:
            raise FieldProblems(problems)
        return self


class AfterEnd(Closed):
    status: Literal["visa_required", "unknown"]
    text: Sentence


def _iso_country(value: str) -> str:
    import pycountry

    if value != value.upper() or pycountry.countries.get(alpha_2=value) is None:
        raise ValueError(f"expected an ISO 3166-1 alpha-2 code, got {value!r}")
    return value


IsoCountry = Annotated[str, AfterValidator(_iso_country)]


class EntryRuleModel(Closed):
    id: Text
    enters: Annotated[list[Country], Field(min_length=1)]
    nationalities: Annotated[list[Literal["CN", "RU", "other"]], Field(min_length=1)]
    # For 'other': the rule applies only to these ISO 3166-1 alpha-2 codes (empty: all others).
    countries: list[IsoCountry] = []
    permits: bool
    title: Sentence
    valid_from: IsoDate
    valid_until: IsoDate | None = None
    party_min: Annotated[int, Field(ge=1)] = 1
    party_max: Annotated[int, Field(ge=1)] | None = None
    max_stay_days: Count | None = None
    confidence: Confidence
    documents: list[Sentence] = []
    extensions: list[AppliedExtension] = []
    # Reported but unverified extensions: shown as a note, never applied.
    reported_extensions: list[ExtensionModel] = []
    after_end: AfterEnd | None = None
    note: OptionalSentence = ""
    checked: IsoDate
    sources: Sources

    @model_validator(mode="after")
    def _graded_confidence(self) -> EntryRuleModel:
        problems = []
        if only_tertiary(self.sources) and self.confidence != "low":
            problems.append(("confidence", "a rule resting only on tertiary sources must be 'low'"))
        for index, ext in enumerate(self.reported_extensions):
            if only_tertiary(ext.sources) and ext.confidence != "low":
                problems.append(
                    (
                        f"reported_extensions[{index}].confidence",
                        "an extension resting only on tertiary sources must be 'low'",
                    )
                )
        if self.countries and "other" not in self.nationalities:
            problems.append(("countries", "a country list narrows 'other': add 'other'"))
        if self.valid_until is not None and self.permits and self.after_end is None:
            problems.append(("after_end", "a rule with an end date must say what applies after it"))
        if problems:
            raise FieldProblems(problems)
        return self


class Policy(Closed):
    buffer_minutes: Count
    expiry_warning_days: Count
    note: str = ""


class CrossingFile(Closed):
    """The whole file."""

    format: Literal["amur-crossing/1"]
    checked: IsoDate
    about: str = ""
    # Who translated the traveller texts ({zh, ru, en}): e.g. editor translations of the English.
    translations: str = ""
    policy: Policy
    points: list[PointModel]
    modes: Modes
    checkpoint_minutes: CheckpointMinutesModel
    port_hours: list[PortHoursModel] = []
    closures: Closures
    holiday_notes: dict[Country, HolidayNoteModel] = {}
    ice_risk: IceRiskModel
    customs: dict[Country, NoteModel] = {}
    documents: dict[str, NoteModel]
    entry_rules: list[EntryRuleModel]

    @field_validator("points")
    @classmethod
    def _unique_ids(cls, points: list[PointModel]) -> list[PointModel]:
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
    def _documents_of_others(cls, documents: dict[str, NoteModel]) -> dict[str, NoteModel]:
        if "other" not in documents:
            raise FieldProblems([("other", "missing (documents of third-country travellers)")])
        return documents


def point_cities(raw: Any) -> dict[str, str]:
    """{point id: city} read leniently from the raw file, the context for point references."""
    points = raw.get("points") if isinstance(raw, dict) else None
    if not isinstance(points, list):
        return {}
    return {
        p["id"]: p.get("city")
        for p in points
        if isinstance(p, dict) and isinstance(p.get("id"), str)
    }
