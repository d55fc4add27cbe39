"""The plan as an installable web app (manifest, service worker, icons, served by the app) and
what the plan page gives the map and the phone: pins named by their place, a day's clock said once
in its heading, a border page per crossing and "Save for offline". Browser checks are in
test_offline_browser.py."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from test_print import REQUEST

from planner.web import create_app

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def planned(tmp_path_factory):
    db = tmp_path_factory.mktemp("offline") / "plans.sqlite3"
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "DATABASE_URL": f"sqlite:///{db}",
            "TILES": "none",
            "PLAN_TIME_LIMIT": 0.5,
        }
    )
    client = app.test_client()
    plan = client.post("/api/v1/plans", json={**REQUEST, "title": "Offline"}).get_json()["plan"]
    return client, plan


def test_service_worker_is_served_from_the_site_root_for_the_whole_site(planned):
    client, _ = planned
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Cache-Control"] == "no-cache"  # a new version is never pinned
    assert "caches" in response.get_data(as_text=True)


def test_manifest_names_the_app_in_the_readers_language_with_committed_icons(planned):
    client, _ = planned
    response = client.get("/manifest.webmanifest?lang=ru")
    assert response.mimetype == "application/manifest+json"
    manifest = response.get_json()
    assert manifest["display"] == "standalone" and manifest["scope"] == "/"
    assert "Амур" in manifest["name"] or "Благовещ" in manifest["name"]
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert icon["src"].startswith("/static/icons/")
        assert (ROOT / icon["src"].lstrip("/")).is_file(), icon["src"]
        with client.get(icon["src"]) as served:
            assert served.status_code == 200


def test_csp_lets_only_this_site_run_a_worker_and_stays_strict(planned):
    client, _ = planned
    csp = client.get("/").headers["Content-Security-Policy"]
    assert "worker-src 'self';" in csp and "manifest-src 'self';" in csp
    assert "unsafe-eval" not in csp
    assert re.search(r"script-src 'self' 'nonce-[^']+';", csp)
    assert "default-src 'self';" in csp and "object-src 'none'" in csp


def _visit_rows(html: str) -> list[str]:
    return re.findall(r'<li class="visit".*?</li>', html, flags=re.DOTALL)


def test_a_days_clock_is_said_once_in_its_heading_and_not_on_every_stop(planned):
    client, plan = planned
    html = client.get(f"/plans/{plan['id']}?lang=en").get_data(as_text=True)
    rows = _visit_rows(html)
    assert rows
    for row in rows:
        assert "UTC+" not in row, row
        assert re.search(r"\b\d\d:\d\d – \d\d:\d\d\b", row)
    notes = re.findall(r'<p class="day-clock">.*?</p>', html, flags=re.DOTALL)
    assert len(notes) == len(plan["days"])
    assert any("Times on the Heihe clock (UTC+8)" in n for n in notes)
    crossing = re.search(r'<li class="crossing.*?</li>', html, flags=re.DOTALL).group(0)
    assert "Heihe (UTC+8)" in crossing and "Blagoveshchensk (UTC+9)" in crossing  # both clocks


def test_the_days_clock_is_said_in_russian(planned):
    client, plan = planned
    html = client.get(f"/plans/{plan['id']}?lang=ru").get_data(as_text=True)
    assert "Время по часам города" in html and "Times on the" not in html


def test_each_pin_is_named_by_its_place_in_the_readers_language(planned):
    client, plan = planned
    first = next(i for i in plan["days"][0]["items"] if i["type"] == "visit")
    for lang in ("en", "zh"):
        html = client.get(f"/plans/{plan['id']}?lang={lang}").get_data(as_text=True)
        found = re.findall(r'visually-hidden\\"\\u003e(.*?)\\u003c', html)
        hidden = [json.loads(f'"{text}"') for text in found]  # as the browser reads the JSON
        assert f"1. {first['name'][lang]}" in hidden, hidden[:3]
        assert "stop-0-1" in html and "day-0" in html


def test_plan_page_offers_saving_for_offline_its_border_pages_and_exports(planned):
    client, plan = planned
    html = client.get(f"/plans/{plan['id']}?lang=en").get_data(as_text=True)
    assert 'rel="manifest" href="/manifest.webmanifest"' in html
    assert "Save for offline" in html and 'data-sw="/sw.js"' in html
    offline = re.findall(r'<a href="([^"]+)"[^>]*data-offline="(\w+)"', html)
    offline += [(h, k) for k, h in re.findall(r'data-offline="(\w+)" href="([^"]+)"', html)]
    targets = {h.replace("&amp;", "&") for h, _ in offline}
    assert f"/plans/{plan['id']}/print" in targets
    assert {f"/plans/{plan['id']}.{ext}" for ext in ("gpx", "ics", "kml", "geojson")} <= targets
    borders = [t for t in targets if t.startswith("/crossing?")]
    crossings = [i for d in plan["days"] for i in d["items"] if i["type"] == "crossing"]
    assert len(borders) == len({(c["direction_from"], c["depart"][:10]) for c in crossings}) > 0
    for url in borders:
        page = client.get(url)
        assert page.status_code == 200 and "nationality=CN" in url


def test_a_pin_name_is_inert_html_js_and_jinja():
    from planner.itinerary_map import _pin

    hostile = "<script>alert(1)</script> `${x}` {{7*7}} {% if 1 %}"
    html = _pin("1", "#1f5f8b", "stop-marker", f"1. {hostile}").options["html"]
    assert "<script>" not in html and "${" not in html and "{{" not in html and "{%" not in html
    assert "&lt;script&gt;" in html
