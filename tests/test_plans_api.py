"""Saved plans through the JSON API: create, read, edit with the token, 403/409/400/422/404/413."""

from __future__ import annotations

import pytest
from markupsafe import escape

from planner.web import create_app

BASE = {
    "arrive": "2027-07-10T09:00+08:00",
    "depart": "2027-07-12T18:00+08:00",
    "stay": "heihe",
    "nationality": "RU",
    "title": "Weekend",
}


@pytest.fixture()
def api(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'plans.sqlite3'}",
            "PLAN_TIME_LIMIT": 60,
        }
    )
    return app.test_client()


@pytest.fixture()
def created(api):
    response = api.post("/api/v1/plans", json=BASE)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    return body["plan"], body["edit_token"]


def test_create_returns_201_location_plan_and_token(api, created):
    plan, token = created
    assert token and len(token) >= 24
    assert plan["version"] == 1 and plan["title"] == "Weekend"
    assert {"days", "left_out", "warnings", "totals", "request"} <= set(plan)
    got = api.get(f"/api/v1/plans/{plan['id']}")
    assert got.status_code == 200 and got.get_json()["plan"]["id"] == plan["id"]


def test_totals_give_minutes_fares_and_the_sum_with_the_rate_date(created):
    totals = created[0]["totals"]
    assert set(totals["minutes"]) == {"walk", "ride", "crossing"}
    assert totals["sum"]["currency"] == "CNY"
    assert totals["exchange"]["checked"]


def test_messages_carry_text_in_the_asked_language(api, created):
    plan, _ = created
    zh = api.get(f"/api/v1/plans/{plan['id']}?lang=zh").get_json()["plan"]
    texts = [w["text"] for day in zh["days"] for w in day["warnings"]]
    assert texts and any("\u4e00" <= ch <= "\u9fff" for ch in "".join(texts))


def test_patch_without_token_is_403_and_with_token_replans(api, created):
    plan, token = created
    stop = plan["days"][0]["stops"][0]["attraction_id"]
    edit = {"version": 1, "edits": [{"op": "remove", "attraction_id": stop}]}
    assert api.patch(f"/api/v1/plans/{plan['id']}", json=edit).status_code == 403
    wrong = {"Authorization": "Bearer nope"}
    assert api.patch(f"/api/v1/plans/{plan['id']}", json=edit, headers=wrong).status_code == 403
    ok = api.patch(f"/api/v1/plans/{plan['id']}", json=edit, headers={"X-Edit-Token": token})
    assert ok.status_code == 200
    new = ok.get_json()["plan"]
    assert new["version"] == 2
    assert stop in new["request"]["exclude"]
    assert stop not in [s["attraction_id"] for d in new["days"] for s in d["stops"]]


def test_stale_version_is_409_and_saves_nothing(api, created):
    plan, token = created
    auth = {"Authorization": f"Bearer {token}"}
    url = f"/api/v1/plans/{plan['id']}"
    first = api.patch(url, json={"version": 1, "request": {"pace": "packed"}}, headers=auth)
    assert first.status_code == 200
    stale = api.patch(url, json={"version": 1, "request": {"pace": "relaxed"}}, headers=auth)
    assert stale.status_code == 409 and stale.get_json()["ok"] is False
    assert api.get(url).get_json()["plan"]["request"]["pace"] == "packed"


def test_revisions_list_and_restore_appends_a_revision(api, created):
    plan, token = created
    auth = {"X-Edit-Token": token}
    url = f"/api/v1/plans/{plan['id']}"
    api.patch(url, json={"version": 1, "request": {"title": "Changed"}}, headers=auth)
    revisions = api.get(f"{url}/revisions").get_json()["revisions"]
    assert [r["number"] for r in revisions] == [1, 2]
    assert api.get(f"{url}/revisions/1").get_json()["request"]["title"] == "Weekend"
    assert api.post(f"{url}/revisions/1/restore", json={"version": 2}).status_code == 403
    restored = api.post(f"{url}/revisions/1/restore", json={"version": 2}, headers=auth)
    body = restored.get_json()["plan"]
    assert body["version"] == 3 and body["revision"] == 3 and body["title"] == "Weekend"
    assert len(api.get(f"{url}/revisions").get_json()["revisions"]) == 3


def test_malformed_json_and_bad_types_are_400_with_field_errors(api):
    bad = api.post("/api/v1/plans", data="{nope", content_type="application/json")
    assert bad.status_code == 400 and bad.get_json()["ok"] is False
    body = {**BASE, "arrive": "2027-07-10T09:00", "party_size": "2", "transport": {"heihe": []}}
    typed = api.post("/api/v1/plans", json=body)
    assert typed.status_code == 400
    fields = {e["field"]: e for e in typed.get_json()["errors"]}
    assert {"arrive", "party_size", "transport.heihe"} <= set(fields)
    assert "offset" in fields["arrive"]["message"]
    ru = api.post("/api/v1/plans?lang=ru", json={**BASE, "lang": "ru", "party_size": 0})
    assert ru.get_json()["errors"][0]["message"] == "не меньше 1"


def test_valid_but_impossible_request_is_422_with_the_reason(api):
    # A US passport without a Chinese visa cannot arrive at Blagoveshchensk airport and sleep
    # in Heihe: the request is well formed, the trip is not possible.
    body = {**BASE, "nationality": "US", "arrive_at": "blagoveshchensk-ignatyevo-airport"}
    response = api.post("/api/v1/plans", json=body)
    assert response.status_code == 422
    assert "visa" in response.get_json()["error"]


def test_must_see_and_excluded_at_once_is_a_400(api):
    body = {**BASE, "must_see": ["triumphal-arch"], "exclude": ["triumphal-arch"]}
    response = api.post("/api/v1/plans", json=body)
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["field"] == "exclude"


def test_unknown_plan_is_404_and_oversized_body_is_413(api):
    assert api.get("/api/v1/plans/nope").status_code == 404
    assert api.get("/api/v1/plans/nope/revisions").status_code == 404
    huge = api.post("/api/v1/plans", data="x" * 300_000, content_type="application/json")
    assert huge.status_code == 413 and huge.get_json()["ok"] is False


@pytest.mark.parametrize(
    "body",
    [
        [],
        "text",
        5,
        None,
        {"version": "1"},
        {"version": 1, "edits": {"op": "x"}},
        {"version": 1, "edits": [{"op": "fly"}]},
        {"version": 1, "edits": [{"op": "move"}]},
        {"version": 1, "request": {"stay": 7}},
        {"version": 1, "bogus": 1},
    ],
)
def test_hostile_patch_bodies_are_client_errors_never_500(api, created, body):
    plan, token = created
    response = api.patch(f"/api/v1/plans/{plan['id']}", json=body, headers={"X-Edit-Token": token})
    assert 400 <= response.status_code < 500, response.get_json()
    assert response.get_json()["ok"] is False


def test_the_api_and_the_page_show_the_same_plan(api):
    """Every stop, in order, and every crossing's report time, on both."""
    body = {**BASE, "nationality": "CN", "visas": ["RU"], "lang": "en"}
    plan = api.post("/api/v1/plans", json=body).get_json()["plan"]
    page = api.get(f"/plans/{plan['id']}?lang=en").get_data(as_text=True)
    again = api.get(f"/api/v1/plans/{plan['id']}").get_json()["plan"]
    assert again["days"] == plan["days"]
    position = 0
    for day in plan["days"]:
        for item in day["items"]:
            if item["type"] == "visit":
                name = str(escape(item["name"]["en"]))  # as Jinja writes it: & ' < >
                found = page.find(name, position)
                assert found >= 0, item["name"]["en"]
                position = found
            elif item["type"] == "crossing":
                assert item["report_by"][11:16] in page
    assert sum(len(d["stops"]) for d in plan["days"]) >= 3


@pytest.mark.parametrize(
    ("point", "status"),
    [
        (
            {"lat": 50.2573, "lon": 127.5346},
            400,
        ),  # Blagoveshchensk's Lenin Square for a Heihe hotel
        ({"lat": 55.75, "lon": 37.62}, 400),  # Moscow
        ({"lat": 50.2450, "lon": 127.4817}, 201),  # central Heihe
    ],
)
def test_a_hotel_point_must_lie_in_its_city(api, point, status):
    response = api.post("/api/v1/plans", json={**BASE, "hotels": {"heihe": point}})
    assert response.status_code == status, response.get_json()
    if status == 400:
        assert any(e["field"] == "hotels.heihe" for e in response.get_json()["errors"])


def test_an_impossible_trip_is_refused_in_the_asked_language_without_ids(api):
    """A Chinese passport with no Russian visa cannot move to Blagoveshchensk: 422, in Chinese."""
    body = {
        **BASE,
        "nationality": "CN",
        "stay": ["heihe", "blagoveshchensk"],
        "lang": "zh",
    }
    response = api.post("/api/v1/plans", json=body)
    assert response.status_code == 422
    error = response.get_json()["errors"][0]
    assert error["code"] == "refused_no_crossing"
    assert "过境" in error["message"] and "布拉戈维申斯克" in error["message"]
    assert "blagoveshchensk" not in error["message"] and "no border" not in error["message"]


def test_the_command_line_refuses_in_its_language(runner):
    from planner.cli import cli

    result = runner.invoke(
        cli,
        [
            "plan",
            "--arrive",
            "2027-07-10T09:00+08:00",
            "--depart",
            "2027-07-12T18:00+08:00",
            "--stay",
            "heihe,blagoveshchensk",
            "--nationality",
            "CN",
            "--lang",
            "ru",
        ],
    )
    assert result.exit_code != 0
    assert "нет пересечения границы" in result.output and "Traceback" not in result.output


def test_a_plans_crossings_do_not_tell_a_returning_traveller_to_stay_overnight(api):
    body = {**BASE, "nationality": "CN", "group_tour": True, "party_size": 6, "day_across": "yes"}
    plan = api.post("/api/v1/plans", json=body).get_json()["plan"]
    crossings = [c for day in plan["days"] for c in day["crossings"]]
    assert crossings
    codes = {w["code"] for c in crossings for w in c["warnings"]}
    assert not codes & {"arrives_after_last_return", "no_return_that_day"}


def test_a_transport_mode_named_twice_counts_once(api, created):
    body = {**BASE, "transport": {"heihe": ["walk", "walk"], "blagoveshchensk": ["taxi", "taxi"]}}
    response = api.post("/api/v1/plans", json=body)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["plan"]["request"]["transport"] == {
        "heihe": ["walk"],
        "blagoveshchensk": ["taxi"],
    }
    plan, token = created
    edited = api.patch(
        f"/api/v1/plans/{plan['id']}",
        json={"version": 1, "request": {"transport": {"heihe": ["walk", "walk", "walk"]}}},
        headers={"X-Edit-Token": token},
    )
    assert edited.status_code == 200, edited.get_json()
    assert edited.get_json()["plan"]["request"]["transport"]["heihe"] == ["walk"]


HUGE = 99999999999999999999999  # beyond any database integer


def test_a_revision_number_beyond_any_integer_is_404_and_a_version_beyond_it_409(api, created):
    plan, token = created
    url = f"/api/v1/plans/{plan['id']}"
    auth = {"X-Edit-Token": token}
    missing = api.get(f"{url}/revisions/{HUGE}")
    assert missing.status_code == 404 and missing.get_json()["ok"] is False
    restore = api.post(f"{url}/revisions/{HUGE}/restore", json={"version": 1}, headers=auth)
    assert restore.status_code == 404 and restore.get_json()["ok"] is False
    stale = api.post(f"{url}/revisions/1/restore", json={"version": HUGE}, headers=auth)
    assert stale.status_code == 409 and stale.get_json()["ok"] is False
    edit = api.patch(url, json={"version": HUGE, "request": {"pace": "packed"}}, headers=auth)
    assert edit.status_code == 409
    assert api.get(url).get_json()["plan"]["version"] == 1


DEEP = "[" * 100_000 + "]" * 100_000  # about 200 KB: under the size limit, beyond any parser


def test_a_deeply_nested_body_is_a_400_envelope(api, created):
    plan, token = created
    made = api.post("/api/v1/plans", data=f'{{"stay": {DEEP}}}', content_type="application/json")
    assert made.status_code == 400 and made.get_json()["ok"] is False
    edited = api.patch(
        f"/api/v1/plans/{plan['id']}",
        data=f'{{"version": 1, "request": {DEEP}}}',
        content_type="application/json",
        headers={"X-Edit-Token": token},
    )
    assert edited.status_code == 400 and edited.get_json()["ok"] is False


def test_a_choice_error_names_the_choices_in_the_asked_language(api):
    body = {**BASE, "lang": "zh", "pace": "fast", "stay": "harbin", "transport": {"heihe": ["car"]}}
    errors = {e["field"]: e for e in api.post("/api/v1/plans", json=body).get_json()["errors"]}
    assert errors["pace"]["params"]["choices"] == ["relaxed", "normal", "packed"]
    assert "正常" in errors["pace"]["message"] and "normal" not in errors["pace"]["message"]
    assert "出租车" in errors["transport.heihe.0"]["message"]
    assert "taxi" not in errors["transport.heihe.0"]["message"]
    assert "黑河" in errors["stay"]["message"] and "heihe" not in errors["stay"]["message"]


def test_an_edit_refused_is_told_in_the_language_the_edit_asks_for(api, created):
    plan, token = created
    move = {"nationality": "CN", "visas": [], "stay": ["heihe", "blagoveshchensk"], "lang": "zh"}
    body = {"version": 1, "request": move}
    response = api.patch(f"/api/v1/plans/{plan['id']}", json=body, headers={"X-Edit-Token": token})
    assert response.status_code in (400, 422), response.get_json()
    messages = " ".join(e["message"] for e in response.get_json()["errors"])
    assert any("\u4e00" <= ch <= "\u9fff" for ch in messages)


def test_an_edit_that_would_drop_what_it_asks_for_is_refused_and_the_plan_stays(api, created):
    """Adding the winter rink to a July plan cannot be honoured: 422 with the reason, in the
    asked language, and the plan is still at version 1, unchanged."""
    plan, token = created
    edit = {"version": 1, "edits": [{"op": "add", "attraction_id": "embankment-winter-rink"}]}
    headers = {"X-Edit-Token": token}
    response = api.patch(f"/api/v1/plans/{plan['id']}?lang=ru", json=edit, headers=headers)
    assert response.status_code == 422
    error = response.get_json()["errors"][0]
    assert error["code"] == "refused_edit_drops"
    assert "каток" in error["message"].lower() or "Каток" in error["message"]
    after = api.get(f"/api/v1/plans/{plan['id']}").get_json()["plan"]
    assert after["version"] == 1
    assert after["days"] == plan["days"]


def test_an_edit_that_keeps_what_it_asks_for_is_saved(api, created):
    plan, token = created
    edit = {"version": 1, "edits": [{"op": "add", "attraction_id": "heilongjiang-park"}]}
    response = api.patch(f"/api/v1/plans/{plan['id']}", json=edit, headers={"X-Edit-Token": token})
    assert response.status_code == 200, response.get_json()
    stops = {s["attraction_id"] for d in response.get_json()["plan"]["days"] for s in d["stops"]}
    assert "heilongjiang-park" in stops
