"""Reading data/crossing.json: validate it with the models of schema.py, which are the facts.

Every problem is reported at once, each naming the file and the field path, e.g.
`data/crossing.json: modes.ship.timetables.<city id>.times[2]: expected a time HH:MM, got '25:00'`.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from planner import region
from planner.crossing import schema
from planner.crossing.base import FILE as BASE_FILE
from planner.crossing.base import VisaBaseError, load_visa_base
from planner.crossing.formats import FieldProblems, point_cities
from planner.crossing.schema import CrossingData
from planner.errors import DataProblems
from planner.resources import DATA

FILE = "crossing.json"  # in the region's data folder (planner.region.data_dir)
DEFAULT_PATH = DATA / FILE  # the shipped region's

NEED_SOURCE = "a fact needs at least one source {url, supports, checked}"
_SOURCE_KEYS = ("sources", "typical_sources", "status_sources")
_MODES = ", ".join(schema.Modes.model_fields)


class CrossingDataError(DataProblems):
    """data/crossing.json is unreadable or invalid; `problems` names the file and field of each."""

    what = "the crossing data"


# --------------------------------------------------------------------------- errors


def _path(loc: tuple[Any, ...], sub: str = "") -> str:
    out = ""
    # checkpoint_minutes.sides.<city> is written checkpoint_minutes.<city> in the file
    loc = tuple(
        p
        for i, p in enumerate(loc)
        if not (p == "sides" and loc[i - 1 : i] == ("checkpoint_minutes",))
    )
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    if sub:
        out += sub if sub.startswith("[") or not out else f".{sub}"
    return out or "(top level)"


def _message(error: Any) -> str:
    """One pydantic error in the loader's words."""
    kind, loc, value = error["type"], error["loc"], error.get("input")
    if (
        loc
        and loc[-1] in _SOURCE_KEYS
        and kind in ("missing", "too_short", "list_type", "tuple_type")
    ):
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
    if kind in ("list_type", "tuple_type"):
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
        if error["type"] == "value_error" and isinstance(original, FieldProblems):
            out += [f"{filename}: {_path(loc, sub)}: {msg}" for sub, msg in original.items]
        else:
            out.append(f"{filename}: {_path(loc)}: {_message(error)}")
    return list(dict.fromkeys(out))


# --------------------------------------------------------------------------- reading


def parse_crossing_data(
    raw: Any, source: str = "<memory>", visa_base: Path | str | None = None
) -> CrossingData:
    """Validate the raw JSON object; raise CrossingDataError listing every problem found.

    The base layer of the entry rules is read from *visa_base* (default: the shipped
    data/passport_index.csv), so that every CrossingData answers for every passport.
    """
    context = {"points": point_cities(raw)}
    problems: list[str] = []
    try:
        data = CrossingData.model_validate(raw, context=context)
    except ValidationError as exc:
        problems = problems_of(exc, source)
    try:
        base = load_visa_base(visa_base)
    except VisaBaseError as exc:
        problems += exc.problems
    if problems:
        raise CrossingDataError(problems) from None
    return data.read_from(source, base)


_cache: dict[tuple[str, float, float], CrossingData] = {}
_cache_lock = threading.Lock()


def _base_stamp() -> float:
    try:
        return region.data_file(BASE_FILE).stat().st_mtime
    except OSError:
        return 0.0


def load_crossing_data(path: Path | str | None = None) -> CrossingData:
    """Load and validate the crossing data, cached until the file changes."""
    path = Path(path) if path is not None else region.data_file(FILE)
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
