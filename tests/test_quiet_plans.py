"""A plan a guide would sell: each warning said once, a few a day, the places left out grouped by
reason, and a meal that says where it is eaten. Read as a person reads it: the command line's
text, the plan page and the print."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from conftest import summer_request
from test_plan_pages import _Page, form
from zones import HEIHE_TZ

from planner.catalogue import load_catalogue
from planner.commands.plan import render_text
from planner.digest import DAY_LIMIT, group_left_out, quiet_notices
from planner.messages import Message
from planner.planning import plan_trip
from planner.trip import Meal, Notice, Visit
from planner.web import create_app

WINTER_RINK = "embankment-winter-rink"  # open in winter only: left out of a July trip


@pytest.fixture(scope="module")
def summer_plan():
    return plan_trip(summer_request(day_across="yes"))  # a day across: its crossings warn


def _day_sections(text: str) -> list[str]:
    """The text of each day (from its heading to the next), without the plan's own lists."""
    body = text.split("\nLeft out:")[0].split("\nWarnings:")[0]
    return [part for part in re.split(r"^== ", body, flags=re.M) if part.strip()]


def _day_warnings(section: str) -> list[str]:
    """The day's warnings and those of its crossings (indented under the crossing)."""
    return [line for line in section.splitlines() if re.match(r"\s+(!!!|!!|i) ", line)]


def test_a_three_day_plan_text_shows_at_most_five_warnings_a_day(summer_plan):
    text = render_text(summer_plan, "en", lambda s: s)
    days = _day_sections(text)
    assert len(days) == 3
    # the day across the river carries the most: it used to list a dozen and more
    assert max(len(d.warnings) for d in summer_plan.days) > DAY_LIMIT
    for section in days:
        assert len(_day_warnings(section)) <= DAY_LIMIT
    assert any(re.search(r"^    (!!|i) ", section, re.M) for section in days)  # at a crossing


def test_a_warning_about_the_whole_trip_is_said_once_in_the_text(summer_plan):
    text = render_text(summer_plan, "en", lambda s: s)
    # every day visits places whose hours are not verified: one warning names them all
    per_day = [
        d for d in summer_plan.days if any(n.message.code == "hours_unverified" for n in d.warnings)
    ]
    assert len(per_day) == 3
    assert text.count("opening hours not verified for") == 1
    unverified = text.split("opening hours not verified for")[1].splitlines()[0]
    for day in summer_plan.days:
        for stop in day.stops:
            if not stop.attraction.hours_verified:
                assert stop.attraction.name.en in unverified
    # the crossings' timetable warning and their papers: once a plan
    assert text.count("not yet published") == 1
    assert text.count("document: Chinese ordinary passport") == 1


def test_nothing_is_lost_when_a_day_is_quieted(summer_plan):
    quiet = quiet_notices(
        [d.warnings for d in summer_plan.days],
        summer_plan.warnings,
        [[c.option.warnings for c in d.crossings] for d in summer_plan.days],
    )
    said = {n.message for day in quiet.days for n in day} | {n.message for n in quiet.trip}
    said |= {m for day in quiet.crossing_warnings for c in day for m in c}
    merged = {"hours_unverified", "position_approximate"}
    planned = [n for d in summer_plan.days for n in d.warnings]
    assert planned
    for notice in planned:
        if notice.message.code not in merged:
            assert notice.message in said


def test_at_most_five_warnings_a_day_red_first_the_rest_in_the_plans_list():
    red = Notice("red", Message("crossing_late", {"minutes": 5}))
    ambers = [Notice("amber", Message("long_walk", {"minutes": m, "km": 1.0})) for m in range(7)]
    infos = [Notice("info", Message("arrival_no_time", {"time": "23:00"}))]
    quiet = quiet_notices([[*infos, *ambers, red], []], [])
    (day, empty) = quiet.days
    assert len(day) == DAY_LIMIT and day[0] == red and empty == ()
    assert all(n.severity == "amber" for n in day[1:])
    # folded into the plan's list, never lost
    assert set(quiet.trip) == {*ambers[4:], *infos}


def test_a_warning_common_to_every_day_appears_once_but_red_stays_on_each_day():
    common = Notice("amber", Message("public_holiday_hours", {"country": "CN", "day": "x"}))
    red = Notice("red", Message("last_crossing_used", {"city": "heihe", "mode": "ship"}))
    quiet = quiet_notices([[common, red], [common, red], [common]], [])
    assert quiet.trip == (common,)
    assert quiet.days == ((red,), (red,), ())


def test_a_crossing_warning_is_said_at_the_first_crossing_it_concerns_not_on_the_day():
    season = Message("season_estimated", {"mode": "ship", "season": "x", "year": 2027})
    year = Message("timetable_from_year", {"year": 2027, "as_of": 2026})
    passport = Message("data_note", {"text": "passport"})
    days = [[Notice("amber", season), Notice("amber", year)], [Notice("amber", season)]]
    quiet = quiet_notices(
        days, [], [[[season, year]], [[season, year]]], [[[passport]], [[passport]]]
    )
    assert quiet.days == ((), ())
    assert quiet.crossing_warnings == (((season,),), ((),))
    assert quiet.crossing_documents == (((passport,),), ((),))
    # a day's crossings count towards its five: the sixth goes to the plan's list
    notes = [Message("data_note", {"text": str(n)}) for n in range(7)]
    crowded = quiet_notices([[Notice("amber", year)]], [], [[notes[:4], notes[4:]]])
    assert sum(len(c) for c in crowded.crossing_warnings[0]) == DAY_LIMIT
    assert crowded.days == ((),)
    assert {n.message for n in crowded.trip} == {year, notes[5], notes[6]}
    assert quiet.trip == (Notice("amber", year),)


def test_left_out_places_are_grouped_by_reason_naming_only_those_of_interest():
    view = group_left_out(
        [("a", "season"), ("b", "season"), ("c", "no_time"), ("m", "season"), ("x", "excluded")],
        {"a": ("history",), "b": ("sport",), "c": ("art",), "m": ("sport",)},
        ("history",),
        must_see=("m",),
    )
    assert view.must_see == ("m",)
    groups = {g.reason: (g.count, g.named) for g in view.groups}
    assert groups == {"season": (2, ("a",)), "no_time": (1, ()), "excluded": (1, ("x",))}


def test_the_text_names_a_must_see_left_out_with_its_reason_and_counts_the_rest():
    plan = plan_trip(summer_request(interests=("history",), must_see=(WINTER_RINK,)), time_limit=60)
    text = render_text(plan, "en", lambda s: s)
    left = text.split("\nLeft out:\n")[1].split("\nWarnings:")[0]
    lines = left.splitlines()
    assert lines[0].startswith("  !!! Must see: Winter skating rink on the embankment: ")
    assert "dates not published for 2027" in lines[0]
    season = [x for x in plan.left_out if x.reason == "season" and x.attraction.id != WINTER_RINK]
    assert any(line.startswith(f"  Not in season ({len(season)})") for line in lines)
    others = [
        x
        for x in plan.left_out
        if x.attraction.id != WINTER_RINK and "history" not in x.attraction.interests
    ]
    assert others
    for x in others:
        assert x.attraction.name.en not in left


def test_a_day_whose_first_item_is_lunch_says_near_the_hotel():
    # Arriving near lunchtime with no arrival point, a day begins with lunch, at the hotel.
    plans = [
        plan_trip(summer_request(arrive=datetime(2027, 7, 10, hh, mm, tzinfo=HEIHE_TZ), **kw))
        for hh, mm, kw in ((12, 30, {}), (13, 0, {}), (12, 45, {"pace": "relaxed"}))
    ]
    plan = next(p for p in plans if p.days[0].items and isinstance(p.days[0].items[0], Meal))
    firsts = [d for d in plan.days if d.items and isinstance(d.items[0], Meal)]
    assert firsts
    for day in firsts:
        assert day.items[0].place is not None or day.items[0].near == "hotel"
    text = render_text(plan, "en", lambda s: s)
    first = _day_sections(text)[0]
    assert re.search(r"lunch: near the hotel", first)


def test_near_the_last_stop_only_after_a_stop_that_day(summer_plan):
    meals = [
        (day, n)
        for day in summer_plan.days
        for n, item in enumerate(day.items)
        if isinstance(item, Meal) and item.place is None and item.near == "last_stop"
    ]
    assert meals
    for day, n in meals:
        assert any(isinstance(item, Visit) for item in day.items[:n])


# --------------------------------------------------------------------------- the page and print


@pytest.fixture()
def client(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'quiet.sqlite3'}",
            "PLAN_TIME_LIMIT": 60,
        }
    )
    return app.test_client()


def _page(client, **fields):
    location = form(client, **fields).headers["Location"]
    return location, client.get(location).get_data(as_text=True)


def _sections(body: str, tag: str, cls: str) -> list[str]:
    return re.findall(rf'<{tag} class="{cls}"[^>]*>(.*?)</{tag}>', body, re.S)


def _text(html: str) -> str:
    """What a reader sees of *html* (scripts and styles left out), spaces collapsed."""
    page = _Page()
    page.feed(html)
    return " ".join(" ".join(page.text).split())


def test_the_plan_page_shows_at_most_five_warnings_a_day_and_a_common_one_once(client):
    _, body = _page(client)
    days = _sections(body, "article", "day")
    assert len(days) == 3
    for day in days:  # the day's list and its crossings' own warnings
        assert day.count('class="notice notice-') + day.count('class="warn"') <= DAY_LIMIT
    text = _text(body)
    assert text.count("opening hours not verified for") == 1
    assert text.count("not yet published") <= 1


def test_the_plan_page_names_a_must_see_left_out_in_red_and_groups_the_rest(client):
    location, body = _page(client, interests=["history"], must_see=[WINTER_RINK])
    (section,) = _sections(body, "section", "left-out")
    must = _sections(section, "ul", "notices left-must")
    assert must and "notice-red" in must[0]
    assert "Winter skating rink on the embankment" in _text(must[0])
    assert "dates not published for 2027" in _text(must[0])
    text = _text(section)
    assert re.search(r"Not in season \(\d+\)", text)
    plan_id = location.rstrip("/").rsplit("/", 1)[1]
    doc = client.get(f"/api/v1/plans/{plan_id}").get_json()["plan"]
    left = doc["left_out"]
    cat = load_catalogue()
    plain = [
        x["name"]["en"]
        for x in left
        if x["reason"] != "excluded"
        and x["attraction_id"] != WINTER_RINK
        and "history" not in cat.get(x["attraction_id"]).interests
    ]
    assert plain
    for name in plain:
        assert name not in text
    # the API keeps every place left out, the must-see among them
    assert any(x["attraction_id"] == WINTER_RINK for x in left)


def test_the_print_groups_the_places_left_out_and_says_each_warning_once(client):
    location, _ = _page(client, interests=["history"], must_see=[WINTER_RINK])
    body = client.get(location + "/print").get_data(as_text=True)
    text = _text(body)
    assert "Must see: Winter skating rink on the embankment" in text
    assert re.search(r"Not in season \(\d+\)", text)
    assert text.count("opening hours not verified for") == 1
    for day in _sections(body, "section", "day"):
        assert day.count('<li class="notice-') <= DAY_LIMIT
