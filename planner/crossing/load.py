"""Reading data/crossing.json: validate it with the models of schema.py, build the facts.

Every problem is reported at once, each naming the file and the field path, e.g.
`data/crossing.json: modes.ship.timetables.heihe.times[2]: expected a time HH:MM, got '25:00'`.
"""

from __future__ import annotations

import json
import threading
from dataclasses import replace
from datetime import time
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from planner.crossing import schema
from planner.crossing.base import DEFAULT_BASE_PATH, VisaBaseError, load_visa_base
from planner.crossing.facts import (
    CheckpointMinutes,
    Closure,
    CrossingData,
    EntryRule,
    Extension,
    GradedSource,
    GroupMinutes,
    HolidayNote,
    IceRisk,
    Mode,
    Note,
    Point,
    PortHours,
    Ride,
    SpringFestivalRule,
    Timetable,
    Window,
)
from planner.errors import DataProblems
from planner.model import Fare, LatLon, LocalizedName
from planner.resources import DATA

DEFAULT_PATH = DATA / "crossing.json"

NEED_SOURCE = "a fact needs at least one source {url, supports, checked}"
_SOURCE_KEYS = ("sources", "typical_sources", "status_sources")
_MODES = ", ".join(schema.Modes.model_fields)


class CrossingDataError(DataProblems):
    """data/crossing.json is unreadable or invalid; `problems` names the file and field of each."""

    what = "the crossing data"


# --------------------------------------------------------------------------- errors


def _path(loc: tuple[Any, ...], sub: str = "") -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    if sub:
        out += sub if sub.startswith("[") or not out else f".{sub}"
    return out or "(top level)"


def _message(error: Any) -> str:
    """One pydantic error in the loader's words."""
    kind, loc, value = error["type"], error["loc"], error.get("input")
    if loc and loc[-1] in _SOURCE_KEYS and kind in ("missing", "too_short", "list_type"):
        return NEED_SOURCE
    if kind == "missing":
        return "missing"
    if kind == "extra_forbidden":
        if len(loc) == 2 and loc[0] == "modes":
            return f"unknown mode (expected {_MODES})"
        return "unknown field (not in the format: check the spelling)"
    if kind == "value_error":
        return str(error["ctx"]["error"])
    if kind in ("model_type", "dict_type"):
        return f"expected an object, got {value!r}"
    if kind == "list_type":
        return f"expected a list, got {value!r}"
    if kind == "string_type":
        return f"expected a string, got {value!r}"
    if kind == "bool_type":
        return f"expected true or false, got {value!r}"
    if kind in ("int_type", "int_from_float"):
        return f"expected a whole number, got {value!r}"
    if kind == "float_type":
        return f"expected a number, got {value!r}"
    return f"{error['msg'][:1].lower()}{error['msg'][1:]}, got {value!r}"


def problems_of(exc: ValidationError, filename: str) -> list[str]:
    """The ValidationError as 'file: field.path: message' lines, in the file's order."""
    out: list[str] = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        original = (error.get("ctx") or {}).get("error")
        if error["type"] == "value_error" and isinstance(original, schema.FieldProblems):
            out += [f"{filename}: {_path(loc, sub)}: {msg}" for sub, msg in original.items]
        else:
            out.append(f"{filename}: {_path(loc)}: {_message(error)}")
    return list(dict.fromkeys(out))


# --------------------------------------------------------------------------- models -> facts


def _sources(items: list[schema.SourceModel]) -> tuple[GradedSource, ...]:
    return tuple(
        GradedSource(url=s.url, supports=s.supports, checked=s.checked, grade=s.grade)
        for s in items
    )


def _name(name: schema.Name) -> LocalizedName:
    return LocalizedName(zh=name.zh, ru=name.ru, en=name.en)


def _text(text: schema.Name | str) -> LocalizedName | None:
    """A traveller's text; English only (an older file) keeps zh and ru empty: shown in English."""
    if isinstance(text, schema.Name):
        return _name(text)
    return LocalizedName(zh="", ru="", en=text) if text.strip() else None


def _sentence(text: schema.Name | str) -> LocalizedName:
    found = _text(text)
    assert found is not None  # required sentences are validated non-empty
    return found


def _note(note: schema.NoteModel) -> Note:
    return Note(_sentence(note.text), _sources(note.sources))


def _point(p: schema.PointModel) -> Point:
    return Point(
        id=p.id,
        city=p.city,
        kind=p.kind,
        name=_name(p.name),
        location=LatLon(p.location.lat, p.location.lon) if p.location else None,
        coord_confidence=p.coord_confidence,
        coord_uncertainty_m=p.coord_uncertainty_m,
        coord_method=p.coord_method,
        sources=_sources(p.sources),
    )


def _timetable(t: schema.TimetableModel) -> Timetable:
    times = list(t.times)
    if t.every is not None:
        step = t.every.minutes
        times = [time(m // 60, m % 60) for m in range(t.every.first, t.every.last + 1, step)]
    return Timetable(
        t.status, t.as_of, tuple(sorted(times)), _text(t.note), _sources(t.sources), t.indicative
    )


def _mode(mode_id: str, m: schema.ModeModel) -> Mode:
    ride = None
    if m.ride is not None:
        r = m.ride
        ride = Ride(
            r.minutes, r.includes_checkpoints, r.estimated, _text(r.note), _sources(r.sources)
        )
    return Mode(
        id=mode_id,
        in_service=m.in_service,
        name=_name(m.name),
        points={"heihe": m.points.heihe, "blagoveshchensk": m.points.blagoveshchensk},
        checkpoints={
            "heihe": m.checkpoints.heihe,
            "blagoveshchensk": m.checkpoints.blagoveshchensk,
        },
        explicit_start=m.explicit_range.start,
        explicit_end=m.explicit_range.end,
        seasons=tuple(
            Window(s.start, s.end, s.start_estimated, s.end_estimated, s.note, _sources(s.sources))
            for s in m.seasons
        ),
        typical=tuple((t.start, t.end) for t in m.typical),
        typical_sources=_sources(m.typical_sources),
        timetables={city: _timetable(t) for city, t in m.timetables.items()},
        ride=ride,
        fares={
            city: Fare(f.amount, f.currency, _text(f.note) or "", _sources(f.sources))
            for city, f in m.fares.items()
        },
        notes=tuple(_note(n) for n in m.notes),
        status=_text(m.status) if not m.in_service else None,
        status_sources=_sources(m.status_sources),
        status_date=m.status_date,
    )


def _extension(e: schema.ExtensionModel) -> Extension:
    return Extension(e.valid_until, e.confidence, e.verify, _sentence(e.text), _sources(e.sources))


def _rule(r: schema.EntryRuleModel) -> EntryRule:
    return EntryRule(
        id=r.id,
        enters=tuple(r.enters),
        nationalities=tuple(r.nationalities),
        permits=r.permits,
        title=_sentence(r.title),
        valid_from=r.valid_from,
        valid_until=r.valid_until,
        party_min=r.party_min,
        party_max=r.party_max,
        max_stay_days=r.max_stay_days,
        confidence=r.confidence,
        documents=tuple(_sentence(d) for d in r.documents),
        extensions=tuple(_extension(e) for e in r.extensions),
        reported_extensions=tuple(_extension(e) for e in r.reported_extensions),
        checked=r.checked,
        countries=tuple(r.countries),
        after_end_status=r.after_end.status if r.after_end else None,
        after_end_text=_sentence(r.after_end.text) if r.after_end else None,
        note=_text(r.note),
        sources=_sources(r.sources),
    )


def _facts(f: schema.CrossingFile, source: str) -> CrossingData:
    cm, sf, ice = f.checkpoint_minutes, f.closures.spring_festival, f.ice_risk
    sides = {"heihe": cm.heihe, "blagoveshchensk": cm.blagoveshchensk}
    return CrossingData(
        source=source,
        points={p.id: _point(p) for p in f.points},
        modes={name: _mode(name, getattr(f.modes, name)) for name in schema.Modes.model_fields},
        checkpoint_minutes=CheckpointMinutes(
            exit={city: side.exit for city, side in sides.items()},
            entry={city: side.entry for city, side in sides.items()},
            estimated=cm.estimated,
            note=cm.note,
            sources=_sources(cm.sources),
            group=(
                GroupMinutes(cm.group.minutes_per_passenger, cm.group.max_minutes, cm.group.note)
                if cm.group
                else None
            ),
        ),
        port_hours=tuple(
            PortHours(
                h.point, tuple(h.modes), h.open, h.close, h.estimated, h.note, _sources(h.sources)
            )
            for h in f.port_hours
        ),
        closures=tuple(
            Closure(
                c.id,
                c.kind,
                c.start,
                c.end,
                tuple(c.points),
                _sentence(c.reason),
                _sources(c.sources),
            )
            for c in f.closures.dated
        ),
        spring_festival=SpringFestivalRule(
            sf.first_offset_days, sf.days, tuple(sf.points), sf.note, _sources(sf.sources)
        ),
        holiday_notes=tuple(
            HolidayNote(country, tuple(n.names), _sentence(n.text), _sources(n.sources))
            for country, n in f.holiday_notes.items()
        ),
        ice_risk=IceRisk(
            periods=tuple((p.start, p.end, p.label) for p in ice.periods),
            modes=tuple(ice.modes),
            text=_sentence(ice.text),
            sources=_sources(ice.sources),
        ),
        customs={country: _note(n) for country, n in f.customs.items()},
        documents={key: _note(n) for key, n in f.documents.items()},
        entry_rules=tuple(_rule(r) for r in f.entry_rules),
        buffer_minutes=f.policy.buffer_minutes,
        expiry_warning_days=f.policy.expiry_warning_days,
    )


# --------------------------------------------------------------------------- reading


def parse_crossing_data(
    raw: Any, source: str = "<memory>", visa_base: Path | str | None = None
) -> CrossingData:
    """Validate the raw JSON object; raise CrossingDataError listing every problem found.

    The base layer of the entry rules is read from *visa_base* (default: the shipped
    data/passport_index.csv), so that every CrossingData answers for every passport.
    """
    context = {"points": schema.point_cities(raw)}
    problems: list[str] = []
    try:
        model = schema.CrossingFile.model_validate(raw, context=context)
    except ValidationError as exc:
        problems = problems_of(exc, source)
    try:
        base = load_visa_base(visa_base)
    except VisaBaseError as exc:
        problems += exc.problems
    if problems:
        raise CrossingDataError(problems) from None
    return replace(_facts(model, source), visa_base=base)


_cache: dict[tuple[str, float, float], CrossingData] = {}
_cache_lock = threading.Lock()


def _base_stamp() -> float:
    try:
        return DEFAULT_BASE_PATH.stat().st_mtime
    except OSError:
        return 0.0


def load_crossing_data(path: Path | str | None = None) -> CrossingData:
    """Load and validate the crossing data, cached until the file changes."""
    path = Path(path) if path is not None else DEFAULT_PATH
    try:
        # The base layer is read with it: a change to either file reloads.
        key = (str(path.resolve()), path.stat().st_mtime, _base_stamp())
        with _cache_lock:
            if key in _cache:
                return _cache[key]
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CrossingDataError([f"{path}: cannot read ({exc.strerror})"]) from None
    except json.JSONDecodeError as exc:
        raise CrossingDataError([f"{path}: line {exc.lineno}: invalid JSON ({exc.msg})"]) from None
    except RecursionError:  # "[[[[…" thousands deep: a clean problem, not a traceback
        raise CrossingDataError([f"{path}: invalid JSON (nested too deeply)"]) from None
    try:
        data = parse_crossing_data(raw, str(path))
    except RecursionError:
        raise CrossingDataError([f"{path}: a value is nested too deeply"]) from None
    with _cache_lock:
        _cache[key] = data
    return data
