"""A saved plan edited five ways in Chromium (remove, add, move, reorder, pace): the days an edit
does not concern stay exactly as they were, and the page's "what changed" list matches what
happened to the timeline. No console error, nothing leaves the machine."""

from __future__ import annotations

import re

import pytest
from conftest import serve
from test_plan_browser import guarded, make_plan, shot

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from planner.web import create_app

    db = tmp_path_factory.mktemp("db") / "edits.sqlite3"
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "browser-test",
            "TILE_URL": "",
            "DATABASE_URL": f"sqlite:///{db}",
            # The work budget, not the clock, ends each plan (the machine may be busy).
            "PLAN_TIME_LIMIT": 10,
        }
    )
    yield from serve(app)


def timeline(page) -> list[dict]:
    """Each day as shown: its text, and its stops (id, name, arrival clock)."""
    return page.eval_on_selector_all(
        "article.day",
        """days => days.map(day => ({
            text: day.innerText,
            across: day.querySelectorAll("li.crossing").length > 0,
            stops: Array.from(day.querySelectorAll("li.visit[data-id]")).map(li => ({
                id: li.dataset.id,
                name: li.querySelector(".stop-name").innerText,
                arrive: (li.innerText.match(/\\b(\\d\\d):(\\d\\d)\\b/) || []).slice(1, 3),
            })),
        }))""",
    )


def changes(page) -> set[tuple[str, str]]:
    return {
        (li.get_attribute("data-code"), li.get_attribute("data-id"))
        for li in page.locator("#changes li[data-code]").all()
    }


def expected(before: list[dict], after: list[dict]) -> set[tuple[str, str]]:
    """What changed, read off the two timelines."""

    def where(days):
        return {s["id"]: (i, s) for i, d in enumerate(days) for s in d["stops"]}

    old, new = where(before), where(after)
    out = {("stop_added", pid) for pid in new.keys() - old.keys()}
    out |= {("stop_removed", pid) for pid in old.keys() - new.keys()}
    for pid in new.keys() & old.keys():
        (a, was), (b, now) = old[pid], new[pid]
        if a != b:
            out.add(("stop_moved", pid))
            continue
        h0, m0 = map(int, was["arrive"])
        h1, m1 = map(int, now["arrive"])
        if abs((h1 * 60 + m1) - (h0 * 60 + m0)) > 15:
            out.add(("stop_time_shifted", pid))
    return out


def check_edit(page, before, version, concerned=None):
    """The edit was saved; the days not concerned are unchanged; the list says what changed."""
    page.wait_for_load_state("load")
    page.wait_for_load_state("networkidle")
    body = page.inner_text("body")
    assert f"Version {version}" in body, body[:2000]
    after = timeline(page)
    assert len(after) == len(before)
    if concerned is not None:
        others = [i for i in range(len(before)) if i not in concerned]
        assert others, "an edit of one day in a trip of several leaves some days alone"
        for i in others:
            assert after[i] == before[i], f"day {i + 1} changed"
    assert changes(page) == expected(before, after)
    return after


def test_five_edits_change_only_what_was_asked_and_say_what_changed(server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page, errors, outside = guarded(context)
    make_plan(page, server, "Edited trip")
    days = timeline(page)
    assert len(days) == 3 and all(d["stops"] for d in days)

    # 1. remove a stop (not the must-see) from the fullest day spent on one bank
    stay = [i for i in range(3) if not days[i]["across"]]
    assert len(stay) >= 2
    home = max(stay, key=lambda i: len(days[i]["stops"]))
    gone = next(s for s in days[home]["stops"] if s["name"] != "Triumphal Arch")
    row = page.locator(f"li.visit[data-id='{gone['id']}']")
    row.locator("form:has(input[value=remove]) button").click()
    days = check_edit(page, days, 2, {home})
    assert ("stop_removed", gone["id"]) in changes(page)
    assert "removed: " in page.inner_text("#changes")

    # 2. add it back, on the day it was on, from the edit panel
    page.click("details.edit-panel summary")
    panel = page.locator("details.edit-panel form:has(input[value=add])")
    panel.locator("select[name=attraction_id]").select_option(gone["id"])
    panel.locator("select[name=day]").select_option(str(home))
    panel.locator("button").click()
    days = check_edit(page, days, 3, {home})
    assert ("stop_added", gone["id"]) in changes(page)

    # 3. move a stop of that day to another day spent on the same bank
    mover = next(s for s in days[home]["stops"] if s["name"] != "Triumphal Arch")
    target = next(i for i in stay if i != home)
    row = page.locator(f"li.visit[data-id='{mover['id']}']")
    row.locator("form:has(input[value=move]) select").select_option(str(target))
    row.locator("form:has(input[value=move]) button").click()
    days = check_edit(page, days, 4, {home, target})
    assert ("stop_moved", mover["id"]) in changes(page)
    assert mover["id"] in [s["id"] for s in days[target]["stops"]]

    # 4. reorder a day with the keyboard alternative: a stop one later (the first swap that
    # keeps the opening hours; one that does not is refused and changes nothing)
    pairs = [(d, k) for d in range(3) for k in range(len(days[d]["stops"]) - 1)]
    assert pairs
    for day, k in pairs:
        first, second = days[day]["stops"][k], days[day]["stops"][k + 1]
        page.locator(f"li.visit[data-id='{first['id']}'] form.reorder-down button").click()
        page.wait_for_load_state("networkidle")
        if "cannot all be visited in this order" not in page.inner_text("body"):
            break
        assert "Version 4" in page.inner_text(".plan-meta") and timeline(page) == days
    else:
        pytest.fail("no two neighbouring stops of any day could be swapped")
    days = check_edit(page, days, 5, {day})
    order = [s["id"] for s in days[day]["stops"]]
    assert order[k : k + 2] == [second["id"], first["id"]]
    assert not {code for code, _ in changes(page)} - {"stop_time_shifted"}

    # 4b. the same by drag and drop (the script): the stop dragged back above the other
    with page.expect_navigation(wait_until="load"):
        page.locator(f"li.visit[data-id='{first['id']}']").drag_to(
            page.locator(f"li.visit[data-id='{second['id']}']"), target_position={"x": 20, "y": 2}
        )
    days = check_edit(page, days, 6, {day})
    assert [s["id"] for s in days[day]["stops"]][k : k + 2] == [first["id"], second["id"]]

    # 5. the pace: the whole trip may be planned again; the list still says what changed
    page.click("details.edit-panel summary")
    pace = page.locator("details.edit-panel form:has(input[value=pace])")
    pace.locator("select[name=pace]").select_option("relaxed")
    pace.locator("button").click()
    check_edit(page, days, 7)
    assert "Pace: relaxed" in page.inner_text(".plan-meta") or re.search(
        r"Pace: \w+", page.inner_text(".plan-meta")
    )
    shot(page, "plan-edited.png")
    assert not errors, errors
    assert not outside, outside
    context.close()
