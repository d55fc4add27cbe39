"""Every API route is documented in docs/api.md, with each of its methods (Datasette's habit)."""

from __future__ import annotations

import re
from pathlib import Path

DOC = (Path(__file__).resolve().parent.parent / "docs" / "api.md").read_text(encoding="utf-8")


def test_every_api_route_is_documented(app):
    missing = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        # <attraction_id>, <plan_id> -> <id>; <int:number> -> <n>
        path = re.sub(r"<int:\w+>", "<n>", rule.rule)
        path = re.sub(r"<(\w+_)?id>", "<id>", path)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            if f"`{method} {path}`" not in DOC:
                missing.append(f"{method} {path}")
    assert not missing, f"document these routes in docs/api.md: {missing}"
