"""Addresses to points, only where a person asks: the plan form's lookup and the data curation
command (`python -m planner geocode`). Never inside planning.

A `Geocoder` answers a query with raw places; `lookup` keeps those inside the region's area,
names the city by the side of the border the point is on (`planner.region`, the test the
catalogue validator uses) and, when a city is asked for, keeps that city's only. The production
geocoder is geopy's Nominatim with a descriptive user agent and geopy's RateLimiter (Nominatim's
policy: at most one request a second), asked to stay inside the area (viewbox, bounded). Tests
inject a fake; with the setting `none` (the default) there is no lookup at all.

Points are WGS-84 and always `(lat, lon)`.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from planner import __version__, region
from planner.errors import PlannerError

GEOCODER_ENV = "PLANNER_GEOCODER"  # nominatim | none (a geopy service name for the command)
USER_AGENT_ENV = "PLANNER_GEOCODER_USER_AGENT"
DEFAULT_USER_AGENT = f"amur-twin-cities-planner/{__version__} (trip planner for border cities)"
MIN_DELAY_SECONDS = 1.0  # Nominatim's usage policy: an absolute maximum of 1 request per second
OFF = ("", "none", "off", "false", "0")

MAX_CANDIDATES = 8


@dataclass(frozen=True)
class Found:
    """One answer of a geocoder: its label (the address as the service words it) and point."""

    label: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Candidate:
    """A place inside the area, with the city whose bank it is on."""

    label: str
    lat: float
    lon: float
    city: str

    def as_dict(self) -> dict[str, Any]:
        return {"label": self.label, "lat": self.lat, "lon": self.lon, "city": self.city}


@runtime_checkable
class Geocoder(Protocol):
    """Anything that turns a query (any script) into places, best first."""

    def search(self, query: str, language: str = "en") -> list[Found]: ...


class GeocoderUnavailable(PlannerError, RuntimeError):
    """The geocoding service did not answer (network, timeout, refusal)."""


def in_area(lat: float, lon: float) -> bool:
    """Whether a point lies in the region's area (its cities, suburbs and airports)."""
    return region.current().area.contains(lat, lon)


def city_of_point(lat: float, lon: float) -> str | None:
    """The city on the point's side of the border, or None outside the region's area."""
    return region.current().city_at(lat, lon)


def lookup(geocoder: Geocoder, query: str, city: str | None = None, language: str = "en"):
    """The candidates for *query* inside the area (and in *city*, when given), best first."""
    out: list[Candidate] = []
    seen: set[tuple[float, float]] = set()
    for found in geocoder.search(query.strip(), language):
        lat, lon = round(float(found.lat), 6), round(float(found.lon), 6)
        where = city_of_point(lat, lon)
        if where is None or (city and where != city) or (lat, lon) in seen:
            continue
        seen.add((lat, lon))
        out.append(Candidate(str(found.label), lat, lon, where))
    return out[:MAX_CANDIDATES]


def make_geocode(service: str, user_agent: str, min_delay: float = MIN_DELAY_SECONDS) -> Callable:
    """geopy's `geocode` of *service*, wrapped in a RateLimiter (for the curation command, which
    may use any geopy service and keeps going when one lookup fails)."""
    from geopy.extra.rate_limiter import RateLimiter
    from geopy.geocoders import get_geocoder_for_service

    geocoder = get_geocoder_for_service(service)(user_agent=user_agent, timeout=10)
    return RateLimiter(
        geocoder.geocode, min_delay_seconds=min_delay, max_retries=1, swallow_exceptions=True
    )


class NominatimGeocoder:
    """OpenStreetMap's Nominatim through geopy: a descriptive user agent, at most one request a
    second for the whole process (one RateLimiter), answers bounded to the area, a small cache
    (the policy asks to cache repeated queries)."""

    def __init__(
        self,
        user_agent: str = DEFAULT_USER_AGENT,
        min_delay: float = MIN_DELAY_SECONDS,
        domain: str | None = None,
        cache_size: int = 256,
    ):
        from geopy.extra.rate_limiter import RateLimiter
        from geopy.geocoders import Nominatim

        options: dict[str, Any] = {"user_agent": user_agent, "timeout": 10}
        if domain:
            options["domain"] = domain
        self._nominatim = Nominatim(**options)
        self._geocode = RateLimiter(
            self._nominatim.geocode, min_delay_seconds=min_delay, max_retries=0
        )
        self._cache: OrderedDict[tuple[str, str], list[Found]] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    def search(self, query: str, language: str = "en") -> list[Found]:
        from geopy.exc import GeopyError

        key = (query, language)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        area = region.current().area
        (south, west), (north, east) = (area.south, area.west), (area.north, area.east)
        try:
            found = self._geocode(
                query,
                exactly_one=False,
                limit=MAX_CANDIDATES,
                language=language,
                viewbox=[(south, west), (north, east)],
                bounded=True,
            )
        except GeopyError as exc:
            raise GeocoderUnavailable(str(exc)) from exc
        places = [Found(loc.address, loc.latitude, loc.longitude) for loc in found or []]
        with self._lock:
            self._cache[key] = places
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return places


def geocoder_from_setting(setting: Any, user_agent: str | None = None) -> Geocoder | None:
    """The geocoder a setting names: an object with `search` as it is (tests inject fakes),
    `nominatim`, or None for `none` (the default: no lookup)."""
    if setting is None or setting is False:
        return None
    if isinstance(setting, Geocoder):
        return setting
    name = str(setting).strip().lower()
    if name in OFF:
        return None
    if name == "nominatim":
        return NominatimGeocoder(user_agent or DEFAULT_USER_AGENT)
    raise ValueError(f"geocoder {setting!r}: expected nominatim or none")
