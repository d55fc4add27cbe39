"""Positions from the field in a real browser (Debian's Chromium via Playwright): the admin signs
in, opens the least certain place, takes the phone's location (a fake geolocation) or clicks the
map, saves, and the review file holds the point; no console error, nothing leaves the machine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CHROMIUM, serve
from test_plan_browser import guarded

pytestmark = pytest.mark.browser

if not Path(CHROMIUM).exists():  # pragma: no cover - test_browser.py decides for CI
    pytest.skip("Chromium not installed", allow_module_level=True)

WORST = "gunawen-rime"  # ±75 km: first on the list
HERE = {"latitude": 48.95123, "longitude": 128.41234, "accuracy": 14.2}


@pytest.fixture(scope="module")
def reviews(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("field") / "field-reviews.jsonl"


@pytest.fixture(scope="module")
def server(tmp_path_factory, reviews):
    from planner.web import create_app

    db = tmp_path_factory.mktemp("db") / "field.sqlite3"
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "browser-test",
            "TILE_URL": "",
            "DATABASE_URL": f"sqlite:///{db}",
            "ADMIN_TOKEN": "s3cret-admin-token-2026",
            "FIELD_REVIEWS_PATH": str(reviews),
        }
    )
    yield from serve(app)


def _signed_in_page(browser, server: str, **context_options):
    """A page signed in as the admin, on the positions list; its console errors and the requests
    that tried to leave the machine are recorded from then on."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, **context_options)
    page, errors, outside = guarded(context)
    page.goto(f"{server}/agency/positions?lang=en")  # the sign-in form (a 401 page)
    page.fill("input[name=token]", "s3cret-admin-token-2026")
    with page.expect_navigation():
        page.click("button[type=submit]")
    errors.clear()  # the 401 of the sign-in page is logged by Chromium; it is expected
    page.wait_for_load_state("networkidle")
    return context, page, errors, outside


def test_curator_saves_the_phones_location_for_the_worst_place(server, browser, reviews):
    context, page, errors, outside = _signed_in_page(
        browser, server, geolocation=HERE, permissions=["geolocation"]
    )
    first = page.locator("tr.field-place").first
    assert first.get_attribute("data-place") == WORST
    with page.expect_navigation():
        first.locator("a").click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".folium-map .leaflet-pane").count() > 0  # the map is drawn
    page.click("#field-locate")
    page.wait_for_function("document.getElementById('field-lat').value !== ''")
    assert page.input_value("#field-lat") == "48.951230"
    assert page.input_value("#field-method") == "geolocation"
    assert page.input_value("#field-accuracy") == "15"
    assert "±15" in page.inner_text("#field-status")
    page.fill("input[name=agency]", "Heihe River Tours")
    page.fill("textarea[name=note]", "standing at the village gate")
    with page.expect_navigation():
        page.click("#field-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "saved for review" in page.inner_text(".flash")
    lines = reviews.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    saved = json.loads(lines[0])
    assert saved["place_id"] == WORST and saved["status"] == "pending"
    assert (saved["lat"], saved["lon"], saved["accuracy_m"]) == (48.95123, 128.41234, 15)
    assert (saved["method"], saved["agency"]) == ("geolocation", "Heihe River Tours")
    assert saved["note"] == "standing at the village gate"
    assert not errors, errors
    assert not outside, outside
    context.close()


def test_a_click_on_the_map_fills_the_point_with_the_assumed_accuracy(server, browser):
    context, page, errors, outside = _signed_in_page(browser, server)
    page.goto(f"{server}/agency/positions/{WORST}?lang=ru")
    page.wait_for_load_state("networkidle")
    box = page.locator(".folium-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2 + 40, box["y"] + box["height"] / 2 + 30)
    page.wait_for_function("document.getElementById('field-lat').value !== ''")
    assert page.input_value("#field-method") == "map"
    assert page.input_value("#field-accuracy") == ""  # the server counts it as ±50 m
    lat, lon = float(page.input_value("#field-lat")), float(page.input_value("#field-lon"))
    assert 48.0 < lat < 50.0 and 127.5 < lon < 129.5  # near the place's current point
    assert "±50" in page.inner_text("#field-status") and "Точка" in page.inner_text("#field-status")
    assert not errors, errors
    assert not outside, outside
    context.close()
