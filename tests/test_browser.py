"""Pages in a real browser (Debian's Chromium via Playwright): no console error, nothing leaves
the machine, the map draws its markers, in all three languages."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import CHROMIUM, serve

pytestmark = pytest.mark.browser

if not Path(CHROMIUM).exists():
    if os.environ.get("REQUIRE_BROWSER") == "1":
        raise RuntimeError(
            f"REQUIRE_BROWSER=1 but {CHROMIUM} is missing (apt-get install chromium)"
        )
    pytest.skip("Chromium not installed", allow_module_level=True)


@pytest.fixture(scope="module")
def server():
    from planner.web import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "browser-test", "TILE_URL": ""})
    yield from serve(app)


def visit(browser, url: str, screenshot: str | None = None):
    """Open *url*; return (page text, console errors, requests that left the machine)."""
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    errors: list[str] = []
    outside: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    def guard(route):
        host = urlparse(route.request.url).hostname
        if route.request.url.startswith("data:") or host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    page.goto(url, wait_until="networkidle")
    text = page.inner_text("body")
    markers = page.locator(
        ".leaflet-marker-icon, .marker-cluster, path.leaflet-interactive"
    ).count()
    shots = os.environ.get("SCREENSHOT_DIR")
    if shots and screenshot:
        Path(shots).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(shots) / screenshot), full_page=True)
    page.close()
    return text, errors, outside, markers


@pytest.mark.parametrize("lang", ["en", "zh", "ru"])
def test_attractions_page_draws_map_without_errors_or_outside_requests(server, browser, lang):
    text, errors, outside, markers = visit(
        browser, f"{server}/attractions?lang={lang}", f"attractions-{lang}.png"
    )
    assert not errors, errors
    assert not outside, outside
    assert markers > 0
    expected = {"en": "Places in Heihe", "zh": "黑河与布拉戈维申斯克的景点", "ru": "Места в Хэйхэ"}
    assert expected[lang] in text


@pytest.mark.parametrize("lang", ["en", "zh", "ru"])
def test_start_page_has_no_errors(server, browser, lang):
    text, errors, outside, _ = visit(browser, f"{server}/?lang={lang}", f"index-{lang}.png")
    assert not errors and not outside
    if lang != "en":
        assert "Two cities, one river" not in text


def test_attraction_detail_page_has_no_errors(server, browser):
    _, errors, outside, markers = visit(
        browser, f"{server}/attractions/triumphal-arch?lang=ru", "detail-ru.png"
    )
    assert not errors and not outside and markers > 0


@pytest.mark.parametrize("lang", ["en", "zh", "ru"])
def test_crossing_page_draws_points_without_errors(server, browser, lang):
    text, errors, outside, markers = visit(
        browser,
        f"{server}/crossing?date=2027-07-11&nationality=RU&lang={lang}",
        f"crossing-{lang}.png",
    )
    assert not errors and not outside
    assert markers > 0
    assert "Crossing the border" not in text or lang == "en"
