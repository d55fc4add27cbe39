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
# name -> config key holding its limit (a Flask-Limiter string such as "10 per minute").
LIMITED_ENDPOINTS = {
    "plans_api.create_plan": "RATELIMIT_PLAN_CREATE",
    "plan_pages.create_plan": "RATELIMIT_PLAN_CREATE",
    "plan_outputs.plan_pdf": "RATELIMIT_PDF",  # GET and HEAD alike
    "api.geocode": "RATELIMIT_GEOCODE",
}
# Batch uploads (the agency blueprint) are found by name, so a new upload route is covered too.
_BATCH = re.compile(r"(batch|upload|import)", re.IGNORECASE)


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


def _apply_limits(app: Flask) -> None:
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    # Off under TESTING unless a test turns it on (RATELIMIT_ENABLED=True in its config).
    app.config.setdefault("RATELIMIT_ENABLED", not app.testing)
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    app.config.setdefault("RATELIMIT_PLAN_CREATE", "10 per minute; 100 per hour")
    app.config.setdefault("RATELIMIT_BATCH_UPLOAD", "5 per minute; 30 per hour")
    app.config.setdefault("RATELIMIT_PDF", "10 per minute; 60 per hour")
    app.config.setdefault("RATELIMIT_GEOCODE", "20 per minute; 200 per hour")
    limiter = Limiter(key_func=get_remote_address, app=app)
    app.extensions["planner_limiter"] = limiter  # its decorators hold it only weakly
    for endpoint, view in list(app.view_functions.items()):
        key = LIMITED_ENDPOINTS.get(endpoint)
        if key is None and _BATCH.search(endpoint) and endpoint != "static":
            key = "RATELIMIT_BATCH_UPLOAD"
        if key is None:
            continue
        app.view_functions[endpoint] = limiter.limit(app.config[key])(view)


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
        if "Location" in headers:
            headers["Location"] = safe_location(headers["Location"])
        return response


def init_limits(app: Flask) -> None:
    """Rate limits; call after the blueprints are registered (it wraps their views)."""
    _apply_limits(app)
