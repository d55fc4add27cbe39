"""A saved plan as files and paper: /plans/<id>.gpx|.ics|.kml|.geojson, /plans/<id>/print and
/plans/<id>.pdf. Read-only (the id is the share link), in the plan's language unless `?lang=`
asks for another. The exports and the maps are planner/exports.py and planner/printing.py; this
module reads the stored plan, picks the language and renders."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import Markup

from planner import exports, languages, printing
from planner.documents import with_texts
from planner.hours_text import hours_in_words
from planner.messages import CITY_LABELS, N_
from planner.plan_document import CrossingItem, PlanDocument
from planner.plan_words import crossing_clocks
from planner.storage import Plan
from planner.store_schema import UnknownPlan
from planner.timeutil import other_city
from planner.web import data
from planner.web.i18n import site_name
from planner.web.plan_labels import PACE_LABELS
from planner.web.plan_store import store
from planner.web.plan_view import (
    all_warnings,
    build_days,
    city_name,
    clock,
    crossing_notes,
    for_driver,
    left_out_groups,
    money,
    quiet_doc,
)
from planner.web.plan_view import names as local_names
from planner.web.security import external_url

bp = Blueprint("plan_outputs", __name__)

MISSED = N_(
    "If you miss it, you spend the night in %(city)s: book a room there, make sure your visa "
    "or visa-free stay covers the extra night, and call whoever planned the trip. The next "
    "crossings run the next morning."
)
SERVICES = {
    "police": N_("police"),
    "ambulance": N_("ambulance"),
    "fire": N_("fire"),
    "all": N_("all emergency services"),
}
COUNTRIES = {"CN": N_("China"), "RU": N_("Russia")}
_FILE_NAME = re.compile(r"[^A-Za-z0-9_-]+")


def _plan(plan_id: str) -> Plan:
    try:
        return store().get(plan_id)
    except UnknownPlan:
        abort(404)


def _lang(plan: Plan) -> str:
    """`?lang=` when it names a language, else the plan's own."""
    asked = request.args.get("lang", "")
    if languages.is_known(asked):
        return asked
    return languages.resolve(plan.current.request.get("lang")).code


def _file_name(plan: Plan, ext: str) -> str:
    return f"plan-{_FILE_NAME.sub('', plan.id)[:40] or 'trip'}.{ext}"


def _info(plan: Plan, lang: str) -> exports.PlanInfo:
    return exports.PlanInfo(
        id=plan.id,
        title=plan.title,
        notes=str(plan.current.request.get("notes") or ""),
        lang=lang,
        updated_at=plan.updated_at,
        day_notes=tuple(str(n) for n in plan.current.request.get("day_notes") or ()),
        url=external_url("plan_pages.show_plan", plan_id=plan.id),
    )


def _export(plan_id: str, fmt: str) -> Response:
    plan = _plan(plan_id)
    lang = _lang(plan)
    with force_locale(lang):
        body = exports.export(fmt, plan.current.document, data.catalogue(), _info(plan, lang), _)
    response = Response(body, mimetype=exports.FORMATS[fmt])
    if fmt in ("gpx", "ics", "kml", "geojson"):
        response.headers["Content-Disposition"] = f'attachment; filename="{_file_name(plan, fmt)}"'
    return response


def plan_files(plan: Plan) -> dict[str, bytes]:
    """A stored plan's printable PDF and its exports, in the plan's language (for a batch).
    Needs an app context (templates, translations)."""
    from flask import current_app

    from planner.web import jobs

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    lang = str(plan.current.request.get("lang") or "en")
    base_url = request.url_root
    path = jobs.cached_pdf(app, plan, lang, base_url) or jobs.render_pdf(
        app, plan.id, lang, base_url
    )
    files = {"plan.pdf": path.read_bytes()}
    with force_locale(lang):
        info = _info(plan, lang)
        for fmt in ("gpx", "ics", "kml", "geojson"):
            body = exports.export(fmt, plan.current.document, data.catalogue(), info, _)
            files[f"plan.{fmt}"] = body.encode("utf-8") if isinstance(body, str) else body
    return files


@bp.get("/plans/<plan_id>.gpx")
def plan_gpx(plan_id: str) -> Response:
    return _export(plan_id, "gpx")


@bp.get("/plans/<plan_id>.ics")
def plan_ics(plan_id: str) -> Response:
    return _export(plan_id, "ics")


@bp.get("/plans/<plan_id>.kml")
def plan_kml(plan_id: str) -> Response:
    return _export(plan_id, "kml")


@bp.get("/plans/<plan_id>.geojson")
def plan_geojson(plan_id: str) -> Response:
    return _export(plan_id, "geojson")


# --------------------------------------------------------------------------- the printed plan


def _at(value: datetime, city: str, indicative: bool) -> str:
    text = clock(value, city)
    return _(exports.INDICATIVE) % {"time": text} if indicative else text


def _border(item: CrossingItem, lang: str, notes: dict[str, Any]) -> dict[str, Any]:
    """A crossing for the border page: every time on both clocks, papers, fare, the way back
    (*notes*: its papers and warnings, each said once a plan)."""
    frm = item.direction_from
    to = other_city(frm)
    indicative = item.indicative
    words = crossing_clocks(item.mode, item.report_by, item.depart, item.arrive, frm, to, _, lang)
    return {
        "mode": words.mode,
        "from": item.from_point.name,
        "to": item.to_point.name,
        "from_main": local_names(item.from_point.name, frm, lang)[0],
        "report_by": (words.report_by, words.report_by_other),
        "depart": (_at(item.depart, frm, indicative), _at(item.depart, to, indicative)),
        "arrive": (_at(item.arrive, to, indicative), _at(item.arrive, frm, indicative)),
        "indicative": indicative,
        "fare": money(item.fare.amount, item.fare.currency),
        **notes,
        "missed": _(MISSED) % {"city": city_name(to)} if item.back_by else "",
        "last_of_day": item.last_of_day,
        "stay_city": city_name(to),
    }


def _cards(doc: PlanDocument, lang: str) -> list[dict[str, Any]]:
    """A card per place (visits and meal places, each once): names in both scripts, address, QR."""
    cat = data.catalogue()
    seen: set[str] = set()
    cards = []
    for index, day in enumerate(doc.days):
        for item in day.items:
            ref = item if item.type == "visit" else item.place if item.type == "meal" else None
            if ref is None:
                continue
            pid = ref.attraction_id
            if pid in seen or pid not in cat:
                continue
            seen.add(pid)
            place = cat.get(pid)
            url = external_url("pages.attraction", attraction_id=pid)
            local = for_driver(place)
            # The address is always on the card: without one, the point (the QR links the page).
            where = place.address.strip() or f"{place.location.lat:.5f}, {place.location.lon:.5f}"
            cards.append(
                {
                    "day": index + 1,
                    "name": place.name.as_dict(),
                    "city": place.city,
                    "city_name": city_name(place.city),
                    "address": place.address,
                    "local": local,
                    "where": where,
                    "name_fit": printing.fit_step(local["name"] if local else place.name.en),
                    "address_fit": printing.fit_step(where, "address"),
                    "hours": hours_in_words(place.opening_hours, _, lang) or "",
                    "qr": Markup(printing.qr_svg(url)),
                    "url": url,
                }
            )
    return cards


def _group(doc: PlanDocument, lang: str) -> dict[str, Any] | None:
    """The group's logistics for the border page: passengers in crossing order, the meeting
    time and place before each checkpoint (both clocks named), the guides on each bank."""
    group = doc.group
    if group is None:
        return None
    meeting = group.meeting_point
    where = meeting.name.get(lang, "") if meeting.name else ""
    meetings = [
        {
            "date": c.date.isoformat(),
            "checkpoint": c.checkpoint.get(lang, ""),
            "meet": clock(c.meet_at, c.direction_from),
            "report": clock(c.report_by, c.direction_from),
        }
        for c in group.crossings
    ]
    return {
        "passengers": [p.name for p in group.passengers],
        "meeting_point": where or meeting.text,
        "meetings": meetings,
        "guides": [
            (city, g.name, g.phone)
            for city, g in group.guides.items()
            if g is not None and (g.name or g.phone)
        ],
    }


def _dates(doc: PlanDocument, lang: str) -> str:
    from babel.dates import format_date

    days = [d.date for d in doc.days]
    if not days:
        return ""
    first = format_date(days[0], format="long", locale=languages.babel_locale(lang))
    last = format_date(days[-1], format="long", locale=languages.babel_locale(lang))
    return first if first == last else f"{first} – {last}"


def print_html(plan: Plan, lang: str, for_pdf: bool = False) -> str:
    """The printed plan in *lang*: cover, a page per day with its map, cards, the border page."""
    cat = data.catalogue()
    req = plan.current.request
    with force_locale(lang):
        doc = with_texts(plan.current.document, _, lang)
        quiet = quiet_doc(doc)
        days = build_days(doc, cat, lang, quiet)
        maps = []
        for day, raw in zip(days, doc.days, strict=False):
            stops = printing.day_map_stops(raw, cat, lang)
            title = _("Day %(n)s") % {"n": day.index + 1}
            maps.append(
                Markup(
                    printing.route_svg(
                        stops, day.colour, lang, title, key=str(day.index), gettext=_
                    )
                )
            )
        crossings = [
            _border(
                item,
                lang,
                crossing_notes(item, quiet.crossing_warnings[d][k], quiet.crossing_documents[d][k]),
            )
            for d, raw in enumerate(doc.days)
            for k, item in enumerate(i for i in raw.items if i.type == "crossing")
        ]
        trip_warnings = all_warnings(doc, quiet)
        share_url = external_url("plan_pages.show_plan", plan_id=plan.id)
        return render_template(
            "print/plan.html",
            plan=plan,
            req=req,
            lang=lang,
            html_lang=languages.html_lang(lang),
            title=plan.title or _("Untitled trip"),
            notes=str(req.get("notes") or ""),
            day_notes=[str(n) for n in req.get("day_notes") or ()],
            agency=printing.agency_of(req, plan.current.itinerary),
            product=site_name(),
            dates=_dates(doc, lang),
            days=days,
            maps=maps,
            cards=_cards(doc, lang),
            crossings=crossings,
            group=_group(doc, lang),
            city_names={code: _(label) for code, label in CITY_LABELS.items()},
            emergency=printing.emergency_numbers(),
            services={k: _(v) for k, v in SERVICES.items()},
            countries={k: _(v) for k, v in COUNTRIES.items()},
            totals=doc.totals.model_dump(mode="json") if doc.totals else None,
            warnings=[w for w in trip_warnings if w["severity"] in ("red", "amber")],
            good_to_know=[w for w in trip_warnings if w["severity"] not in ("red", "amber")],
            left_groups=left_out_groups(doc, req, cat, lang),
            pace=PACE_LABELS.get(req.get("pace"), req.get("pace", "")),
            share_url=share_url,
            share_qr=Markup(printing.qr_svg(share_url)),
            for_pdf=for_pdf,
        )


@bp.get("/plans/<plan_id>/print")
def plan_print(plan_id: str) -> str:
    plan = _plan(plan_id)
    return print_html(plan, _lang(plan))


# Shown while the PDF is being made; the page asks again after RETRY_SECONDS.
RENDERING = N_("The PDF is being made. This page reloads by itself in a few seconds.")
RETRY_SECONDS = 3


NO_PDF = N_(
    "This plan has no PDF: %(problems)s. Make the plan shorter (fewer days or passengers, "
    "shorter notes), or print its print view from the browser."
)


def _no_pdf(plan: Plan, lang: str, problems: list[Any]) -> Response:
    """422: why this plan gets no PDF, in the plan's language, with a link to its print view."""
    from planner.messages import render

    with force_locale(lang):
        said = "; ".join(render(m, _, lang) for m in problems)
        body = render_template("error.html", status=422, message=_(NO_PDF, problems=said))
    response = Response(body, status=422, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/plans/<plan_id>.pdf")
def plan_pdf(plan_id: str) -> Response:
    """The cached PDF, or 202 while the job queue renders it (never rendered in the request)."""
    from flask import current_app, g

    from planner.web import jobs

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    plan = _plan(plan_id)
    lang = _lang(plan)
    base_url = jobs.public_base_url(app, request.url_root)
    rev = plan.current
    problems = printing.pdf_size_problems(rev.request, rev.document, jobs.print_caps(app))
    if problems:  # past the print caps: no PDF is queued at all
        return _no_pdf(plan, lang, problems)
    path = jobs.cached_pdf(app, plan, lang, base_url)
    if path is None:
        failed = jobs.failed_pdf(app, plan, lang, base_url)
        if failed is not None:
            return _no_pdf(plan, lang, [failed])
        g.pdf_render_queued = jobs.request_pdf(app, plan, lang, base_url)
        path = jobs.cached_pdf(app, plan, lang, base_url)  # immediate mode: made already
        failed = None if path else jobs.failed_pdf(app, plan, lang, base_url)
        if failed is not None:
            return _no_pdf(plan, lang, [failed])
    if path is None:
        with force_locale(lang):
            body = render_template(
                "print/pdf_pending.html", message=_(RENDERING), retry=RETRY_SECONDS
            )
        response = Response(body, status=202, mimetype="text/html")
        g.retry_after = str(RETRY_SECONDS)  # kept over the rate limiter's window reset
        response.headers["Cache-Control"] = "no-store"
        return response
    response = Response(path.read_bytes(), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{_file_name(plan, "pdf")}"'
    return response
