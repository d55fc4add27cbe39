"""Response headers: a per-request CSP nonce for the one inline map script, no framing."""

from __future__ import annotations

import secrets
from urllib.parse import urlparse

from flask import Flask, current_app, g


def csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def _tile_origin() -> str:
    url = current_app.config.get("TILE_URL") or ""
    parsed = urlparse(url.replace("{s}", "a"))
    if parsed.scheme in ("http", "https") and parsed.netloc:
        # {s} subdomains: allow the wildcard of the parent host.
        host = parsed.netloc
        if "{s}" in url:
            host = "*." + host.split(".", 1)[1]
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
