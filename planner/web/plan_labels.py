"""Translated labels for the plan form's codes (interests, paces, ways of getting around)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from planner import messages

INTEREST_LABELS = {
    "architecture": _l("architecture"),
    "border": _l("the border"),
    "business": _l("business"),
    "camping": _l("camping"),
    "children": _l("children"),
    "culture": _l("culture"),
    "events": _l("events"),
    "family": _l("family"),
    "food": _l("food"),
    "geology": _l("geology"),
    "history": _l("history"),
    "museums": _l("museums"),
    "nature": _l("nature"),
    "photo": _l("photography"),
    "religion": _l("religion"),
    "science": _l("science"),
    "shopping": _l("shopping"),
    "spa": _l("spa"),
    "space": _l("space flight"),
    "sport": _l("sport"),
    "swimming": _l("swimming"),
    "transport": _l("transport"),
    "views": _l("views"),
    "walking": _l("walking"),
    "winter": _l("winter"),
}
# One wording with the core's (planner/messages.py), which words the request's errors.
PACE_LABELS = {code: _l(label) for code, label in messages.PACE_LABELS.items()}
TRANSPORT_LABELS = {code: _l(label) for code, label in messages.TRAVEL_MODE_LABELS.items()}
