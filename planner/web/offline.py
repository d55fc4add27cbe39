"""The installable web app: its manifest and its service worker, served by the app itself (no
CDN). The worker lives at /sw.js so that its scope is the whole site (a plan page, its print
view, the border page and the exports); its code is static/js/sw.js."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, current_app, url_for
from flask_babel import gettext as _

from planner.web.i18n import site_name

bp = Blueprint("offline", __name__)

ICONS = (
    ("icons/icon.svg", "any", "image/svg+xml"),
    ("icons/icon-192.png", "192x192", "image/png"),
    ("icons/icon-512.png", "512x512", "image/png"),
)


@bp.get("/sw.js")
def service_worker() -> Response:
    path = Path(current_app.static_folder or "static") / "js" / "sw.js"
    response = Response(path.read_bytes(), mimetype="text/javascript")
    # A new version of the worker is picked up on the next visit, never pinned by a cache.
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.get("/manifest.webmanifest")
def manifest() -> Response:
    body = {
        "name": site_name(),
        "short_name": _("Amur trips"),
        "start_url": url_for("plan_pages.my_plans"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1f5f8b",
        "icons": [
            {"src": url_for("static", filename=path), "sizes": sizes, "type": kind}
            for path, sizes, kind in ICONS
        ],
    }
    response = current_app.json.response(body)
    response.mimetype = "application/manifest+json"
    response.headers["Cache-Control"] = "no-cache"
    return response
