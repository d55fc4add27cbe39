"""Plain data shared by every part of the planner: frozen dataclasses (and the frozen
pydantic text type), no behaviour."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from pydantic import BaseModel, ConfigDict

from planner.coverage import Coverage
from planner.languages import DATA_LANGUAGES, data_language, text_in

LANGS = DATA_LANGUAGES  # the fields of LocalizedName: the languages the data is written in


@dataclass(frozen=True)
class LatLon:
    """A WGS-84 point, always (lat, lon); GeoJSON's (lon, lat) is converted only at its edge."""

    lat: float
    lon: float

    def __post_init__(self) -> None:
        if not -90.0 <= self.lat <= 90.0:
            raise ValueError(f"latitude {self.lat} out of range [-90, 90]")
        if not -180.0 <= self.lon <= 180.0:
            raise ValueError(f"longitude {self.lon} out of range [-180, 180]")


class LocalizedName(BaseModel):
    """A text a traveller reads, in the three languages of the app: a name, or a sentence of a
    data file. The one trilingual type of the code (catalogue, crossing facts, base map).

    An English-only text (`english()`, older copies of a data file) has empty zh and ru and is
    read in English in every language. The loaders check that their names are complete.
    """

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    zh: str
    ru: str
    en: str

    @classmethod
    def english(cls, text: str) -> LocalizedName:
        """A text written in English only, shown in English in every language."""
        return cls(zh="", ru="", en=text)

    def get(self, lang: str, default: str | None = None) -> str:
        """The text for a reader of *lang*: in *lang*, else in the first language of its fallback
        chain that has one (planner/languages.py: Korean reads en, Traditional Chinese zh).

        With a *default*: the text in *lang*'s own data language (*lang* for zh, ru and en; en
        for Korean), else *default*, without falling back further."""
        if default is None:
            return text_in(self, lang)
        return getattr(self, data_language(lang)) or default

    def blank(self) -> tuple[str, ...]:
        """The languages without text (the loaders refuse a name with any)."""
        return tuple(lang for lang in LANGS if not getattr(self, lang).strip())

    def as_dict(self) -> dict[str, str]:
        return {"zh": self.zh, "ru": self.ru, "en": self.en}


@dataclass(frozen=True)
class Source:
    """Where a fact comes from, what it supports, and when it was last checked."""

    url: str
    supports: str
    checked: date
    # The point this source gives for the place, when it gives one (even if the place's own point
    # comes from elsewhere): check-data tests the place's stated radius against it.
    point: LatLon | None = None
    # What `supports` names, as codes (planner.coverage): set for the catalogue's sources, whose
    # pages show these codes' labels; None where `supports` is prose for editors only.
    coverage: Coverage | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "url": self.url,
            "supports": self.supports,
            "checked": self.checked.isoformat(),
        }
        if self.point is not None:
            out["point"] = {"lat": self.point.lat, "lon": self.point.lon}
        if self.coverage is not None:
            out["covers"] = self.coverage.as_list()
        return out


@dataclass(frozen=True)
class EventDates:
    """When an event is held in one year, on its city's clock; start None = not published.

    A year whose dates are not published is kept as such (with the day it was last looked
    for), so that the planner says so instead of guessing a day.
    """

    year: int
    start: date | None  # first day; None when the year's dates are not published
    end: date | None  # last day (inclusive)
    hours: tuple[time, time] | None = None  # time of day on the local clock; None = unknown
    hours_estimated: bool = False  # the time of day is an estimate (sources disagree or differ)
    sources: tuple[Source, ...] = field(default_factory=tuple)
    checked: date | None = None  # not published: the day it was last looked for
    searched: str = ""  # not published: where it was looked for

    @property
    def published(self) -> bool:
        return self.start is not None


@dataclass(frozen=True)
class AnnualDate:
    """An event held every year on the same calendar day (Victory Day, 9 May)."""

    month: int
    day: int
    hours: tuple[time, time] | None = None
    hours_estimated: bool = False
    sources: tuple[Source, ...] = field(default_factory=tuple)


COORD_CONFIDENCE = ("high", "medium", "low", "estimated", "field")
# A point checked on the ground by a local agency (python -m planner apply-review): its own grade,
# so that the data says where it came from, trusted like one reasonable map source (`medium`).
FIELD_CONFIDENCE = "field"
_CONFIDENCE_LEVEL = {FIELD_CONFIDENCE: "medium"}


def confidence_level(coord_confidence: str) -> str:
    """The level a confidence is trusted at: a field check counts as `medium`, others as named."""
    return _CONFIDENCE_LEVEL.get(coord_confidence, coord_confidence)


KINDS = ("attraction", "day_trip", "event", "transport")


@dataclass(frozen=True)
class Attraction:
    """One place of the catalogue (data/attractions.geojson), as the planner sees it.

    Unknown facts stay None and are shown as unknown; they are never filled with a guess.
    """

    id: str
    city: str  # a city id of the region (data/region.json)
    kind: str  # one of KINDS
    category: str  # museum, church, temple, monument, square, park, embankment, market, ...
    name: LocalizedName
    location: LatLon
    coord_confidence: str  # one of COORD_CONFIDENCE
    coord_uncertainty_m: int  # radius that holds the true point; large for estimates
    coord_method: str  # how the point was obtained (source, conversion, estimate method)
    opening_hours: str | None  # OSM opening_hours syntax; None = hours not verified
    hours_verified: bool
    visit_minutes: int
    price: float | None  # None = unknown; 0 = free
    currency: str  # "CNY" | "RUB"
    indoor: bool | None
    months: tuple[int, ...]  # months (1-12) the place can be visited; all twelve when unlimited
    popularity: int  # 1 (obscure) .. 10 (must-see), the base of the planner's score
    interests: tuple[str, ...]  # history, architecture, religion, nature, food, shopping, ...
    address: str  # in the local language
    tags: dict[str, str]  # OpenStreetMap-style tags as stored
    sources: tuple[Source, ...]
    # What a traveller reads about the place, in the three languages; None when there is nothing.
    note: LocalizedName | None = None
    # The research log (disagreements between sources, rejected data): for editors, never shown.
    editorial_note: str = ""
    # Events only: their dates per year, and a rule for a fixed calendar day (see planner.events).
    dates: tuple[EventDates, ...] = ()
    annual: AnnualDate | None = None

    @property
    def is_estimated(self) -> bool:
        return self.coord_confidence == "estimated"
