"""Translated labels for codes stored in the data (cities, layer groups, kinds)."""

from __future__ import annotations

from flask_babel import LazyString, gettext
from flask_babel import lazy_gettext as _l
from markupsafe import escape

from planner import languages, messages, region
from planner.coverage import Coverage

# The tables themselves live in planner.messages (one copy); these are their lazy translations.


def _city_label(city: str) -> str:
    from planner.web.i18n import current_lang

    return messages.city_word(city, gettext, current_lang())


class _LazyName(LazyString):
    """A lazy name from the region's data. flask_babel's LazyString tells Jinja it is markup
    already (its __html__ is the bare text), which holds for our own catalogues' sentences but
    not for a region file's names: this one is escaped like any other text."""

    def __html__(self) -> str:
        return str(escape(str(self)))


# A live view of the region's cities (planner.region): each name in the reader's language, lazily
# (the .po catalogues' translation where they have one, else the region file's own name).
CITY_LABELS = region.CityMap(lambda c: _LazyName(_city_label, c.id))
GROUP_LABELS = {
    "history": _l("History and monuments"),
    "religion": _l("Churches and temples"),
    "nature": _l("Parks, river and views"),
    "city": _l("Squares and streets"),
    "shopping": _l("Markets, shopping and food"),
    "culture": _l("Theatres, culture and events"),
    "day_trip": _l("Day trips"),
    "transport": _l("Transport and border"),
    "other": _l("Other"),
}
KIND_LABELS = {
    "attraction": _l("Sight"),
    "day_trip": _l("Day trip"),
    "event": _l("Event"),
    "transport": _l("Transport"),
}
CONFIDENCE_LABELS = {code: _l(text) for code, text in messages.CONFIDENCE_LABELS.items()}

GRADE_LABELS = {
    "primary": _l("primary (government, official body)"),
    "secondary": _l("secondary (press, news agency)"),
    "tertiary": _l("tertiary (guide, wiki, blog)"),
    "editorial": _l("editorial (the project's own judgement)"),
    "field": _l("field check (a local agency on the spot)"),
}


def plain(labels: dict) -> dict[str, str]:
    """Lazy labels resolved to str for the current locale (folium wants plain strings)."""
    return {key: str(value) for key, value in labels.items()}


def position_label(coord_confidence: str, uncertainty_m: int) -> str:
    """How well a place's position is known, in words: the method itself is for editors."""
    from flask_babel import format_decimal, gettext

    from planner.model import FIELD_CONFIDENCE, confidence_level

    km = format_decimal(round(uncertainty_m / 1000, 1) or 0.1)
    if uncertainty_m > 1000:
        return gettext("position unknown: somewhere within about %(km)s km", km=km)
    if coord_confidence == FIELD_CONFIDENCE:
        return gettext("position checked on the ground (±%(m)s m)", m=uncertainty_m)
    if confidence_level(coord_confidence) in ("high", "medium"):
        return gettext("position from a map source")
    return gettext("approximate position (±%(km)s km)", km=km)


# What a source supports (planner.coverage.CODES): the place page's "Supports" column.
COVERAGE_LABELS = {
    "coordinates": _l("coordinates"),
    "reference_point": _l("reference point (not the place's own)"),
    "address": _l("address"),
    "hours": _l("opening hours"),
    "price": _l("price"),
    "dates": _l("dates"),
    "times": _l("times of day"),
    "visit_minutes": _l("typical visit length"),
    "return_km": _l("distance"),
    "facts": _l("facts about the place"),
}


def coverage_text(coverage: Coverage | None, lang: str) -> str:
    """What a source supports, in words of *lang*: "coordinates, opening hours and price"."""
    from babel.lists import format_list
    from flask_babel import gettext

    if coverage is None:
        return ""
    words = [
        str(COVERAGE_LABELS[code])
        if code not in coverage.unused
        else gettext("%(what)s (not used)", what=COVERAGE_LABELS[code])
        for code in coverage.codes
    ]
    return format_list(words, locale=languages.babel_locale(lang))
