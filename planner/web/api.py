"""The JSON API under /api/v1: the same core calls as the pages, one envelope."""

from __future__ import annotations

import re

from flask import Blueprint, current_app, jsonify, request
from flask_babel import force_locale, gettext

from planner import crossing, languages
from planner.browse import Filters, filter_attractions
from planner.geocoding import GeocoderUnavailable, lookup
from planner.messages import render
from planner.serialize import answer_to_json, to_feature, to_feature_collection
from planner.timeutil import parse_aware
from planner.web import data
from planner.web.errors import ApiError
from planner.web.labels import CITY_LABELS, GROUP_LABELS, KIND_LABELS

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def _choice(name: str, allowed) -> str:
    value = request.args.get(name, "")
    if value and value not in allowed:
        raise ApiError(f"{name} must be one of: {', '.join(allowed)}", 400)
    return value


def _whole(name: str, default: int) -> int:
    """A whole-number query parameter; a clean 400 for '1.5' or 'ten'."""
    text = request.args.get(name, "").strip()
    if not text:
        return default
    if not re.fullmatch(r"[+-]?\d{1,9}", text):
        raise ApiError(f"{name} must be a whole number, e.g. {default}", 400)
    return int(text)


@bp.get("/attractions")
def attractions():
    """GeoJSON FeatureCollection of the catalogue, optionally filtered."""
    filters = Filters(
        city=_choice("city", CITY_LABELS),
        group=_choice("group", GROUP_LABELS),
        kind=_choice("kind", KIND_LABELS),
        q=request.args.get("q", ""),
    )
    places = filter_attractions(data.catalogue().attractions, filters)
    return jsonify({"ok": True, **to_feature_collection(places)})


@bp.get("/attractions/<attraction_id>")
def attraction(attraction_id: str):
    try:
        place = data.catalogue().get(attraction_id)
    except KeyError:
        raise ApiError(f"no attraction with id {attraction_id!r}", 404) from None
    return jsonify({"ok": True, **to_feature(place)})


@bp.get("/crossings")
def crossings():
    """Crossing options after a time: the border model's answer, messages rendered in ?lang=."""
    args = request.args
    missing = [name for name in ("from", "after", "nationality") if not args.get(name)]
    if missing:
        raise ApiError(f"missing parameter(s): {', '.join(missing)}", 400)
    lang = args.get("lang", "en")
    if not languages.is_known(lang):
        raise ApiError(f"lang must be one of: {', '.join(languages.codes())}", 400)
    limit = _whole("limit", 10)
    party = _whole("party", 1)
    try:
        nationality = crossing.normalize_nationality(args["nationality"])
        visas = tuple(
            crossing.normalize_nationality(v, "visa country")
            for v in args.get("visa", "").split(",")
            if v.strip()
        )
        answer = crossing.crossing_options(
            args["from"],
            parse_aware(args["after"], "after"),
            nationality,
            party_size=party,
            limit=limit,
            entry_permits=visas,
        )
    except ValueError as exc:
        raise ApiError(str(exc), 400) from None
    with force_locale(lang):
        payload = answer_to_json(answer, lambda message: render(message, gettext, lang))
    return jsonify({"ok": True, "lang": lang, **payload})


@bp.get("/geocode")
def geocode():
    """Candidates for an address typed on the plan form, inside the twin cities' area only."""
    query = request.args.get("q", "").strip()
    if not query:
        raise ApiError("q (the address to look up) is required", 400)
    if len(query) > 200:
        raise ApiError("q is too long (at most 200 characters)", 400)
    city = _choice("city", CITY_LABELS) or None
    lang = request.args.get("lang", "en")
    if not languages.is_known(lang):
        raise ApiError(f"lang must be one of: {', '.join(languages.codes())}", 400)
    try:
        geocoder = data.geocoder()
    except ValueError as exc:  # a misconfigured PLANNER_GEOCODER
        current_app.logger.error("geocoder: %s", exc)
        geocoder = None
    if geocoder is None:
        raise ApiError("geocoder not configured", 503)
    try:
        found = lookup(geocoder, query, city, lang)
    except GeocoderUnavailable:
        raise ApiError("geocoder unavailable: try again later", 503) from None
    return jsonify({"ok": True, "query": query, "candidates": [c.as_dict() for c in found]})
