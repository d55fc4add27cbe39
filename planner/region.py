"""The region the planner works in: its cities, their clocks, centres, languages and currencies,
and the border between them, read from `region.json` in the data folder.

This is the one module that knows which region is loaded (the data folder: PLANNER_DATA_DIR, else
the shipped data/) and the only one that may name its cities. Every other module asks it ("the
cities", "the zone of this city", "the other cities") and so works for any pair of border
cities; docs/data.md says how to add one. Tests load another region with `use_region(folder)`.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar, Token
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from planner import resources, settings
from planner.errors import DataProblems
from planner.geo import distance_to_line_m, side_of_line
from planner.model import LatLon, LocalizedName

FILE = "region.json"
DATA_DIR_SETTING = "PLANNER_DATA_DIR"
# Files every region shares (world-wide facts, not the region's): read from the shipped data/
# when the region's folder has no copy.
SHARED_FILES = frozenset({"passport_index.csv"})

Lang = Literal["zh", "ru", "en"]
Grade = Literal["primary", "secondary", "tertiary", "editorial"]


class RegionError(DataProblems):
    """region.json is missing, not JSON, or breaks its schema; every problem is listed."""

    what = "the region file"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Source(_Frozen):
    url: Annotated[str, Field(min_length=1)]
    supports: Annotated[str, Field(min_length=1)]
    checked: date
    grade: Grade


Sources = Annotated[list[Source], Field(min_length=1)]


class Point(_Frozen):
    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]

    def latlon(self) -> LatLon:
        return LatLon(self.lat, self.lon)


class Area(_Frozen):
    """The box the region's places lie in (geocoding searches it, maps open on it)."""

    south: float
    west: float
    north: float
    east: float
    note: str = ""

    def contains(self, lat: float, lon: float) -> bool:
        return self.south <= lat <= self.north and self.west <= lon <= self.east


class City(_Frozen):
    """One city of the region, with the facts the planner needs about it."""

    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    name: LocalizedName  # the city as the app names it in each language
    address_name: LocalizedName  # the city as an address names it (geocoding queries)
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]  # ISO 3166-1 alpha-2
    zone: str  # IANA time zone
    centre: Point  # where a hotel is assumed when none is given
    local_lang: Lang  # what a taxi driver or a sign in the city reads
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]  # ISO 4217, the catalogue's prices
    currency_note: str = ""
    holidays: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]  # whose public holidays close places
    side: Literal["left", "right"]  # of the border line, looking along it
    about: LocalizedName  # a line for the home page
    sources: Sources

    @field_validator("zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{value!r} is not an IANA time zone") from None
        return value

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.zone)


class Border(_Frozen):
    """The border between the cities: a river (its main channel) or a line on land, drawn as a
    polyline of (lat, lon); a point's side of it says which country it is in."""

    kind: Literal["river", "land"]
    name: LocalizedName
    line: Annotated[list[tuple[float, float]], Field(min_length=2)]
    line_notes: list[str] = []  # what each vertex is (same order as `line`)
    note: str = ""
    sources: Sources

    @model_validator(mode="after")
    def _a_note_per_vertex(self) -> Border:
        if self.line_notes and len(self.line_notes) != len(self.line):
            raise ValueError('line_notes: one note (or "") per vertex of the line')
        return self


class MapLabel(_Frozen):
    """A name the generated base map draws: a river or a town, at (lat, lon)."""

    kind: Literal["river", "town"]
    lat: float
    lon: float
    name: LocalizedName


class Texts(_Frozen):
    """Sentences the pages show about the region as a whole."""

    intro: LocalizedName  # the home page's lead
    places_title: LocalizedName  # heading of the list of places
    clocks: LocalizedName  # which clock each city keeps (page footer)
    clocks_form: LocalizedName  # the same, on the plan form
    headline: LocalizedName  # the home page's title
    crossing_title: LocalizedName  # the home page's section on crossing the border
    crossing_intro: LocalizedName  # ... and its paragraph (the modes, in words)
    # The site's name (header, title, print, installed app); unset: the product's own name,
    # translated (whose zh and ru name the shipped cities).
    site_name: LocalizedName | None = None


class Region(_Frozen):
    """A region: two or more cities and the border between them."""

    format: Literal["region/1"]
    id: str
    about: str = ""
    name: LocalizedName
    checked: date
    area: Area  # the cities, their suburbs and airports (address look-ups stay inside)
    reach: Area  # every place of the catalogue, day trips included
    # Where maps open (default: the mean of the city centres); the shipped one is mid-river
    # between the two embankments.
    map_centre: Point | None = None
    border: Border
    cities: Annotated[list[City], Field(min_length=2)]
    texts: Texts
    map_labels: list[MapLabel] = []
    map_labels_note: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> Region:
        ids = [c.id for c in self.cities]
        if len(set(ids)) != len(ids):
            raise ValueError(f"city ids must be unique: {ids}")
        for city in self.cities:
            if not self.area.contains(city.centre.lat, city.centre.lon):
                raise ValueError(f"the centre of {city.id} lies outside the area")
            if self.country_at(city.centre.lat, city.centre.lon) != city.country:
                raise ValueError(f"the centre of {city.id} lies on the wrong side of the border")
        return self

    @cached_property
    def ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.cities)

    @cached_property
    def by_id(self) -> dict[str, City]:
        return {c.id: c for c in self.cities}

    def city(self, city_id: str) -> City:
        """The city *city_id*; ValueError naming the region's cities for any other id."""
        try:
            return self.by_id[city_id]
        except (KeyError, TypeError):
            raise ValueError(
                f"unknown city {city_id!r}: expected one of {', '.join(self.ids)}"
            ) from None

    def others(self, city_id: str) -> tuple[str, ...]:
        """The other cities of the region, in file order."""
        self.city(city_id)
        return tuple(c for c in self.ids if c != city_id)

    def side_at(self, lat: float, lon: float) -> Literal["left", "right"]:
        return side_of_line(lat, lon, self.border.line)

    def distance_to_border_m(self, lat: float, lon: float) -> float:
        return distance_to_line_m(lat, lon, self.border.line)

    def country_at(self, lat: float, lon: float) -> str:
        """The country a point is in, by its side of the border line."""
        side = self.side_at(lat, lon)
        return next(c.country for c in self.cities if c.side == side)

    def city_at(self, lat: float, lon: float) -> str | None:
        """The city on the point's side of the border (the nearest centre if several), or None
        outside the area."""
        if not self.area.contains(lat, lon):
            return None
        side = self.side_at(lat, lon)
        near = [c for c in self.cities if c.side == side]
        if not near:
            return None
        return min(near, key=lambda c: (c.centre.lat - lat) ** 2 + (c.centre.lon - lon) ** 2).id

    @cached_property
    def centre(self) -> tuple[float, float]:
        """Where maps of the region open, (lat, lon)."""
        if self.map_centre is not None:
            return (self.map_centre.lat, self.map_centre.lon)
        n = len(self.cities)
        return (
            sum(c.centre.lat for c in self.cities) / n,
            sum(c.centre.lon for c in self.cities) / n,
        )

    @cached_property
    def countries(self) -> tuple[str, ...]:
        """The countries of the region's cities, in file order, each once."""
        return tuple(dict.fromkeys(c.country for c in self.cities))

    def city_for_lang(self, lang: str) -> str:
        """The city whose people read *lang* (the first city when none does)."""
        return next((c.id for c in self.cities if c.local_lang == lang), self.ids[0])


# --- which region is loaded ----------------------------------------------------------------

# The folder a test (use_region) or a web app (create_app with DATA_DIR) has chosen for the
# running context; None: the setting, else the shipped data/.
_chosen: ContextVar[Path | None] = ContextVar("planner_region_dir", default=None)
_cache: dict[tuple[Path, int, int], Region] = {}
_lock = threading.Lock()
_cache_clearers: list[Callable[[], None]] = []
_configured: tuple[str, Path] = ("", resources.DATA)
_last_dir: Path | None = None
_loaded: dict[Path, Region] = {}


def data_dir() -> Path:
    """The data folder of the loaded region: use_region()'s, else PLANNER_DATA_DIR, else the
    shipped data/."""
    global _configured
    chosen = _chosen.get()
    if chosen is not None:
        return chosen
    text = settings.value(DATA_DIR_SETTING)
    if text != _configured[0]:
        _configured = (text, Path(text).resolve() if text else resources.DATA)
    return _configured[1]


def data_file(name: str) -> Path:
    """A file of the loaded region's data folder (a shared file falls back to the shipped one)."""
    path = data_dir() / name
    if name in SHARED_FILES and not path.exists():
        return resources.DATA / name
    return path


def load_region(folder: Path | str | None = None) -> Region:
    """Load and validate region.json of *folder* (default: data_dir()), cached per file version.

    Raises RegionError listing every problem.
    """
    path = (Path(folder) if folder is not None else data_dir()).resolve() / FILE
    try:
        stat = path.stat()
    except OSError as exc:
        raise RegionError([f"{path}: cannot read the file ({exc.strerror})"]) from None
    key = (path, stat.st_mtime_ns, stat.st_size)
    with _lock:
        if key in _cache:
            return _cache[key]
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RegionError([f"{path}: not valid JSON ({exc})"]) from None
    try:
        loaded = Region.model_validate(raw)
    except ValidationError as exc:
        raise RegionError(
            [
                f"{path}: {'.'.join(str(p) for p in e['loc']) or 'top level'}: {e['msg']}"
                for e in exc.errors()
            ]
        ) from None
    with _lock:
        _cache[key] = loaded
    return loaded


def current() -> Region:
    """The loaded region (caches of another region's facts are dropped when it changes).

    Read once per data folder: the code asks for it in its inner loops, so a changed
    region.json is read on the next start (or after clear_caches())."""
    global _last_dir, _loaded
    folder = data_dir()
    if folder != _last_dir:
        _last_dir = folder
        clear_caches()
    loaded = _loaded.get(folder)
    if loaded is None:
        loaded = _loaded[folder] = load_region(folder)
    return loaded


def on_region_change(clear: Callable[[], None]) -> Callable[[], None]:
    """Register a function that empties a cache of region facts (run when the region changes)."""
    _cache_clearers.append(clear)
    return clear


def clear_caches() -> None:
    """Empty every registered cache of region facts (and the loaded regions themselves)."""
    _loaded.clear()
    for clear in _cache_clearers:
        clear()


def choose(folder: Path | str | None) -> Token:
    """Make *folder* the region of the running context (a web request); undo with unchoose()."""
    return _chosen.set(Path(folder).resolve() if folder is not None else None)


def unchoose(token: Token) -> None:
    _chosen.reset(token)


@contextmanager
def use_region(folder: Path | str) -> Iterator[Region]:
    """Load another region (its data folder) for the duration of a with block: tests use it to
    plan in a made-up region."""
    token = choose(folder)
    try:
        yield current()
    finally:
        unchoose(token)
        current()


# --- shortcuts the rest of the code reads ------------------------------------------------------


def city_ids() -> tuple[str, ...]:
    return current().ids


def city(city_id: str) -> City:
    return current().city(city_id)


def other_cities(city_id: str) -> tuple[str, ...]:
    return current().others(city_id)


def city_name(city_id: str, lang: str) -> str:
    """The city's name in *lang* (English fallback); an unknown id is returned unchanged."""
    found = current().by_id.get(city_id)
    return found.name.get(lang) if found else city_id


T = TypeVar("T")


class CityMap(Mapping[str, T]):
    """A read-only mapping city id -> one fact of that city, always of the loaded region (so a
    module-level table such as CITY_TZ follows use_region)."""

    def __init__(self, fact: Callable[[City], T]) -> None:
        self._fact = fact

    def __getitem__(self, city_id: str) -> T:
        found = current().by_id.get(city_id) if isinstance(city_id, str) else None
        if found is None:
            raise KeyError(city_id)
        return self._fact(found)

    def __iter__(self) -> Iterator[str]:
        return iter(current().ids)

    def __len__(self) -> int:
        return len(current().ids)

    def __repr__(self) -> str:
        return f"CityMap({dict(self)!r})"


class CityIds(Sequence[str]):
    """The loaded region's city ids, in file order, as a live sequence."""

    def __getitem__(self, index: Any) -> Any:
        return current().ids[index]

    def __len__(self) -> int:
        return len(current().ids)

    def __iter__(self) -> Iterator[str]:
        return iter(current().ids)

    def __contains__(self, value: object) -> bool:
        return value in current().ids

    def __eq__(self, other: object) -> bool:
        return tuple(self) == (tuple(other) if isinstance(other, Sequence) else other)

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return repr(current().ids)


CITY_IDS = CityIds()
