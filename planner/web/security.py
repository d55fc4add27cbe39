"""Response headers (a per-request CSP nonce for the one inline map script, no framing, HSTS when
served over https), redirects that never point at another host, and rate limits on the writes
that cost a solver run."""

from __future__ import annotations

import re
import secrets
from urllib.parse import urlsplit, urlunsplit

from flask import Flask, Response, current_app, g, request
from flask.sessions import SecureCookieSessionInterface
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from planner import settings
from planner.web import data


def csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


# A host[:port] as it may stand in a CSP source expression (no spaces, quotes or semicolons).
_HOST = re.compile(r"(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:\d{1,5})?")

PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)

# Endpoints whose every call runs the planner (or reads a batch of requests), renders a PDF or
# asks the geocoding service (shared, 1 request/s): limited per client.
# name -> config key holding its limit (a Flask-Limiter string such as "10 per minute"). Endpoints
# with the same key share one bucket (the form and the API draw on the same plan-creation count).
LIMITED_ENDPOINTS = {
    "plans_api.create_plan": "RATELIMIT_PLAN_CREATE",
    "plan_pages.create_plan": "RATELIMIT_PLAN_CREATE",
    "plan_outputs.plan_pdf": "RATELIMIT_PDF",  # GET and HEAD alike
    "api.geocode": "RATELIMIT_GEOCODE",
    "agency.batch_upload": "RATELIMIT_BATCH_UPLOAD",
    # Each edit or restore runs the solver and stores a revision: one bucket for them all.
    "plans_api.edit_plan": "RATELIMIT_PLAN_EDIT",
    "plans_api.restore": "RATELIMIT_PLAN_EDIT",
    "plan_pages.edit_plan": "RATELIMIT_PLAN_EDIT",
    "plan_pages.restore_plan": "RATELIMIT_PLAN_EDIT",
    # Read by the progress page once a second: its own, generous bucket, never the upload's.
    "agency_api.batch_status": "RATELIMIT_BATCH_STATUS",
    "agency.login": "RATELIMIT_ADMIN_LOGIN",
}
# Every call that runs the planner also spends from the plan-creation bucket, so that creating,
# editing, restoring and batch rows (planner/web/jobs.py: spend_plan_creations) share one count
# of solves per client: edits cannot be used to dodge the creation limit.
ALSO_SPENDS = {
    endpoint: "RATELIMIT_PLAN_CREATE"
    for endpoint, key in LIMITED_ENDPOINTS.items()
    if key == "RATELIMIT_PLAN_EDIT"
}
# Wrong admin tokens only (a 403): past this many a client is locked out, whatever it types.
LOCKOUT = {"agency.login": "RATELIMIT_ADMIN_LOCKOUT"}
# A new upload or import route (POST) is found by name and gets the upload limit; reading a
# batch's page, status or zip is not an upload.
_UPLOAD = re.compile(r"(upload|import)", re.IGNORECASE)

# Setting -> default (planner/settings.py); each is checked at start-up (a typo stops the app).
LIMIT_DEFAULTS = settings.LIMIT_DEFAULTS


def _tile_origin() -> str:
    """' scheme://host' of the configured tile server for img-src, or '' when tiles are off."""
    try:
        config = data.tiles()
    except ValueError:  # a misconfigured datum: the page itself reports it
        return ""
    if config is None:
        return ""
    url = config.url
    parsed = urlsplit(url.replace("{s}", "a"))
    host = parsed.netloc
    if "{s}" in url and "." in host:
        # {s} subdomains (a., b., c.): allow the wildcard of the parent host.
        host = "*." + host.split(".", 1)[1]
    if parsed.scheme in ("http", "https") and _HOST.fullmatch(host):
        return f" {parsed.scheme}://{host}"
    return ""


def _flag(value: object) -> bool:
    """A setting read as on/off: True, 1, 'on', 'true', 'yes' (any case) are on."""
    return str(value).strip().lower() in ("1", "true", "on", "yes", "always")


def secure_cookies() -> bool:
    """Cookies get the Secure flag on https requests, and always with PLANNER_SECURE_COOKIES=on
    (a site served only over https, behind a proxy that does not say so)."""
    return bool(current_app.config.get("SESSION_COOKIE_SECURE")) or request.is_secure


class _SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, Secure on https requests too (not only when configured)."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return secure_cookies()


def _hsts_wanted(app: Flask) -> bool:
    """HSTS only on https ('auto', the default), always ('on') or never ('off')."""
    setting = str(app.config.get("HSTS", "auto")).strip().lower()
    if setting in ("on", "true", "1", "always"):
        return True
    if setting in ("off", "false", "0", "never", "none"):
        return False
    return request.is_secure


def external_url(endpoint: str, **values: object) -> str:
    """An absolute URL for share links, QR codes and files: on PLANNER_PUBLIC_URL when set,
    else on the request's host (one of TRUSTED_HOSTS: Flask refuses any other)."""
    from flask import url_for

    base = str(current_app.config.get("PUBLIC_URL") or "")
    if base:
        return base.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def safe_location(location: str) -> str:
    """A redirect target on this site as a path: never another host, never `//host` (which a
    browser reads as another host), whatever Host header the request came with."""
    parts = urlsplit(location)
    path = parts.path
    off_site = parts.netloc != request.host or parts.scheme not in ("http", "https")
    if (parts.scheme or parts.netloc) and off_site:
        return "/"
    # '//x', '/\\x' and '\\x' all lead off-site in a browser: keep exactly one leading slash.
    path = "/" + path.lstrip("/\\") if path.startswith(("/", "\\")) else path
    return urlunsplit(("", "", path or "/", parts.query, parts.fragment))


def _refused(response: Response) -> bool:
    return response.status_code == 403


def _render_queued(_response: Response) -> bool:
    return bool(g.get("pdf_render_queued"))


def _solver_reached(_response: Response) -> bool:
    """A request told the solver is busy (503, planner/web/solving.py) made no plan: it costs
    the client nothing, or a client obeying Retry-After would run out of plans by waiting."""
    return not g.get("solver_busy")


SOLVES = ("RATELIMIT_PLAN_CREATE", "RATELIMIT_PLAN_EDIT")


def _check_limits(app: Flask) -> None:
    """Refuse at start-up, by name, a limit that Flask-Limiter cannot read."""
    from limits import parse_many

    for key in LIMIT_DEFAULTS:
        value = app.config[key]
        try:
            if not isinstance(value, str) or not parse_many(value):
                raise ValueError(value)
        except ValueError:
            raise RuntimeError(
                f"PLANNER_{key} must be a rate limit such as '10 per minute; 100 per hour', "
                f"not {value!r}"
            ) from None


def _apply_limits(app: Flask) -> None:
    app.config.setdefault(
        "RATELIMIT_STORAGE_URI", settings.BY_NAME["PLANNER_RATELIMIT_STORAGE_URI"].default
    )
    # Off under TESTING unless a test turns it on (RATELIMIT_ENABLED=True in its config).
    app.config.setdefault("RATELIMIT_ENABLED", not app.testing)
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    for key, default in LIMIT_DEFAULTS.items():
        app.config.setdefault(key, default)
    _check_limits(app)
    limiter = Limiter(key_func=get_remote_address, app=app)
    app.extensions["planner_limiter"] = limiter  # its decorators hold it only weakly
    for endpoint, view in list(app.view_functions.items()):
        key = LIMITED_ENDPOINTS.get(endpoint)
        if key is None and _UPLOAD.search(endpoint) and endpoint != "static":
            key = "RATELIMIT_BATCH_UPLOAD"
        if key is None:
            continue
        # One bucket per setting, whichever endpoint spends from it. A PDF costs only when a
        # render is queued: the cached file (or a poll while it is made) is a cheap read.
        deduct = {"RATELIMIT_PDF": _render_queued, **dict.fromkeys(SOLVES, _solver_reached)}
        decorator = limiter.shared_limit(
            app.config[key], scope=key.lower(), deduct_when=deduct.get(key)
        )
        view = decorator(view)
        also = ALSO_SPENDS.get(endpoint)
        if also is not None:
            view = limiter.shared_limit(
                app.config[also], scope=also.lower(), deduct_when=_solver_reached
            )(view)
        if endpoint in LOCKOUT:
            lockout = LOCKOUT[endpoint]
            view = limiter.shared_limit(
                app.config[lockout], scope=lockout.lower(), deduct_when=_refused
            )(view)
        app.view_functions[endpoint] = view


def spend_plan_creations(count: int) -> int | None:
    """Take *count* plan creations from this client's plan-creation bucket (the one the form
    and the API spend from): None when they fit, else the seconds to wait. A batch upload
    spends one per row, so a batch cannot plan more than the form or the API would."""
    from limits import parse_many

    limiter = current_app.extensions.get("planner_limiter")
    if limiter is None or not limiter.enabled or count <= 0:
        return None
    key = "RATELIMIT_PLAN_CREATE"
    args = [get_remote_address(), key.lower()]  # Flask-Limiter's key of the shared bucket
    items = parse_many(current_app.config[key])
    strategy = limiter.limiter
    for item in items:
        if count > item.amount or not strategy.test(item, *args, cost=count):
            reset = strategy.get_window_stats(item, *args).reset_time
            import time

            return max(1, int(reset - time.time()) + 1)
    for item in items:
        strategy.hit(item, *args, cost=count)
    return None


def init_app(app: Flask) -> None:
    """Headers and redirect guard; call before the blueprints are registered."""
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    # Cookies: never sent on another site's POST; Secure over https (PLANNER_SECURE_COOKIES=on:
    # always, for a site that is only served over https).
    app.config["SESSION_COOKIE_SAMESITE"] = app.config.get("SESSION_COOKIE_SAMESITE") or "Lax"
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    if _flag(app.config.get("SECURE_COOKIES", False)):
        app.config["SESSION_COOKIE_SECURE"] = True
    app.session_interface = _SessionInterface()
    # '//evil.example/x' must not be merged into '/evil.example/x' and redirected on the
    # request's own Host: an unmatched path is a 404.
    app.url_map.merge_slashes = False

    @app.after_request
    def set_headers(response: Response) -> Response:
        policy = (
            "default-src 'self'; "
            f"script-src 'self' 'nonce-{csp_nonce()}'; "
            "style-src 'self' 'unsafe-inline'; "
            f"img-src 'self' data:{_tile_origin()}; "
            "font-src 'self'; connect-src 'self'; worker-src 'self'; manifest-src 'self'; "
            "frame-ancestors 'none'; base-uri 'self'; "
            "form-action 'self'; object-src 'none'"
        )
        headers = response.headers
        headers.setdefault("Content-Security-Policy", policy)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if _hsts_wanted(app):
            max_age = int(app.config.get("HSTS_MAX_AGE", 31536000))
            headers.setdefault("Strict-Transport-Security", f"max-age={max_age}")
        if g.get("retry_after"):  # a view's own answer (a PDF being made: ask again soon)
            headers["Retry-After"] = g.retry_after
        if "Location" in headers:
            headers["Location"] = safe_location(headers["Location"])
        return response


def init_limits(app: Flask) -> None:
    """Rate limits; call after the blueprints are registered (it wraps their views)."""
    _apply_limits(app)
