"""The base layer of the entry rules: a dated table of visa requirements for every passport.

data/passport_index.csv holds the rows of the MIT-licensed passport-index dataset whose
destination is China or Russia, with a `# key: value` header naming its source, commit, date,
grade and licence. It answers where none of data/crossing.json's own sourced rules names a
passport (entry.py decides the layering); this module only reads and checks the file.
"""

from __future__ import annotations

import csv
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from planner import region
from planner.errors import PlannerError
from planner.resources import DATA

FILE = "passport_index.csv"  # the region's copy, else the shipped one (planner.region)
DEFAULT_BASE_PATH = DATA / FILE
# The dataset's words; a number of days is the other kind of value.
WORDS = ("visa free", "visa on arrival", "e-visa", "visa required", "no admission", "-1")
HEADER_KEYS = ("source", "commit", "date", "checked", "grade", "licence")
_CODE = re.compile(r"^[A-Z]{2}$")  # the dataset also has XK (Kosovo), outside ISO 3166-1


class VisaBaseError(PlannerError, ValueError):
    """The base-layer file is missing, unreadable or malformed; `problems` lists each finding."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Requirement:
    """One row: what a passport needs to enter a destination, per the dataset."""

    kind: str  # "visa_free", "visa_on_arrival", "e_visa", "visa_required", "no_admission", "own"
    days: int | None = None  # for "visa_free": the stay the dataset gives, when it gives one


@dataclass(frozen=True)
class VisaBase:
    """The dataset's header (where it comes from, how old it is) and its rows."""

    url: str
    supports: str
    commit: str
    date: date  # the commit date: how current the dataset is
    checked: date
    grade: str
    licence: str
    rows: Mapping[tuple[str, str], Requirement]  # (passport, destination) -> requirement

    def requirement(self, passport: str, destination: str) -> Requirement | None:
        return self.rows.get((passport, destination))


def parse_requirement(value: str) -> Requirement:
    """A dataset value as a Requirement; a ValueError on anything else."""
    text = value.strip().lower()
    if text.isdigit() and int(text) > 0:
        return Requirement("visa_free", int(text))
    kinds = {
        "visa free": "visa_free",
        "visa on arrival": "visa_on_arrival",
        "e-visa": "e_visa",
        "visa required": "visa_required",
        "no admission": "no_admission",
        "-1": "own",
    }
    if text not in kinds:
        raise ValueError(f"unknown requirement {value!r} (expected days or one of {WORDS})")
    return Requirement(kinds[text])


def parse_visa_base(text: str, source: str = "<memory>") -> VisaBase:
    """Read the file's text; a VisaBaseError lists every problem found."""
    header: dict[str, str] = {}
    body: list[str] = []
    for line in text.splitlines():
        if line.startswith("#"):
            key, sep, value = line[1:].partition(":")
            if sep and key.strip() in (*HEADER_KEYS, "supports") and key.strip() not in header:
                header[key.strip()] = value.strip()
        elif line.strip():
            body.append(line)
    problems = [
        f"{source}: header: missing '# {key}: ...'" for key in HEADER_KEYS if key not in header
    ]
    dates: dict[str, date] = {}
    for key in ("date", "checked"):
        try:
            dates[key] = date.fromisoformat(header.get(key, ""))
        except ValueError:
            if key in header:
                problems.append(f"{source}: header: {key} {header[key]!r} is not a date")
    if header.get("grade") not in (None, "primary", "secondary", "tertiary"):
        problems.append(f"{source}: header: unknown grade {header['grade']!r}")
    rows: dict[tuple[str, str], Requirement] = {}
    reader = csv.reader(body)
    columns = next(reader, None)
    if columns != ["Passport", "Destination", "Requirement"]:
        problems.append(f"{source}: expected the columns Passport,Destination,Requirement")
    for number, row in enumerate(reader, start=2):
        if len(row) != 3:
            problems.append(f"{source}: row {number}: expected 3 fields")
            continue
        passport, destination, value = row
        if not _CODE.match(passport) or destination not in region.current().countries:
            problems.append(f"{source}: row {number}: bad codes {passport!r}, {destination!r}")
            continue
        try:
            rows[(passport, destination)] = parse_requirement(value)
        except ValueError as exc:
            problems.append(f"{source}: row {number}: {exc}")
    if not rows:
        problems.append(f"{source}: no rows")
    if problems:
        raise VisaBaseError(problems)
    return VisaBase(
        url=header["source"],
        supports=header.get("supports", ""),
        commit=header["commit"],
        date=dates["date"],
        checked=dates["checked"],
        grade=header["grade"],
        licence=header["licence"],
        rows=rows,
    )


_cache: dict[tuple[str, float], VisaBase] = {}
_lock = threading.Lock()


def load_visa_base(path: Path | str | None = None) -> VisaBase:
    """Load and check the base layer, cached until the file changes."""
    path = Path(path) if path is not None else region.data_file(FILE)
    try:
        key = (str(path.resolve()), path.stat().st_mtime)
        with _lock:
            if key in _cache:
                return _cache[key]
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise VisaBaseError([f"{path}: cannot read ({exc.strerror})"]) from None
    base = parse_visa_base(text, str(path))
    with _lock:
        _cache[key] = base
    return base
