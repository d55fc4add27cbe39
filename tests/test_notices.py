"""Crossing notices: suspensions keep plans off a mode or check-point; every notice is shown."""

from __future__ import annotations

from datetime import date

from conftest import summer_request

from planner.agency import CrossingNotice, notice_closures, notices_touching
from planner.crossing import options_on_day
from planner.planning import plan_trip
from planner.planning.days import Border
from planner.storage import open_store

SHIP_OFF = CrossingNotice(
    1, date(2027, 7, 10), date(2027, 7, 12), "ship", "suspended", {"en": "ship suspended"}
)


def _modes(itinerary) -> list[str]:
    return [c.option.mode for d in itinerary.days for c in d.crossings]


def _offered(req, day: date) -> set[str]:
    return {o.mode for o in Border(req).day_options("heihe", day)}


def test_a_suspended_ship_is_not_offered_on_those_dates_only():
    closures = notice_closures([SHIP_OFF])
    assert "ship" in _offered(summer_request(), date(2027, 7, 11))
    assert "ship" not in _offered(summer_request(extra_closures=closures), date(2027, 7, 11))
    assert "ship" in _offered(summer_request(extra_closures=closures), date(2027, 7, 13))


def test_a_suspended_ship_is_not_used_by_the_plan():
    it = plan_trip(summer_request(extra_closures=notice_closures([SHIP_OFF])), time_limit=60)
    assert "ship" not in _modes(it)


def test_a_suspension_says_why_there_is_no_ship():
    req = summer_request(extra_closures=notice_closures([SHIP_OFF]))
    answer = options_on_day(
        "heihe", date(2027, 7, 11), "CN", data=Border(req).data, entry_permits=("RU",)
    )
    assert "notice_suspension" in {r.code for r in answer.reasons}


def test_a_checkpoint_suspension_closes_every_mode_through_it():
    port = CrossingNotice(
        3, date(2027, 7, 10), date(2027, 7, 12), "heihe-river-port", "suspended", {"ru": "закрыт"}
    )
    it = plan_trip(summer_request(extra_closures=notice_closures([port])), time_limit=60)
    assert not {"ship", "hovercraft", "pontoon_bus"} & set(_modes(it))


def test_info_notices_close_nothing():
    info = CrossingNotice(4, date(2027, 7, 10), date(2027, 7, 12), "all", "info", {"en": "busy"})
    assert notice_closures([info]) == ()


def test_notices_touching_keeps_overlapping_dates_only():
    late = CrossingNotice(5, date(2027, 7, 13), date(2027, 7, 14), "all", "info", {"en": "x"})
    found = notices_touching([late, SHIP_OFF], date(2027, 7, 10), date(2027, 7, 12))
    assert found == [SHIP_OFF]


def test_store_keeps_notices_and_finds_them_by_dates(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'n.sqlite3'}")
    notice = store.agency.add_notice(
        date(2027, 2, 5), date(2027, 2, 8), "all", "suspended", {"zh": "关闭"}, "admin"
    )
    assert [n.id for n in store.agency.notices(date(2027, 2, 1), date(2027, 2, 5))] == [notice.id]
    assert store.agency.notices(date(2027, 2, 9), date(2027, 2, 10)) == []
    assert notice.text_in("en") == "关闭"
    assert store.agency.delete_notice(notice.id)
    assert store.agency.notices() == []


BODY = {
    "arrive": "2027-07-10T09:00+08:00",
    "depart": "2027-07-12T18:00+08:00",
    "stay": "heihe",
    "interests": ["history", "architecture"],
    "nationality": "CN",
    "visas": ["RU"],
    "title": "Notice test",
}


def _doc_modes(plan: dict) -> list[str]:
    return [c["mode"] for d in plan["days"] for c in d["crossings"]]


def test_replanning_after_a_ship_notice_picks_another_crossing_and_shows_it(app, client):
    made = client.post("/api/v1/plans", json=BODY).get_json()
    assert made["plan"]["notices"] == []
    with app.app_context():
        from planner.web.plan_store import store

        store().agency.add_notice(
            date(2027, 7, 10), date(2027, 7, 12), "ship", "suspended", {"en": "Ship off: ice"}
        )
    plan_id, token = made["plan"]["id"], made["edit_token"]
    # Shown on the page at once, before any re-plan.
    page = client.get(f"/plans/{plan_id}").get_data(as_text=True)
    assert "Ship off: ice" in page
    edited = client.patch(
        f"/api/v1/plans/{plan_id}",
        json={"version": 1, "edits": [{"op": "pace", "pace": "relaxed"}]},
        headers={"Authorization": f"Bearer {token}"},
    ).get_json()
    assert edited["ok"], edited
    assert "ship" not in _doc_modes(edited["plan"])
    assert [n["texts"]["en"] for n in edited["plan"]["notices"]] == ["Ship off: ice"]
    listed = client.get("/api/v1/notices?from=2027-07-10&to=2027-07-12").get_json()
    assert [n["scope"] for n in listed["notices"]] == ["ship"]


def test_a_notice_id_beyond_any_integer_is_no_notice(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'n.sqlite3'}")
    assert store.agency.delete_notice(99999999999999999999999) is False


def test_a_notice_with_a_bad_last_day_marks_that_field_and_asks_for_a_date(tmp_path):
    import re

    from planner.web import create_app

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'n.sqlite3'}",
            "ADMIN_TOKEN": "s3cret-admin-token-2026",
        }
    )
    client = app.test_client()
    page = client.get(
        "/agency/notices", headers={"Authorization": "Bearer s3cret-admin-token-2026"}
    )
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True))
    client.post(
        "/agency/login", data={"csrf_token": token.group(1), "token": "s3cret-admin-token-2026"}
    )
    answer = client.post(
        "/agency/notices",
        data={
            "csrf_token": token.group(1),
            "start": "2027-02-05",
            "end": "nope",
            "scope": "all",
            "effect": "info",
            "text_en": "x",
        },
    )
    assert answer.status_code == 400
    html = answer.get_data(as_text=True)
    assert re.search(r'name="end"[^>]*><span class="field-error">enter a date</span>', html)
    assert not re.search(r'name="start"[^>]*><span class="field-error">', html)
    assert "date and time" not in html
