"""The catalogue of places (data/attractions.geojson): loaded, validated and cached.

The file's shape is a set of pydantic models (planner/catalogue_schema.py: geojson-pydantic for the
Feature and the Point). Every problem is collected, so one run of `python -m planner check-data`
lists them all; each message names the file, the feature (id, else its index) and the field.
The format and the editorial conventions are described in docs/data.md.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geojson_pydantic.types import Position2D
from pydantic import (
    ValidationError,
)

from planner import region, settings
from planner.catalogue_schema import CatalogueFile, PlaceProperties
from planner.errors import DataProblems
from planner.model import (
    Attraction,
    LatLon,
)
from planner.resources import DATA
from planner.timeutil import CITIES, CITY_COUNTRY
from planner.validation import (
    error_message,
    field_name,
    json_type,
)
from planner.wording import country_name

FILE = "attractions.geojson"  # in the region's data folder (planner.region.data_dir)
DEFAULT_PATH = DATA / FILE  # the shipped region's
PATH_ENV = "PLANNER_CATALOGUE_PATH"  # the same setting the web app reads as CATALOGUE_PATH

# Broad groups of categories: the map's layers and the list's filter. Every category used in the
# shipped catalogue has a group a tourist would filter by; 'other' is only a fallback for a new one.
CATEGORY_GROUPS: dict[str, str] = {
    category: group
    for group, categories in {
        "history": (
            "museum",
            "historic",
            "historic_building",
            "historic_site",
            "historic_town",
            "monument",
            "memorial",
        ),
        "religion": ("church", "temple"),
        "nature": (
            "park",
            "nature",
            "natural_site",
            "embankment",
            "viewpoint",
            "beach",
            "camp_site",
            "ski_resort",
            "science_park",
            "leisure",
        ),
        "city": ("square", "street", "architecture"),
        "shopping": (
            "market",
            "shopping",
            "shopping_street",
            "food",
            "food_market",
            "food_court",
            "cafe",
            "restaurant",
            "trade_fair",
        ),
        "culture": (
            "theatre",
            "culture",
            "culture_venue",
            "event",
            "festival",
            "seasonal",
            "commemoration",
            "theme_park",
            "village",
        ),
        "transport": ("transport", "border"),
    }.items()
    for category in categories
}


def group_of(attraction: Attraction) -> str:
    """Broad layer group of a place; 'other' when its category has no group."""
    if attraction.kind == "transport":
        return "transport"
    if attraction.kind == "day_trip":
        return "day_trip"
    return CATEGORY_GROUPS.get(attraction.category, "other")


class CatalogueError(DataProblems):
    """The catalogue file is unreadable or invalid; `problems` lists every problem found."""

    what = "the catalogue"


@dataclass(frozen=True)
class Catalogue:
    """All places, sorted by id, with the file's top-level metadata."""

    attractions: tuple[Attraction, ...]
    path: Path
    metadata: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {a.id: a for a in self.attractions})

    def get(self, attraction_id: str) -> Attraction:
        """The place with this id; KeyError if there is none."""
        try:
            return self._by_id[attraction_id]  # type: ignore[attr-defined]
        except KeyError:
            raise KeyError(attraction_id) from None

    def __contains__(self, attraction_id: object) -> bool:
        return attraction_id in self._by_id  # type: ignore[attr-defined]

    def __len__(self) -> int:
        return len(self.attractions)

    def by_city(self, city: str) -> tuple[Attraction, ...]:
        """The places of one city (a city id of the region), in id order."""
        if city not in CITIES:
            raise ValueError(f"unknown city {city!r}: expected one of {', '.join(CITIES)}")
        return tuple(a for a in self.attractions if a.city == city)

    def categories(self) -> tuple[str, ...]:
        """Every category used, sorted."""
        return tuple(sorted({a.category for a in self.attractions}))


# --- the file's shape --------------------------------------------------------------------------
# Validated from the JSON text in strict mode: no string is read as a number, no number as text.
# Cross-field checks are field validators that read the fields declared before them
# (`info.data`), so they still run when an unrelated field of the same feature is broken.


_cache: dict[Path, tuple[int, int, Catalogue]] = {}
_cache_lock = threading.Lock()


def catalogue_path(path: Path | str | None = None) -> Path:
    """The file to read: *path*, else $PLANNER_CATALOGUE_PATH, else the region's
    attractions.geojson."""
    if path is None:
        path = settings.value(PATH_ENV) or region.data_file(FILE)
    return Path(path).resolve()


def load_catalogue(path: Path | str | None = None) -> Catalogue:
    """Load and validate the catalogue; cached per path and file version (mtime and size).

    Parameters
    ----------
    path: the GeoJSON file; by default $PLANNER_CATALOGUE_PATH when set, else
        data/attractions.geojson under the repository root.

    Returns
    -------
    The validated Catalogue. Raises CatalogueError listing every problem found.
    """
    resolved = catalogue_path(path)
    try:
        stat = resolved.stat()
    except OSError as exc:
        raise CatalogueError([f"{resolved}: cannot read the file ({exc.strerror})"]) from None
    key = (stat.st_mtime_ns, stat.st_size)
    with _cache_lock:
        cached = _cache.get(resolved)
        if cached is not None and cached[:2] == key:
            return cached[2]
    catalogue = _load_uncached(resolved)
    with _cache_lock:
        _cache[resolved] = (*key, catalogue)
    return catalogue


def _load_uncached(path: Path) -> Catalogue:
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text)
    except OSError as exc:
        raise CatalogueError([f"{path}: cannot read the file ({exc.strerror})"]) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CatalogueError([f"{path}: not valid JSON ({exc})"]) from None
    except RecursionError:  # "[[[[…" thousands deep: a clean problem, not a traceback
        raise CatalogueError([f"{path}: not valid JSON (nested too deeply)"]) from None
    try:
        attractions, problems = parse_feature_collection(text, data, str(path))
    except RecursionError:
        raise CatalogueError([f"{path}: a value is nested too deeply"]) from None
    if problems:
        raise CatalogueError(problems)
    metadata = data.get("metadata", {})
    return Catalogue(
        attractions=tuple(sorted(attractions, key=lambda a: a.id)),
        path=path,
        metadata=metadata if isinstance(metadata, dict) else {},
    )


def parse_feature_collection(
    text: str, data: Any, filename: str
) -> tuple[list[Attraction], list[str]]:
    """Validate a GeoJSON text (*data* is the same, decoded); the places and every problem."""
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        return [], [f"{filename}: top level: expected a GeoJSON FeatureCollection"]
    features = data.get("features")
    if not isinstance(features, list):
        return [], [f"{filename}: top level: field 'features': expected a list"]
    places: list[tuple[Position2D, PlaceProperties]] = []
    errors: list[Any] = []
    try:
        collection = CatalogueFile.model_validate_json(text, strict=True)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    else:
        places = [(f.geometry.coordinates, f.properties) for f in collection.features]
    found: list[tuple[int, str]] = []  # (feature index, message), sorted by feature below
    broken_points: set[int] = set()
    for error in errors:
        loc = error["loc"]
        if len(loc) < 2 or loc[0] != "features":
            found.append(
                (-1, f"{filename}: top level: field '{field_name(loc)}': {error_message(error)}")
            )
            continue
        index = loc[1]
        name, message = _feature_field(loc[2:], error)
        if name == "geometry" or len(loc) == 2:
            broken_points.add(index)
        where = f"{filename}: {_feature_label(features, index)}"
        found.append((index, f"{where}: field '{name}': {message}"))
    found.extend(_cross_checks(features, filename, broken_points))
    found.sort(key=lambda item: item[0])
    problems = list(dict.fromkeys(message for _, message in found))
    if problems:
        return [], problems
    return [props.to_attraction(LatLon(pos.latitude, pos.longitude)) for pos, props in places], []


def _feature_label(features: list[Any], index: int) -> str:
    feature = features[index]
    props = feature.get("properties") if isinstance(feature, dict) else None
    ident = props.get("id") if isinstance(props, dict) else None
    if isinstance(ident, str) and ident:
        return f"feature {ident!r} (index {index})"
    return f"feature at index {index}"


def _feature_field(loc: tuple[str | int, ...], error: Mapping[str, Any]) -> tuple[str, str]:
    """The field a feature's error is about, and its message ('geometry' for all of a point)."""
    if not loc:
        return "type", "expected a GeoJSON Feature"
    if loc[0] == "geometry":
        if error["type"] == "value_error":
            return "geometry", error_message(error)
        if loc[1:2] == ("coordinates",):
            return "geometry", "coordinates must be [longitude, latitude] numbers"
        return "geometry", "expected a GeoJSON Point"
    if loc[0] == "id":
        return "id", f"expected text, got {json_type(error.get('input'))}"
    if loc == ("properties",):
        return "properties", f"expected an object, got {json_type(error.get('input'))}"
    if loc[0] == "properties":
        name = (error.get("ctx") or {}).get("field") or field_name(loc[1:])
        return name, error_message(error)
    return field_name(loc), error_message(error)


def _cross_checks(
    features: list[Any], filename: str, broken_points: set[int]
) -> list[tuple[int, str]]:
    """Checks across a feature and across features: ids, and the bank of the Amur."""
    found: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    for index, feature in enumerate(features):
        props = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(props, dict):
            continue
        where = f"{filename}: {_feature_label(features, index)}"
        ident = props.get("id")
        if isinstance(ident, str) and ident:
            if feature.get("id") not in (None, ident):
                message = f"feature id {feature.get('id')!r} differs from properties.id"
                found.append((index, f"{where}: field 'id': {message}"))
            if ident in seen:
                message = f"duplicate id (first used by the feature at index {seen[ident]})"
                found.append((index, f"{where}: field 'id': {message}"))
            else:
                seen[ident] = index
        city = props.get("city")
        if index not in broken_points and city in CITY_COUNTRY:
            lon, lat = feature["geometry"]["coordinates"]
            here = region.current()
            bank = here.country_at(lat, lon)
            if bank != CITY_COUNTRY[city]:
                message = (
                    f"({lat}, {lon}) lies in {country_name(bank, 'en')}, across the "
                    f"{here.border.name.en} from {city}"
                )
                found.append((index, f"{where}: field 'geometry': {message}"))
    return found


# --- GeoJSON out -------------------------------------------------------------------------------
