"""The catalogue of places (data/attractions.geojson): loaded, validated and cached.

Every problem found while loading is collected, so one run of `python -m planner check-data`
lists them all; each message names the file, the feature (id, else its index) and the field.
The format and the editorial conventions are described in docs/data.md.
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import opening_hours

from planner.errors import DataProblems
from planner.geo import amur_bank
from planner.model import COORD_CONFIDENCE, KINDS, Attraction, LatLon, LocalizedName, Source
from planner.timeutil import CITIES, CITY_COUNTRY

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATH = REPO_ROOT / "data" / "attractions.geojson"

CURRENCIES: dict[str, str] = {"heihe": "CNY", "blagoveshchensk": "RUB"}

# Properties that are the planner's own fields; every other string property is an OSM-style tag.
PLANNER_FIELDS = frozenset(
    {
        "id",
        "city",
        "kind",
        "category",
        "visit_minutes",
        "price",
        "currency",
        "indoor",
        "months",
        "popularity",
        "interests",
        "address",
        "coord_confidence",
        "coord_uncertainty_m",
        "coord_method",
        "hours_verified",
        "notes",
        "sources",
    }
)

# A fact is "sourced" when some source's `supports` text names it with one of these words.
FACT_KEYWORDS: dict[str, tuple[str, ...]] = {
    "coordinates": ("coordinates",),
    "opening_hours": ("hours",),
    "price": ("price",),
    "visit_minutes": ("visit_minutes",),
}


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
        """The places of one city ('heihe' or 'blagoveshchensk'), in id order."""
        if city not in CITIES:
            raise ValueError(f"unknown city {city!r}: expected one of {', '.join(CITIES)}")
        return tuple(a for a in self.attractions if a.city == city)

    def categories(self) -> tuple[str, ...]:
        """Every category used, sorted."""
        return tuple(sorted({a.category for a in self.attractions}))


# --- loading -----------------------------------------------------------------------------------

_cache: dict[Path, tuple[int, int, Catalogue]] = {}
_cache_lock = threading.Lock()


def load_catalogue(path: Path | None = None) -> Catalogue:
    """Load and validate the catalogue; cached per path and file version (mtime and size).

    Parameters
    ----------
    path: the GeoJSON file; data/attractions.geojson under the repository root by default.

    Returns
    -------
    The validated Catalogue. Raises CatalogueError listing every problem found.
    """
    resolved = Path(path if path is not None else DEFAULT_PATH).resolve()
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
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CatalogueError([f"{path}: cannot read the file ({exc.strerror})"]) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CatalogueError([f"{path}: not valid JSON ({exc})"]) from None
    attractions, problems = parse_feature_collection(data, str(path))
    if problems:
        raise CatalogueError(problems)
    metadata = data.get("metadata", {}) if isinstance(data, dict) else {}
    return Catalogue(
        attractions=tuple(sorted(attractions, key=lambda a: a.id)),
        path=path,
        metadata=metadata if isinstance(metadata, dict) else {},
    )


def parse_feature_collection(data: Any, filename: str) -> tuple[list[Attraction], list[str]]:
    """Parse a decoded GeoJSON FeatureCollection; returns the places and every problem found."""
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        return [], [f"{filename}: top level: expected a GeoJSON FeatureCollection"]
    features = data.get("features")
    if not isinstance(features, list):
        return [], [f"{filename}: top level: field 'features': expected a list"]
    attractions: list[Attraction] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for index, feature in enumerate(features):
        checker = _FeatureChecker(filename, index, feature)
        attraction = checker.parse()
        problems.extend(checker.problems)
        ident = checker.ident
        if isinstance(ident, str) and ident:
            if ident in seen:
                problems.append(
                    f"{filename}: feature {ident!r} (index {index}): field 'id': duplicate id "
                    f"(first used by the feature at index {seen[ident]})"
                )
            else:
                seen[ident] = index
        if attraction is not None and not checker.problems:
            attractions.append(attraction)
    return attractions, problems


class _FeatureChecker:
    """Reads one feature, recording a message for every bad field instead of stopping."""

    def __init__(self, filename: str, index: int, feature: Any) -> None:
        self.filename = filename
        self.index = index
        self.feature = feature
        self.problems: list[str] = []
        self.ident: Any = None
        self.props: dict[str, Any] = {}

    def where(self) -> str:
        if isinstance(self.ident, str) and self.ident:
            return f"{self.filename}: feature {self.ident!r} (index {self.index})"
        return f"{self.filename}: feature at index {self.index}"

    def fail(self, fieldname: str, message: str) -> None:
        self.problems.append(f"{self.where()}: field '{fieldname}': {message}")

    # typed getters: each returns None (and records a problem) when the value is unusable
    def _get(self, name: str, required: bool = True) -> Any:
        if name not in self.props:
            if required:
                self.fail(name, "missing")
            return None
        return self.props[name]

    def text(self, name: str, required: bool = True, empty_ok: bool = False) -> str | None:
        value = self._get(name, required)
        if value is None:
            return None
        if not isinstance(value, str):
            self.fail(name, f"expected text, got {type(value).__name__}")
            return None
        if not empty_ok and not value.strip():
            self.fail(name, "must not be empty")
            return None
        return value

    def integer(self, name: str, low: int, high: int) -> int | None:
        value = self._get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(name, f"expected a whole number, got {type(value).__name__}")
            return None
        if not low <= value <= high:
            self.fail(name, f"{value} out of range [{low}, {high}]")
            return None
        return value

    def choice(self, name: str, allowed: Iterable[str]) -> str | None:
        value = self.text(name)
        allowed = tuple(allowed)
        if value is not None and value not in allowed:
            self.fail(name, f"unknown value {value!r}: expected one of {', '.join(allowed)}")
            return None
        return value

    def parse(self) -> Attraction | None:
        feature = self.feature
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            self.problems.append(f"{self.where()}: field 'type': expected a GeoJSON Feature")
            return None
        props = feature.get("properties")
        if not isinstance(props, dict):
            self.problems.append(f"{self.where()}: field 'properties': expected an object")
            return None
        self.props = props
        self.ident = props.get("id")
        ident = self.text("id")
        if ident is not None and feature.get("id") not in (None, ident):
            self.fail("id", f"feature id {feature.get('id')!r} differs from properties.id")

        location = self.location(feature.get("geometry"))
        city = self.choice("city", CITIES)
        kind = self.choice("kind", KINDS)
        category = self.text("category")
        name = self.names()
        confidence = self.choice("coord_confidence", COORD_CONFIDENCE)
        uncertainty = self.integer("coord_uncertainty_m", 0, 1_000_000)
        method = self.text("coord_method", required=True, empty_ok=True)
        if confidence == "estimated":
            if not method or not method.strip():
                self.fail("coord_method", "an estimated point must say how it was estimated")
            if uncertainty is not None and uncertainty <= 0:
                self.fail("coord_uncertainty_m", "an estimated point needs an uncertainty > 0 m")
        hours = self.hours()
        hours_verified = self.boolean("hours_verified")
        if hours_verified and props.get("opening_hours") is None:
            self.fail("hours_verified", "true, but opening_hours is null")
        visit = self.integer("visit_minutes", 1, 24 * 60 * 7)
        price = self.price()
        currency = self.text("currency")
        if city in CURRENCIES and currency is not None and currency != CURRENCIES[city]:
            expected = CURRENCIES[city]
            self.fail("currency", f"{currency!r} is not the currency of {city} ({expected})")
        indoor = self.boolean("indoor", nullable=True)
        months = self.months()
        popularity = self.integer("popularity", 1, 10)
        interests = self.string_list("interests")
        address = self.text("address")
        notes = self.text("notes", required=False, empty_ok=True) or ""
        sources = self.sources()
        tags = self.tags()

        if location is not None and city in CITY_COUNTRY:
            bank = amur_bank(location.lat, location.lon)
            if bank != CITY_COUNTRY[city]:
                side = "Russian" if bank == "RU" else "Chinese"
                self.fail(
                    "geometry",
                    f"({location.lat}, {location.lon}) lies on the {side} bank of the Amur, "
                    f"but the city is {city}",
                )
        if sources is not None:
            self.facts_have_sources(sources, confidence, hours, price)

        if self.problems:
            return None
        assert ident and city and kind and category and name and location and confidence
        assert uncertainty is not None and method is not None and visit and currency
        assert months and popularity and interests is not None and address and sources
        return Attraction(
            id=ident,
            city=city,
            kind=kind,
            category=category,
            name=name,
            location=location,
            coord_confidence=confidence,
            coord_uncertainty_m=uncertainty,
            coord_method=method,
            opening_hours=hours,
            hours_verified=bool(hours_verified),
            visit_minutes=visit,
            price=price,
            currency=currency,
            indoor=indoor,
            months=months,
            popularity=popularity,
            interests=interests,
            address=address,
            tags=tags,
            sources=sources,
            notes=notes,
        )

    def location(self, geometry: Any) -> LatLon | None:
        if not isinstance(geometry, dict) or geometry.get("type") != "Point":
            self.fail("geometry", "expected a GeoJSON Point")
            return None
        coords = geometry.get("coordinates")
        if (
            not isinstance(coords, list)
            or len(coords) != 2
            or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in coords)
        ):
            self.fail("geometry", "coordinates must be [longitude, latitude] numbers")
            return None
        lon, lat = float(coords[0]), float(coords[1])
        ok = True
        if not (math.isfinite(lat) and -90.0 <= lat <= 90.0):
            self.fail("geometry", f"latitude {coords[1]} out of range [-90, 90]")
            ok = False
        if not (math.isfinite(lon) and -180.0 <= lon <= 180.0):
            self.fail("geometry", f"longitude {coords[0]} out of range [-180, 180]")
            ok = False
        return LatLon(lat, lon) if ok else None

    def names(self) -> LocalizedName | None:
        zh, ru, en = (self.text(f"name:{lang}") for lang in ("zh", "ru", "en"))
        if zh is None or ru is None or en is None:
            return None
        return LocalizedName(zh=zh, ru=ru, en=en)

    def boolean(self, name: str, nullable: bool = False) -> bool | None:
        value = self._get(name)
        if value is None:
            if not nullable and name in self.props:
                self.fail(name, "expected true or false, got null")
            return None
        if not isinstance(value, bool):
            self.fail(name, f"expected true or false, got {type(value).__name__}")
            return None
        return value

    def hours(self) -> str | None:
        value = self.props.get("opening_hours")
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail("opening_hours", "expected OSM opening_hours text or null")
            return None
        if not opening_hours.validate(value):
            self.fail("opening_hours", f"cannot parse {value!r} as OSM opening_hours")
            return None
        return value

    def price(self) -> float | None:
        value = self._get("price")
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail("price", f"expected a number or null, got {type(value).__name__}")
            return None
        if not math.isfinite(value) or value < 0:
            self.fail("price", f"{value} is not a price (must be 0 or more)")
            return None
        return float(value)

    def months(self) -> tuple[int, ...] | None:
        value = self._get("months")
        if value is None:
            return None
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(m, int) and not isinstance(m, bool) for m in value)
        ):
            self.fail("months", "expected a non-empty list of month numbers 1-12")
            return None
        if any(not 1 <= m <= 12 for m in value) or len(set(value)) != len(value):
            self.fail("months", f"{value} must be distinct month numbers 1-12")
            return None
        return tuple(sorted(value))

    def string_list(self, name: str) -> tuple[str, ...] | None:
        value = self._get(name)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.fail(name, "expected a list of words")
            return None
        return tuple(value)

    def sources(self) -> tuple[Source, ...] | None:
        value = self._get("sources")
        if value is None:
            return None
        if not isinstance(value, list) or not value:
            self.fail("sources", "expected a non-empty list of sources")
            return None
        result: list[Source] = []
        for i, item in enumerate(value):
            label = f"sources[{i}]"
            if not isinstance(item, dict):
                self.fail(label, "expected an object with url, supports and checked")
                continue
            url, supports, checked = item.get("url"), item.get("supports"), item.get("checked")
            bad = False
            for key, val in (("url", url), ("supports", supports), ("checked", checked)):
                if not isinstance(val, str) or not val.strip():
                    self.fail(f"{label}.{key}", "missing or empty")
                    bad = True
            if bad:
                continue
            try:
                when = date.fromisoformat(checked)
            except ValueError:
                self.fail(f"{label}.checked", f"{checked!r} is not an ISO date (YYYY-MM-DD)")
                continue
            result.append(Source(url=url, supports=supports, checked=when))
        return tuple(result) if len(result) == len(value) else None

    def tags(self) -> dict[str, str]:
        tags: dict[str, str] = {}
        for key, value in self.props.items():
            if key in PLANNER_FIELDS or value is None:
                continue
            if not isinstance(value, str):
                self.fail(key, f"OSM-style tag must be text, got {type(value).__name__}")
                continue
            tags[key] = value
        return tags

    def facts_have_sources(
        self,
        sources: tuple[Source, ...],
        confidence: str | None,
        hours: str | None,
        price: float | None,
    ) -> None:
        supports = " ".join(s.supports.lower() for s in sources)

        def covered(fact: str) -> bool:
            return any(word in supports for word in FACT_KEYWORDS[fact])

        if confidence not in (None, "estimated") and not covered("coordinates"):
            self.fail(
                "sources",
                f"no source supports the coordinates (confidence {confidence!r}); "
                "name 'coordinates' in a source's supports, or mark the point estimated",
            )
        if hours is not None and not covered("opening_hours"):
            self.fail("opening_hours", "no source supports the hours ('hours' in supports)")
        if price is not None and not covered("price"):
            self.fail("price", "no source supports the price ('price' in supports)")
        if "visit_minutes" in self.props and not covered("visit_minutes"):
            self.fail(
                "visit_minutes",
                "no source names visit_minutes (say whose default it is in a source's supports)",
            )


# --- GeoJSON out -------------------------------------------------------------------------------


def to_feature(attraction: Attraction) -> dict[str, Any]:
    """The GeoJSON Feature for one place: the file's properties, plus derived conveniences."""
    a = attraction
    properties: dict[str, Any] = dict(a.tags)
    properties.update(
        {
            "id": a.id,
            "city": a.city,
            "kind": a.kind,
            "category": a.category,
            "name:zh": a.name.zh,
            "name:ru": a.name.ru,
            "name:en": a.name.en,
            "opening_hours": a.opening_hours,
            "hours_verified": a.hours_verified,
            "visit_minutes": a.visit_minutes,
            "price": a.price,
            "currency": a.currency,
            "indoor": a.indoor,
            "months": list(a.months),
            "popularity": a.popularity,
            "interests": list(a.interests),
            "address": a.address,
            "coord_confidence": a.coord_confidence,
            "coord_uncertainty_m": a.coord_uncertainty_m,
            "coord_method": a.coord_method,
            "is_estimated": a.is_estimated,
            "notes": a.notes,
            "sources": [s.as_dict() for s in a.sources],
        }
    )
    return {
        "type": "Feature",
        "id": a.id,
        "geometry": {"type": "Point", "coordinates": [a.location.lon, a.location.lat]},
        "properties": properties,
    }


def to_feature_collection(attractions: Iterable[Attraction]) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of *attractions*, in the order given."""
    return {"type": "FeatureCollection", "features": [to_feature(a) for a in attractions]}
