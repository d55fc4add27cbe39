"""The value formats of data/crossing.json: strict pydantic building blocks and their messages.

Times, dates, month-days, point references, sources and the traveller's texts (`LocalizedName`,
or a plain English string of an older copy), each with the words the loader reports a bad
value in (`expected a time HH:MM, got '25:00'`). schema.py builds the facts from these.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, time
from typing import Annotated, Any, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo

from planner.errors import PlannerError
from planner.model import LANGS, LocalizedName

# primary: official (governments, ministries, operators, ports, checkpoint agencies);
# secondary: press and news agencies; tertiary: guides, personal sites, wikis, AI-assisted guides.
Grade = Literal["primary", "secondary", "tertiary"]


class FieldProblems(PlannerError, ValueError):
    """Problems found by a validator below the field it runs on: (sub-path, message) each."""

    def __init__(self, items: list[tuple[str, str]]) -> None:
        self.items = items
        super().__init__("; ".join(f"{path}: {message}" for path, message in items))


def _text(value: str) -> str:
    if not value.strip():
        raise ValueError("missing or not a non-empty string")
    return value


def _iso_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValueError(f"expected a date YYYY-MM-DD, got {value!r}") from None


def _month_day(value: Any) -> tuple[int, int]:
    try:
        if not isinstance(value, str):
            raise ValueError
        month, day = (int(part) for part in value.split("-"))
        date(2000, month, day)  # a leap year, so 02-29 is accepted
        return (month, day)
    except ValueError:
        raise ValueError(f"expected a month-day MM-DD, got {value!r}") from None


def _minute(value: Any) -> int:
    """'HH:MM' as minutes after midnight; '24:00' is allowed as a closing time."""
    try:
        if not isinstance(value, str):
            raise ValueError
        hours, minutes = (int(part) for part in value.split(":"))
        if not (0 <= hours <= 24 and 0 <= minutes < 60) or (hours == 24 and minutes):
            raise ValueError
        return hours * 60 + minutes
    except ValueError:
        raise ValueError(f"expected a time HH:MM, got {value!r}") from None


def _departure(value: Any) -> time:
    if isinstance(value, time):
        return value
    minute = _minute(value)
    if minute >= 24 * 60:
        raise ValueError("a departure time must be before 24:00")
    return time(minute // 60, minute % 60)


def _known_point(value: str, info: ValidationInfo) -> str:
    points = (info.context or {}).get("points")
    if points is not None and value not in points:
        raise ValueError(f"unknown point id {value!r}")
    return value


def _listed(value: Any) -> Any:
    """A JSON array as a tuple: the facts are immutable (and hashable where they hold no dict)."""
    return tuple(value) if isinstance(value, list) else value


T = TypeVar("T")
Listed = Annotated[tuple[T, ...], BeforeValidator(_listed)]
Text = Annotated[str, AfterValidator(_text)]
IsoDate = Annotated[date, BeforeValidator(_iso_date)]
MonthDay = Annotated[tuple[int, int], BeforeValidator(_month_day)]
Minute = Annotated[int, BeforeValidator(_minute)]
Departure = Annotated[time, BeforeValidator(_departure)]
Count = Annotated[int, Field(ge=0)]
PointId = Annotated[str, AfterValidator(_known_point)]


class Closed(BaseModel):
    """A JSON object of the format: strict types, no unknown keys, immutable."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class GradedSource(Closed):
    """A source of data/crossing.json: what it supports, when it was checked, and its grade."""

    url: Text
    supports: Text
    checked: IsoDate
    # Required in crossing.json: no default, so a source is never silently taken as primary.
    grade: Grade

    def as_dict(self) -> dict[str, Any]:
        """The plain {url, supports, checked} of every source; read `grade` for the rest."""
        return {"url": self.url, "supports": self.supports, "checked": self.checked.isoformat()}


def only_tertiary(sources: Iterable[GradedSource]) -> bool:
    """Whether a fact rests only on tertiary sources (then it is `low` whatever they say)."""
    return bool(sources) and all(s.grade == "tertiary" for s in sources)


Sources = Annotated[Listed[GradedSource], Field(min_length=1)]


def _filled(value: Any) -> Any:
    """{zh, ru, en} with no blank language (a missing or mistyped one is the model's error)."""
    if isinstance(value, dict):
        blank = [lang for lang in LANGS if isinstance(value.get(lang), str)]
        blank = [lang for lang in blank if not value[lang].strip()]
        if blank:
            raise FieldProblems([(lang, "missing or not a non-empty string") for lang in blank])
    return value


def _sentence(value: Any) -> Any:
    """A traveller's text; a plain string is English only."""
    if isinstance(value, str):
        return LocalizedName.english(_text(value))
    return _filled(value)


def _optional_sentence(value: Any) -> Any:
    """The same, where "" (or no key) means none; null is not part of the format."""
    if value is None:
        raise ValueError("expected a string or an object {zh, ru, en}, got None")
    if isinstance(value, str):
        return LocalizedName.english(value) if value.strip() else None
    return _filled(value)


# A name: {zh, ru, en}, each written.
Name = Annotated[LocalizedName, BeforeValidator(_filled)]
# A text a traveller reads: {zh, ru, en}, or (older copies, tests) English only, which is then
# shown in English in every language. The shipped file is fully translated (tested).
Sentence = Annotated[LocalizedName, BeforeValidator(_sentence)]
# The same, or none ("" in the file).
OptionalSentence = Annotated[LocalizedName | None, BeforeValidator(_optional_sentence)]


def _iso_country(value: str) -> str:
    import pycountry

    if value != value.upper() or pycountry.countries.get(alpha_2=value) is None:
        raise ValueError(f"expected an ISO 3166-1 alpha-2 code, got {value!r}")
    return value


IsoCountry = Annotated[str, AfterValidator(_iso_country)]


def point_cities(raw: Any) -> dict[str, str]:
    """{point id: city} read leniently from the raw file, the context for point references."""
    points = raw.get("points") if isinstance(raw, dict) else None
    if not isinstance(points, list):
        return {}
    return {
        p["id"]: p.get("city")
        for p in points
        if isinstance(p, dict) and isinstance(p.get("id"), str)
    }
