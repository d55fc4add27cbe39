"""The border crossing Heihe <-> Blagoveshchensk: modes by season, departures, check-point time,
port hours, closures and entry rules, read from data/crossing.json.

Pure Python (no Flask). The trip planner calls `crossing_options()` to pick a real departure and
`last_safe_return()` for the deadline abroad; it must never plan a crossing this module does not
offer. Every number on an option carries the sources (with checked dates) that back it, and every
estimate says so in the option's warnings. Format of the data: docs/crossing.md.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import holidays
from babel import Locale

from planner.errors import DataProblems
from planner.model import Fare, LatLon, LocalizedName, Source
from planner.timeutil import CITIES, CITY_COUNTRY, city_zone, other_city, require_aware

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATH = REPO_ROOT / "data" / "crossing.json"

MODES: tuple[str, ...] = ("ship", "hovercraft", "pontoon_bus", "bridge_bus", "cableway")
TIMETABLE_STATUSES = ("published", "ambiguous", "derived", "estimated", "unknown")
COORD_CONFIDENCE = ("high", "medium", "low", "estimated", "unknown")
COUNTRY_NAMES = {"CN": "China", "RU": "Russia"}
CITY_NAMES = {"heihe": "Heihe", "blagoveshchensk": "Blagoveshchensk"}

# Babel knows every ISO 3166-1 alpha-2 territory plus a few CLDR-only codes, which are removed.
_CLDR_ONLY = frozenset(
    {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "XK", "ZZ"}
)
ISO_ALPHA2: frozenset[str] = frozenset(
    code
    for code in Locale("en").territories
    if len(code) == 2 and code.isalpha() and code not in _CLDR_ONLY
)


class CrossingDataError(DataProblems):
    """data/crossing.json is unreadable or invalid; `problems` names the file and field of each."""

    what = "the crossing data"


# --------------------------------------------------------------------------- the data, typed


@dataclass(frozen=True)
class Note:
    """A sourced sentence shown to the traveller (luggage, queues, customs...)."""

    text: str
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
    note: str
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Ride:
    """Time on the way; for the bridge bus it already includes both border controls."""

    minutes: int
    includes_checkpoints: bool
    estimated: bool
    note: str
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
    status: str
    status_sources: tuple[Source, ...]


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
    reason: str
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
    text: str
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class EntryRule:
    """Who may enter which country on which terms, and what happens after the end date."""

    id: str
    enters: tuple[str, ...]
    nationalities: tuple[str, ...]  # "CN", "RU" or "other"
    permits: bool
    title: str
    valid_from: date
    valid_until: date | None
    party_min: int
    party_max: int | None
    max_stay_days: int | None
    confidence: str
    documents: tuple[str, ...]
    extensions: tuple[Extension, ...]
    after_end_status: str | None
    after_end_text: str
    note: str
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class CheckpointMinutes:
    """Typical minutes at exit and entry control on each side."""

    exit: Mapping[str, int]
    entry: Mapping[str, int]
    estimated: bool
    note: str
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class IceRisk:
    """Yearly freeze-up / break-up periods when river crossings can stop at short notice."""

    periods: tuple[tuple[tuple[int, int], tuple[int, int], str], ...]
    modes: tuple[str, ...]
    text: str
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class HolidayNote:
    """A warning for days that are public holidays in one country (from the holidays package)."""

    country: str
    names: tuple[str, ...]
    text: str
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


# --------------------------------------------------------------------------- loading


class _Reader:
    """Typed access to the raw JSON that records every problem with its file and field path."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.problems: list[str] = []

    def err(self, path: str, message: str) -> None:
        self.problems.append(f"{self.filename}: {path}: {message}")

    def obj(self, raw: Any, path: str) -> dict[str, Any]:
        if not isinstance(raw, dict):
            self.err(path, "expected an object")
            return {}
        return raw

    def list_(self, raw: Mapping[str, Any], key: str, path: str) -> list[Any]:
        value = raw.get(key, [])
        if not isinstance(value, list):
            self.err(f"{path}.{key}", "expected a list")
            return []
        return value

    def str_(self, raw: Mapping[str, Any], key: str, path: str, *, required: bool = True) -> str:
        value = raw.get(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.err(f"{path}.{key}", "missing or not a non-empty string")
            return ""
        return value

    def int_(
        self, raw: Mapping[str, Any], key: str, path: str, *, required: bool = True
    ) -> int | None:
        value = raw.get(key)
        if value is None and not required:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.err(f"{path}.{key}", "missing or not a non-negative integer")
            return None
        return value

    def bool_(self, raw: Mapping[str, Any], key: str, path: str, default: bool = False) -> bool:
        value = raw.get(key, default)
        if not isinstance(value, bool):
            self.err(f"{path}.{key}", "expected true or false")
            return default
        return value

    def date_(
        self, raw: Mapping[str, Any], key: str, path: str, *, required: bool = True
    ) -> date | None:
        value = raw.get(key)
        if value is None and not required:
            return None
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError):
            self.err(f"{path}.{key}", f"expected a date YYYY-MM-DD, got {value!r}")
            return None

    def month_day(self, raw: Mapping[str, Any], key: str, path: str) -> tuple[int, int]:
        value = raw.get(key)
        try:
            month, day = (int(part) for part in str(value).split("-"))
            date(2000, month, day)  # a leap year, so 02-29 is accepted
            return (month, day)
        except ValueError:
            self.err(f"{path}.{key}", f"expected a month-day MM-DD, got {value!r}")
            return (1, 1)

    def minute(self, value: Any, path: str) -> int:
        """'HH:MM' as minutes after midnight; '24:00' is allowed as a closing time."""
        try:
            hours, minutes = (int(part) for part in str(value).split(":"))
            if not (0 <= hours <= 24 and 0 <= minutes < 60) or (hours == 24 and minutes):
                raise ValueError
            return hours * 60 + minutes
        except ValueError:
            self.err(path, f"expected a time HH:MM, got {value!r}")
            return 0

    def time_(self, value: Any, path: str) -> time:
        minute = self.minute(value, path)
        if minute >= 24 * 60:
            self.err(path, "a departure time must be before 24:00")
            return time(0, 0)
        return time(minute // 60, minute % 60)

    def name(self, raw: Mapping[str, Any], key: str, path: str) -> LocalizedName:
        value = self.obj(raw.get(key), f"{path}.{key}")
        return LocalizedName(
            zh=self.str_(value, "zh", f"{path}.{key}"),
            ru=self.str_(value, "ru", f"{path}.{key}"),
            en=self.str_(value, "en", f"{path}.{key}"),
        )

    def sources(
        self, raw: Mapping[str, Any], path: str, key: str = "sources"
    ) -> tuple[Source, ...]:
        """The sources of a fact; a fact without one is an error (the project's first rule)."""
        value = raw.get(key)
        where = f"{path}.{key}"
        if not isinstance(value, list) or not value:
            self.err(where, "a fact needs at least one source {url, supports, checked}")
            return ()
        out: list[Source] = []
        for index, item in enumerate(value):
            item_path = f"{where}[{index}]"
            item = self.obj(item, item_path)
            url = self.str_(item, "url", item_path)
            supports = self.str_(item, "supports", item_path)
            checked = self.date_(item, "checked", item_path)
            if url and supports and checked:
                out.append(Source(url=url, supports=supports, checked=checked))
        return tuple(out)

    def city(self, value: Any, path: str) -> str:
        if value not in CITIES:
            self.err(path, f"expected one of {', '.join(CITIES)}, got {value!r}")
            return CITIES[0]
        return value


def _read_point(r: _Reader, raw: Any, path: str) -> Point:
    raw = r.obj(raw, path)
    location = None
    if raw.get("location") is not None:
        loc = r.obj(raw["location"], f"{path}.location")
        try:
            location = LatLon(float(loc["lat"]), float(loc["lon"]))
        except (KeyError, TypeError, ValueError) as exc:
            r.err(f"{path}.location", f"expected {{lat, lon}} in range ({exc})")
    confidence = r.str_(raw, "coord_confidence", path)
    if confidence and confidence not in COORD_CONFIDENCE:
        r.err(f"{path}.coord_confidence", f"expected one of {', '.join(COORD_CONFIDENCE)}")
    needs_radius = location is not None and confidence in ("estimated", "low")
    if needs_radius and raw.get("coord_uncertainty_m") is None:
        r.err(f"{path}.coord_uncertainty_m", "an estimated coordinate needs its uncertainty")
    if location is None and confidence != "unknown":
        r.err(f"{path}.coord_confidence", "a point without location must say 'unknown'")
    return Point(
        id=r.str_(raw, "id", path),
        city=r.city(raw.get("city"), f"{path}.city"),
        kind=r.str_(raw, "kind", path),
        name=r.name(raw, "name", path),
        location=location,
        coord_confidence=confidence,
        coord_uncertainty_m=r.int_(raw, "coord_uncertainty_m", path, required=False),
        coord_method=r.str_(raw, "coord_method", path),
        sources=r.sources(raw, path),
    )


def _read_fare(r: _Reader, raw: Any, path: str) -> Fare:
    raw = r.obj(raw, path)
    amount = raw.get("amount")
    if amount is not None and (isinstance(amount, bool) or not isinstance(amount, int | float)):
        r.err(f"{path}.amount", "expected a number or null (unknown)")
        amount = None
    currency = r.str_(raw, "currency", path)
    if currency and currency not in ("CNY", "RUB"):
        r.err(f"{path}.currency", "expected CNY or RUB")
    return Fare(
        amount=float(amount) if amount is not None else None,
        currency=currency,
        note=r.str_(raw, "note", path, required=False),
        sources=r.sources(raw, path),
    )


def _read_timetable(r: _Reader, raw: Any, path: str) -> Timetable:
    raw = r.obj(raw, path)
    status = r.str_(raw, "status", path)
    if status and status not in TIMETABLE_STATUSES:
        r.err(f"{path}.status", f"expected one of {', '.join(TIMETABLE_STATUSES)}")
    times: list[time] = []
    if "every" in raw:
        every = r.obj(raw["every"], f"{path}.every")
        first = r.minute(every.get("first"), f"{path}.every.first")
        last = r.minute(every.get("last"), f"{path}.every.last")
        step = r.int_(every, "minutes", f"{path}.every") or 0
        if step <= 0 or last < first or last >= 24 * 60:
            r.err(f"{path}.every", "needs first <= last < 24:00 and minutes > 0")
        else:
            times = [time(m // 60, m % 60) for m in range(first, last + 1, step)]
    else:
        for index, value in enumerate(r.list_(raw, "times", path)):
            times.append(r.time_(value, f"{path}.times[{index}]"))
    if status and status != "unknown" and not times:
        r.err(f"{path}.times", "a timetable that is not 'unknown' needs departure times")
    return Timetable(
        status=status,
        as_of=r.int_(raw, "as_of", path) or 0,
        times=tuple(sorted(times)),
        note=r.str_(raw, "note", path, required=False),
        sources=r.sources(raw, path),
    )


def _read_notes(r: _Reader, raw: Mapping[str, Any], path: str) -> tuple[Note, ...]:
    out = []
    for index, item in enumerate(r.list_(raw, "notes", path)):
        item_path = f"{path}.notes[{index}]"
        item = r.obj(item, item_path)
        out.append(Note(r.str_(item, "text", item_path), r.sources(item, item_path)))
    return tuple(out)


def _read_mode(r: _Reader, mode_id: str, raw: Any, path: str, points: Mapping[str, Point]) -> Mode:
    raw = r.obj(raw, path)
    in_service = r.bool_(raw, "in_service", path)
    side_maps: dict[str, dict[str, str]] = {}
    for key in ("points", "checkpoints"):
        mapping = r.obj(raw.get(key), f"{path}.{key}")
        side_maps[key] = {}
        for city in CITIES:
            point_id = mapping.get(city)
            if point_id not in points:
                r.err(f"{path}.{key}.{city}", f"unknown point id {point_id!r}")
            elif points[point_id].city != city:
                r.err(f"{path}.{key}.{city}", f"point {point_id!r} is not in {city}")
            else:
                side_maps[key][city] = point_id
    explicit = r.obj(raw.get("explicit_range"), f"{path}.explicit_range")
    seasons = []
    for index, item in enumerate(r.list_(raw, "seasons", path)):
        item_path = f"{path}.seasons[{index}]"
        item = r.obj(item, item_path)
        start = r.date_(item, "start", item_path)
        end = r.date_(item, "end", item_path, required=False)
        if start and end and end < start:
            r.err(f"{item_path}.end", "ends before it starts")
        seasons.append(
            Window(
                start=start or date.min,
                end=end,
                start_estimated=r.bool_(item, "start_estimated", item_path),
                end_estimated=r.bool_(item, "end_estimated", item_path),
                note=r.str_(item, "note", item_path, required=False),
                sources=r.sources(item, item_path),
            )
        )
    typical = []
    for index, item in enumerate(r.list_(raw, "typical", path)):
        item_path = f"{path}.typical[{index}]"
        item = r.obj(item, item_path)
        typical.append((r.month_day(item, "start", item_path), r.month_day(item, "end", item_path)))
    typical_sources = r.sources(raw, path, "typical_sources") if typical else ()
    timetables: dict[str, Timetable] = {}
    ride = None
    fares: dict[str, Fare] = {}
    status = ""
    status_sources: tuple[Source, ...] = ()
    if in_service:
        tables = r.obj(raw.get("timetables"), f"{path}.timetables")
        fare_map = r.obj(raw.get("fares"), f"{path}.fares")
        for city in CITIES:
            if city not in tables:
                r.err(f"{path}.timetables.{city}", "missing (use status 'unknown')")
            else:
                timetables[city] = _read_timetable(r, tables[city], f"{path}.timetables.{city}")
            if city not in fare_map:
                r.err(f"{path}.fares.{city}", "missing (use amount null for unknown)")
            else:
                fares[city] = _read_fare(r, fare_map[city], f"{path}.fares.{city}")
        ride_raw = r.obj(raw.get("ride"), f"{path}.ride")
        ride = Ride(
            minutes=r.int_(ride_raw, "minutes", f"{path}.ride") or 0,
            includes_checkpoints=r.bool_(ride_raw, "includes_checkpoints", f"{path}.ride"),
            estimated=r.bool_(ride_raw, "estimated", f"{path}.ride"),
            note=r.str_(ride_raw, "note", f"{path}.ride", required=False),
            sources=r.sources(ride_raw, f"{path}.ride"),
        )
        if not seasons and not typical:
            r.err(f"{path}.seasons", "a mode in service needs a season")
    else:
        status = r.str_(raw, "status", path)
        status_sources = r.sources(raw, path, "status_sources")
    return Mode(
        id=mode_id,
        in_service=in_service,
        name=r.name(raw, "name", path),
        points=side_maps["points"],
        checkpoints=side_maps["checkpoints"],
        explicit_start=r.date_(explicit, "start", f"{path}.explicit_range") or date.min,
        explicit_end=r.date_(explicit, "end", f"{path}.explicit_range", required=False),
        seasons=tuple(seasons),
        typical=tuple(typical),
        typical_sources=typical_sources,
        timetables=timetables,
        ride=ride,
        fares=fares,
        notes=_read_notes(r, raw, path),
        status=status,
        status_sources=status_sources,
    )


def _read_rule(r: _Reader, raw: Any, path: str) -> EntryRule:
    raw = r.obj(raw, path)
    extensions = []
    for index, item in enumerate(r.list_(raw, "extensions", path)):
        item_path = f"{path}.extensions[{index}]"
        item = r.obj(item, item_path)
        extensions.append(
            Extension(
                valid_until=r.date_(item, "valid_until", item_path) or date.min,
                confidence=r.str_(item, "confidence", item_path),
                verify=r.bool_(item, "verify", item_path),
                text=r.str_(item, "text", item_path),
                sources=r.sources(item, item_path),
            )
        )
    after = raw.get("after_end")
    after_status, after_text = None, ""
    if after is not None:
        after = r.obj(after, f"{path}.after_end")
        after_status = r.str_(after, "status", f"{path}.after_end")
        if after_status not in ("visa_required", "unknown"):
            r.err(f"{path}.after_end.status", "expected 'visa_required' or 'unknown'")
        after_text = r.str_(after, "text", f"{path}.after_end")
    enters = tuple(r.list_(raw, "enters", path))
    for country in enters:
        if country not in COUNTRY_NAMES:
            r.err(f"{path}.enters", f"unknown country {country!r}")
    nationalities = tuple(r.list_(raw, "nationalities", path))
    for nat in nationalities:
        if nat not in ("CN", "RU", "other"):
            r.err(f"{path}.nationalities", f"expected CN, RU or other, got {nat!r}")
    return EntryRule(
        id=r.str_(raw, "id", path),
        enters=enters,
        nationalities=nationalities,
        permits=r.bool_(raw, "permits", path),
        title=r.str_(raw, "title", path),
        valid_from=r.date_(raw, "valid_from", path) or date.min,
        valid_until=r.date_(raw, "valid_until", path, required=False),
        party_min=r.int_(raw, "party_min", path) or 1,
        party_max=r.int_(raw, "party_max", path, required=False),
        max_stay_days=r.int_(raw, "max_stay_days", path, required=False),
        confidence=r.str_(raw, "confidence", path),
        documents=tuple(str(d) for d in r.list_(raw, "documents", path)),
        extensions=tuple(extensions),
        after_end_status=after_status,
        after_end_text=after_text,
        note=r.str_(raw, "note", path, required=False),
        sources=r.sources(raw, path),
    )


def parse_crossing_data(raw: Any, source: str = "<memory>") -> CrossingData:
    """Validate the raw JSON object; raise CrossingDataError listing every problem found."""
    r = _Reader(source)
    raw = r.obj(raw, "(top level)")
    points: dict[str, Point] = {}
    for index, item in enumerate(r.list_(raw, "points", "points")):
        point = _read_point(r, item, f"points[{index}]")
        if point.id in points:
            r.err(f"points[{index}].id", f"duplicate id {point.id!r}")
        points[point.id] = point
    modes_raw = r.obj(raw.get("modes"), "modes")
    modes: dict[str, Mode] = {}
    for mode_id in MODES:
        if mode_id not in modes_raw:
            r.err(f"modes.{mode_id}", "missing")
            continue
        modes[mode_id] = _read_mode(r, mode_id, modes_raw[mode_id], f"modes.{mode_id}", points)
    for extra in set(modes_raw) - set(MODES):
        r.err(f"modes.{extra}", f"unknown mode (expected {', '.join(MODES)})")

    cm = r.obj(raw.get("checkpoint_minutes"), "checkpoint_minutes")
    exits, entries = {}, {}
    for city in CITIES:
        side = r.obj(cm.get(city), f"checkpoint_minutes.{city}")
        exits[city] = r.int_(side, "exit", f"checkpoint_minutes.{city}") or 0
        entries[city] = r.int_(side, "entry", f"checkpoint_minutes.{city}") or 0
    checkpoint_minutes = CheckpointMinutes(
        exit=exits,
        entry=entries,
        estimated=r.bool_(cm, "estimated", "checkpoint_minutes"),
        note=r.str_(cm, "note", "checkpoint_minutes", required=False),
        sources=r.sources(cm, "checkpoint_minutes"),
    )

    port_hours = []
    for index, item in enumerate(r.list_(raw, "port_hours", "port_hours")):
        path = f"port_hours[{index}]"
        item = r.obj(item, path)
        if item.get("point") not in points:
            r.err(f"{path}.point", f"unknown point id {item.get('point')!r}")
        port_hours.append(
            PortHours(
                point=str(item.get("point")),
                modes=tuple(r.list_(item, "modes", path)),
                open_minute=r.minute(item.get("open"), f"{path}.open"),
                close_minute=r.minute(item.get("close"), f"{path}.close"),
                estimated=r.bool_(item, "estimated", path),
                note=r.str_(item, "note", path, required=False),
                sources=r.sources(item, path),
            )
        )

    closures_raw = r.obj(raw.get("closures"), "closures")
    closures = []
    for index, item in enumerate(r.list_(closures_raw, "dated", "closures")):
        path = f"closures.dated[{index}]"
        item = r.obj(item, path)
        start = r.date_(item, "start", path) or date.min
        end = r.date_(item, "end", path) or date.min
        if end < start:
            r.err(f"{path}.end", "ends before it starts")
        for point_id in r.list_(item, "points", path):
            if point_id not in points:
                r.err(f"{path}.points", f"unknown point id {point_id!r}")
        closures.append(
            Closure(
                id=r.str_(item, "id", path),
                kind=r.str_(item, "kind", path),
                start=start,
                end=end,
                points=tuple(r.list_(item, "points", path)),
                reason=r.str_(item, "reason", path),
                sources=r.sources(item, path),
            )
        )
    sf = r.obj(closures_raw.get("spring_festival"), "closures.spring_festival")
    spring_festival = SpringFestivalRule(
        first_offset_days=int(sf.get("first_offset_days", -1)),
        days=r.int_(sf, "days", "closures.spring_festival") or 0,
        points=tuple(r.list_(sf, "points", "closures.spring_festival")),
        note=r.str_(sf, "note", "closures.spring_festival", required=False),
        sources=r.sources(sf, "closures.spring_festival"),
    )

    holiday_notes = []
    for country, item in r.obj(raw.get("holiday_notes"), "holiday_notes").items():
        path = f"holiday_notes.{country}"
        item = r.obj(item, path)
        holiday_notes.append(
            HolidayNote(
                country=country,
                names=tuple(r.list_(item, "names", path)),
                text=r.str_(item, "text", path),
                sources=r.sources(item, path),
            )
        )

    ice = r.obj(raw.get("ice_risk"), "ice_risk")
    periods = []
    for index, item in enumerate(r.list_(ice, "periods", "ice_risk")):
        path = f"ice_risk.periods[{index}]"
        item = r.obj(item, path)
        periods.append(
            (
                r.month_day(item, "start", path),
                r.month_day(item, "end", path),
                str(item.get("label", "")),
            )
        )
    ice_risk = IceRisk(
        periods=tuple(periods),
        modes=tuple(r.list_(ice, "modes", "ice_risk")),
        text=r.str_(ice, "text", "ice_risk"),
        sources=r.sources(ice, "ice_risk"),
    )

    def notes_map(key: str) -> dict[str, Note]:
        out = {}
        for name, item in r.obj(raw.get(key), key).items():
            item = r.obj(item, f"{key}.{name}")
            where = f"{key}.{name}"
            out[name] = Note(r.str_(item, "text", where), r.sources(item, where))
        return out

    customs = notes_map("customs")
    documents = notes_map("documents")
    if "other" not in documents:
        r.err("documents.other", "missing (documents of third-country travellers)")

    rules = tuple(
        _read_rule(r, item, f"entry_rules[{index}]")
        for index, item in enumerate(r.list_(raw, "entry_rules", "entry_rules"))
    )
    policy = r.obj(raw.get("policy"), "policy")
    data = CrossingData(
        source=source,
        points=points,
        modes=modes,
        checkpoint_minutes=checkpoint_minutes,
        port_hours=tuple(port_hours),
        closures=tuple(closures),
        spring_festival=spring_festival,
        holiday_notes=tuple(holiday_notes),
        ice_risk=ice_risk,
        customs=customs,
        documents=documents,
        entry_rules=rules,
        buffer_minutes=r.int_(policy, "buffer_minutes", "policy") or 0,
        expiry_warning_days=r.int_(policy, "expiry_warning_days", "policy") or 0,
    )
    if r.problems:
        raise CrossingDataError(r.problems)
    return data


_cache: dict[tuple[str, float], CrossingData] = {}
_cache_lock = threading.Lock()


def load_crossing_data(path: Path | str | None = None) -> CrossingData:
    """Load and validate the crossing data, cached until the file changes."""
    path = Path(path) if path is not None else DEFAULT_PATH
    try:
        stamp = path.stat().st_mtime
        key = (str(path.resolve()), stamp)
        with _cache_lock:
            if key in _cache:
                return _cache[key]
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CrossingDataError([f"{path}: cannot read ({exc.strerror})"]) from None
    except json.JSONDecodeError as exc:
        raise CrossingDataError([f"{path}: line {exc.lineno}: invalid JSON ({exc.msg})"]) from None
    data = parse_crossing_data(raw, str(path))
    with _cache_lock:
        _cache[key] = data
    return data


# --------------------------------------------------------------------------- answers


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
    documents: tuple[str, ...]
    warnings: tuple[str, ...]
    sources: tuple[Source, ...]
    entry_rule: str
    estimated: bool


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
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class EntryDecision:
    """Whether a traveller may enter a country on a day, under which rule and with what papers."""

    permitted: bool
    rule_id: str
    documents: tuple[str, ...]
    warnings: tuple[str, ...]
    sources: tuple[Source, ...]
    reason: str


def normalize_nationality(code: str) -> str:
    """An ISO 3166-1 alpha-2 code, upper-cased; anything else is a ValueError."""
    value = code.strip().upper() if isinstance(code, str) else ""
    if value not in ISO_ALPHA2:
        raise ValueError(
            f"unknown nationality {code!r}: expected an ISO 3166-1 alpha-2 code "
            "such as RU, CN or DE"
        )
    return value


def _check_city(city: str, what: str) -> str:
    if city not in CITIES:
        raise ValueError(f"unknown city {city!r} for {what}: expected one of {', '.join(CITIES)}")
    return city


def _check_party(party_size: int) -> int:
    if isinstance(party_size, bool) or not isinstance(party_size, int) or party_size < 1:
        raise ValueError(f"party size must be a whole number of at least 1, got {party_size!r}")
    return party_size


def _md_in(day: date, start: tuple[int, int], end: tuple[int, int]) -> bool:
    """Whether day's month-day lies in [start, end], wrapping over New Year when end < start."""
    md = (day.month, day.day)
    if start <= end:
        return start <= md <= end
    return md >= start or md <= end


def _fmt_md(md: tuple[int, int]) -> str:
    return f"{md[0]:02d}-{md[1]:02d}"


def _hm(value: datetime) -> str:
    return value.strftime("%H:%M")


def _season(mode: Mode, day: date) -> tuple[bool, bool, tuple[Source, ...], str]:
    """(running, estimated, sources, description) of a mode's season on day."""
    end = mode.explicit_end
    explicit = mode.explicit_start <= day and (end is None or day <= end)
    if explicit:
        for window in mode.seasons:
            if window.covers(day):
                end = window.end.isoformat() if window.end else "open-ended"
                text = f"{window.start.isoformat()} to {end}"
                return True, window.estimated, window.sources, text
        return False, False, (), "no dated season covers this day"
    for start, end in mode.typical:
        if _md_in(day, start, end):
            return True, True, mode.typical_sources, f"typical {_fmt_md(start)} to {_fmt_md(end)}"
    typical = ", ".join(f"{_fmt_md(s)} to {_fmt_md(e)}" for s, e in mode.typical)
    return False, True, mode.typical_sources, f"typical season {typical or 'none'}, estimated"


@lru_cache(maxsize=64)
def _spring_festival_first_day(year: int) -> date | None:
    """First day of the Spring Festival in *year*, from the holidays package (lunar calendar)."""
    calendar = holidays.country_holidays("CN", years=year, language="en_US")
    days = [
        day
        for day, name in calendar.items()
        if "Spring Festival" in name and "observed" not in name and day.year == year
    ]
    return min(days) if days else None


@lru_cache(maxsize=64)
def _holiday_names(country: str, day: date) -> tuple[str, ...]:
    calendar = holidays.country_holidays(country, years=day.year, language="en_US")
    names = calendar.get_list(day)
    return tuple(names)


def closures_on(point_id: str, day: date, data: CrossingData) -> list[tuple[str, bool, str]]:
    """Closures of a check-point on its local date: (reason, estimated, kind) each."""
    found: list[tuple[str, bool, str]] = []
    dated_sf_years = set()
    for closure in data.closures:
        if closure.kind == "spring_festival" and point_id in closure.points:
            dated_sf_years.add(closure.start.year)
        if point_id in closure.points and closure.start <= day <= closure.end:
            span = f"{closure.start.isoformat()} to {closure.end.isoformat()}"
            found.append((f"{closure.reason} ({span})", False, closure.kind))
    rule = data.spring_festival
    if point_id in rule.points and day.year not in dated_sf_years and rule.days:
        first = _spring_festival_first_day(day.year)
        if first is not None:
            start = first + timedelta(days=rule.first_offset_days)
            end = start + timedelta(days=rule.days - 1)
            if start <= day <= end:
                text = (
                    f"Chinese New Year (Spring Festival) closure, estimated {start.isoformat()} to "
                    f"{end.isoformat()} from the lunar calendar (no published notice yet: verify)"
                )
                found.append((text, True, "spring_festival"))
    return found


def _unique_sources(groups: Iterable[Iterable[Source]]) -> tuple[Source, ...]:
    seen: dict[tuple[str, str], Source] = {}
    for group in groups:
        for source in group:
            seen.setdefault((source.url, source.supports), source)
    return tuple(seen.values())


def entry_decision(
    country: str,
    nationality: str,
    day: date,
    party_size: int = 1,
    entry_permits: Iterable[str] = (),
    data: CrossingData | None = None,
) -> EntryDecision:
    """Whether a traveller of *nationality* may enter *country* (CN or RU) on *day*.

    A rule whose end date passed without a verified extension falls to its `after_end` status;
    "unknown" is treated like "visa required" so that no plan relies on an unverified regime.
    `entry_permits` lists the countries the traveller already holds a visa for.
    """
    data = data or load_crossing_data()
    nationality = normalize_nationality(nationality)
    permits = {normalize_nationality(c) for c in entry_permits}
    country_name = COUNTRY_NAMES[country]
    own_docs = data.documents.get(nationality) or data.documents["other"]
    if nationality == country:
        return EntryDecision(True, "own-citizen", (own_docs.text,), (), own_docs.sources, "")
    group_key = nationality if nationality in ("CN", "RU") else "other"
    notes: list[str] = []
    soft_warnings: list[str] = []
    note_sources: list[tuple[Source, ...]] = []
    for rule in data.entry_rules:
        if country not in rule.enters or group_key not in rule.nationalities:
            continue
        if not rule.permits:
            notes.append(rule.title + (f" ({rule.note})" if rule.note else ""))
            note_sources.append(rule.sources)
            if rule.confidence == "low" and rule.note:
                soft_warnings.append(rule.note)
            continue
        size_ok = party_size >= rule.party_min and (
            rule.party_max is None or party_size <= rule.party_max
        )
        if not size_ok:
            upper = rule.party_max or "any"
            notes.append(f"{rule.title}: needs a party of {rule.party_min} to {upper}")
            continue
        if day < rule.valid_from:
            notes.append(f"{rule.title}: not in force before {rule.valid_from.isoformat()}")
            continue
        extension = None
        if rule.valid_until is not None and day > rule.valid_until:
            extension = next((e for e in rule.extensions if day <= e.valid_until), None)
            if extension is None:
                last_end = max([rule.valid_until, *(e.valid_until for e in rule.extensions)])
                notes.append(f"{rule.title} ended {last_end.isoformat()}: {rule.after_end_text}")
                note_sources.append(rule.sources)
                continue
        warnings: list[str] = []
        sources = [rule.sources, own_docs.sources]
        end = extension.valid_until if extension else rule.valid_until
        if extension is not None:
            verify = ", verify" if extension.verify else ""
            warnings.append(
                f"entry rule {rule.id}: applied until {end.isoformat()} only because "
                f"{extension.text} (confidence {extension.confidence}{verify})"
            )
            sources.append(extension.sources)
        elif rule.confidence == "low":
            warnings.append(f"entry rule {rule.id} has low confidence: verify")
        horizon = max(data.expiry_warning_days, rule.max_stay_days or 0)
        if end is not None and (end - day).days < horizon:
            after = rule.after_end_text or "a visa is needed"
            later = [e for e in rule.extensions if e.valid_until > end]
            if later:
                after = (
                    f"{later[0].text} (confidence {later[0].confidence}: verify); otherwise {after}"
                )
                sources.append(later[0].sources)
            warnings.append(
                f"entry rule {rule.id} ends on {end.isoformat()}, within a "
                f"{rule.max_stay_days or horizon}-day stay: after that {after}"
            )
        documents = [own_docs.text]
        documents += [d for d in rule.documents if d != "passport" and "passport" not in d]
        if country == "CN" and rule.id != "group-visa-free" and "arrival_card_CN" in data.documents:
            card = data.documents["arrival_card_CN"]
            documents = [d for d in documents if d != "China arrival card"] + [card.text]
            sources.append(card.sources)
        if rule.max_stay_days:
            warnings.append(f"stay in {country_name} limited to {rule.max_stay_days} days")
        return EntryDecision(
            True, rule.id, tuple(documents), tuple(warnings), _unique_sources(sources), ""
        )
    if country in permits:
        documents = [own_docs.text, f"visa for {country_name} (declared by the traveller)"]
        if country == "CN" and "arrival_card_CN" in data.documents:
            documents.append(data.documents["arrival_card_CN"].text)
        return EntryDecision(
            True,
            "declared-visa",
            tuple(documents),
            tuple(soft_warnings),
            _unique_sources([own_docs.sources, *note_sources]),
            "",
        )
    detail = "; ".join(notes) if notes else f"no visa-free rule for {nationality} citizens"
    reason = (
        f"entry to {country_name} is not permitted for {nationality} citizens on "
        f"{day.isoformat()} without a visa: {detail}. Declare a {country_name} visa "
        f"(entry_permits / --visa {country}) to see the options"
    )
    return EntryDecision(False, "", (), (), _unique_sources(note_sources), reason)


def _hours_for(data: CrossingData, point_id: str, mode_id: str) -> PortHours | None:
    for hours in data.port_hours:
        if hours.point == point_id and (not hours.modes or mode_id in hours.modes):
            return hours
    return None


def _day_options(
    data: CrossingData,
    frm: str,
    day: date,
    nationality: str,
    party_size: int,
    entry_permits: tuple[str, ...],
    reasons: list[str],
) -> list[CrossingOption]:
    """Every departure from *frm* on its local *day*, with reasons for the modes that have none."""
    to = other_city(frm)
    dep_zone, arr_zone = city_zone(frm), city_zone(to)
    country_in = CITY_COUNTRY[to]
    entry = entry_decision(country_in, nationality, day, party_size, entry_permits, data)
    if not entry.permitted:
        reasons.append(entry.reason)
        return []
    cm = data.checkpoint_minutes
    options: list[CrossingOption] = []
    for mode in data.modes.values():
        if not mode.in_service:
            reasons.append(f"{mode.id}: not in service ({mode.status})")
            continue
        running, season_estimated, season_sources, season_text = _season(mode, day)
        if not running:
            reasons.append(f"{mode.id}: not running on {day.isoformat()} ({season_text})")
            continue
        table = mode.timetables[frm]
        if table.status == "unknown" or not table.times:
            reasons.append(
                f"{mode.id} from {CITY_NAMES[frm]}: timetable unknown ({table.note or 'verify'})"
            )
            continue
        dep_cp, arr_cp = mode.checkpoints[frm], mode.checkpoints[to]
        closed = closures_on(dep_cp, day, data)
        if closed:
            reasons.append(_closure_reason(mode.id, closed[0]))
            continue
        ride = mode.ride
        assert ride is not None  # a mode in service always has one (validated)
        if ride.includes_checkpoints:
            exit_min = entry_min = 0
        else:
            exit_min, entry_min = cm.exit[frm], cm.entry[to]
        hours = _hours_for(data, dep_cp, mode.id) if mode.points[frm] == dep_cp else None
        fare = mode.fares[frm]
        for departure in table.times:
            minute = departure.hour * 60 + departure.minute
            if hours and not hours.open_minute <= minute <= hours.close_minute:
                continue
            depart = datetime.combine(day, departure, tzinfo=dep_zone)
            report_by = depart - timedelta(minutes=exit_min + data.buffer_minutes)
            arrive = (depart + timedelta(minutes=ride.minutes + entry_min)).astimezone(arr_zone)
            arrival_closed = closures_on(arr_cp, arrive.date(), data)
            if arrival_closed:
                reasons.append(_closure_reason(mode.id, arrival_closed[0]))
                continue
            warnings: list[str] = []
            groups: list[tuple[Source, ...]] = [season_sources, table.sources, ride.sources]
            if season_estimated:
                warnings.append(
                    f"{mode.id} season estimated ({season_text}): no published dates for "
                    f"{day.year}, verify"
                )
            if table.status != "published":
                warnings.append(f"{table.status} timetable: {table.note}")
            if table.as_of < day.year:
                warnings.append(
                    f"schedule for {day.year} not yet published: times from the {table.as_of} "
                    "timetable"
                )
            if ride.estimated:
                warnings.append(f"time on the way estimated: {ride.note}")
            if not ride.includes_checkpoints:
                groups.append(cm.sources)
                if cm.estimated:
                    warnings.append(
                        f"check-point times are estimates ({exit_min} min exit, "
                        f"{entry_min} min entry)"
                    )
            if hours is not None:
                groups.append(hours.sources)
            if fare.amount is None:
                warnings.append(f"fare unknown: {fare.note}")
            groups.append(fare.sources)
            if mode.id in data.ice_risk.modes:
                for start, end, label in data.ice_risk.periods:
                    if _md_in(day, start, end):
                        warnings.append(data.ice_risk.text.format(label=label))
                        groups.append(data.ice_risk.sources)
            for note in mode.notes:
                warnings.append(note.text)
                groups.append(note.sources)
            for note in data.holiday_notes:
                names = _holiday_names(note.country, day)
                if any(wanted in name for name in names for wanted in note.names):
                    warnings.append(f"{', '.join(names)}: {note.text}")
                    groups.append(note.sources)
            warnings.extend(entry.warnings)
            groups.append(entry.sources)
            if country_in in data.customs:
                warnings.append(data.customs[country_in].text)
                groups.append(data.customs[country_in].sources)
            options.append(
                CrossingOption(
                    mode=mode.id,
                    mode_name=mode.name,
                    depart=depart,
                    arrive=arrive,
                    report_by=report_by,
                    minutes=int((arrive - report_by).total_seconds() // 60),
                    fare=fare,
                    from_point=data.points[mode.points[frm]],
                    to_point=data.points[mode.points[to]],
                    documents=entry.documents,
                    warnings=tuple(warnings),
                    sources=_unique_sources(groups),
                    entry_rule=entry.rule_id,
                    estimated=bool(
                        season_estimated
                        or table.status != "published"
                        or ride.estimated
                        or (cm.estimated and not ride.includes_checkpoints)
                    ),
                )
            )
    options.sort(key=lambda o: (o.depart, o.mode))
    if options:
        last = options[-1]
        options[-1] = _with_warning(
            last,
            f"last crossing of the day from {CITY_NAMES[frm]} ({last.mode} at {_hm(last.depart)})",
        )
    return options


def _closure_reason(mode_id: str, closure: tuple[str, bool, str]) -> str:
    text, _estimated, kind = closure
    why = "closed for a public holiday" if kind == "spring_festival" else "check-point closed"
    return f"{mode_id}: {why}: {text}"


def _with_warning(option: CrossingOption, warning: str) -> CrossingOption:
    return CrossingOption(**{**option.__dict__, "warnings": (warning, *option.warnings)})


def _dedupe(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def last_return_option(
    city_abroad: str,
    day: date,
    nationality: str,
    party_size: int = 1,
    *,
    entry_permits: Iterable[str] = (),
    data: CrossingData | None = None,
) -> CrossingOption | None:
    """The last crossing home from *city_abroad* on its local *day*, or None if there is none."""
    _check_city(city_abroad, "city_abroad")
    nationality = normalize_nationality(nationality)
    _check_party(party_size)
    data = data or load_crossing_data()
    options = _day_options(
        data, city_abroad, day, nationality, party_size, tuple(entry_permits), []
    )
    return options[-1] if options else None


def last_safe_return(
    city_abroad: str,
    day: date,
    nationality: str,
    party_size: int = 1,
    *,
    entry_permits: Iterable[str] = (),
    data: CrossingData | None = None,
) -> datetime | None:
    """The deadline abroad: be at the port of the last crossing home by this time.

    Parameters: *city_abroad* is where the traveller is ('heihe' or 'blagoveshchensk'); *day*
    its local date. Returns the `report_by` of that day's last crossing back (exit control and
    the buffer included), in the zone of *city_abroad*, or None when no crossing back runs that
    day (closed, or entry home not permitted): the plan must then stay overnight.
    """
    option = last_return_option(
        city_abroad, day, nationality, party_size, entry_permits=entry_permits, data=data
    )
    return option.report_by if option else None


def crossing_options(
    direction_from: str,
    after: datetime,
    nationality: str,
    party_size: int = 1,
    limit: int = 10,
    data: CrossingData | None = None,
    *,
    until: datetime | None = None,
    entry_permits: Iterable[str] = (),
) -> CrossingAnswer:
    """The feasible crossings from *direction_from* departing at or after *after*, in time order.

    Parameters: *direction_from* 'heihe' or 'blagoveshchensk'; *after* an aware datetime;
    *nationality* an ISO 3166-1 alpha-2 code (CN and RU have their own rules, every other
    code is "other"); *party_size* >= 1 (5-50 opens the group visa-free tours); *limit* the
    most options returned; *until* the end of the window (default: the end of the day after
    *after*'s local day, so a request after the last departure shows the next morning);
    *entry_permits* the countries the traveller holds a visa for.
    Returns a CrossingAnswer: options, `last_return` (the deadline to come back on the day of
    arrival, see last_safe_return) and reasons when there is no option or fewer.
    Raises ValueError for a naive datetime, an unknown city or nationality, a bad party size.
    """
    frm = _check_city(direction_from, "direction_from")
    require_aware(after, "after")
    nationality = normalize_nationality(nationality)
    _check_party(party_size)
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ValueError(f"limit must be a whole number of at least 1, got {limit!r}")
    permits = tuple(normalize_nationality(c) for c in entry_permits)
    data = data or load_crossing_data()
    to = other_city(frm)
    dep_zone, arr_zone = city_zone(frm), city_zone(to)
    start_local = after.astimezone(dep_zone)
    if until is None:
        until = datetime.combine(start_local.date() + timedelta(days=2), time(0), tzinfo=dep_zone)
    else:
        require_aware(until, "until")
        if until <= after:
            raise ValueError("until must be later than after")
    first_day = start_local.date()
    last_day = (until - timedelta(microseconds=1)).astimezone(dep_zone).date()

    reasons: list[str] = []
    options: list[CrossingOption] = []
    day = first_day
    while day <= last_day:
        day_reasons: list[str] = []
        day_options = _day_options(data, frm, day, nationality, party_size, permits, day_reasons)
        # Mode-by-mode reasons matter for the requested day; later days add only closures/entry.
        if day == first_day:
            reasons.extend(day_reasons)
        else:
            has_entry = any(r.startswith("entry to") for r in reasons)
            reasons.extend(
                r
                for r in day_reasons
                if "closed" in r or (r.startswith("entry to") and not has_entry)
            )
        kept = [o for o in day_options if after <= o.depart < until]
        if day == first_day and day_options and not kept:
            last = day_options[-1]
            reasons.append(
                f"no more crossings from {CITY_NAMES[frm]} on {day.isoformat()} after "
                f"{_hm(start_local)}: the last was the {last.mode} at {_hm(last.depart)} "
                "(ports and timetables end for the day); the next options are the next morning"
            )
        options.extend(kept)
        day += timedelta(days=1)
    options.sort(key=lambda o: (o.depart, o.mode))
    options = options[:limit]

    returns: dict[date, datetime | None] = {}

    def return_deadline(arrival_day: date) -> datetime | None:
        if arrival_day not in returns:
            returns[arrival_day] = last_safe_return(
                to, arrival_day, nationality, party_size, entry_permits=permits, data=data
            )
        return returns[arrival_day]

    checked: list[CrossingOption] = []
    for option in options:
        deadline = return_deadline(option.arrive.date())
        if deadline is None:
            option = _with_warning(
                option,
                f"no crossing back from {CITY_NAMES[to]} on {option.arrive.date().isoformat()}: "
                "plan to stay overnight",
            )
        elif option.arrive > deadline:
            option = _with_warning(
                option,
                f"arrives after the last safe return of the day (be at the port by "
                f"{_hm(deadline)} {CITY_NAMES[to]} time): plan to stay overnight",
            )
        checked.append(option)

    trip_day = checked[0].arrive.date() if checked else after.astimezone(arr_zone).date()
    last_return = return_deadline(trip_day)
    if not checked:
        reasons.append(
            f"no crossing from {CITY_NAMES[frm]} between {after.isoformat(timespec='minutes')} "
            f"and {until.isoformat(timespec='minutes')}: do not plan a crossing"
        )
    return CrossingAnswer(
        direction_from=frm,
        direction_to=to,
        after=after,
        until=until,
        nationality=nationality,
        party_size=party_size,
        options=tuple(checked),
        last_return=last_return,
        reasons=_dedupe(reasons),
    )


def options_on_day(
    direction_from: str,
    day: date,
    nationality: str,
    party_size: int = 1,
    data: CrossingData | None = None,
    *,
    entry_permits: Iterable[str] = (),
) -> CrossingAnswer:
    """All crossings on one local day of the departure side (what a day planner iterates over)."""
    zone = city_zone(_check_city(direction_from, "direction_from"))
    start = datetime.combine(day, time(0), tzinfo=zone)
    return crossing_options(
        direction_from,
        start,
        nationality,
        party_size,
        limit=1000,
        data=data,
        until=start + timedelta(days=1),
        entry_permits=entry_permits,
    )


# --------------------------------------------------------------------------- JSON


def _iso(value: datetime) -> str:
    return value.isoformat(timespec="minutes")


def _zone_name(value: datetime) -> str:
    return getattr(value.tzinfo, "key", str(value.tzinfo))


def point_to_json(point: Point) -> dict[str, Any]:
    """A point as JSON: id, city, names in three languages, (lat, lon) or null, confidence."""
    return {
        "id": point.id,
        "city": point.city,
        "name": point.name.as_dict(),
        "location": (
            {"lat": point.location.lat, "lon": point.location.lon} if point.location else None
        ),
        "coord_confidence": point.coord_confidence,
        "coord_uncertainty_m": point.coord_uncertainty_m,
    }


def option_to_json(option: CrossingOption) -> dict[str, Any]:
    """One option in the API's shape (times ISO 8601 with offsets, zone names alongside)."""
    return {
        "mode": option.mode,
        "depart": _iso(option.depart),
        "depart_zone": _zone_name(option.depart),
        "arrive": _iso(option.arrive),
        "arrive_zone": _zone_name(option.arrive),
        "minutes": option.minutes,
        "fare": {"amount": option.fare.amount, "currency": option.fare.currency},
        "from_point": point_to_json(option.from_point),
        "to_point": point_to_json(option.to_point),
        "documents": list(option.documents),
        "warnings": list(option.warnings),
        "sources": [source.as_dict() for source in option.sources],
    }


def answer_to_json(answer: CrossingAnswer) -> dict[str, Any]:
    """The JSON envelope shared by the API and the CLI: {"ok": true, "options", ...}."""
    return {
        "ok": True,
        "options": [option_to_json(option) for option in answer.options],
        "last_return": _iso(answer.last_return) if answer.last_return else None,
        "last_return_zone": _zone_name(answer.last_return) if answer.last_return else None,
        "reasons": list(answer.reasons),
    }
