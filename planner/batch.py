"""Batch planning for agencies: one trip per CSV row, stored, with its files.

Shared by `python -m planner batch` and the upload at /agency/batch. A row becomes the same
request JSON as the form and the API (planner/request_spec.py validates it); a bad row is reported
by its line number with its reasons and the good rows are still planned. The columns are
documented in docs/agency.md. Passenger names are never logged or printed: reports name rows by
line and title only.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from planner import region
from planner.errors import PlannerError
from planner.messages import N_, refusal_text
from planner.request_spec import FieldError, RequestInvalid, past_dates, spec_from_json
from planner.textsafe import user_text
from planner.trip import PlanningError

MAX_ROWS = 50
LIST_SEPARATOR = ";"
COLUMNS = (
    "title",
    "arrive",
    "depart",
    "arrive_at",
    "depart_from",
    "stay",
    "nationality",
    "visas",
    "party_size",
    "group_tour",
    "allow_last_crossing",
    "interests",
    "pace",
    "must_see",
    "exclude",
    "lang",
    "notes",
    "agency_name",
    "agency_contact",
    "passengers",
    "meeting_point",
    "meeting_minutes_before",
    # A guide per city of the region: guide_<city id>_name, guide_<city id>_phone.
    *(f"guide_{city}_{part}" for city in region.city_ids() for part in ("name", "phone")),
)
REQUIRED = ("arrive", "depart", "stay")
_TRUE, _FALSE = {"1", "true", "yes", "y", "on"}, {"", "0", "false", "no", "n", "off"}


# Why a file as a whole cannot be read, worded for people; the adapter translates the template.
FILE_MESSAGES: dict[str, str] = {
    "empty": N_("the file is empty: a header row of column names comes first"),
    "unknown_columns": N_("unknown column(s): %(columns)s"),
    "missing_columns": N_("missing column(s): %(columns)s"),
    "too_many_rows": N_("too many rows: at most %(max)s groups per file"),
    "not_csv": N_(
        "line %(line)s cannot be read as CSV: check its quotes, and that no cell is longer "
        "than %(max)s characters"
    ),
}


class BatchFileInvalid(PlannerError, ValueError):
    """The file as a whole cannot be read (no header, unknown columns, too many rows): a code
    of FILE_MESSAGES and its values; `str()` is the English text."""

    def __init__(self, code: str, **params: Any):
        self.code, self.params = code, params
        super().__init__(self.text())

    def text(self, gettext: Callable[[str], str] = lambda s: s) -> str:
        return gettext(FILE_MESSAGES[self.code]) % self.params


@dataclass
class RowResult:
    line: int
    title: str
    ok: bool = False
    plan_id: str | None = None
    edit_token: str | None = None
    errors: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "title": self.title,
            "ok": self.ok,
            "plan_id": self.plan_id,
            "share_path": f"/plans/{self.plan_id}" if self.plan_id else None,
            "errors": self.errors,
            "files": self.files,
        }


@dataclass
class BatchReport:
    rows: list[RowResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return sum(1 for r in self.rows if not r.ok)

    def as_json(self) -> dict[str, Any]:
        return {
            "rows": [r.as_json() for r in self.rows],
            "planned": len(self.rows) - self.failed,
            "failed": self.failed,
            "notes": self.notes,
        }


def _items(text: str) -> list[str]:
    return [t.strip() for t in text.split(LIST_SEPARATOR) if t.strip()]


def _flag(text: str, name: str, errors: list[FieldError]) -> bool:
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value not in _FALSE:
        errors.append(FieldError(name, "not_bool"))
    return False


def _whole(text: str, name: str, default: int, errors: list[FieldError]) -> int:
    if not text.strip():
        return default
    try:
        return int(text.strip())
    except ValueError:
        errors.append(FieldError(name, "not_whole"))
        return default


def _passenger(text: str) -> dict[str, Any]:
    """'Name' or 'Name|document number'."""
    name, _, document = text.partition("|")
    out: dict[str, Any] = {"name": name.strip()}
    if document.strip():
        out["document_no"] = document.strip()
    return out


def row_request(row: dict[str, str]) -> tuple[dict[str, Any], list[FieldError]]:
    """The request JSON of one CSV row, and the problems only the CSV can have."""
    errors: list[FieldError] = []
    cell = {k: (row.get(k) or "").strip() for k in COLUMNS}
    stays = _items(cell["stay"])
    data: dict[str, Any] = {
        "title": cell["title"],
        "arrive": cell["arrive"],
        "depart": cell["depart"],
        "stay": stays[0] if len(stays) == 1 else stays,
        "nationality": cell["nationality"] or "CN",
        "visas": _items(cell["visas"]),
        "party_size": _whole(cell["party_size"], "party_size", 1, errors),
        "group_tour": _flag(cell["group_tour"], "group_tour", errors),
        "allow_last_crossing": _flag(cell["allow_last_crossing"], "allow_last_crossing", errors),
        "interests": _items(cell["interests"]),
        "pace": cell["pace"] or "normal",
        "must_see": _items(cell["must_see"]),
        "exclude": _items(cell["exclude"]),
        "lang": cell["lang"] or "en",
        "notes": cell["notes"],
    }
    for key in ("arrive_at", "depart_from"):
        if cell[key]:
            data[key] = cell[key]
    if cell["agency_name"] or cell["agency_contact"]:
        data["agency"] = {"name": cell["agency_name"], "contact": cell["agency_contact"]}
    guides = {
        city: {"name": cell[f"guide_{city}_name"], "phone": cell[f"guide_{city}_phone"]}
        for city in region.city_ids()
        if cell[f"guide_{city}_name"] or cell[f"guide_{city}_phone"]
    }
    if cell["passengers"] or cell["meeting_point"] or guides:
        data["group"] = {
            "passengers": [_passenger(p) for p in _items(cell["passengers"])],
            "meeting_point": cell["meeting_point"],
            "meeting_minutes_before": _whole(
                cell["meeting_minutes_before"], "meeting_minutes_before", 15, errors
            ),
            "guides": guides,
        }
    for key in REQUIRED:
        if not cell[key]:
            errors.append(FieldError(key, "required"))
    return data, errors


# Request fields whose CSV column has another name (the rest: the path's first part).
_COLUMN_OF = {
    "agency.contact": "agency_contact",
    "agency": "agency_name",
    "group.passengers": "passengers",
    "group.meeting_point": "meeting_point",
    "group.meeting_minutes_before": "meeting_minutes_before",
    **{
        f"group.guides.{city}{suffix}": f"guide_{city}_{part}"
        for city in region.city_ids()
        for suffix, part in ((".phone", "phone"), ("", "name"))
    },
    "group": "passengers",
    "locked": "must_see",
}


def column_of(path: str) -> str:
    """The CSV column an error of request field *path* concerns, as the agency wrote it
    ('group.passengers.2.name' -> 'passengers'); 'row' when it is no one column."""
    for prefix in sorted(_COLUMN_OF, key=len, reverse=True):
        if path == prefix or path.startswith(prefix + "."):
            return _COLUMN_OF[prefix]
    first = path.split(".", 1)[0]
    return first if first in COLUMNS else "row"


def _row_error(error: FieldError, gettext: Callable[[str], str]) -> str:
    """'passengers: too many entries ...': the column's name as the agency wrote it, or the
    message alone when no one column is at fault."""
    column = column_of(error.field)
    text = error.text(gettext)
    return text if column == "row" else f"{column}: {text}"


def read_rows(text: str, max_rows: int = MAX_ROWS) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) of a CSV with a header of known columns; BatchFileInvalid if not.

    Lines may end in CRLF, LF or a lone CR (old Mac spreadsheets): newline="" lets the csv
    module see each ending as it is, as its documentation asks."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    try:
        header = [h.strip() for h in (reader.fieldnames or [])]
        if not header:
            raise BatchFileInvalid("empty")
        unknown = [h for h in header if h not in COLUMNS]
        if unknown:
            raise BatchFileInvalid("unknown_columns", columns=", ".join(unknown))
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise BatchFileInvalid("missing_columns", columns=", ".join(missing))
        reader.fieldnames = header
        rows = []
        for row in reader:
            if not any((v or "").strip() for k, v in row.items() if k is not None):
                continue  # a blank line
            rows.append((reader.line_num, row))
            if len(rows) > max_rows:
                raise BatchFileInvalid("too_many_rows", max=max_rows)
    except csv.Error:  # an unclosed quote runs to the end; an oversized cell; a NUL byte
        line = reader.reader.line_num or 1  # the line being read when the reader gave up
        raise BatchFileInvalid("not_csv", line=line, max=csv.field_size_limit()) from None
    return iter(rows)


def count_rows(text: str, max_rows: int = MAX_ROWS) -> int:
    return sum(1 for _ in read_rows(text, max_rows))


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")[:40].lower()


def row_files(
    plan: Any,
    token: str,
    notes: list[str],
    outputs: Callable[[Any], dict[str, bytes]] | None = None,
) -> dict[str, bytes]:
    """The files of one planned row: the plan JSON, plus what *outputs(plan)* makes (the web
    adapter's PDF and exports: planner.web.plan_outputs.plan_files)."""
    doc = plan.current.itinerary
    record = {
        "id": plan.id,
        "share_path": f"/plans/{plan.id}",
        "edit_token": token,
        "request": plan.current.request,
        "document": doc,
    }
    files = {"plan.json": json.dumps(record, ensure_ascii=False, indent=2).encode("utf-8")}
    if outputs is None:
        _note(notes, "PDF and exports not written (no renderer given)")
        return files
    try:
        files.update(outputs(plan))
    except Exception as exc:
        _note(notes, f"PDF or exports failed for a plan: {type(exc).__name__}")
    return files


def _note(notes: list[str], text: str) -> None:
    if text not in notes:
        notes.append(text)


def plan_row(
    index: int,
    line: int,
    row: dict[str, str],
    planner: Any,
    gettext: Callable[[str], str] = lambda s: s,
    lang: str = "en",
) -> tuple[RowResult, Any]:
    """Plan and store one CSV row: its result, and the stored plan (None when it failed)."""
    data, problems = row_request(row)
    result = RowResult(line=line, title=user_text(data.get("title", "")))
    try:
        if problems:
            raise RequestInvalid(problems + _request_problems(data, problems, planner))
        plan, token = planner.create(data)
    except RequestInvalid as exc:
        result.errors = [_row_error(e, gettext) for e in exc.errors]
    except PlanningError as exc:
        result.errors = [refusal_text(exc, gettext, lang)]
    else:
        result.ok, result.plan_id, result.edit_token = True, plan.id, token
        return result, plan
    return result, None


def _request_problems(
    data: dict[str, Any], known: list[FieldError], planner: Any
) -> list[FieldError]:
    """The request's own problems besides the CSV's *known* ones, so that a row with seven
    mistakes names all seven at once (a field the CSV already faulted is not named twice)."""
    seen = {e.field for e in known}
    try:
        spec = spec_from_json(data, getattr(planner, "catalogue", None))
    except RequestInvalid as exc:
        return [e for e in exc.errors if e.field not in seen]
    return [e for e in past_dates(spec) if e.field not in seen]  # as Planner.create asks


def row_folder(index: int, title: str, plan_id: str) -> str:
    """The zip folder of a planned row: '003-group-7-AbCdEfGh'."""
    return f"{index:03d}-{_slug(title) or 'plan'}-{plan_id[:8]}"


def run_batch(
    text: str,
    planner: Any,
    write: Callable[[str, bytes], None],
    progress: Callable[[int, RowResult], None] | None = None,
    gettext: Callable[[str], str] = lambda s: s,
    outputs: Callable[[Any], dict[str, bytes]] | None = None,
    lang: str = "en",
) -> BatchReport:
    """Plan and store every row of *text* with *planner* (planner.plans.Planner), handing each
    file to *write(name, content)*; a row's failure is recorded and the next row goes on."""
    report = BatchReport()
    for index, (line, row) in enumerate(read_rows(text), start=1):
        result, plan = plan_row(index, line, row, planner, gettext, lang)
        if plan is not None:
            folder = row_folder(index, result.title, plan.id)
            for name, content in row_files(plan, result.edit_token, report.notes, outputs).items():
                write(f"{folder}/{name}", content)
                result.files.append(f"{folder}/{name}")
        report.rows.append(result)
        if progress is not None:
            progress(index, result)
    write("report.json", json.dumps(report.as_json(), ensure_ascii=False, indent=2).encode())
    return report
