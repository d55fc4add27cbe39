"""The crossing page and GET /api/v1/crossings agree with the border model."""

from __future__ import annotations

import pytest


def test_api_returns_options_with_offsets(client):
    body = client.get(
        "/api/v1/crossings?from=heihe&after=2027-01-20T09:00%2B08:00&nationality=RU&limit=3"
    ).get_json()
    assert body["ok"] is True
    assert body["options"], body["reasons"]
    first = body["options"][0]
    assert first["depart"].endswith("+08:00") and first["arrive"].endswith("+09:00")
    assert {"mode", "minutes", "fare", "from_point", "to_point", "documents", "warnings"} <= set(
        first
    )


@pytest.mark.parametrize(
    "query, word",
    [
        ("from=heihe&after=2027-01-20T09:00&nationality=RU", "offset"),
        ("from=mars&after=2027-01-20T09:00%2B08:00&nationality=RU", "mars"),
        ("from=heihe&after=2027-01-20T09:00%2B08:00&nationality=XX", "XX"),
        ("from=heihe&nationality=RU", "after"),
    ],
)
def test_api_bad_input_is_400_with_message(client, query, word):
    response = client.get(f"/api/v1/crossings?{query}")
    assert response.status_code == 400
    assert word in response.get_json()["error"]


def test_api_spring_festival_has_no_option_and_says_why(client):
    body = client.get(
        "/api/v1/crossings?from=heihe&after=2026-02-17T09:00%2B08:00&nationality=RU&limit=2"
    ).get_json()
    assert all(not o["depart"].startswith("2026-02-17") for o in body["options"])
    assert any("holiday" in r.lower() or "festival" in r.lower() for r in body["reasons"])


def test_page_and_api_show_the_same_departures(client):
    page = client.get("/crossing?from=heihe&date=2027-07-11&nationality=RU&lang=en")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    body = client.get(
        "/api/v1/crossings?from=heihe&after=2027-07-11T00:00%2B08:00&nationality=RU&limit=20"
    ).get_json()
    same_day = [o for o in body["options"] if o["depart"].startswith("2027-07-11")]
    assert same_day
    for option in same_day:
        assert option["depart"][11:16] in html


@pytest.mark.parametrize("lang", ["zh", "ru"])
def test_crossing_page_is_translated(client, lang):
    html = client.get(f"/crossing?date=2027-07-11&lang={lang}").get_data(as_text=True)
    assert "Crossing the border" not in html


def test_crossing_page_bad_date_is_a_message_not_an_error(client):
    response = client.get("/crossing?date=not-a-date")
    assert response.status_code == 200
    assert "not-a-date" in response.get_data(as_text=True)
