"""Positions from the field (agency admin): places by position uncertainty, worst first; a
place's page where the curator clicks the offline map or uses the phone's location and saves the
point as a *pending review* (planner/field_checks.py). The catalogue is never written here:
`python -m planner apply-review` does that once an editor accepts the review.

Behind the admin token of planner/web/agency.py; forms carry a CSRF token. The page's one script
is static/js/field-position.js (no inline code); the response allows geolocation for this page
only (the site's Permissions-Policy turns it off everywhere else).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _

from planner import maps
from planner.field_checks import (
    ASSUMED_ACCURACY_M,
    MAX_AGENCY,
    MAX_NOTE,
    FieldReview,
    Problem,
    ReviewFileError,
    append_review,
    check_report,
    read_reviews,
    worst_positions,
)
from planner.geo import gcj02_to_wgs84, out_of_china
from planner.messages import N_
from planner.request_spec import FIELD_MESSAGES
from planner.timeutil import city_zone
from planner.web import data
from planner.web.agency import admin_page_or_none
from planner.web.cache import cached_map
from planner.web.i18n import current_lang
from planner.web.labels import CITY_LABELS, CONFIDENCE_LABELS, GROUP_LABELS, plain, position_label
from planner.web.pages import _map_view
from planner.web.security import PERMISSIONS_POLICY

bp = Blueprint("field", __name__)

AGENCY_KEY = "field_agency"  # the last agency name typed, offered again
PROBLEM_TEXTS = {
    "out_of_range": N_("must be from %(low)s to %(high)s"),
    "outside_region": N_("this point is outside the region the catalogue covers"),
    "wrong_bank": N_("this point is across the Amur from the place's city (%(city)s)"),
    "too_coarse": N_("the location is too coarse: at most ±%(max)s m is accepted"),
    "in_future": N_("the day of the check cannot be after today (%(today)s)"),
    "unknown_method": N_("unknown way of choosing the point"),
}
GEOLOCATION_POLICY = PERMISSIONS_POLICY.replace("geolocation=()", "geolocation=(self)")


def reviews_path() -> Path:
    """The review file: FIELD_REVIEWS_PATH, else instance/field-reviews.jsonl."""
    configured = current_app.config.get("FIELD_REVIEWS_PATH")
    return (
        Path(configured) if configured else Path(current_app.instance_path) / "field-reviews.jsonl"
    )


def _pending() -> list[FieldReview]:
    try:
        return [r for r in read_reviews(reviews_path()) if r.status == "pending"]
    except ReviewFileError:  # no file yet, or an editor broke it: the page still works
        return []


def _problem_text(problem: Problem) -> str:
    params = dict(problem.params)
    if "city" in params:
        params["city"] = str(CITY_LABELS.get(params["city"], params["city"]))
    template = PROBLEM_TEXTS.get(problem.code) or FIELD_MESSAGES.get(problem.code, problem.code)
    return _(template) % params


@bp.get("/agency/positions")
def positions():
    refused = admin_page_or_none()
    if refused is not None:
        return refused
    pending: dict[str, int] = {}
    for review in _pending():
        pending[review.place_id] = pending.get(review.place_id, 0) + 1
    return render_template(
        "agency/positions.html",
        places=worst_positions(data.catalogue()),
        pending=pending,
        city_labels=CITY_LABELS,
        confidence_labels=CONFIDENCE_LABELS,
        position_label=position_label,
    )


def _map(place) -> Any:

    lang, tiles = current_lang(), data.tiles()

    def build():
        fmap = maps.attractions_map([place], lang, _, tiles=tiles, group_labels=plain(GROUP_LABELS))
        fmap.location = list(maps.display_location(place.location.lat, place.location.lon, tiles))
        # An estimate of kilometres is looked for at town zoom, a known point at street zoom.
        fmap.options["zoom"] = 15 if place.coord_uncertainty_m <= 1000 else 12
        return _map_view(fmap)

    return cached_map("field", (lang, place.id), build)


def _place_page(place, values: dict[str, str], errors: dict[str, list[str]], status: int = 200):
    response = current_app.make_response(
        (
            render_template(
                "agency/position.html",
                place=place,
                map=_map(place),
                values=values,
                errors=errors,
                pending=[r for r in _pending() if r.place_id == place.id],
                city_labels=CITY_LABELS,
                confidence_labels=CONFIDENCE_LABELS,
                position=position_label(place.coord_confidence, place.coord_uncertainty_m),
                assumed_m=ASSUMED_ACCURACY_M,
                max_note=MAX_NOTE,
                max_agency=MAX_AGENCY,
            ),
            status,
        )
    )
    response.headers["Permissions-Policy"] = GEOLOCATION_POLICY
    return response


def _place_or_404(place_id: str):
    try:
        return data.catalogue().get(place_id)
    except KeyError:
        abort(404)


@bp.get("/agency/positions/<place_id>")
def position(place_id: str):
    refused = admin_page_or_none()
    if refused is not None:
        return refused
    place = _place_or_404(place_id)
    today = datetime.now(city_zone(place.city)).date()
    values = {
        "date": today.isoformat(),
        "agency": session.get(AGENCY_KEY, ""),
        "method": "typed",
    }
    return _place_page(place, values, {})


def _to_wgs84(form: dict[str, str]) -> dict[str, str]:
    """A map click on GCJ-02 tiles (Chinese services) gives a GCJ-02 point on the Chinese bank:
    stored as WGS-84, like every point of the catalogue."""
    tiles = data.tiles()
    if form.get("method") != "map" or tiles is None or tiles.datum != "gcj02":
        return form
    try:
        lat, lon = float(form["lat"]), float(form["lon"])
    except (KeyError, ValueError):
        return form  # the check names the field
    if out_of_china(lat, lon):
        return form
    lat, lon = gcj02_to_wgs84(lat, lon)
    return {**form, "lat": f"{lat:.6f}", "lon": f"{lon:.6f}"}


@bp.post("/agency/positions/<place_id>")
def save_position(place_id: str):
    refused = admin_page_or_none()
    if refused is not None:
        return refused
    place = _place_or_404(place_id)
    typed = {k: request.form.get(k, "") for k in ("lat", "lon", "accuracy_m", "method")}
    typed |= {k: request.form.get(k, "") for k in ("note", "date", "agency")}
    today = datetime.now(city_zone(place.city)).date()
    review, problems = check_report(place, _to_wgs84(typed), today)
    if review is None:
        errors: dict[str, list[str]] = {}
        for problem in problems:
            errors.setdefault(problem.field, []).append(_problem_text(problem))
        status = 400 if any(p.malformed for p in problems) else 422
        return _place_page(place, typed, errors, status)
    append_review(reviews_path(), review)
    session[AGENCY_KEY] = review.agency
    flash(
        _("The point is saved for review (%(id)s); an editor applies it to the catalogue.")
        % {"id": review.review_id},
        "ok",
    )
    return redirect(url_for("field.position", place_id=place.id))
