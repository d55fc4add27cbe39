"""Agency pages: crossing notices (admin), batch planning (CSV upload), and the plan page's
group logistics. A thin adapter over planner/agency.py and planner/batch.py.

The admin pages are open only with PLANNER_ADMIN_TOKEN set: the token is typed once, compared
in constant time, and the session keeps its SHA-256 (changing the setting signs everyone out).
Batch jobs run on the job queue (planner/web/jobs.py), in a consumer process, not in the web
worker; their status is a JSON endpoint that a small static script polls, and the result is a
zip to download.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import date, datetime, timedelta
from typing import Any

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from planner.agency import NOTICE_EFFECTS, NOTICE_LANGS, check_notice, notice_scopes, trip_dates
from planner.batch import MAX_ROWS, BatchFileInvalid, count_rows
from planner.catalogue import Catalogue
from planner.crossing import load_crossing_data
from planner.messages import MODE_LABELS, N_, city_word, mode_word
from planner.plan_document import PlanDocument
from planner.request_spec import FIELD_MESSAGES, FieldError
from planner.store_schema import UnknownPlan
from planner.textsafe import user_text
from planner.timeutil import CITIES, city_zone
from planner.web import jobs
from planner.web.i18n import current_lang
from planner.web.plan_store import store
from planner.web.security import spend_plan_creations

bp = Blueprint("agency", __name__)
api = Blueprint("agency_api", __name__, url_prefix="/api/v1")

ADMIN_KEY = "agency_admin"
ADMIN_NONCE = "agency_admin_nonce"  # names a stored session: logout deletes it
ADMIN_SESSION = timedelta(hours=12)  # a sign-in lasts this long at most
MIN_ADMIN_TOKEN = 16  # characters; create_app refuses a shorter PLANNER_ADMIN_TOKEN
DISABLED = N_(
    "The agency administration is disabled: set PLANNER_ADMIN_TOKEN in the server's "
    "environment to enable it."
)
BATCH_OVER_LIMIT = N_(
    "Each row of a batch counts as one new plan, and %(rows)s more plans would exceed this "
    "client's limit. Try again in about %(minutes)s minute(s), or split the file."
)
EFFECT_LABELS = {"info": N_("shown only"), "suspended": N_("suspended: no departures")}


# --------------------------------------------------------------------------- admin token


def _configured() -> str | None:
    token = current_app.config.get("ADMIN_TOKEN")
    return str(token) if token else None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def is_admin() -> bool:
    """The session carries the digest of the configured token and a nonce still stored (not
    logged out, not expired): a cookie copied before logout opens nothing."""
    configured = _configured()
    if configured is None:
        return False
    if not hmac.compare_digest(session.get(ADMIN_KEY, ""), _digest(configured)):
        return False
    if "agency_admin_ok" not in g:
        nonce = str(session.get(ADMIN_NONCE, ""))
        g.agency_admin_ok = store().agency.admin_session_open(nonce, ADMIN_SESSION)
    return bool(g.agency_admin_ok)


def admin_page_or_none():
    """None for the admin; else the page that says the administration is off, or the sign-in."""
    if _configured() is None:
        return render_template("agency/disabled.html", message=_(DISABLED)), 404
    if not is_admin():
        return render_template("agency/login.html"), 401
    return None


@bp.post("/agency/login")
def login():
    configured = _configured()
    if configured is None:
        return render_template("agency/disabled.html", message=_(DISABLED)), 404
    typed = request.form.get("token", "")
    if not hmac.compare_digest(typed.encode("utf-8"), configured.encode("utf-8")):
        flash(_("That is not the admin token."), "error")
        return render_template("agency/login.html"), 403
    session[ADMIN_KEY] = _digest(configured)
    session[ADMIN_NONCE] = store().agency.open_admin_session(ADMIN_SESSION)
    return redirect(_next_admin_page())


def _next_admin_page() -> str:
    """Back to the admin page that asked for the token (only an /agency/ path of this site)."""
    wanted = request.form.get("next", "")
    if wanted.startswith("/agency/") and "//" not in wanted and "\\" not in wanted:
        return wanted
    return url_for("agency.notices")


@bp.post("/agency/logout")
def logout():
    nonce = session.pop(ADMIN_NONCE, None)
    if nonce:
        store().agency.close_admin_session(str(nonce))  # revoked for every copy of the cookie
    session.pop(ADMIN_KEY, None)
    return redirect(url_for("agency.notices"))


# --------------------------------------------------------------------------- notices


def _scope_label(scope: str) -> str:
    if scope == "all":
        return _("all crossings")
    if scope in MODE_LABELS or scope in dict(load_crossing_data().modes.items()):
        return mode_word(scope, _, current_lang())
    point = data_points().get(scope)
    return point.name.get(current_lang()) if point else scope


def data_points() -> dict[str, Any]:
    return {point.id: point for point in load_crossing_data().points}


def _notice_page(values: dict[str, Any], errors: dict[str, list[str]], status: int = 200):
    return (
        render_template(
            "agency/notices.html",
            notices=store().agency.notices(),
            values=values,
            errors=errors,
            scopes=[(s, _scope_label(s)) for s in notice_scopes()],
            effects=[(e, _(EFFECT_LABELS[e])) for e in NOTICE_EFFECTS],
            effect_labels={e: _(label) for e, label in EFFECT_LABELS.items()},
            scope_label=_scope_label,
            langs=NOTICE_LANGS,
        ),
        status,
    )


@bp.get("/agency/notices")
def notices():
    refused = admin_page_or_none()
    if refused is not None:
        return refused
    today = datetime.now(city_zone(CITIES[0])).date().isoformat()
    return _notice_page({"start": today, "end": today, "scope": "all", "effect": "info"}, {})


@bp.post("/agency/notices")
def publish_notice():
    refused = admin_page_or_none()
    if refused is not None:
        return refused
    form = request.form
    values = {key: form.get(key, "") for key in form}
    errors: dict[str, list[str]] = {}
    days: dict[str, date] = {}
    for name in ("start", "end"):  # each date field marked by itself
        try:
            days[name] = date.fromisoformat(form.get(name, "").strip())
        except ValueError:
            errors[name] = [_(FIELD_MESSAGES["not_date"])]
    if errors:
        return _notice_page(values, errors, 400)
    start, end = days["start"], days["end"]
    text = {lang: user_text(form.get(f"text_{lang}", "")).strip() for lang in NOTICE_LANGS}
    scope, effect = form.get("scope", ""), form.get("effect", "")
    for where, code in check_notice(start, end, scope, effect, text):
        params: dict[str, Any] = {}
        if where == "effect":  # the choices as the form words them, not as codes
            params = {"allowed": " / ".join(_(EFFECT_LABELS[e]) for e in NOTICE_EFFECTS)}
        if where == "scope":
            params = {"allowed": " / ".join(_scope_label(s) for s in notice_scopes())}
        if code == "too_long":
            params = {"max": 500}
        errors.setdefault(where, []).append(FieldError(where, code, params).text(_))
    if errors:
        return _notice_page(values, errors, 400)
    author = user_text(form.get("author", "")).strip()[:100]
    store().agency.add_notice(start, end, scope, effect, text, author)
    flash(_("The notice is published."), "ok")
    return redirect(url_for("agency.notices"))


@bp.post("/agency/notices/<int:notice_id>/delete")
def delete_notice(notice_id: int):
    refused = admin_page_or_none()
    if refused is not None:
        return refused
    if not store().agency.delete_notice(notice_id):
        abort(404)
    flash(_("The notice is withdrawn."), "ok")
    return redirect(url_for("agency.notices"))


@api.get("/notices")
def notices_json():
    """Published notices, optionally those overlapping ?from=YYYY-MM-DD&to=YYYY-MM-DD."""
    try:
        first = date.fromisoformat(request.args["from"]) if "from" in request.args else None
        last = date.fromisoformat(request.args["to"]) if "to" in request.args else None
    except ValueError:
        from planner.web.errors import ApiError

        raise ApiError(_("from and to are dates: YYYY-MM-DD")) from None
    if (first is None) != (last is None):
        first, last = first or date.min, last or date.max
    found = store().agency.notices(first, last)
    return jsonify({"ok": True, "notices": [n.as_json() for n in found]})


# --------------------------------------------------------------------------- plan page block


def _clock(moment: datetime, city: str) -> str:
    from planner.timeutil import city_zone

    local = moment.astimezone(city_zone(city))
    return f"{local:%d.%m %H:%M} {city_word(city, _, current_lang())}"


def agency_view(doc: PlanDocument, req: dict[str, Any]) -> dict[str, Any]:
    """What the plan page shows for agencies: branding, group logistics, live notices."""
    lang = current_lang()
    group = doc.group
    meetings = []
    if group:
        point = group.meeting_point
        where = point.name.get(lang) if point.name else point.text
        for m in group.crossings:
            meetings.append(
                {
                    "date": m.date.isoformat(),
                    "mode": mode_word(m.mode, _, lang),
                    "checkpoint": m.checkpoint.get(lang, ""),
                    "meet_at": _clock(m.meet_at, m.direction_from),
                    "report_by": _clock(m.report_by, m.direction_from),
                    "where": where,
                    "guide": m.guide_before,
                    "guide_after": m.guide_after,
                }
            )
    notices = []
    try:
        arrive, depart = (
            datetime.fromisoformat(req["arrive"]),
            datetime.fromisoformat(req["depart"]),
        )
        found = store().agency.notices(*trip_dates(arrive, depart))
    except (KeyError, ValueError):
        found = []
    for n in found:
        notices.append(
            {
                "effect": n.effect,
                "dates": f"{n.start.isoformat()} – {n.end.isoformat()}",
                "scope": _scope_label(n.scope),
                "text": n.text_in(lang),
                "lang": lang
                if n.text.get(lang)
                else next(k for k in NOTICE_LANGS if n.text.get(k)),
            }
        )
    return {
        "agency": doc.agency or req.get("agency"),
        "group": group,
        "meetings": meetings,
        "guides": [
            (city_word(c, _, current_lang()), group.guides.get(c) if group else None)
            for c in CITIES
        ],
        "notices": notices,
        "effect_labels": {e: _(label) for e, label in EFFECT_LABELS.items()},
    }


# --------------------------------------------------------------------------- the plan form


def _logo_from_upload(errors: list[FieldError]) -> str | None:
    upload = request.files.get("agency_logo")
    if upload is None or not upload.filename:
        return None
    raw = upload.read(64 * 1024 + 1)
    kind = "image/png" if raw.startswith(b"\x89PNG") else "image/svg+xml"
    return f"data:{kind};base64,{base64.b64encode(raw).decode('ascii')}"


def agency_fields(form: MultiDict, cat: Catalogue, errors: list[FieldError]) -> dict[str, Any]:
    """The request's `agency` and `group` from the plan form's "For agencies" fieldset."""
    out: dict[str, Any] = {}
    name, contact = form.get("agency_name", "").strip(), form.get("agency_contact", "").strip()
    logo = _logo_from_upload(errors)
    if name or contact or logo:
        out["agency"] = {"name": name, "contact": contact, "logo": logo}
    passengers = []
    for line in form.get("passengers", "").splitlines():
        person, _bar, document = line.partition("|")
        if person.strip():
            entry: dict[str, Any] = {"name": person.strip()}
            if document.strip():
                entry["document_no"] = document.strip()
            passengers.append(entry)
    meeting = form.get("meeting_place", "") or form.get("meeting_point", "").strip()
    guides = {}
    for city in CITIES:
        g_name = form.get(f"guide_{city}_name", "").strip()
        g_phone = form.get(f"guide_{city}_phone", "").strip()
        if g_name or g_phone:
            guides[city] = {"name": g_name, "phone": g_phone}
    if passengers or meeting or guides:
        minutes_text = form.get("meeting_minutes_before", "").strip() or "15"
        try:
            minutes = int(minutes_text)
        except ValueError:
            errors.append(FieldError("group.meeting_minutes_before", "not_whole"))
            minutes = 15
        out["group"] = {
            "passengers": passengers,
            "meeting_point": meeting,
            "meeting_minutes_before": minutes,
            "guides": guides,
        }
    return out


# --------------------------------------------------------------------------- batch


@bp.get("/agency/batch")
def batch_form():
    return render_template("agency/batch.html", max_rows=MAX_ROWS, problem="")


@bp.post("/agency/batch")
def batch_upload():
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        problem = _("Choose a CSV file.")
        return render_template("agency/batch.html", max_rows=MAX_ROWS, problem=problem), 400
    try:
        text = upload.read().decode("utf-8")
        total = count_rows(text)
    except UnicodeDecodeError:
        problem = _("The file is not UTF-8 text.")
        return render_template("agency/batch.html", max_rows=MAX_ROWS, problem=problem), 400
    except BatchFileInvalid as exc:
        problem = _("The file cannot be read: %(reason)s") % {"reason": exc.text(_)}
        return render_template("agency/batch.html", max_rows=MAX_ROWS, problem=problem), 400
    wait = spend_plan_creations(total)
    if wait is not None:
        problem = _(BATCH_OVER_LIMIT) % {"rows": total, "minutes": max(1, round(wait / 60))}
        page = render_template("agency/batch.html", max_rows=MAX_ROWS, problem=problem)
        return page, 429, {"Retry-After": str(wait)}
    keep = timedelta(days=float(current_app.config["BATCH_KEEP_DAYS"]))
    store().agency.purge_jobs(keep)  # old jobs go as new ones come: no scheduler needed
    job_id = store().agency.create_job(total, text, current_lang(), request.url_root)
    jobs.enqueue_batch(job_id)  # a consumer plans it (under TESTING: before this returns)
    return redirect(url_for("agency.batch_job", job_id=job_id))


def _job_or_404(job_id: str):
    try:
        return store().agency.job(job_id)
    except UnknownPlan:
        abort(404)


@bp.get("/agency/batch/<job_id>")
def batch_job(job_id: str):
    return render_template("agency/batch_job.html", job=_job_or_404(job_id))


@api.get("/batch/<job_id>")
def batch_status(job_id: str):
    job = _job_or_404(job_id)
    return jsonify(
        {
            "ok": True,
            "job": {
                "id": job.id,
                "status": job.status,
                "total": job.total,
                "done": job.done,
                "failed": job.failed,
                "rows": [
                    {k: v for k, v in row.items() if k != "sealed_token"} for row in job.report
                ],
                "message": job.message,
                "download": (
                    url_for("agency.batch_download", job_id=job.id) if job.has_archive else None
                ),
            },
        }
    )


@bp.get("/agency/batch/<job_id>/download")
def batch_download(job_id: str):
    archive = store().agency.job_archive(job_id)
    if archive is None:
        abort(404)
    return Response(
        archive,
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="plans-{job_id[:8]}.zip"'},
    )


def init_app(app: Flask) -> None:
    """Register the pages and the API; the plan page's block reads `agency_view`."""
    app.register_blueprint(bp)
    app.register_blueprint(api)
    app.jinja_env.globals["agency_view"] = agency_view
    app.jinja_env.globals["is_agency_admin"] = is_agency_admin_safe


def is_agency_admin_safe() -> bool:
    try:
        return is_admin()
    except RuntimeError:
        return False
