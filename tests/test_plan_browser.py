"""A plan made in a real browser (Chromium via Playwright): fill the form, see the map, remove a
stop and re-plan, switch language, reload the share link; no console error, nothing leaves the
machine; and the pages fit a 390 px phone without sideways scrolling."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import CHROMIUM, serve

pytestmark = pytest.mark.browser

if not Path(CHROMIUM).exists():  # pragma: no cover - test_browser.py decides for CI
    pytest.skip("Chromium not installed", allow_module_level=True)


class FakeGeocoder:
    """Two hotels in Blagoveshchensk and one far away (filtered out); never the network."""

    def search(self, query, language="en"):
        from planner.geocoding import Found

        return [
            Found("Гостиница Азия, Зейская улица, Благовещенск", 50.2612, 127.5341),
            Found("Гостиница Юбилейная, улица Ленина, Благовещенск", 50.2571, 127.5381),
            Found("Гостиница Азия, Москва", 55.7558, 37.6173),
        ]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from planner.web import create_app

    db = tmp_path_factory.mktemp("db") / "browser.sqlite3"
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "browser-test",
            "TILE_URL": "",
            "DATABASE_URL": f"sqlite:///{db}",
            "PLAN_TIME_LIMIT": 60,
            "GEOCODER": FakeGeocoder(),
        }
    )
    yield from serve(app)


def guarded(context):
    """A page that records console errors and aborts every request off this machine."""
    page = context.new_page()
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
    return page, errors, outside


def shot(page, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), full_page=True)


def make_plan(page, server: str, title: str = "Browser trip") -> None:
    page.goto(f"{server}/plan?lang=en", wait_until="load")
    page.fill("input[name=arrive_date]", "2027-07-10")
    page.fill("input[name=depart_date]", "2027-07-12")
    page.select_option("select[name=nationality]", "RU")
    page.check("input[name=visas][value=CN]")  # Russians need one since 2026-09-14
    page.fill("#place-filter", "Триумфальная")
    page.locator("tr:not([hidden]) input[name=must_see]").first.check()
    page.fill("input[name=title]", title)
    page.click("button.primary")
    page.wait_for_url("**/plans/*", wait_until="networkidle")


def test_make_edit_translate_and_share_a_plan(server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page, errors, outside = guarded(context)
    make_plan(page, server)
    stops = page.locator(".timeline li.visit").count()
    assert stops > 0
    assert page.locator(".leaflet-marker-icon.stop-marker").count() == stops
    assert page.locator("path.crossing-leg").count() >= 1
    assert "Triumphal Arch" in page.inner_text(".timeline")
    share = page.input_value("#share-link")
    shot(page, "plan-en.png")

    first = page.locator(".timeline li.visit").nth(0)
    gone = first.locator(".stop-name").inner_text()
    if gone == "Triumphal Arch":
        first = page.locator(".timeline li.visit").nth(1)
        gone = first.locator(".stop-name").inner_text()
    first.locator("form:has(input[value=remove]) button").click()
    page.wait_for_load_state("networkidle")
    assert "Version 2" in page.inner_text("body")
    assert gone not in page.inner_text(".timeline")
    assert (
        page.locator(".leaflet-marker-icon.stop-marker").count()
        == page.locator(".timeline li.visit").count()
    )

    for lang, word in (("zh", "第 1 天"), ("ru", "День 1")):
        page.click(f".lang-switch a[hreflang={lang}]")
        page.wait_for_load_state("networkidle")
        assert word in page.inner_text(".timeline")
        shot(page, f"plan-{lang}.png")

    stranger, s_errors, s_outside = guarded(browser.new_context())
    stranger.goto(share, wait_until="networkidle")
    assert "Browser trip" in stranger.inner_text("h1")
    assert stranger.locator("form:has(input[value=remove])").count() == 0
    assert stranger.locator(".leaflet-marker-icon.stop-marker").count() > 0
    assert not errors and not s_errors, errors + s_errors
    assert not outside and not s_outside, outside + s_outside
    context.close()


@pytest.mark.parametrize("lang", ["en", "zh", "ru"])
def test_form_and_plan_fit_a_390px_phone(server, browser, lang):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page, errors, outside = guarded(context)
    page.goto(f"{server}/plan?lang={lang}", wait_until="load")
    width = "document.documentElement.scrollWidth"
    assert page.evaluate(width) <= 390, "the form scrolls sideways"
    if lang == "en":
        make_plan(page, server, title="Phone trip")
        page.goto(page.url + f"?lang={lang}", wait_until="load")
        assert page.evaluate(width) <= 390, "the plan page scrolls sideways"
        shot(page, "plan-390.png")
    assert not errors and not outside, errors + outside
    context.close()


def test_find_the_hotel_address_and_plan_with_it(server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page, errors, outside = guarded(context)
    page.goto(f"{server}/plan?lang=ru", wait_until="networkidle")
    lodging = page.locator(".lodging[data-city=blagoveshchensk]")
    lodging.locator(".lodging-address").fill("Гостиница Азия")
    lodging.locator(".find-address").click()
    candidates = lodging.locator("button.candidate")
    candidates.first.wait_for()
    assert candidates.count() == 2  # Moscow is not offered
    shot(page, "plan-form-lookup.png")
    candidates.nth(1).click()
    assert page.input_value("#hotel_blagoveshchensk_latlon") == "50.257100, 127.538100"
    assert page.locator(".leaflet-marker-icon.lodging-marker-blagoveshchensk").count() == 1
    assert "Юбилейная" in lodging.locator(".lookup-status").inner_text()
    shot(page, "plan-form-chosen.png")
    page.fill("input[name=arrive_date]", "2027-07-10")
    page.fill("input[name=depart_date]", "2027-07-12")
    page.select_option("select[name=nationality]", "RU")
    page.check("input[name=visas][value=CN]")
    page.fill("input[name=title]", "Hotel trip")
    page.click("button.primary")
    page.wait_for_url("**/plans/*", wait_until="networkidle")
    plan_id = page.url.rstrip("/").rsplit("/", 1)[-1].split("?")[0]
    plan = page.request.get(f"{server}/api/v1/plans/{plan_id}").json()["plan"]
    assert plan["request"]["hotels"]["blagoveshchensk"] == {"lat": 50.2571, "lon": 127.5381}
    assert not errors and not outside, errors + outside
    context.close()


def test_a_click_on_the_map_picks_the_hotel(server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page, errors, outside = guarded(context)
    page.goto(f"{server}/plan?lang=en", wait_until="networkidle")
    page.check("input[name=pick_city][value=heihe]")
    page.locator(".lodging-map .folium-map").click(position={"x": 200, "y": 200})
    assert page.input_value("#hotel_heihe_latlon") != ""
    assert page.locator(".leaflet-marker-icon.lodging-marker-heihe").count() == 1
    assert not errors and not outside, errors + outside
    context.close()


def until(page, expression: str, seconds: float = 5.0) -> None:
    """Wait for *expression* to be true (page.evaluate: wait_for_function's polling needs eval,
    which the CSP forbids)."""
    import time

    end = time.monotonic() + seconds
    while not page.evaluate(expression):
        assert time.monotonic() < end, f"timed out waiting for {expression}"
        time.sleep(0.05)


@pytest.mark.parametrize("path", ["/attractions", "/crossing", "/plan"])
def test_every_map_goes_full_screen_and_back(server, browser, path):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page, errors, outside = guarded(context)
    page.goto(f"{server}{path}?lang=zh", wait_until="load")
    button = page.locator(".map-frame .map-fullscreen-button").first
    assert button.get_attribute("aria-label") == "全屏显示地图"
    button.focus()
    page.keyboard.press("Enter")
    until(page, "document.fullscreenElement !== null")
    assert page.evaluate("document.fullscreenElement.classList.contains('map-frame')")
    assert page.evaluate(
        "document.fullscreenElement.contains(document.querySelector('.map-fullscreen-button'))"
    )
    until(
        page,
        "document.querySelector('.map-fullscreen-button').getAttribute('aria-pressed') === 'true'",
    )
    page.evaluate("document.exitFullscreen()")  # what Escape does; headless has no browser UI
    until(page, "document.fullscreenElement === null")
    until(
        page,
        "document.querySelector('.map-fullscreen-button').getAttribute('aria-pressed') === 'false'",
    )
    assert not errors and not outside, errors + outside
    context.close()
