"""Response headers: a per-request CSP nonce for the one inline map script, no framing."""

from __future__ import annotations

import re
import secrets
from urllib.parse import urlparse

from flask import Flask, g

from planner.web import data


def csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


# A host[:port] as it may stand in a CSP source expression (no spaces, quotes or semicolons).
_HOST = re.compile(r"(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:\d{1,5})?")


def _tile_origin() -> str:
    """' scheme://host' of the configured tile server for img-src, or '' when tiles are off."""
    try:
        config = data.tiles()
    except ValueError:  # a misconfigured datum: the page itself reports it
        return ""
    if config is None:
        return ""
    url = config.url
    parsed = urlparse(url.replace("{s}", "a"))
    host = parsed.netloc
    if "{s}" in url and "." in host:
        # {s} subdomains (a., b., c.): allow the wildcard of the parent host.
        host = "*." + host.split(".", 1)[1]
    if parsed.scheme in ("http", "https") and _HOST.fullmatch(host):
        return f" {parsed.scheme}://{host}"
    return ""


def init_app(app: Flask) -> None:
    app.jinja_env.globals["csp_nonce"] = csp_nonce

    @app.after_request
    def set_headers(response):  # noqa: ANN001, ANN202
        policy = (
            "default-src 'self'; "
            f"script-src 'self' 'nonce-{csp_nonce()}'; "
            "style-src 'self' 'unsafe-inline'; "
            f"img-src 'self' data:{_tile_origin()}; "
            "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'"
        )
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response
