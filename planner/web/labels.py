"""Translated labels for codes stored in the data (cities, layer groups, kinds)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

CITY_LABELS = {"heihe": _l("Heihe"), "blagoveshchensk": _l("Blagoveshchensk")}
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
CONFIDENCE_LABELS = {
    "high": _l("high"),
    "medium": _l("medium"),
    "low": _l("low"),
    "estimated": _l("estimated"),
}


def plain(labels: dict) -> dict[str, str]:
    """Lazy labels resolved to str for the current locale (folium wants plain strings)."""
    return {key: str(value) for key, value in labels.items()}
