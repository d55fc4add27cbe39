"""A trip request as JSON: one shape for the form, the API and the command line.

`spec_from_json` validates every field (pydantic v2, strict: no text read as a number) and
reports each problem as a `FieldError` (field path, code, values), which an adapter words in the
reader's language with `FIELD_MESSAGES`. The validated `PlanSpec` is what a saved plan keeps;
`to_trip_request` turns it into the core's `TripRequest`. Pure Python: no Flask here.
"""

from __future__ import annotations

import re
from collections import ChainMap, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from planner import languages, region
from planner.agency import LOGO_MAX_BYTES, LogoInvalid, check_logo
from planner.catalogue import Catalogue, load_catalogue
from planner.crossing import Closure, normalize_nationality
from planner.errors import PlannerError
from planner.geocoding import city_of_point
from planner.messages import (
    CITY_LABELS,
    COUNTRY_LABELS,
    CURRENCY_LABELS,
    N_,
    PACE_LABELS,
    TRAVEL_MODE_LABELS,
)
from planner.model import LatLon
from planner.textsafe import clean_if_text
from planner.timeutil import parse_aware
from planner.travel import CHOSEN_MODES
from planner.trip import TripRequest

CURRENCIES = ("CNY", "RUB")
MAX_DAYS = 14


def _known_city(value: str) -> str:
    """A city id of the loaded region (planner.region); else a "choice" error listing them."""
    ids = region.city_ids()
    if value not in ids:
        raise _problem("choice", allowed=", ".join(ids), choices=list(ids))
    return value


City = Annotated[StrictStr, AfterValidator(_known_city)]
Mode = Literal["walk", "taxi", "bus"]
PlaceId = Annotated[StrictStr, Field(min_length=1, max_length=100)]

# Field problems, worded for people. Codes are stable; the adapter translates the template.
FIELD_MESSAGES: dict[str, str] = {
    "required": N_("this field is required"),
    "unknown_field": N_("unknown field"),
    "wrong_type": N_("wrong type of value"),
    "not_a_number": N_("enter a number"),
    "not_whole": N_("enter a whole number"),
    "not_text": N_("enter text"),
    "not_list": N_("expected a list"),
    "not_object": N_("expected an object"),
    "not_bool": N_("expected true or false"),
    "choice": N_("choose one of: %(allowed)s"),
    "too_small": N_("must be at least %(min)s"),
    "too_large": N_("must be at most %(max)s"),
    "too_long": N_("too long (at most %(max)s characters)"),
    "too_many": N_("too many entries (at most %(max)s)"),
    "empty": N_("choose at least one"),
    "not_datetime": N_("enter a date and time"),
    "not_date": N_("enter a date"),
    "naive_datetime": N_("give the time with its UTC offset, e.g. 2027-07-10T09:00+08:00"),
    "date_out_of_range": N_("this date is outside the years the planner knows"),
    "depart_before_arrive": N_("departure must be after arrival"),
    "date_in_past": N_("this day is in the past: a trip can start today at the earliest"),
    "trip_too_long": N_("trips of at most %(days)s days can be planned"),
    "unknown_place": N_("unknown place"),
    "unknown_interest": N_("unknown interest"),
    "unknown_country": N_("unknown country code (two letters, e.g. CN or RU)"),
    "hotel_other_city": N_("this place is not in that city"),
    "must_and_exclude": N_("a place cannot be both must-see and excluded"),
    "locked_excluded": N_("a kept place cannot be excluded"),
    "stay_nights": N_("give one city, or one city for each of the %(nights)s nights"),
    # agencies (planner/agency.py)
    "logo_invalid": N_("the logo must be a PNG or SVG picture, without scripts or links"),
    "logo_too_large": N_("the logo file is too large: it may be at most %(kb)s kB"),
    "passengers_over_party": N_("more passengers than people in the party (%(party)s)"),
    "notice_end_before_start": N_("the last day is before the first day"),
    "notice_too_long": N_("a notice can cover at most one year"),
}


# The words for the values a "choice" error offers: a reader sees labels, never codes. Each
# language's name is its own (as on the language switch), so it is not translated.
CHOICE_LABELS: Mapping[str, str] = ChainMap(
    CITY_LABELS,  # type: ignore[arg-type]  # a live view of the region's cities
    PACE_LABELS,
    TRAVEL_MODE_LABELS,
    COUNTRY_LABELS,
    CURRENCY_LABELS,
)


def choices_text(choices: list[str], gettext: Callable[[str], str] = lambda s: s) -> str:
    """'放松 (10:00-20:30) / 正常 (09:00-21:00) / …': the choices as the reader calls them."""
    words = []
    for choice in choices:
        if choice in CHOICE_LABELS:
            words.append(gettext(CHOICE_LABELS[choice]))
        else:
            words.append(languages.native_names().get(choice, str(choice)))
    return " / ".join(words)


@dataclass(frozen=True)
class FieldError:
    """One problem of one field: the JSON path ('transport.<city id>.0'), a code and its values."""

    field: str
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def text(self, gettext: Callable[[str], str] = lambda s: s) -> str:
        template = FIELD_MESSAGES.get(self.code, self.code)
        params = dict(self.params)
        if isinstance(params.get("choices"), list | tuple):  # words, in the reader's language
            params["allowed"] = choices_text(list(params["choices"]), gettext)
        # A parameter the template names but the error lacks shows as "?", never a KeyError.
        return gettext(template) % defaultdict(lambda: "?", params)

    def as_dict(self, gettext: Callable[[str], str] = lambda s: s) -> dict[str, Any]:
        return {
            "field": self.field,
            "code": self.code,
            "params": dict(self.params),
            "message": self.text(gettext),
        }


class RequestInvalid(PlannerError, ValueError):
    """The request has field errors (each one named)."""

    def __init__(self, errors: list[FieldError]):
        super().__init__("; ".join(f"{e.field}: {e.text()}" for e in errors))
        self.errors = errors


def _problem(code: str, **params: Any) -> PydanticCustomError:
    return PydanticCustomError(code, FIELD_MESSAGES.get(code, code), params)


def _registered_language(value: str) -> str:
    if not languages.is_known(value):
        known = list(languages.codes())
        raise _problem("choice", allowed=", ".join(known), choices=known)
    return value


# A language of the registry (planner/languages.py), read when a request is checked, so that the
# form, the API and the OpenAPI enum follow the registry.
LanguageCode = Annotated[
    StrictStr,
    AfterValidator(_registered_language),
    Field(json_schema_extra=lambda schema: schema.update(enum=list(languages.codes()))),
]


def _catalogue(info: ValidationInfo) -> Catalogue:
    context = info.context or {}
    return context.get("catalogue") or load_catalogue()


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Point(_Closed):
    lat: Annotated[StrictFloat | StrictInt, Field(ge=-90, le=90)]
    lon: Annotated[StrictFloat | StrictInt, Field(ge=-180, le=180)]


class Budget(_Closed):
    amount: Annotated[StrictFloat | StrictInt, Field(ge=0, le=10_000_000)]
    currency: Literal["CNY", "RUB"] = "CNY"


class Locked(_Closed):
    """A stop to keep, on a day of the trip (0 = the first day)."""

    attraction_id: PlaceId
    day: Annotated[StrictInt, Field(ge=0, le=MAX_DAYS)] | None = None

    @field_validator("attraction_id")
    @classmethod
    def _known(cls, value: str, info: ValidationInfo) -> str:
        if value not in _catalogue(info):
            raise _problem("unknown_place")
        return value


def _once_each(value: list[str]) -> list[str]:
    return list(dict.fromkeys(value))  # "walk, walk" is walking, once


# The modes allowed in each city, by city id ({"<city id>": ["walk", "taxi"], ...}); a city left out
# gets DEFAULT_MODES.
CityModes = Annotated[list[Mode], Field(min_length=1, max_length=3), AfterValidator(_once_each)]
Transport = dict[City, CityModes]
DEFAULT_MODES = ("walk", "taxi")


# Free text a person typed: control characters and bidi overrides are removed on the way in.
Clean = BeforeValidator(clean_if_text)
Text200 = Annotated[StrictStr, Field(max_length=200), Clean]
DAY_NOTE_MAX = 1000
DayNote = Annotated[StrictStr, Field(max_length=DAY_NOTE_MAX), Clean]


class Agency(_Closed):
    """The agency's branding shown on the plan and its print-outs."""

    name: Text200 = ""
    contact: Annotated[StrictStr, Field(max_length=300), Clean] = ""
    # No max_length: check_logo says "at most 48 kB", not a count of base64 characters.
    logo: StrictStr | None = None

    @field_validator("logo")
    @classmethod
    def _small_image(cls, value: str | None) -> str | None:
        if not value:
            return None
        try:
            return check_logo(value)
        except LogoInvalid as exc:
            raise _problem(exc.code, kb=LOGO_MAX_BYTES // 1024) from None


class Passenger(_Closed):
    """A member of the group, as the agency lists them (stored with the plan, never logged)."""

    name: Annotated[StrictStr, Field(min_length=1, max_length=200), Clean]
    document_no: Annotated[StrictStr, Field(max_length=50), Clean] | None = None


class Guide(_Closed):
    name: Text200 = ""
    phone: Annotated[StrictStr, Field(max_length=50), Clean] = ""


# The group's guide in each city, by city id.
Guides = dict[City, Guide | None]


class Group(_Closed):
    """The group's logistics: passengers in crossing order, where and when to meet, guides."""

    passengers: Annotated[list[Passenger], Field(max_length=200)] = []
    meeting_point: Annotated[StrictStr, Field(max_length=300), Clean] = ""  # text or a catalogue id
    meeting_minutes_before: Annotated[StrictInt, Field(ge=0, le=240)] = 15
    guides: Guides = {}


def _known_places(values: list[str], info: ValidationInfo) -> list[str]:
    cat = _catalogue(info)
    errors = [i for i, v in enumerate(values) if v not in cat]
    if errors:
        raise _problem("unknown_place", index=errors[0])
    return list(dict.fromkeys(values))


class PlanSpec(_Closed):
    """Everything a traveller asks for, validated; `model_dump(mode='json')` is its JSON."""

    # ISO 8601 with an offset: the description says so (an empty or naive time is refused).
    arrive: Annotated[StrictStr, Field(json_schema_extra={"format": "date-time"})]
    depart: Annotated[StrictStr, Field(json_schema_extra={"format": "date-time"})]
    arrive_at: PlaceId | None = None
    depart_from: PlaceId | None = None
    stay: City | Annotated[list[City], Field(min_length=1, max_length=MAX_DAYS)]
    hotels: dict[City, PlaceId | Point] = {}
    interests: Annotated[list[StrictStr], Field(max_length=30)] = []
    pace: Literal["relaxed", "normal", "packed"] = "normal"
    nationality: StrictStr = "CN"
    visas: Annotated[list[StrictStr], Field(max_length=2)] = []
    party_size: Annotated[StrictInt, Field(ge=1, le=200)] = 1
    group_tour: StrictBool = False
    allow_last_crossing: StrictBool = False
    safe_return: StrictBool = False
    day_across: Literal["auto", "yes", "no"] = "auto"
    day_across_on: Annotated[StrictInt, Field(ge=1, le=MAX_DAYS + 1)] | None = None
    must_see: Annotated[list[PlaceId], Field(max_length=100)] = []
    exclude: Annotated[list[PlaceId], Field(max_length=100)] = []
    transport: Transport = {}
    daily_budget: Budget | None = None
    lang: LanguageCode = languages.DEFAULT
    title: Annotated[StrictStr, Field(max_length=200), Clean] = ""
    notes: Annotated[StrictStr, Field(max_length=5000), Clean] = ""
    # The traveller's note for each day (index from 0; "" for none).
    day_notes: Annotated[list[DayNote], Field(max_length=15)] = []
    locked: Annotated[list[Locked], Field(max_length=50)] = []
    agency: Agency | None = None
    group: Group | None = None

    @field_validator("arrive", "depart")
    @classmethod
    def _aware_time(cls, value: str) -> str:
        try:
            moment = parse_aware(value)
        except ValueError as exc:
            if "offset" in str(exc):
                raise _problem("naive_datetime") from None
            if "out of range" in str(exc):
                raise _problem("date_out_of_range") from None
            raise _problem("not_datetime") from None
        return moment.isoformat(timespec="minutes")

    @field_validator("arrive_at", "depart_from")
    @classmethod
    def _known_point(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and value not in _catalogue(info):
            raise _problem("unknown_place")
        return value

    @field_validator("must_see", "exclude")
    @classmethod
    def _known_list(cls, value: list[str], info: ValidationInfo) -> list[str]:
        return _known_places(value, info)

    @field_validator("interests")
    @classmethod
    def _known_interests(cls, value: list[str], info: ValidationInfo) -> list[str]:
        known = interests_of(_catalogue(info))
        for item in value:
            if item not in known:
                raise _problem("unknown_interest")
        return list(dict.fromkeys(value))

    @field_validator("nationality")
    @classmethod
    def _country(cls, value: str) -> str:
        try:
            return normalize_nationality(value)
        except ValueError:
            raise _problem("unknown_country") from None

    @field_validator("visas")
    @classmethod
    def _visa_countries(cls, value: list[str]) -> list[str]:
        out = [v.strip().upper() for v in value]
        countries = region.current().countries  # a visa for a country of the region
        if any(v not in countries for v in out):
            raise _problem("choice", allowed=", ".join(countries), choices=list(countries))
        return list(dict.fromkeys(out))

    @field_validator("hotels")
    @classmethod
    def _hotels(cls, value: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        cat = _catalogue(info)
        for where in value.values():
            if isinstance(where, str) and where not in cat:
                raise _problem("unknown_place")
        return value

    # --- derived values (no validation) ---

    @property
    def arrive_time(self) -> datetime:
        return parse_aware(self.arrive)

    @property
    def depart_time(self) -> datetime:
        return parse_aware(self.depart)

    @property
    def stays(self) -> tuple[str, ...]:
        return (self.stay,) if isinstance(self.stay, str) else tuple(self.stay)


def interests_of(cat: Catalogue) -> tuple[str, ...]:
    """Every interest the catalogue's places are tagged with, sorted."""
    return tuple(sorted({i for a in cat.attractions for i in a.interests}))


_TYPE_CODES = {
    "missing": "required",
    "extra_forbidden": "unknown_field",
    "int_type": "not_whole",
    "int_from_float": "not_whole",
    "float_type": "not_a_number",
    "string_type": "not_text",
    "list_type": "not_list",
    "dict_type": "not_object",
    "model_type": "not_object",
    "model_attributes_type": "not_object",
    "bool_type": "not_bool",
    "literal_error": "choice",
    "greater_than_equal": "too_small",
    "greater_than": "too_small",
    "less_than_equal": "too_large",
    "less_than": "too_large",
    "string_too_long": "too_long",
    "string_too_short": "required",
    "too_long": "too_many",
    "too_short": "empty",
    "union_tag_invalid": "choice",
    "union_tag_not_found": "required",
}


def _field_path(loc: tuple[Any, ...]) -> str:
    # A union (City | list[City]) adds its branch names to the path; keep only the data's path.
    parts = [str(p) for p in loc if not (isinstance(p, str) and ("[" in p or p in _BRANCHES))]
    return ".".join(parts)


_BRANCHES = {"str", "list", "int", "float", "Point", "function-after", "constrained-str"}


def field_errors(exc: ValidationError, prefix: str = "") -> list[FieldError]:
    """pydantic's errors as FieldErrors, one per field, paths under *prefix*."""
    errors: dict[str, FieldError] = {}
    for problem in exc.errors(include_url=False):
        kind = problem["type"]
        ctx = problem.get("ctx") or {}
        path = ".".join(p for p in (prefix, _field_path(problem["loc"])) if p)
        if kind in FIELD_MESSAGES and kind not in _TYPE_CODES:  # our own codes (custom errors)
            error = FieldError(path, kind, {k: v for k, v in ctx.items() if k != "error"})
        else:
            code = _TYPE_CODES.get(kind, "wrong_type")
            params: dict[str, Any] = {}
            if code == "choice":
                expected = str(ctx.get("expected", ctx.get("expected_tags", "")))
                params["allowed"] = expected.replace("'", "")  # for programs; people get words
                params["choices"] = re.findall(r"'([^']*)'", expected)
            elif code == "too_small":
                params["min"] = ctx.get("ge", ctx.get("gt", ctx.get("min_length", "")))
            elif code in ("too_large", "too_long", "too_many"):
                params["max"] = ctx.get("le", ctx.get("lt", ctx.get("max_length", "")))
            error = FieldError(path, code, params)
        # A union reports each branch; one problem per field is what a person can act on.
        errors.setdefault(path, error)
    # ... and of a union's branches, the deeper one (stay.0 over stay, hotels.x.lat over hotels.x).
    deeper = [p for p in errors if any(q.startswith(p + ".") for q in errors if q != p)]
    return [e for p, e in errors.items() if p not in deeper or e.code not in _BRANCH_CODES]


_BRANCH_CODES = {"not_text", "not_object", "not_list", "choice", "wrong_type"}


def _cross_checks(spec: PlanSpec, cat: Catalogue) -> list[FieldError]:
    errors: list[FieldError] = []
    arrive, depart = spec.arrive_time, spec.depart_time
    if depart <= arrive:
        errors.append(FieldError("depart", "depart_before_arrive"))
    elif depart - arrive > timedelta(days=MAX_DAYS):
        errors.append(FieldError("depart", "trip_too_long", {"days": MAX_DAYS}))
    clash = set(spec.must_see) & set(spec.exclude)
    if clash:
        errors.append(FieldError("exclude", "must_and_exclude"))
    if {lock.attraction_id for lock in spec.locked} & set(spec.exclude):
        errors.append(FieldError("locked", "locked_excluded"))
    for city, where in spec.hotels.items():
        if isinstance(where, str):
            wrong = cat.get(where).city != city
        else:  # a point must lie in that city: its side of the border, inside the region's area
            wrong = city_of_point(float(where.lat), float(where.lon)) != city
        if wrong:
            errors.append(FieldError(f"hotels.{city}", "hotel_other_city"))
    if spec.group and len(spec.group.passengers) > spec.party_size:
        errors.append(
            FieldError("group.passengers", "passengers_over_party", {"party": spec.party_size})
        )
    stays = spec.stays
    if len(stays) > 1 and not errors:
        n = nights_between(arrive, depart, stays[0])
        if len(stays) != n:
            errors.append(FieldError("stay", "stay_nights", {"nights": n}))
    return errors


def past_dates(spec: PlanSpec, now: datetime | None = None) -> list[FieldError]:
    """A trip whose arrival day is before today on the arrival's own clock cannot be planned
    (asked of a new plan, and of an edit that moves its dates)."""
    arrive = spec.arrive_time
    today = (now or datetime.now(UTC)).astimezone(arrive.tzinfo).date()
    return [FieldError("arrive", "date_in_past")] if arrive.date() < today else []


def nights_between(arrive: datetime, depart: datetime, first_city: str) -> int:
    """Nights of a trip on the first city's calendar (as the planner counts them)."""
    from planner.timeutil import city_zone

    zone = city_zone(first_city)
    return (depart.astimezone(zone).date() - arrive.astimezone(zone).date()).days


def spec_from_json(data: Any, catalogue: Catalogue | None = None) -> PlanSpec:
    """Validate a decoded JSON object as a plan request; RequestInvalid names every problem."""
    if not isinstance(data, dict):
        raise RequestInvalid([FieldError("", "not_object")])
    cat = catalogue or load_catalogue()
    try:
        spec = PlanSpec.model_validate(data, context={"catalogue": cat})
    except ValidationError as exc:
        raise RequestInvalid(field_errors(exc)) from None
    errors = _cross_checks(spec, cat)
    if errors:
        raise RequestInvalid(errors)
    return spec


def spec_to_json(spec: PlanSpec) -> dict[str, Any]:
    return spec.model_dump(mode="json")


def to_trip_request(
    spec: PlanSpec, catalogue: Catalogue | None = None, closures: tuple[Closure, ...] = ()
) -> TripRequest:
    """The core's request: kept (locked) stops become must-sees; hotel ids become points;
    *closures* are the suspensions of published crossing notices (planner/agency.py)."""
    cat = catalogue or load_catalogue()
    hotels: list[tuple[str, LatLon]] = []
    for city, where in spec.hotels.items():
        if isinstance(where, str):
            hotels.append((city, cat.get(where).location))
        else:
            hotels.append((city, LatLon(float(where.lat), float(where.lon))))
    must = list(dict.fromkeys([*spec.must_see, *(lock.attraction_id for lock in spec.locked)]))
    return TripRequest(
        arrive=spec.arrive_time,
        depart=spec.depart_time,
        stay=spec.stays,
        arrive_place=spec.arrive_at,
        depart_place=spec.depart_from,
        interests=tuple(spec.interests),
        pace=spec.pace,
        nationality=spec.nationality,
        party_size=spec.party_size,
        must_see=tuple(must),
        exclude=tuple(spec.exclude),
        transport=tuple(
            (city, tuple(spec.transport.get(city, DEFAULT_MODES))) for city in region.city_ids()
        ),
        daily_budget=float(spec.daily_budget.amount) if spec.daily_budget else None,
        budget_currency=spec.daily_budget.currency if spec.daily_budget else "CNY",
        language=spec.lang,
        hotels=tuple(hotels),
        visas=tuple(spec.visas),
        group_tour=spec.group_tour,
        allow_last_crossing=spec.allow_last_crossing,
        safe_return=spec.safe_return,
        day_across=spec.day_across,
        day_across_on=spec.day_across_on - 1 if spec.day_across_on is not None else None,
        extra_closures=closures,
        pinned=tuple(
            (lock.attraction_id, lock.day) for lock in spec.locked if lock.day is not None
        ),
    )


def request_from_json(data: Any, catalogue: Catalogue | None = None) -> TripRequest:
    """A TripRequest from its JSON; RequestInvalid lists the field errors."""
    return to_trip_request(spec_from_json(data, catalogue), catalogue)


assert set(CHOSEN_MODES) == {"walk", "taxi", "bus"}, (
    "keep the Mode literal in step with travel.CHOSEN_MODES"
)
