"""Building blocks shared by the data loaders' pydantic models, and their problems as messages.

The loaders validate a file's JSON text in strict mode (no string read as a number, no number as
text) and turn every pydantic error into one line naming the file, the record and the field, in
the words `check-data` has always used ("expected a whole number, got text", "missing", ...).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Annotated, Any

import pycountry
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from planner.coverage import CoverageError, coverage_of
from planner.model import LatLon, Source


def json_type(value: object) -> str:
    """What a decoded JSON value is, in JSON's words (for 'expected X, got Y')."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    return "a list" if isinstance(value, list | tuple) else "an object"


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


def between(low: float, high: float) -> AfterValidator:
    """A number from *low* to *high*, both included."""

    def check(value: float) -> float:
        if not low <= value <= high:
            raise ValueError(f"{value} out of range [{low}, {high}]")
        return value

    return AfterValidator(check)


def one_of(allowed: Iterable[str]) -> AfterValidator:
    """One of a set of words (the message lists them); a Sequence such as the region's city
    ids is read at each check, so it follows the loaded region."""
    allowed = allowed if isinstance(allowed, Sequence) else tuple(allowed)

    def check(value: str) -> str:
        if value not in allowed:
            raise ValueError(f"unknown value {value!r}: expected one of {', '.join(allowed)}")
        return value

    return AfterValidator(check)


def _iso_date(value: Any) -> date:
    if not isinstance(value, str):
        raise ValueError(f"expected an ISO date (YYYY-MM-DD), got {json_type(value)}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not an ISO date (YYYY-MM-DD)") from None


def currency_code(value: str) -> str:
    """An ISO 4217 currency code (checked with pycountry), else ValueError."""
    if pycountry.currencies.get(alpha_3=value) is None:
        raise ValueError(f"{value!r} is not an ISO 4217 currency code")
    return value


Text = Annotated[str, AfterValidator(_not_blank)]
IsoDate = Annotated[date, BeforeValidator(_iso_date)]
CurrencyCode = Annotated[str, AfterValidator(currency_code)]


class CitedPoint(BaseModel):
    """A WGS-84 point a source gives, `{lat, lon}` (named, so the order cannot be mistaken)."""

    model_config = ConfigDict(extra="forbid")

    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]


class SourceEntry(BaseModel):
    """One `{url, supports, checked}` entry; `checked` is the day the stored copy was read.

    `point` (optional) is the position this source gives for the place, whether or not the
    place's own point is taken from it: `check-data` flags a place whose stated radius it
    contradicts.
    """

    url: Text
    supports: Text
    checked: IsoDate
    point: CitedPoint | None = None

    def to_source(self) -> Source:
        point = LatLon(self.point.lat, self.point.lon) if self.point is not None else None
        return Source(url=self.url, supports=self.supports, checked=self.checked, point=point)


def _names_what_it_supports(value: str) -> str:
    try:
        coverage_of(value)
    except CoverageError as err:
        raise ValueError(str(err)) from None
    return value


class PlaceSourceEntry(SourceEntry):
    """A catalogue source: its `supports` must name what it supports in codes a page can
    translate ("coordinates ...; facts: ...; hours: ..."; see planner.coverage), because the
    place page shows those codes' labels, never the English text."""

    supports: Annotated[str, AfterValidator(_not_blank), AfterValidator(_names_what_it_supports)]

    def to_source(self) -> Source:
        return replace(super().to_source(), coverage=coverage_of(self.supports))


# --- problems as messages ----------------------------------------------------------------------

_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list",
    "model_type": "an object",
    "dict_type": "an object",
    "model_attributes_type": "an object",
}
_BOUNDS = {"greater_than": ("gt", "more than"), "greater_than_equal": ("ge", "at least")}
_BOUNDS |= {"less_than": ("lt", "less than"), "less_than_equal": ("le", "at most")}


def error_message(error: Mapping[str, Any]) -> str:
    """One pydantic error as a short sentence (a validator's own message is kept as written)."""
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    if kind == "missing":
        return "missing"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind in _EXPECTED:
        return f"expected {_EXPECTED[kind]}, got {json_type(value)}"
    if kind in _BOUNDS:
        key, words = _BOUNDS[kind]
        return f"{value} out of range (must be {words} {ctx.get(key)})"
    if kind == "too_short" and not value:
        return "expected a non-empty list"
    if kind == "literal_error":
        return f"unknown value {value!r}: expected {ctx.get('expected')}"
    if kind == "extra_forbidden":
        return "unknown field (misspelt, or not part of the format)"
    return str(error["msg"])


def field_name(loc: Iterable[str | int]) -> str:
    """('sources', 0, 'checked') -> 'sources[0].checked'."""
    name = ""
    for part in loc:
        if part == "[key]":  # pydantic's marker for a bad key of a mapping
            continue
        name += f"[{part}]" if isinstance(part, int) else f".{part}" if name else str(part)
    return name
