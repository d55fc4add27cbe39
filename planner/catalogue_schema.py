"""The catalogue file's shape: pydantic models of a place, its events' dates and its sources,
with the checks that need more than one field (a fact needs a source; an event needs dates).

planner/catalogue.py loads the file with these and builds the Catalogue.
"""

from __future__ import annotations

import math
from datetime import date, time
from typing import Annotated, Any

import opening_hours
from geojson_pydantic import Feature, FeatureCollection, Point
from geojson_pydantic.types import Position2D
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from planner import region
from planner.coverage import coverage_of
from planner.model import (
    COORD_CONFIDENCE,
    KINDS,
    AnnualDate,
    Attraction,
    EventDates,
    LatLon,
    LocalizedName,
)
from planner.timeutil import CITIES
from planner.validation import (
    CurrencyCode,
    IsoDate,
    PlaceSourceEntry,
    Text,
    between,
    one_of,
)

# The currency of each city's prices (data/region.json).
CURRENCIES: region.CityMap[str] = region.CityMap(lambda c: c.currency)

# A fact is "sourced" when some source's `supports` text names it with one of these words.
FACT_CODES: dict[str, str] = {
    "coordinates": "coordinates",
    "opening_hours": "hours",
    "price": "price",
    "visit_minutes": "visit_minutes",
    "return_km": "return_km",
}


def _months(value: list[int]) -> list[int]:
    if any(not 1 <= m <= 12 for m in value) or len(set(value)) != len(value):
        raise ValueError(f"{value} must be distinct month numbers 1-12")
    return value


def _covered(sources: list[PlaceSourceEntry], fact: str) -> bool:
    code = FACT_CODES[fact]
    for s in sources:
        cov = coverage_of(s.supports)
        if code in cov.codes and code not in cov.unused:
            return True
    return False


def _sourced(info: ValidationInfo, fact: str) -> bool:
    """True unless the sources were read and none of them names *fact*."""
    sources = info.data.get("sources")
    return sources is None or _covered(sources, fact)


def _complete(text: LocalizedName) -> LocalizedName:
    blank = text.blank()
    if blank:
        raise ValueError(f"{', '.join(blank)} must not be empty")
    return text


# A text a traveller reads, in the three languages of the app (all required).
LocalText = Annotated[LocalizedName, AfterValidator(_complete)]


def _clock_span(value: str | None) -> tuple[time, time] | None:
    """'HH:MM-HH:MM' on the local clock, within one day, as a pair of times; None stays None."""
    if value is None:
        return None
    try:
        first, last = (time.fromisoformat(part) for part in value.split("-"))
    except ValueError:
        raise ValueError(f"{value!r} is not a time of day 'HH:MM-HH:MM'") from None
    if not first < last:
        raise ValueError(f"{value!r}: the time of day must end after it starts, the same day")
    return first, last


def _sources_list(sources: list[PlaceSourceEntry]) -> tuple:
    return tuple(s.to_source() for s in sources)


class EventYear(BaseModel):
    """An event's dates in one year: `{year, start, end, time, time_estimated, sources}`, or
    `{year, published: false, checked, searched}` when they are not published."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    year: Annotated[int, between(1900, 2200)]
    published: bool = True
    start: IsoDate | None = None
    end: IsoDate | None = None
    time: str | None = None  # 'HH:MM-HH:MM' on the city's clock; null = time of day unknown
    time_estimated: bool = False
    sources: list[PlaceSourceEntry] = []
    checked: IsoDate | None = None  # not published: the day it was last looked for
    searched: str = ""  # not published: where it was looked for

    @model_validator(mode="after")
    def _dates_or_not_published(self) -> EventYear:
        if not self.published:
            if self.start or self.end or self.time or self.sources:
                raise ValueError(
                    f"{self.year}: not published, so no start, end, time or sources "
                    "(say where it was looked for in 'searched')"
                )
            if self.checked is None or not self.searched.strip():
                raise ValueError(
                    f"{self.year}: dates not published needs 'checked' (the day it was "
                    "looked for) and 'searched' (where)"
                )
            return self
        if self.start is None or self.end is None:
            raise ValueError(
                f"{self.year}: give 'start' and 'end', or mark the year 'published': false"
            )
        if self.start.year != self.year or not self.start <= self.end:
            raise ValueError(
                f"{self.year}: start {self.start} must be in {self.year} and not after "
                f"end {self.end}"
            )
        if (self.end - self.start).days > 366:
            raise ValueError(f"{self.year}: more than a year from start to end")
        if not self.sources:
            raise ValueError(f"{self.year}: no source supports these dates")
        _clock_span(self.time)
        return self

    def to_dates(self) -> EventDates:
        return EventDates(
            year=self.year,
            start=self.start if self.published else None,
            end=self.end if self.published else None,
            hours=_clock_span(self.time),
            hours_estimated=self.time_estimated,
            sources=_sources_list(self.sources),
            checked=self.checked,
            searched=self.searched,
        )


class EventAnnual(BaseModel):
    """An event held every year on one calendar day: `{month, day, time, time_estimated,
    sources}` (Victory Day: 9 May)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    month: Annotated[int, between(1, 12)]
    day: Annotated[int, between(1, 31)]
    time: str | None = None
    time_estimated: bool = False
    sources: Annotated[list[PlaceSourceEntry], Field(min_length=1)]

    @model_validator(mode="after")
    def _a_day_of_every_year(self) -> EventAnnual:
        try:
            date(2027, self.month, self.day)  # not a leap year: 29 February is not every year
        except ValueError:
            raise ValueError(f"{self.day}.{self.month} is not a day of every year") from None
        _clock_span(self.time)
        return self

    def to_annual(self) -> AnnualDate:
        return AnnualDate(
            month=self.month,
            day=self.day,
            hours=_clock_span(self.time),
            hours_estimated=self.time_estimated,
            sources=_sources_list(self.sources),
        )


def _date_months(dates: list[EventYear] | None, annual: EventAnnual | None) -> set[int]:
    """The months an event's published dates fall in."""
    months = {annual.month} if annual is not None else set()
    for entry in dates or ():
        if entry.published and entry.start is not None and entry.end is not None:
            first, last = entry.start, entry.end
            months |= {
                (first.month + n - 1) % 12 + 1
                for n in range((last.year - first.year) * 12 + last.month - first.month + 1)
            }
    return months


class PlaceProperties(BaseModel):
    """A Feature's properties: the planner's fields, plus OSM-style tags (any other text)."""

    model_config = ConfigDict(extra="allow")
    __pydantic_extra__: dict[str, str | None]  # the tags; a tag that is not text is an error

    # Order matters: the checks below read fields declared above them.
    id: Text
    city: Annotated[str, one_of(CITIES)]
    sources: Annotated[list[PlaceSourceEntry], Field(min_length=1)]
    coord_confidence: Annotated[str, one_of(COORD_CONFIDENCE)]
    kind: Annotated[str, one_of(KINDS)]
    category: Text
    name_zh: Text = Field(alias="name:zh")
    name_ru: Text = Field(alias="name:ru")
    name_en: Text = Field(alias="name:en")
    coord_uncertainty_m: Annotated[int, between(0, 1_000_000)]
    coord_method: str
    opening_hours: str | None = None
    hours_verified: bool
    visit_minutes: Annotated[int, between(1, 24 * 60 * 7)]
    price: float | None
    currency: CurrencyCode
    indoor: bool | None
    months: Annotated[list[int], Field(min_length=1), AfterValidator(_months)]
    popularity: Annotated[int, between(1, 10)]
    interests: list[Text]
    address: Text
    # What a traveller reads, {zh, ru, en}; the research log stays in editorial_note.
    note: LocalText | None = None
    editorial_note: str = ""
    notes: str | None = None  # the old single field: rejected with the way to split it
    # Day trips: round-trip road distance from the city in km (sourced); the planner offers a day
    # trip only within a configurable return distance. Optional; null or absent = unknown.
    return_km: float | None = None
    # Events: their dates per year (or "not published" for a year), and/or a rule for a fixed
    # calendar day; an event without either is refused, so none is planned on a guessed day.
    dates: list[EventYear] | None = None
    annual: EventAnnual | None = Field(default=None, validate_default=True)

    @field_validator("coord_confidence")
    @classmethod
    def _coordinates_sourced(cls, value: str, info: ValidationInfo) -> str:
        if value != "estimated" and not _sourced(info, "coordinates"):
            # Reported under 'sources' (the fix is there); raised here so that a missing
            # source of the point does not hide the other facts' sources from their checks.
            raise PydanticCustomError(
                "unsourced",
                f"no source supports the coordinates (confidence {value!r}); "
                "name 'coordinates' in a source's supports, or mark the point estimated",
                {"field": "sources"},
            )
        return value

    @field_validator("coord_uncertainty_m")
    @classmethod
    def _estimate_has_uncertainty(cls, value: int, info: ValidationInfo) -> int:
        if info.data.get("coord_confidence") == "estimated" and value <= 0:
            raise ValueError("an estimated point needs an uncertainty > 0 m")
        return value

    @field_validator("coord_method")
    @classmethod
    def _estimate_has_method(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("coord_confidence") == "estimated" and not value.strip():
            raise ValueError("an estimated point must say how it was estimated")
        return value

    @field_validator("opening_hours")
    @classmethod
    def _hours_parse_and_are_sourced(cls, value: str | None, info: ValidationInfo) -> Any:
        if value is None:
            return None
        if not value.strip():
            raise ValueError("expected OSM opening_hours text or null")
        if not opening_hours.validate(value):
            raise ValueError(f"cannot parse {value!r} as OSM opening_hours")
        if not _sourced(info, "opening_hours"):
            raise ValueError("no source supports the hours ('hours' in supports)")
        return value

    @field_validator("hours_verified")
    @classmethod
    def _verified_hours_exist(cls, value: bool, info: ValidationInfo) -> bool:
        if value and "opening_hours" in info.data and info.data["opening_hours"] is None:
            raise ValueError("true, but opening_hours is null")
        return value

    @field_validator("visit_minutes")
    @classmethod
    def _visit_is_sourced(cls, value: int, info: ValidationInfo) -> int:
        if not _sourced(info, "visit_minutes"):
            raise ValueError(
                "no source names visit_minutes (say whose default it is in a source's supports)"
            )
        return value

    @field_validator("price")
    @classmethod
    def _price_is_a_sourced_price(cls, value: float | None, info: ValidationInfo) -> Any:
        if value is None:
            return None
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"{value} is not a price (must be 0 or more)")
        if not _sourced(info, "price"):
            raise ValueError("no source supports the price ('price' in supports)")
        return value

    @field_validator("currency")
    @classmethod
    def _currency_of_the_city(cls, value: str, info: ValidationInfo) -> str:
        city = info.data.get("city")
        if city in CURRENCIES and value != CURRENCIES[city]:
            raise ValueError(f"{value!r} is not the currency of {city} ({CURRENCIES[city]})")
        return value

    @field_validator("notes")
    @classmethod
    def _notes_were_split(cls, value: str | None) -> None:
        if value is not None:
            raise ValueError(
                "'notes' was split: put what a traveller reads in 'note' ({zh, ru, en}) and "
                "the research log in 'editorial_note'"
            )
        return None

    @field_validator("return_km")
    @classmethod
    def _return_km_is_a_sourced_distance(cls, value: float | None, info: ValidationInfo) -> Any:
        if value is None:
            return None
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"{value} is not a distance (must be 0 km or more)")
        if not _sourced(info, "return_km"):
            raise ValueError("no source supports the distance ('return_km' in supports)")
        return value

    @field_validator("dates")
    @classmethod
    def _one_entry_a_year(cls, value: list[EventYear] | None) -> Any:
        if value is not None:
            years = [entry.year for entry in value]
            twice = sorted({y for y in years if years.count(y) > 1})
            if twice:
                raise ValueError(f"year(s) {twice} listed more than once")
        return value

    @field_validator("annual")
    @classmethod
    def _events_have_dates(cls, value: EventAnnual | None, info: ValidationInfo) -> Any:
        kind = info.data.get("kind")
        has_dates = bool(info.data.get("dates")) or value is not None
        if kind == "event" and not has_dates and "dates" in info.data:
            raise PydanticCustomError(
                "event_without_dates",
                "an event needs its dates per year ('dates': year, start, end, time, "
                "time_estimated, sources; or year, published false, checked, searched) "
                "or an 'annual' rule; months alone do not place it",
                {"field": "dates"},
            )
        if kind is not None and kind != "event" and has_dates:
            raise PydanticCustomError(
                "dates_not_event",
                f"only an event carries 'dates' or 'annual' (this is a {kind})",
                {"field": "dates"},
            )
        listed = set(info.data.get("months") or range(1, 13))  # broken months: reported there
        outside = sorted(_date_months(info.data.get("dates"), value) - listed)
        if outside:
            # The planner visits a place only in its months: dates outside them would be lost.
            raise PydanticCustomError(
                "dates_outside_months",
                f"dates fall in month(s) {outside}, which 'months' does not list",
                {"field": "months"},
            )
        return value

    def to_attraction(self, location: LatLon) -> Attraction:
        tags: dict[str, Any] = {k: v for k, v in (self.model_extra or {}).items() if v is not None}
        if self.return_km is not None:
            tags["return_km"] = self.return_km  # read by the planner; a number, not text
        return Attraction(
            id=self.id,
            city=self.city,
            kind=self.kind,
            category=self.category,
            name=LocalizedName(zh=self.name_zh, ru=self.name_ru, en=self.name_en),
            location=location,
            coord_confidence=self.coord_confidence,
            coord_uncertainty_m=self.coord_uncertainty_m,
            coord_method=self.coord_method,
            opening_hours=self.opening_hours,
            hours_verified=self.hours_verified,
            visit_minutes=self.visit_minutes,
            price=self.price,
            currency=self.currency,
            indoor=self.indoor,
            months=tuple(sorted(self.months)),
            popularity=self.popularity,
            interests=tuple(self.interests),
            address=self.address,
            tags=tags,
            sources=tuple(s.to_source() for s in self.sources),
            note=self.note,
            editorial_note=self.editorial_note,
            dates=tuple(sorted((d.to_dates() for d in self.dates or ()), key=lambda d: d.year)),
            annual=self.annual.to_annual() if self.annual is not None else None,
        )


class PlacePoint(Point):
    """A WGS-84 point, `[longitude, latitude]`, on the globe."""

    coordinates: Position2D

    @field_validator("coordinates")
    @classmethod
    def _on_the_globe(cls, value: Position2D) -> Position2D:
        problems = []
        if not (math.isfinite(value.latitude) and -90.0 <= value.latitude <= 90.0):
            problems.append(f"latitude {value.latitude} out of range [-90, 90]")
        if not (math.isfinite(value.longitude) and -180.0 <= value.longitude <= 180.0):
            problems.append(f"longitude {value.longitude} out of range [-180, 180]")
        if problems:
            raise ValueError("; ".join(problems))
        return value


class PlaceFeature(Feature[PlacePoint, PlaceProperties]):
    """One place: a Point and its properties (neither may be null)."""

    geometry: PlacePoint
    properties: PlaceProperties


class CatalogueFile(FeatureCollection[PlaceFeature]):
    """The whole file; foreign members such as `metadata` are read from the raw JSON."""
