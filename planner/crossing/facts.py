"""The facts of data/crossing.json as frozen dataclasses, and the answers built on them.

Pure data, no behaviour beyond small properties: load.py builds these from the validated file,
options.py and entry.py decide on them. Texts a traveller reads are `LocalizedName`s (zh, ru,
en; an English-only text of an older file has empty zh and ru and falls back to English);
the answers carry `Message` codes that the adapters render in the traveller's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time

from planner.crossing.base import VisaBase
from planner.messages import Message
from planner.model import Fare, LatLon, LocalizedName, Source

MODES: tuple[str, ...] = ("ship", "hovercraft", "pontoon_bus", "bridge_bus", "cableway")
TIMETABLE_STATUSES = ("published", "ambiguous", "derived", "estimated", "unknown")
COORD_CONFIDENCE = ("high", "medium", "low", "estimated", "unknown")

# --------------------------------------------------------------------------- the data


@dataclass(frozen=True)
class GradedSource(Source):
    """A source of data/crossing.json with its grade: primary, secondary or tertiary.

    `as_dict()` is the plain {url, supports, checked} of `Source`; read `grade` for the rest.
    """

    grade: str = ""


@dataclass(frozen=True)
class Note:
    """A sourced sentence shown to the traveller (luggage, queues, customs...)."""

    text: LocalizedName
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Point:
    """A terminal or check-point; location None when no source locates it."""

    id: str
    city: str
    kind: str
    name: LocalizedName
    location: LatLon | None
    coord_confidence: str
    coord_uncertainty_m: int | None
    coord_method: str
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Window:
    """A dated season of a mode; end None means open-ended."""

    start: date
    end: date | None
    start_estimated: bool
    end_estimated: bool
    note: str
    sources: tuple[Source, ...]

    @property
    def estimated(self) -> bool:
        return self.start_estimated or self.end_estimated

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Timetable:
    """Departures from one side, in that side's local clock."""

    status: str
    as_of: int
    times: tuple[time, ...]
    note: LocalizedName | None
    sources: tuple[Source, ...]
    indicative: bool = False


@dataclass(frozen=True)
class Ride:
    """Time on the way; for the bridge bus it already includes both border controls."""

    minutes: int
    includes_checkpoints: bool
    estimated: bool
    note: LocalizedName | None
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Mode:
    """One way across the river, with its seasons, timetables and fares per side."""

    id: str
    in_service: bool
    name: LocalizedName
    points: Mapping[str, str]
    checkpoints: Mapping[str, str]
    explicit_start: date
    explicit_end: date | None
    seasons: tuple[Window, ...]
    typical: tuple[tuple[tuple[int, int], tuple[int, int]], ...]
    typical_sources: tuple[Source, ...]
    timetables: Mapping[str, Timetable]
    ride: Ride | None
    fares: Mapping[str, Fare]
    notes: tuple[Note, ...]
    status: LocalizedName | None
    status_sources: tuple[Source, ...]
    status_date: date | None = None


@dataclass(frozen=True)
class PortHours:
    """Opening hours of a check-point for some modes, in the point's local clock."""

    point: str
    modes: tuple[str, ...]
    open_minute: int
    close_minute: int
    estimated: bool
    note: str
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Closure:
    """Dated closure of check-points (dates in each point's local calendar)."""

    id: str
    kind: str
    start: date
    end: date
    points: tuple[str, ...]
    reason: LocalizedName
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class SpringFestivalRule:
    """The computed Chinese New Year closure for years without a published notice."""

    first_offset_days: int
    days: int
    points: tuple[str, ...]
    note: str
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Extension:
    """A later end date of an entry rule, often less certain than the rule itself."""

    valid_until: date
    confidence: str
    verify: bool
    text: LocalizedName
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class EntryRule:
    """Who may enter which country on which terms, and what happens after the end date."""

    id: str
    enters: tuple[str, ...]
    nationalities: tuple[str, ...]  # "CN", "RU" or "other"
    permits: bool
    title: LocalizedName
    valid_from: date
    valid_until: date | None
    party_min: int
    party_max: int | None
    max_stay_days: int | None
    confidence: str
    documents: tuple[LocalizedName, ...]
    extensions: tuple[Extension, ...]
    after_end_status: str | None
    after_end_text: LocalizedName | None
    note: LocalizedName | None
    sources: tuple[Source, ...]
    reported_extensions: tuple[Extension, ...] = ()  # shown, never applied
    checked: date | None = None
    countries: tuple[str, ...] = ()  # narrows "other" to these ISO codes; empty = all


@dataclass(frozen=True)
class GroupMinutes:
    """Extra check-point minutes of an organised group: per passenger after the first, capped."""

    minutes_per_passenger: int
    max_minutes: int
    note: str

    def extra(self, party_size: int) -> int:
        return min(self.max_minutes, self.minutes_per_passenger * max(0, party_size - 1))


@dataclass(frozen=True)
class CheckpointMinutes:
    """Typical minutes at exit and entry control on each side."""

    exit: Mapping[str, int]
    entry: Mapping[str, int]
    estimated: bool
    note: str
    sources: tuple[Source, ...]
    group: GroupMinutes | None = None  # an assumption of the data (no source gives a figure)


@dataclass(frozen=True)
class IceRisk:
    """Yearly freeze-up / break-up periods when river crossings can stop at short notice."""

    periods: tuple[tuple[tuple[int, int], tuple[int, int], str], ...]
    modes: tuple[str, ...]
    text: LocalizedName
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class HolidayNote:
    """A warning for days that are public holidays in one country (from the holidays package)."""

    country: str
    names: tuple[str, ...]
    text: LocalizedName
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class CrossingData:
    """Everything in data/crossing.json, validated."""

    source: str
    points: Mapping[str, Point]
    modes: Mapping[str, Mode]
    checkpoint_minutes: CheckpointMinutes
    port_hours: tuple[PortHours, ...]
    closures: tuple[Closure, ...]
    spring_festival: SpringFestivalRule
    holiday_notes: tuple[HolidayNote, ...]
    ice_risk: IceRisk
    customs: Mapping[str, Note]
    documents: Mapping[str, Note]
    entry_rules: tuple[EntryRule, ...]
    buffer_minutes: int
    expiry_warning_days: int
    # The base layer (data/passport_index.csv): answers where no entry rule names the passport.
    visa_base: VisaBase | None = None


# --------------------------------------------------------------------------- the answers


@dataclass(frozen=True)
class CrossingOption:
    """One real departure: times on each side's own clock, door-to-door minutes, fare, sources.

    `report_by` is when to be at `from_point` (exit control and the buffer before `depart`);
    `arrive` is when the traveller is through entry control on the other side;
    `minutes` = arrive - report_by.
    """

    mode: str
    mode_name: LocalizedName
    depart: datetime
    arrive: datetime
    report_by: datetime
    minutes: int
    fare: Fare
    from_point: Point
    to_point: Point
    documents: tuple[Message, ...]
    warnings: tuple[Message, ...]
    sources: tuple[Source, ...]
    entry_rule: str
    estimated: bool
    # "about 10:00 (indicative)": the time is mirrored, reinterpreted, estimated or from an
    # earlier year's timetable than the travel day's year.
    indicative: bool = False
    # Which layer let the traveller in, with its date ("entry_layer_*" messages).
    entry_basis: Message | None = None


@dataclass(frozen=True)
class CrossingAnswer:
    """The options in time order, the deadline to come back, and why there are none or fewer."""

    direction_from: str
    direction_to: str
    after: datetime
    until: datetime
    nationality: str
    party_size: int
    options: tuple[CrossingOption, ...]
    last_return: datetime | None
    reasons: tuple[Message, ...]


@dataclass(frozen=True)
class EntryDecision:
    """Whether a traveller may enter a country on a day, under which rule and with what papers."""

    permitted: bool
    rule_id: str
    documents: tuple[Message, ...]
    warnings: tuple[Message, ...]
    sources: tuple[Source, ...]
    reason: Message | None
    # "own", "rule" (data/crossing.json), "base" (the passport-index layer), "declared" or "none"
    layer: str = "none"
    basis: Message | None = None  # the layer and its date, as an "entry_layer_*" message
    layer_date: date | None = None  # the rule's check date, or the base layer's dataset date
    max_stay_days: int | None = None
