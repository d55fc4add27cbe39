"""The plan in Chromium with no network: saved for offline, the context set offline and the page
reloaded, the map still draws the river, the border and the stops on its own base layer, a stop
card shows full screen to a driver, and the print view (stop cards), the border page and the
exports open from the saved copy. With tiles on and the tile server out of reach, the base layer
is drawn under the missing tiles. On a desktop the map stays beside the timeline and a tapped
row lights up its pin."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import CHROMIUM, serve

pytestmark = pytest.mark.browser

if not Path(CHROMIUM).exists():  # pragma: no cover - test_browser.py decides for CI
    pytest.skip("Chromium not installed", allow_module_level=True)

from test_plan_browser import FakeGeocoder, make_plan, until  # noqa: E402

TILE_HOST = "tiles.invalid"  # tiles on (the default), and a tile server that never answers


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from planner.web import create_app

    db = tmp_path_factory.mktemp("db") / "offline.sqlite3"
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "offline-test",
            "TILES": "on",
            "TILE_URL": f"http://{TILE_HOST}/{{z}}/{{x}}/{{y}}.png",
            "DATABASE_URL": f"sqlite:///{db}",
            "PLAN_TIME_LIMIT": 0.5,
            "GEOCODER": FakeGeocoder(),
        }
    )
    yield from serve(app)


def watched(context):
    """A page that records console errors and failed requests, except the tiles' (the map does
    not depend on them), and aborts every request off this machine."""
    page = context.new_page()
    errors: list[str] = []
    failed: list[str] = []
    outside: list[str] = []

    def console(message) -> None:
        where = (message.location or {}).get("url", "")
        if message.type == "error" and TILE_HOST not in where and TILE_HOST not in message.text:
            errors.append(f"{message.text} {where}")

    page.on("console", console)
    page.on("pageerror", lambda e: errors.append(str(e)))

    def request_failed(request) -> None:
        # The service worker tries the network first; offline that attempt fails and the saved
        # copy answers the page: only a request of the page itself that fails counts.
        if request.service_worker is None and urlparse(request.url).hostname != TILE_HOST:
            failed.append(request.url)

    page.on("requestfailed", request_failed)
    # ... and one the saved copy then answered (Chromium may report the worker's own network
    # attempt as the page's) is no failure: a URL counts only if no response for it was OK.
    answered: set[str] = set()
    page.on("response", lambda r: answered.add(r.url) if r.ok else None)

    def guard(route) -> None:
        host = urlparse(route.request.url).hostname
        if route.request.url.startswith("data:") or host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            if host != TILE_HOST:
                outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    return page, errors, Unanswered(failed, answered), outside


def shot(page, name: str, full_page: bool = True) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), full_page=full_page)


class Unanswered:
    """The failed requests no saved copy answered (falsy when there are none)."""

    def __init__(self, failed: list[str], answered: set[str]) -> None:
        self.failed, self.answered = failed, answered

    def clear(self) -> None:
        self.failed.clear()
        self.answered.clear()

    def urls(self) -> list[str]:
        return [url for url in self.failed if url not in self.answered]

    def __bool__(self) -> bool:
        return bool(self.urls())

    def __repr__(self) -> str:
        return repr(self.urls())


BASEMAP_PATHS = ".leaflet-basemap-pane path"


def base_layer_drawn(page) -> None:
    """Land, water and the border are SVG paths in the base map's pane, with a real size."""
    paths = page.locator(BASEMAP_PATHS)
    assert paths.count() >= 3
    box = page.locator(".plan-map .folium-map").bounding_box()
    assert box and box["width"] > 200 and box["height"] > 200
    drawn = page.evaluate(
        f"""Array.from(document.querySelectorAll('{BASEMAP_PATHS}'))
            .filter(p => p.getAttribute('d') && p.getBBox().width > 0).length"""
    )
    assert drawn >= 3


def test_a_saved_plan_opens_offline_with_map_cards_border_page_and_exports(server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page, errors, failed, outside = watched(context)
    make_plan(page, server, title="Offline trip")
    plan_url = page.url
    stops = page.locator(".timeline li.visit").count()
    assert stops > 0
    page.click("button.save-offline")
    until(page, "document.querySelector('.offline-save').dataset.state !== undefined", 90)
    state = page.get_attribute(".offline-save", "data-state")
    assert state == "saved", page.inner_text(".offline-status")
    until(page, "navigator.serviceWorker.controller !== null", 10)
    shot(page, "saved-390.png", full_page=False)
    border = page.get_attribute("a.border-page", "href")
    assert border

    context.set_offline(True)
    failed.clear()
    page.reload(wait_until="load")
    assert page.url == plan_url
    base_layer_drawn(page)
    assert page.locator(".leaflet-marker-icon.stop-marker").count() == stops
    until(page, "document.querySelector('.offline-save').dataset.state === 'saved'")
    assert page.locator("path.crossing-leg").count() >= 1
    shot(page, "offline-plan-390.png")
    shot(page, "offline-plan-390-top.png", full_page=False)

    page.locator(".show-driver").first.click()
    view = page.locator("dialog.driver-view")
    assert view.is_visible()
    local = page.locator(".timeline li.visit .driver-name").first.inner_text()
    assert local in view.inner_text()
    box = view.bounding_box()
    assert box and box["width"] >= 380 and box["height"] >= 800  # the whole screen
    shot(page, "offline-driver-card-390.png", full_page=False)
    page.click("dialog.driver-view .driver-view-close")

    exports = page.evaluate(
        """Promise.all(Array.from(document.querySelectorAll('a[download][data-offline]'))
             .map(a => fetch(a.href).then(r => r.status, () => 0)))"""
    )
    assert exports and set(exports) == {200}, exports

    page.click("a[data-offline=page][href$='/print']")
    page.wait_for_load_state("load")
    cards = page.locator("section.cards article.card")
    assert cards.count() >= 1
    assert page.locator("section.cards .local-address").count() == cards.count()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "scrolls sideways"
    shot(page, "offline-print-390.png")
    if os.environ.get("SCREENSHOT_DIR"):
        cards.first.screenshot(path=str(Path(os.environ["SCREENSHOT_DIR"]) / "driver-card-390.png"))

    page.goto(server + border, wait_until="load")
    assert page.locator("h1").count() == 1 and "crossing" in page.url
    assert not failed, failed
    assert not errors and not outside, errors + outside
    context.close()


def test_with_tiles_on_and_the_tile_server_out_of_reach_the_base_layer_shows(server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page, errors, failed, outside = watched(context)
    make_plan(page, server, title="No tiles trip")
    assert page.locator(".leaflet-tile-pane img").count() > 0  # tiles were asked for
    base_layer_drawn(page)
    under = page.evaluate(
        """[getComputedStyle(document.querySelector('.leaflet-basemap-pane')).zIndex,
            getComputedStyle(document.querySelector('.leaflet-tile-pane')).zIndex]"""
    )
    assert int(under[0]) < int(under[1])
    assert not failed, failed
    assert not errors and not outside, errors + outside
    context.close()


def test_on_a_desktop_the_map_stays_in_view_and_a_tapped_stop_lights_its_pin(server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page, errors, failed, outside = watched(context)
    make_plan(page, server, title="Desktop trip")
    first = page.locator(".timeline li.visit").first
    name = first.locator(".stop-name").inner_text()
    # each pin is a button named by its place
    assert page.get_by_role("button", name=f"1. {name}", exact=True).count() == 1
    # the map opens on day 1: its first pin is inside the map
    frame = page.locator(".plan-map .folium-map").bounding_box()
    pin = page.locator(".stop-marker.stop-0-1").bounding_box()
    assert frame["x"] <= pin["x"] <= frame["x"] + frame["width"]
    assert frame["y"] <= pin["y"] <= frame["y"] + frame["height"]

    page.locator(".timeline article.day h2").last.scroll_into_view_if_needed()
    assert page.evaluate("window.scrollY") > 400  # the timeline did scroll
    box = page.locator(".plan-map .folium-map").bounding_box()
    assert box["y"] >= 0 and box["y"] + 100 < 800, "the map scrolled away"
    last = page.locator(".timeline article.day").last.locator("li.visit").last
    last.locator(".stop-name").click()
    key = last.get_attribute("data-stop")
    until(page, f"document.querySelector('.stop-marker.stop-{key}.is-current') !== null")
    assert page.locator(".leaflet-popup").count() == 1
    day = key.split("-")[0]
    assert page.get_attribute(f".day-picker button[data-day='{day}']", "aria-pressed") == "true"
    assert last.locator(".stop-name").inner_text() in page.inner_text(".leaflet-popup")
    until(page, "!document.querySelector('.leaflet-zoom-anim')")  # the zoom has settled
    shot(page, "desktop-plan.png", full_page=False)
    assert not failed, failed
    assert not errors and not outside, errors + outside
    context.close()
