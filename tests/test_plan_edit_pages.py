"""Edits on the plan page and through the API: a day reordered with the ↑ ↓ buttons (no
script), the other days kept, and what changed said in the reader's language."""

from __future__ import annotations

import re

import pytest
from test_plan_pages import form, parse
from test_plans_api import BASE

from planner.web import create_app


def _app(tmp_path):
    # A time limit that the work budget, not the clock, ends (the machine may be busy).
    config = {"TESTING": True, "SECRET_KEY": "t", "PLAN_TIME_LIMIT": 10}
    return create_app({**config, "DATABASE_URL": f"sqlite:///{tmp_path / 'edits.sqlite3'}"})


@pytest.fixture()
def client(tmp_path):
    return _app(tmp_path).test_client()


@pytest.fixture()
def api(tmp_path):
    return _app(tmp_path).test_client()


@pytest.fixture()
def created(api):
    response = api.post("/api/v1/plans", json=BASE)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    return body["plan"], body["edit_token"]


def day_orders(body: str) -> dict[str, list[str]]:
    lists = re.findall(r'<ol class="items" data-day="(\d+)">(.*?)</ol>', body, re.S)
    stop = r'<li class="visit"[^>]*data-id="([^"]+)"'
    return {day: re.findall(stop, html) for day, html in lists}


def test_the_down_button_reorders_the_day_and_the_page_says_what_changed(client):
    location = form(client, lang="ru").headers["Location"]
    body = client.get(location).get_data(as_text=True)
    before = day_orders(body)
    down = re.search(r'<form [^>]*class="inline reorder-down">(.*?)</form>', body, re.S).group(1)
    day = re.search(r'name="day" value="(\d+)"', down).group(1)
    order = re.findall(r'name="order" value="([^"]+)"', down)
    assert sorted(order) == sorted(before[day]) and order != before[day]
    done = client.post(
        f"{location}/edit",
        data={
            "op": "reorder",
            "day": day,
            "order": order,
            "version": "1",
            "csrf_token": parse(client.get(location)).inputs["csrf_token"],
        },
    )
    assert done.status_code == 302
    page = client.get(location)
    after = day_orders(page.get_data(as_text=True))
    assert after[day] == order
    assert {d: o for d, o in after.items() if d != day} == {
        d: o for d, o in before.items() if d != day
    }
    text = " ".join(parse(page).text)
    assert "Что изменила последняя правка" in text


def test_an_api_edit_answers_with_what_changed(api, created):
    plan, token = created
    first = plan["days"][0]["stops"][0]
    response = api.patch(
        f"/api/v1/plans/{plan['id']}",
        json={"version": 1, "edits": [{"op": "remove", "attraction_id": first["attraction_id"]}]},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.get_json()
    after = response.get_json()["plan"]
    removed = [c for c in after["changes"] if c["code"] == "stop_removed"]
    assert [c["params"]["place"]["en"] for c in removed] == [first["name"]["en"]]
    assert removed[0]["text"].startswith("removed: ")
    assert after["days"][1:] == plan["days"][1:]


def test_a_reorder_that_is_not_the_days_stops_is_a_422_with_its_reason(api, created):
    plan, token = created
    stops = [s["attraction_id"] for s in plan["days"][0]["stops"]]
    response = api.patch(
        f"/api/v1/plans/{plan['id']}?lang=en",
        json={"version": 1, "edits": [{"op": "reorder", "day": 0, "attraction_ids": stops[:1]}]},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 422
    assert "the new order must list exactly the stops of day 1" in str(response.get_json())


def test_restoring_a_revision_says_what_it_brought_back(api, created):
    plan, token = created
    auth = {"Authorization": f"Bearer {token}"}
    first = plan["days"][0]["stops"][0]
    url = f"/api/v1/plans/{plan['id']}"
    edits = [{"op": "remove", "attraction_id": first["attraction_id"]}]
    assert api.patch(url, json={"version": 1, "edits": edits}, headers=auth).status_code == 200
    restored = api.post(f"{url}/revisions/1/restore", json={"version": 2}, headers=auth)
    assert restored.status_code == 200, restored.get_json()
    back = restored.get_json()["plan"]
    assert ("stop_added", first["attraction_id"]) in {
        (c["code"], c["params"]["attraction_id"]) for c in back["changes"]
    }
    assert back["days"] == plan["days"]
