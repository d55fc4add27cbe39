"""The plan form from the keyboard, in Chromium: the skip link jumps past the place checkboxes
to the submit button, and after a refused submit the keyboard is on the first wrong field."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CHROMIUM, serve
from test_plan_browser import guarded

pytestmark = pytest.mark.browser

if not Path(CHROMIUM).exists():  # pragma: no cover - test_browser.py decides for CI
    pytest.skip("Chromium not installed", allow_module_level=True)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from planner.web import create_app

    db = tmp_path_factory.mktemp("db") / "keyboard.sqlite3"
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "browser-test",
            "TILE_URL": "",
            "DATABASE_URL": f"sqlite:///{db}",
        }
    )
    yield from serve(app)


def _focused(page) -> dict:
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return {tag: e.tagName, id: e.id, name: e.getAttribute('name') || '',"
        " cls: e.className || '', invalid: e.getAttribute('aria-invalid')}; }"
    )


def test_the_skip_link_takes_the_keyboard_past_the_places_and_errors_take_it_to_the_field(
    server, browser
):
    context = browser.new_context(locale="en-US")
    page, errors, outside = guarded(context)
    page.goto(f"{server}/plan?lang=en", wait_until="networkidle")
    # Tab from the place search box: the next stop is the skip link, not 142 checkboxes.
    page.focus("#place-filter")
    page.keyboard.press("Tab")
    assert "skip-link" in _focused(page)["cls"], _focused(page)
    assert page.is_visible(".skip-link")  # shown once the keyboard is on it
    page.keyboard.press("Enter")
    assert _focused(page)["id"] == "plan-submit", _focused(page)
    # Submitting the empty form: the page comes back with the arrival date marked and focused.
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    first = _focused(page)
    assert first["invalid"] == "true" and first["name"] == "arrive_date", first
    described = page.get_attribute("input[name=arrive_date]", "aria-describedby")
    assert page.inner_text(f"#{described}").strip()
    # The refused form is answered 400 on purpose; Chromium logs that status, nothing else.
    others = [e for e in errors if "status of 400" not in e]
    assert not others and not outside, (others, outside)
    context.close()
