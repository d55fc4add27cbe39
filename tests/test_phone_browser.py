"""Every page fits a 390 px phone: nothing scrolls sideways (Chromium via Playwright).

Tables that are wider than a phone become cards or scroll inside their own box; the page
itself never does. Measured as document.documentElement.scrollWidth at a 390x844 viewport.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CHROMIUM, serve
from test_plan_browser import guarded, shot

pytestmark = pytest.mark.browser

if not Path(CHROMIUM).exists():  # pragma: no cover - test_browser.py decides for CI
    pytest.skip("Chromium not installed", allow_module_level=True)

ADMIN = "phone-admin-token"
PHONE = {"width": 390, "height": 844}
WIDTH = "document.documentElement.scrollWidth"
PLAN = {
    "arrive": "2027-07-10T09:00+08:00",
    "depart": "2027-07-12T18:00+08:00",
    "stay": "heihe",
    "nationality": "RU",
    "visas": ["CN"],
    "title": "Phone width trip",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from planner.web import create_app

    db = tmp_path_factory.mktemp("db") / "phone.sqlite3"
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "phone-test",
            "TILE_URL": "",
            "DATABASE_URL": f"sqlite:///{db}",
            "PLAN_TIME_LIMIT": 0.3,
            "ADMIN_TOKEN": ADMIN,
        }
    )
    yield from serve(app)


PAGES = [
    "/crossing?lang=en",
    "/crossing?lang=ru",
    "/crossing?lang=zh",
    "/crossing?lang=en&from=heihe&date=2027-01-20&nationality=RU",
    "/crossing?lang=ru&from=blagoveshchensk&date=2027-07-11&nationality=RU&visa=CN",
    "/attractions?lang=en",
    "/attractions?lang=ru",
    "/about/data?lang=en",
    "/about/data?lang=ru",
    "/?lang=en",
    "/plan?lang=en",
    "/plan?lang=ru",
]


def test_no_page_scrolls_sideways_on_a_390px_phone(server, browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    page, errors, outside = guarded(context)
    made = page.request.post(f"{server}/api/v1/plans", data=PLAN)
    assert made.status == 201, made.text()
    plan_id = made.json()["plan"]["id"]
    wide: dict[str, int] = {}
    paths = [*PAGES, f"/plans/{plan_id}?lang=en", f"/plans/{plan_id}?lang=ru"]
    for path in paths:
        # Laid out once loaded (the maps are drawn by inline scripts before the load event);
        # "networkidle" added half a second of waiting per page.
        page.goto(f"{server}{path}", wait_until="load")
        width = page.evaluate(WIDTH)
        if width > PHONE["width"]:
            wide[path] = width
    shot(page, "plan-390-ru.png")
    assert not wide, f"pages wider than 390 px: {wide}"
    assert not errors and not outside, errors + outside
    context.close()


def test_the_batch_page_fits_a_390px_phone_after_the_admin_signs_in(server, browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    page, _errors, outside = guarded(context)  # the 401 sign-in page logs a console error
    page.goto(f"{server}/agency/notices?lang=en", wait_until="networkidle")
    assert page.evaluate(WIDTH) <= PHONE["width"], "the sign-in page scrolls sideways"
    page.fill("input[name=token]", ADMIN)
    page.click("button.primary")
    page.wait_for_load_state("networkidle")
    assert page.evaluate(WIDTH) <= PHONE["width"], "the notices page scrolls sideways"
    page.goto(f"{server}/agency/batch?lang=en", wait_until="networkidle")
    assert page.locator("input[type=file]").count() == 1  # the batch form, signed in
    assert page.evaluate(WIDTH) <= PHONE["width"], "the batch page scrolls sideways"
    assert not outside, outside
    context.close()


def test_the_russian_crossing_page_on_a_phone_shows_cards_within_the_screen(server, browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    page, errors, outside = guarded(context)
    page.goto(f"{server}/crossing?lang=ru&date=2027-01-20&visa=CN", wait_until="networkidle")
    cards = page.locator(".departure")
    assert cards.count() > 0
    for box in (cards.nth(i).bounding_box() for i in range(cards.count())):
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    shot(page, "crossing-390-ru.png")
    assert not errors and not outside, errors + outside
    context.close()
