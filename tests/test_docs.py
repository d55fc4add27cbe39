"""Every API route is documented in docs/api.md (Datasette's habit)."""

from __future__ import annotations

from pathlib import Path

DOC = (Path(__file__).resolve().parent.parent / "docs" / "api.md").read_text(encoding="utf-8")


def test_every_api_route_is_documented(app):
    routes = {
        rule.rule.replace("<attraction_id>", "<id>")
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
    }
    missing = [r for r in routes if f"`GET {r}`" not in DOC]
    assert not missing, f"document these routes in docs/api.md: {missing}"
