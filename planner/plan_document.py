"""The saved plan as a typed, versioned document: what a revision keeps, read once, read by all.

`PlanDocument.from_itinerary` builds it from a planned itinerary (`planner.plan_writer`), with
`documents.itinerary_document` adding the totals and `documents.finish_document` the request's
sections; a revision keeps its `to_json()`: the JSON shape is the model's, and so is the OpenAPI
description of a plan (`PlanDocument.model_json_schema()`). Every output (page, print view,
PDF, exports, API, the command line's text and JSON) and the core that edits a saved plan
(`changes`, `replan`, `agency`, `edits`) read the model's attributes; times are aware
datetimes, parsed once here. `PlanDocument.from_saved` reads any saved revision: one of an
older version is migrated first (`migrate`).

Version 1: every plan saved before the document had a version (no `document_version` key).
Version 2: the same shape with `document_version`; the changes of version 1 that older revisions
may lack (per-day totals, vehicle hire, entry layers, agency sections) read as their defaults.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Annotated, Any, ClassVar, Literal, Union

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
    model_serializer,
)

from planner.errors import PlannerError
from planner.messages import Message
from planner.model import LocalizedName

DOCUMENT_VERSION = 2


class PlanUnreadable(PlannerError):
    """A saved plan document this planner cannot read: of a newer version, or damaged."""


def _minutes(value: dt.datetime) -> str:
    return value.isoformat(timespec="minutes")


# An aware datetime, written as ISO 8601 to the minute with its offset (serialize.iso).
Moment = Annotated[AwareDatetime, PlainSerializer(_minutes, return_type=str, when_used="json")]


class _Doc(BaseModel):
    """Fields missing from an older revision read as their defaults; keys no longer written
    are ignored. OMIT_NONE: keys the writer leaves out when they have no value."""

    model_config = ConfigDict(extra="ignore")
    OMIT_NONE: ClassVar[tuple[str, ...]] = ()

    @model_serializer(mode="wrap")
    def _omit_none(self, handler: Any) -> Any:
        out = handler(self)
        for key in self.OMIT_NONE:
            if isinstance(out, dict) and out.get(key) is None:
                out.pop(key, None)
        return out


# A message parameter: a nested message, a text in three languages, a plain value, or several
# (planner.messages.Param). Tried left to right, so that a number stays a number.
_Value = Union["PlanMessage", LocalizedName, StrictBool, StrictInt, StrictFloat, StrictStr, None]
Param = Annotated[
    _Value | list[Annotated[_Value, Field(union_mode="left_to_right")]],
    Field(union_mode="left_to_right"),
]


def _param(value: Any) -> Any:
    if isinstance(value, PlanMessage):
        return value.to_message()
    if isinstance(value, LocalizedName):
        return value
    if isinstance(value, list):
        return tuple(_param(v) for v in value)
    return value


class PlanMessage(_Doc):
    """A reason or warning as the core gave it (planner.messages.Message): a code and the values
    of its sentence; `text` is that sentence, added only when a plan is shown (`with_texts`)."""

    model_config = ConfigDict(extra="forbid")
    OMIT_NONE = ("text",)
    code: str
    params: dict[str, Param] = {}
    text: str | None = None

    def to_message(self) -> Message:
        return Message(self.code, {k: _param(v) for k, v in self.params.items()})


class Notice(PlanMessage):
    """A warning with its severity: red (not safe as it stands), amber (a risk), info."""

    severity: Literal["red", "amber", "info"]


class Leg(_Doc):
    """The way to a stop: mode, whole minutes, km."""

    mode: str
    minutes: int
    km: float


class LatLon(_Doc):
    lat: float
    lon: float


class Source(_Doc):
    OMIT_NONE = ("point", "covers")
    url: str
    supports: str
    checked: dt.date
    point: LatLon | None = None
    covers: list[Any] | None = None


class PlaceRef(_Doc):
    """A catalogue place: its id, names and city."""

    attraction_id: str
    name: LocalizedName
    city: str


class Stop(PlaceRef):
    """A place visited, on the clock of its city."""

    arrive: Moment
    depart: Moment
    zone: str
    leg: Leg | None = None
    hours_verified: bool = True
    price: float | None = None
    currency: str = "CNY"


class MealItem(_Doc):
    """Lunch or dinner: at a catalogue place, or near where the traveller is (`near`)."""

    kind: str  # lunch | dinner
    start: Moment
    end: Moment
    zone: str
    city: str
    place: PlaceRef | None = None
    near: str = "last_stop"
    leg: Leg | None = None


class Point(_Doc):
    """A crossing point (port, check-point)."""

    id: str
    city: str
    name: LocalizedName
    location: LatLon | None = None
    coord_confidence: str | None = None
    coord_uncertainty_m: int | None = None


class Fare(_Doc):
    amount: float | None = None
    currency: str = "CNY"


class Clock(_Doc):
    time: Moment
    zone: str


class CrossingClocks(_Doc):
    """A crossing's times on one city's clock."""

    report_by: Clock
    depart: Clock
    arrive: Clock


class CrossingItem(_Doc):
    """A crossing of the plan: where to be by when, on both clocks, papers, fare, the way there."""

    mode: str
    mode_name: LocalizedName
    depart: Moment
    depart_zone: str
    arrive: Moment
    arrive_zone: str
    report_by: Moment
    report_by_zone: str = ""
    indicative: bool = False
    minutes: int
    fare: Fare
    from_point: Point
    to_point: Point
    documents: list[PlanMessage] = []
    warnings: list[PlanMessage] = []
    sources: list[Source] = []
    estimated: bool = False
    entry_rule: str | None = None
    entry_basis: PlanMessage | None = None
    direction_from: str
    clocks: dict[str, CrossingClocks] = {}
    leg: Leg | None = None
    last_of_day: bool = False
    back_by: Moment | None = None


class VisitEntry(Stop):
    type: Literal["visit"] = "visit"


class MealEntry(MealItem):
    type: Literal["meal"] = "meal"


class CrossingEntry(CrossingItem):
    type: Literal["crossing"] = "crossing"


Item = Annotated[VisitEntry | MealEntry | CrossingEntry, Field(discriminator="type")]


class Money(_Doc):
    amount: float
    currency: str


class Exchange(_Doc):
    cny_per_unit: dict[str, float]
    checked: dt.date
    status: str = ""
    note: str = ""


class Vehicles(_Doc):
    mode: str
    count: int


class Totals(_Doc):
    """What a plan (or a day) adds up to, for the whole party (planner.totals.trip_totals)."""

    party_size: int
    minutes: dict[str, int]  # walk, ride, crossing
    km: dict[str, float]  # walk, ride
    entry_fees: dict[str, float] = {}
    crossing_fares: dict[str, float] = {}
    vehicle_hire: dict[str, float] = {}
    vehicle_hire_estimated: bool = False
    vehicles: Vehicles | None = None
    unknown_prices: dict[str, int] = {}
    sum: Money
    exchange: Exchange


class Day(_Doc):
    """One calendar day: its items in order, and the same items by kind."""

    OMIT_NONE = ("totals",)
    date: dt.date
    city_start: str
    city_end: str
    start: Moment
    leave_at: Moment | None = None
    end: Moment
    end_place: str = "hotel"  # hotel | departure
    items: list[Item] = []
    stops: list[Stop] = []
    meals: list[MealItem] = []
    crossings: list[CrossingItem] = []
    end_leg: Leg | None = None
    warnings: list[Notice] = []
    totals: Totals | None = None


class LeftOut(_Doc):
    """A place not scheduled: the reason code and its sentence's message."""

    attraction_id: str
    name: LocalizedName
    reason: str
    detail: PlanMessage


class Passenger(_Doc):
    order: int
    name: str
    document_no: str | None = None


class MeetingPoint(_Doc):
    """As typed (`text`), or a catalogue place's id, city, names and position."""

    text: str = ""
    place_id: str | None = None
    city: str | None = None
    name: LocalizedName | None = None
    location: LatLon | None = None


class Guide(_Doc):
    name: str = ""
    phone: str = ""


class GroupMeeting(_Doc):
    """Where and when the group meets before one crossing (`meet_at`)."""

    day: int
    date: dt.date
    mode: str
    direction_from: str
    checkpoint: LocalizedName
    report_by: Moment
    report_by_zone: str = ""
    meet_at: Moment
    guide_before: Guide | None = None
    guide_after: Guide | None = None


class Group(_Doc):
    passengers: list[Passenger] = []
    meeting_point: MeetingPoint = MeetingPoint()
    meeting_minutes_before: int = 15
    guides: dict[str, Guide | None] = {}
    crossings: list[GroupMeeting] = []


class Agency(_Doc):
    name: str = ""
    contact: str = ""
    logo: str | None = None


class CrossingNotice(_Doc):
    """A published crossing notice whose dates the trip touches."""

    id: int | str
    start: dt.date
    end: dt.date
    scope: str
    effect: str
    texts: dict[str, str] = {}


class PlanDocument(_Doc):
    """A saved plan: its days, the places left out, the warnings, the totals and the agency's
    sections. `from_saved` reads any saved revision; `to_json` is what a revision keeps."""

    OMIT_NONE = ("changes",)
    document_version: int = DOCUMENT_VERSION
    days: list[Day]
    left_out: list[LeftOut] = []
    warnings: list[Notice] = []
    score: int = 0
    stats: dict[str, Any] = {}
    totals: Totals | None = None
    agency: Agency | None = None
    group: Group | None = None
    notices: list[CrossingNotice] = []
    # What the last edit changed (planner.changes): stop_added, stop_removed, stop_moved, ...
    changes: list[PlanMessage] | None = None

    @classmethod
    def from_saved(cls, data: dict[str, Any]) -> PlanDocument:
        """The document of a saved revision of any version (older ones are migrated);
        PlanUnreadable when it is of a newer version or does not have the shape of one."""
        if not isinstance(data, dict):
            raise PlanUnreadable("the saved plan is not a document (not a JSON object)")
        try:
            return cls.model_validate(migrate(data))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            raise PlanUnreadable(
                f"the saved plan cannot be read: {exc.error_count()} problem(s), first at "
                f"{where}: {first['msg']}"
            ) from None

    @classmethod
    def from_itinerary(cls, it: Any) -> PlanDocument:
        """The document of a planned itinerary (planner.plan_writer): its days, the places left
        out, the warnings; the totals and the request's sections are added by planner.documents."""
        from planner.plan_writer import document_of  # the writer reads the planner's types

        return document_of(it)

    def to_json(self) -> dict[str, Any]:
        """The JSON a revision keeps (times ISO 8601 to the minute, with their offset)."""
        return self.model_dump(mode="json")

    def messages(self) -> Iterator[PlanMessage]:
        """Every message of the document (warnings, reasons, papers, changes), nested ones not."""
        yield from _messages(self)

    def with_texts(self, render: Callable[[PlanMessage], str]) -> PlanDocument:
        """A copy with each message's sentence in `text` (*render* words it)."""
        copy = self.model_copy(deep=True)
        for message in copy.messages():
            message.text = render(message)
        return copy


def _messages(value: Any) -> Iterator[PlanMessage]:
    if isinstance(value, PlanMessage):
        yield value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _messages(getattr(value, name))
    elif isinstance(value, list):
        for item in value:
            yield from _messages(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _messages(item)


def saved_version(data: dict[str, Any]) -> int:
    """The version of a saved document: 1 for those saved before documents had one. A version
    that is not a whole number from 1 is a damaged document, never read as version 1."""
    version = data.get("document_version", 1)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise PlanUnreadable(f"plan document version {version!r} is not a version number")
    return version


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """A saved document of any version in the shape of the current one."""
    version = saved_version(data)
    if version > DOCUMENT_VERSION:
        raise PlanUnreadable(f"plan document version {version} is newer than this planner's")
    if version == 1:
        # Version 1 is version 2's shape less the version (its later keys have defaults).
        data = {**data, "document_version": 2}
    return data
