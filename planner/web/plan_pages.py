"""Plan pages: the form (/plan), a plan (/plans/<id>) with its map, timeline and edits, and the
plans this browser made (/plans). No accounts: the edit token lives in a cookie scoped to its
plan's path, so a shared link shows the plan read-only; a secret edit link (made and revoked by
the owner) puts its own secret in that cookie on another device."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from markupsafe import Markup

from planner import languages, maps
from planner.crossing import entry_decision, load_crossing_data
from planner.documents import with_texts
from planner.edits import EDIT_OPS, PLACE_OPS
from planner.itinerary_map import DAY_COLOURS, plan_map
from planner.messages import MODE_LABELS, N_, Message, mode_word, refusal_text
from planner.messages import render as render_message
from planner.model import LatLon
from planner.planning.builder import CITY_CENTRES
from planner.plans import Planner
from planner.request_spec import FieldError, RequestInvalid
from planner.storage import Plan
from planner.store_schema import StaleVersion, UnknownPlan
from planner.timeutil import CITIES, CITY_COUNTRY, CITY_TZ
from planner.trip import PlanningError
from planner.web import data
from planner.web.i18n import current_lang
from planner.web.labels import CITY_LABELS
from planner.web.pages import MapView, _map_view
from planner.web.plan_form import (
    country_choices,
    form_field,
    form_values,
    interest_choices,
    lodging_map,
    place_choices,
    request_json,
)
from planner.web.plan_labels import INTEREST_LABELS, PACE_LABELS, TRANSPORT_LABELS
from planner.web.plan_store import store
from planner.web.plan_view import all_warnings, build_days, left_out, left_out_groups, quiet_doc
from planner.web.security import external_url, secure_cookies

bp = Blueprint("plan_pages", __name__)

MY_PLANS = "my_plans"  # ids of the plans this browser created, newest first
TOKEN = "edit_token"  # set with path=/plans/<id>: sent only for that plan's pages
MAX_REMEMBERED = 30
YEAR = 365 * 24 * 3600
STALE = N_("The plan was changed elsewhere in the meantime: here it is as it is now.")


def _planner() -> Planner:
    """The Planner, making plans only in a free solver slot (else 503: planner.web.solving)."""
    from planner.web.solving import BoundedPlanner

    planner = Planner(store(), data.catalogue(), current_app.config["PLAN_TIME_LIMIT"])
    return BoundedPlanner(planner)  # type: ignore[return-value]


def _form_page(values: dict[str, Any], errors: dict[str, list[str]], problem: str = ""):
    lang = current_lang()
    cat = data.catalogue()
    tiles = data.tiles()
    try:
        lookup_on = data.geocoder() is not None
    except ValueError:  # a misconfigured PLANNER_GEOCODER: the API logs it, the form maps
        lookup_on = False
    return render_template(
        "plan_form.html",
        map=_map_view(lodging_map(tiles, lang)),
        map_datum=tiles.datum if tiles else "wgs84",
        lookup_on=lookup_on,
        values=values,
        errors=errors,
        problem=problem,
        points=place_choices(cat, lang, ("transport",)),
        places=place_choices(cat, lang, ("attraction", "day_trip", "event")),
        countries=country_choices(lang),
        interests=sorted(
            interest_choices(cat), key=lambda i: str(INTEREST_LABELS.get(i, i)).casefold()
        ),
        interest_labels=INTEREST_LABELS,
        pace_labels=PACE_LABELS,
        transport_labels=TRANSPORT_LABELS,
        city_labels=CITY_LABELS,
        cities=CITIES,
        languages=languages.native_names(),
        entry_lines=_entry_lines(values, lang),
    )


def _entry_lines(values: dict[str, Any], lang: str) -> list[str]:
    """Beside the day-across choice: what lets this passport into each country on the trip's
    first day (today when none is given), said by the border model with its source layer."""
    nationality = str(values.get("nationality") or "CN").upper()
    visas = [str(v).upper() for v in values.get("visas") or ()]
    try:
        day = datetime.fromisoformat(str(values.get("arrive") or "")).date()
    except ValueError:
        day = datetime.now(CITY_TZ[CITIES[0]]).date()
    lines = []
    # The country across first (from the first city), then the other cities' countries.
    home = CITIES[0]
    order = (*(c for c in CITIES if c != home), home)
    for country in dict.fromkeys(CITY_COUNTRY[c] for c in order):
        try:
            decision = entry_decision(country, nationality, day, entry_permits=visas)
        except (KeyError, ValueError):  # an unknown passport: the field's own error says so
            return []
        if decision.permitted and decision.basis is not None:
            lines.append(render_message(decision.basis, _, lang))
        elif not decision.permitted:
            lines.append(render_message(Message("entry_hint_visa", {"country": country}), _, lang))
    return lines


def _errors_by_field(problems: list[FieldError]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for problem in problems:
        out.setdefault(form_field(problem.field), []).append(problem.text(_))
    return out


@bp.get("/plan")
def plan_form():
    values = form_values(None)
    values["lang"] = current_lang()
    return _form_page(values, {})


@bp.post("/plan")
def create_plan():
    values = form_values(request.form)
    body, problems = request_json(request.form, data.catalogue())
    if problems:
        return _form_page(values, _errors_by_field(problems)), 400
    try:
        plan, token = _planner().create(body)
    except RequestInvalid as exc:
        return _form_page(values, _errors_by_field(exc.errors)), 400
    except PlanningError as exc:
        reason = refusal_text(exc, _, current_lang())
        problem = _("This trip cannot be planned as asked: %(reason)s") % {"reason": reason}
        return _form_page(values, {}, problem), 422
    response = redirect(url_for("plan_pages.show_plan", plan_id=plan.id))
    _set_token(response, plan.id, token)
    mine = [plan.id] + [p for p in _my_plan_ids() if p != plan.id]
    response.set_cookie(
        MY_PLANS,
        ",".join(mine[:MAX_REMEMBERED]),
        max_age=YEAR,
        httponly=True,
        samesite="Lax",
        secure=secure_cookies(),
    )
    return response


def _my_plan_ids() -> list[str]:
    raw = request.cookies.get(MY_PLANS, "")
    return [p for p in raw.split(",") if p and len(p) <= 64][:MAX_REMEMBERED]


@bp.get("/plans")
def my_plans():
    return render_template("plans.html", plans=store().heads(_my_plan_ids()))


def _plan_or_404(plan_id: str) -> Plan:
    try:
        return store().get(plan_id)
    except UnknownPlan:
        abort(404)


def _can_edit(plan_id: str) -> bool:
    return store().token_matches(plan_id, request.cookies.get(TOKEN))


def _lodgings(req: dict[str, Any]) -> dict[str, LatLon]:
    cat = data.catalogue()
    out = dict(CITY_CENTRES)
    for city, where in (req.get("hotels") or {}).items():
        if isinstance(where, str) and where in cat:
            out[city] = cat.get(where).location
        elif isinstance(where, dict):
            out[city] = LatLon(where["lat"], where["lon"])
    return out


@bp.get("/plans/<plan_id>")
def show_plan(plan_id: str):
    return _plan_page(plan_id)


def _plan_page(plan_id: str, edit_link: str = ""):
    """The plan page; *edit_link*: a secret edit link just made, shown this once."""
    plan = _plan_or_404(plan_id)
    lang = current_lang()
    cat = data.catalogue()
    doc = with_texts(plan.current.document, _, lang)
    quiet = quiet_doc(doc)
    days = build_days(doc, cat, lang, quiet)
    modes = {*MODE_LABELS, *(mode for mode, _m in load_crossing_data().modes.items())}
    texts = {code: mode_word(code, _, lang) for code in modes}
    texts["lodging"] = _("Where you stay")
    fmap = plan_map(
        doc,
        cat,
        lang,
        _lodgings(plan.current.request),
        lambda i, day: _("Day %(n)s") % {"n": i + 1},
        texts,
        tiles=data.tiles(),
    )
    rendered = maps.render(fmap)
    view = MapView(
        Markup(rendered.html), Markup(rendered.script), rendered.scripts, rendered.styles
    )
    locked = {lock["attraction_id"] for lock in plan.current.request.get("locked", [])}
    return render_template(
        "plan.html",
        plan=plan,
        req=plan.current.request,
        doc=doc,
        days=days,
        warnings=all_warnings(doc, quiet),
        left_out=left_out(doc, lang),
        left_groups=left_out_groups(doc, plan.current.request, cat, lang),
        totals=doc.totals.model_dump(mode="json") if doc.totals else None,
        map=view,
        can_edit=_can_edit(plan_id),
        is_owner=store().owner_matches(plan_id, request.cookies.get(TOKEN)),
        has_edit_link=store().has_edit_link(plan_id),
        edit_link=edit_link,
        locked=locked,
        revisions=list(reversed(store().revisions(plan_id))),
        share_url=external_url("plan_pages.show_plan", plan_id=plan_id),
        pace_labels=PACE_LABELS,
        colours=DAY_COLOURS,
        day_stops=[[s.attraction_id for s in d.stops] for d in doc.days],
        day_notes=_day_notes(plan.current.request, len(doc.days)),
    )


def _set_token(response, plan_id: str, token: str) -> None:
    response.set_cookie(
        TOKEN,
        token,
        max_age=YEAR,
        path=url_for("plan_pages.show_plan", plan_id=plan_id),
        httponly=True,
        samesite="Lax",
        secure=secure_cookies(),
    )


@bp.post("/plans/<plan_id>/edit-link")
def edit_link(plan_id: str):
    """Make (shown once) or revoke the secret edit link; only with the plan's own token."""
    _plan_or_404(plan_id)
    if not store().owner_matches(plan_id, request.cookies.get(TOKEN)):
        abort(403)
    if request.form.get("action") == "revoke":
        store().revoke_edit_link(plan_id)
        flash(_("The edit link no longer works."), "ok")
        return redirect(url_for("plan_pages.show_plan", plan_id=plan_id))
    secret = store().make_edit_link(plan_id)
    link = url_for("plan_pages.open_edit_link", plan_id=plan_id, secret=secret, _external=True)
    response = make_response(_plan_page(plan_id, edit_link=link))
    response.headers["Cache-Control"] = "no-store"  # the link is shown once
    return response


@bp.get("/plans/<plan_id>/e/<secret>")
def open_edit_link(plan_id: str, secret: str):
    """A secret edit link: this browser may edit the plan (until the link is revoked)."""
    _plan_or_404(plan_id)
    response = redirect(url_for("plan_pages.show_plan", plan_id=plan_id))
    if len(secret) <= 64 and store().token_matches(plan_id, secret):
        _set_token(response, plan_id, secret)
    else:
        flash(_("This edit link no longer works: the plan opens read-only."), "error")
    return response


def _local_input(value: str, original: str) -> str:
    """A datetime-local value read on the clock (offset) of the original time."""
    typed = datetime.fromisoformat(value)
    return typed.replace(tzinfo=datetime.fromisoformat(original).tzinfo).isoformat(
        timespec="minutes"
    )


def _day_notes(req: dict[str, Any], days: int) -> list[str]:
    notes = [str(n) for n in req.get("day_notes") or ()][:days]
    return notes + [""] * (days - len(notes))


@bp.post("/plans/<plan_id>/edit")
def edit_plan(plan_id: str):
    plan = _plan_or_404(plan_id)
    if not _can_edit(plan_id):
        abort(403)
    form = request.form
    op = form.get("op", "")
    edit: dict[str, Any] = {"op": op}
    try:
        if op not in EDIT_OPS:  # not a change the page offers: no list of codes to the reader
            raise ValueError(op)
        version = int(form.get("version", ""))
        if op in PLACE_OPS:
            edit["attraction_id"] = form.get("attraction_id", "")
        if op == "reorder":
            edit["attraction_ids"] = form.getlist("order")
        if op == "note":
            edit["text"] = form.get("text", "")
        if op in ("lock", "move", "reorder", "note") or (op == "add" and form.get("day")):
            edit["day"] = int(form.get("day", ""))
        if op == "pace":
            edit["pace"] = form.get("pace", "")
        if op == "dates":
            req = plan.current.request
            edit["arrive"] = _local_input(form.get("arrive", ""), req["arrive"])
            edit["depart"] = _local_input(form.get("depart", ""), req["depart"])
    except ValueError:
        flash(_("That change could not be read. Please try again."), "error")
        return redirect(url_for("plan_pages.show_plan", plan_id=plan_id))
    try:
        _planner().edit(plan_id, version, edits=[edit])
    except StaleVersion:
        flash(_(STALE), "error")
    except RequestInvalid as exc:
        flash("; ".join(e.text(_) for e in exc.errors), "error")
    except PlanningError as exc:
        reason = refusal_text(exc, _, current_lang())
        flash(_("This trip cannot be planned as asked: %(reason)s") % {"reason": reason}, "error")
    else:
        flash(_("The plan was made again with your change."), "ok")
    return redirect(url_for("plan_pages.show_plan", plan_id=plan_id))


@bp.post("/plans/<plan_id>/restore/<int:number>")
def restore_plan(plan_id: str, number: int):
    _plan_or_404(plan_id)
    if not _can_edit(plan_id):
        abort(403)
    try:
        _planner().restore(plan_id, int(request.form.get("version", "0")), number)
    except (ValueError, StaleVersion):
        flash(_(STALE), "error")
    except UnknownPlan:
        abort(404)
    else:
        flash(_("Version %(n)s is the current plan again.") % {"n": number}, "ok")
    return redirect(url_for("plan_pages.show_plan", plan_id=plan_id))
