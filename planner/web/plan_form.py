"""The plan form: its choices, and the form's fields turned into the request JSON.

The form speaks in dates, times and places; the request in ISO 8601 with offsets. The time a
traveller types is on the clock of the place it happens (an arrival at an airport is on its city's
clock), so the offset comes from that place's city.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from werkzeug.datastructures import MultiDict

from planner import languages, region
from planner.catalogue import Catalogue
from planner.crossing import ISO_ALPHA2
from planner.geo import gcj02_to_wgs84, out_of_china
from planner.geocoding import city_of_point
from planner.maps import TileConfig, new_map
from planner.model import Attraction
from planner.request_spec import FieldError, interests_of, nights_between
from planner.timeutil import CITIES, city_zone, other_city
from planner.web.collation import name_key

# Where a form field's error is shown, by the request field it concerns.
FORM_FIELD = {
    "arrive": "arrive_date",
    "depart": "depart_date",
    "stay": "stay_first",
    "daily_budget": "budget_amount",
    "locked": "must_see",
}
MULTI = (
    "interests",
    "visas",
    "must_see",
    "exclude",
)
DEFAULTS: dict[str, Any] = {
    "arrive_time": "09:00",
    "depart_time": "18:00",
    "pace": "normal",
    "nationality": "CN",
    "party_size": "1",
    "budget_currency": "CNY",
}
COMMON_COUNTRIES = ("CN", "RU", "KZ", "MN", "BY", "KR", "JP", "DE", "US", "GB")


# The fields templates/plan_form.html (and agency/_plan_form_fields.html) mark with their
# errors; an error of any other field is shown at the top of the form ("form"), never dropped.
ERROR_SLOTS = frozenset(
    {
        "arrive_date",
        "arrive_at",
        "depart_date",
        "depart_from",
        "stay",
        "stay_first",
        "nationality",
        "party_size",
        "visas",
        "day_across",
        "day_across_on",
        "interests",
        "pace",
        "must_see",
        "exclude",
        "budget_amount",
        "lang",
        "title",
        "notes",
        "agency",
        "group",
    }
)


def _city_fields() -> dict[str, str]:
    """Each city's hotel and transport fields (hotel_<city id>, transport_<city id>)."""
    return {
        **{f"hotels.{city}": f"hotel_{city}" for city in CITIES},
        **{f"transport.{city}": f"transport_{city}" for city in CITIES},
    }


def form_field(path: str) -> str:
    """The form field that shows the error of request field *path* ('form': the top)."""
    fields = {**FORM_FIELD, **_city_fields()}
    for prefix in sorted(fields, key=len, reverse=True):
        if path == prefix or path.startswith(prefix + "."):
            return fields[prefix]
    name = path.split(".", 1)[0]
    return name if name in ERROR_SLOTS or name in fields.values() else "form"


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    alt: str = ""  # the name in the other scripts, for searching and reading
    city: str = ""


def _choice(place: Attraction, lang: str) -> Choice:
    main = place.name.get(lang)
    others = [n for n in (place.name.zh, place.name.ru, place.name.en) if n and n != main]
    return Choice(place.id, main, " · ".join(others), place.city)


def place_choices(cat: Catalogue, lang: str, kinds: tuple[str, ...]) -> list[Choice]:
    places = [p for p in cat.attractions if p.kind in kinds]
    choices = [_choice(p, lang) for p in places]
    return sorted(choices, key=lambda c: (CITIES.index(c.city), name_key(c.label, lang)))


def country_choices(lang: str) -> list[Choice]:
    """Passport and visa countries named in *lang*: Babel's territories that are ISO 3166-1
    countries (the codes the API accepts), so no pseudo-locale ('Pseudo-Accents'), union
    ('European Union', 'United Nations') or region; the common ones first."""
    names = languages.babel_locale(lang).territories
    codes = [code for code in names if code in ISO_ALPHA2]
    common = [Choice(c, names.get(c, c)) for c in COMMON_COUNTRIES]
    rest = sorted(
        (Choice(c, names[c]) for c in codes if c not in COMMON_COUNTRIES),
        key=lambda c: name_key(c.label, lang),
    )
    return common + rest


def interest_choices(cat: Catalogue) -> tuple[str, ...]:
    return interests_of(cat)


def form_values(form: MultiDict | None) -> dict[str, Any]:
    """What the person typed (or the defaults), lists for the multi-choice fields."""
    if form is None:
        return {
            **DEFAULTS,
            "stay_first": CITIES[0],
            **{f"transport_{city}": ["walk", "taxi"] for city in CITIES},
        }
    values: dict[str, Any] = {key: form.get(key, "") for key in form}
    for key in (*MULTI, *(f"transport_{city}" for city in CITIES)):
        values[key] = form.getlist(key)
    return values


def _moment(day: str, clock: str, city: str, field: str, errors: list[FieldError]) -> str | None:
    try:
        when = datetime.combine(date.fromisoformat(day), time.fromisoformat(clock or "00:00"))
    except ValueError:
        errors.append(FieldError(field, "not_datetime" if day else "required"))
        return None
    return when.replace(tzinfo=city_zone(city)).isoformat(timespec="minutes")


def _number(text: str, field: str, errors: list[FieldError], whole: bool) -> Any:
    text = text.strip().replace(",", ".")
    try:
        return int(text) if whole else float(text)
    except ValueError:
        errors.append(FieldError(field, "not_whole" if whole else "not_a_number"))
        return None


def _latlon(text: str, field: str, errors: list[FieldError]) -> dict[str, float] | None:
    parts = [p for p in text.replace(";", ",").split(",") if p.strip()]
    try:
        lat, lon = (float(p) for p in parts)
    except ValueError:
        errors.append(FieldError(field, "not_a_number"))
        return None
    return {"lat": lat, "lon": lon}


def _lodging(
    point: dict[str, float], city: str, datum: str, errors: list[FieldError]
) -> dict[str, float] | None:
    """A lodging point in WGS-84 if it lies in *city* (its side of the border, inside the
    region's area), else a field error. A point clicked on a GCJ-02 map is converted back."""
    lat, lon = point["lat"], point["lon"]
    if (
        datum == "gcj02"
        and not out_of_china(lat, lon)
        and region.current().country_at(lat, lon) == "CN"
    ):
        lat, lon = gcj02_to_wgs84(lat, lon)
    if city_of_point(lat, lon) != city:
        errors.append(FieldError(f"hotels.{city}", "hotel_other_city"))
        return None
    return {"lat": round(lat, 6), "lon": round(lon, 6)}


def request_json(form: MultiDict, cat: Catalogue) -> tuple[dict[str, Any], list[FieldError]]:
    """The request JSON of a submitted form, and the problems only the form can have."""
    errors: list[FieldError] = []
    first = form.get("stay_first", CITIES[0])
    first = first if first in CITIES else CITIES[0]
    switch_text = form.get("stay_switch", "").strip()

    def city_of(pid: str, default: str) -> str:
        return cat.get(pid).city if pid and pid in cat else default

    arrive_at = form.get("arrive_at") or None
    depart_from = form.get("depart_from") or None
    last = other_city(first) if switch_text else first
    arrive = _moment(
        form.get("arrive_date", ""),
        form.get("arrive_time", ""),
        city_of(arrive_at or "", first),
        "arrive",
        errors,
    )
    depart = _moment(
        form.get("depart_date", ""),
        form.get("depart_time", ""),
        city_of(depart_from or "", last),
        "depart",
        errors,
    )
    stay: Any = first
    if switch_text and arrive and depart:
        after = _number(switch_text, "stay", errors, whole=True)
        total = nights_between(
            datetime.fromisoformat(arrive), datetime.fromisoformat(depart), first
        )
        if after is not None and 0 < after < total:
            stay = [first] * after + [other_city(first)] * (total - after)
    hotels: dict[str, Any] = {}
    for city in CITIES:
        typed = form.get(f"hotel_{city}_latlon", "").strip()
        chosen = form.get(f"hotel_{city}", "")
        if typed:
            point = _latlon(typed, f"hotels.{city}", errors)
            if point:
                point = _lodging(point, city, form.get(f"hotel_{city}_datum", ""), errors)
            if point:
                hotels[city] = point
        elif chosen in cat:
            hotels[city] = chosen
        elif chosen:  # not one of the form's choices: said at the field, not for the whole dict
            errors.append(FieldError(f"hotels.{city}", "unknown_place"))
    budget = None
    amount_text = form.get("budget_amount", "").strip()
    if amount_text:
        amount = _number(amount_text, "daily_budget", errors, whole=False)
        if amount is not None:
            budget = {"amount": amount, "currency": form.get("budget_currency", "CNY")}
    party = _number(form.get("party_size", "1") or "1", "party_size", errors, whole=True)
    data = {
        "arrive": arrive or "",
        "depart": depart or "",
        "arrive_at": arrive_at,
        "depart_from": depart_from,
        "stay": stay,
        "hotels": hotels,
        "interests": form.getlist("interests"),
        "pace": form.get("pace", "normal"),
        "nationality": form.get("nationality", "CN"),
        "visas": form.getlist("visas"),
        "party_size": party if party is not None else 1,
        "group_tour": form.get("group_tour") == "on",
        "allow_last_crossing": form.get("allow_last_crossing") == "on",
        "safe_return": form.get("safe_return") == "on",
        "day_across": form.get("day_across", "auto") or "auto",
        "day_across_on": _number(form.get("day_across_on", ""), "day_across_on", errors, whole=True)
        if form.get("day_across_on", "").strip()
        else None,
        "must_see": form.getlist("must_see"),
        "exclude": form.getlist("exclude"),
        "transport": {city: form.getlist(f"transport_{city}") for city in CITIES},
        "daily_budget": budget,
        "lang": form.get("lang", "en"),
        "title": form.get("title", "").strip(),
        "notes": form.get("notes", "").strip(),
    }
    from planner.web.agency import agency_fields  # the "For agencies" fieldset

    data.update(agency_fields(form, cat, errors))
    return data, errors


def lodging_map(tiles: TileConfig | None, lang: str):
    """The small map on the form where the traveller confirms or clicks their lodging: both
    cities in view (plan-form.js places one marker per city)."""
    return new_map(tiles, zoom=12, lang=lang)
