"""The plan form and the plan page, read as a person would (text through a parser)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from conftest import MUSEUM, MUSEUM_TRIP

from planner.web import create_app

HOSTILE = "<script>alert(1)</script> `${alert(2)}` {{7*7}} {% if 1 %}X{% endif %}"


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.inputs: dict[str, str] = {}
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "input" and attrs.get("name"):
            self.inputs.setdefault(attrs["name"], attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def parse(response) -> _Page:
    page = _Page()
    page.feed(response.get_data(as_text=True))
    return page


@pytest.fixture()
def client(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'pages.sqlite3'}",
            "PLAN_TIME_LIMIT": 60,
        }
    )
    return app.test_client()


def form(client, lang="en", **fields):
    token = parse(client.get(f"/plan?lang={lang}")).inputs["csrf_token"]
    data = {
        "csrf_token": token,
        "arrive_date": "2027-07-10",
        "arrive_time": "09:00",
        "depart_date": "2027-07-12",
        "depart_time": "18:00",
        "stay_first": "heihe",
        "nationality": "RU",
        "visas": ["CN"],  # Russians need a Chinese visa since the regime ended 2026-09-14
        "party_size": "2",
        "pace": "normal",
        "lang": lang,
        "transport_heihe": ["walk", "taxi"],
        "transport_blagoveshchensk": ["walk", "taxi"],
        "title": HOSTILE,
        "notes": HOSTILE,
    }
    data.update(fields)
    if "plan_lang" in data:  # the plan's language, other than the page's
        data["lang"] = data.pop("plan_lang")
    return client.post(f"/plan?lang={lang}", data=data)


def test_form_errors_are_in_the_users_language_and_keep_what_was_typed(client):
    response = form(client, lang="ru", depart_date="2027-07-09", title="Моя поездка")
    assert response.status_code == 400
    page = parse(response)
    text = " ".join(page.text)
    assert "отъезд должен быть позже прибытия" in text
    assert page.inputs["title"] == "Моя поездка" and page.inputs["depart_date"] == "2027-07-09"
    small = parse(form(client, lang="ru", party_size="0"))
    assert "не меньше 1" in " ".join(small.text)


def test_a_post_without_csrf_token_is_refused(client):
    response = client.post("/plan", data={"arrive_date": "2027-07-10"})
    assert response.status_code == 400


def test_created_plan_shows_stops_crossing_report_by_and_hostile_text_as_text(client):
    response = form(client)
    assert response.status_code == 302
    page_response = client.get(response.headers["Location"])
    body = page_response.get_data(as_text=True)
    text = " ".join(parse(page_response).text)
    assert HOSTILE.split("`")[0].strip() in text  # the script tag is shown, as text
    assert "<script>alert(1)" not in body
    assert "{{7*7}}" in text and "`${alert(2)}`" in text  # shown as typed, not evaluated
    # each planned stop's name and the crossing's "be at ... by" line with its clock
    assert re.search(r"Be at .+ by \d\d:\d\d (Heihe|Blagoveshchensk) \(UTC\+\d\)", text)
    assert "Triumphal Arch" in text or "Aihui" in text
    # the map script never carries the raw hostile text
    scripts = re.findall(r"<script nonce=[^>]*>(.*?)</script>", body, re.S)
    assert scripts and all("<script>alert" not in s and "{{7*7}}" not in s for s in scripts)


def test_share_link_is_read_only_and_the_owner_can_remove_a_stop(client, tmp_path):
    location = form(client).headers["Location"]
    owner = parse(client.get(location))
    assert "Remove" in " ".join(owner.text)
    # another browser: no edit token cookie, no edit forms
    stranger = client.application.test_client()
    shared = parse(stranger.get(location))
    assert "Remove" not in " ".join(shared.text)
    assert "read-only" in " ".join(shared.text)
    body = client.get(location).get_data(as_text=True)
    stop = re.search(
        r'name="op" value="remove">\s*<input type="hidden" name="attraction_id" value="([^"]+)"',
        body,
    ).group(1)
    refused = stranger.post(
        f"{location}/edit",
        data={
            "op": "remove",
            "attraction_id": stop,
            "version": "1",
            "csrf_token": parse(stranger.get("/plan")).inputs["csrf_token"],
        },
    )
    assert refused.status_code == 403
    done = client.post(
        f"{location}/edit",
        data={
            "op": "remove",
            "attraction_id": stop,
            "version": "1",
            "csrf_token": owner.inputs["csrf_token"],
        },
    )
    assert done.status_code == 302
    after = client.get(location).get_data(as_text=True)
    assert "Version 2" in after
    assert not re.search(
        r'name="op" value="remove">\s*<input type="hidden" name="attraction_id" '
        rf'value="{re.escape(stop)}"',
        after,
    )


def test_my_plans_lists_the_plans_of_this_browser(client):
    form(client, title="First trip")
    listing = " ".join(parse(client.get("/plans")).text)
    assert "First trip" in listing
    assert "First trip" not in " ".join(parse(client.application.test_client().get("/plans")).text)


@pytest.mark.parametrize("lang", ["zh", "ru"])
def test_plan_page_has_no_english_headings_in_other_languages(client, lang):
    location = form(client, lang=lang).headers["Location"]
    text = " ".join(parse(client.get(f"{location}?lang={lang}")).text)
    for english in ("Day 1", "Totals", "Not in the plan", "Earlier versions", "Be at"):
        assert english not in text


def test_a_transport_mode_ticked_twice_on_the_form_counts_once(client):
    response = form(client, transport_heihe=["walk", "walk"])
    assert response.status_code == 302


def test_restoring_a_revision_beyond_any_integer_is_404_and_a_huge_version_is_stale(client):
    location = form(client).headers["Location"]
    token = parse(client.get(location)).inputs["csrf_token"]
    huge = "9" * 30
    missing = client.post(f"{location}/restore/{huge}", data={"csrf_token": token, "version": "1"})
    assert missing.status_code == 404
    stale = client.post(f"{location}/restore/1", data={"csrf_token": token, "version": huge})
    assert stale.status_code == 302
    text = " ".join(parse(client.get(location)).text)
    assert "changed elsewhere" in text and "Version 2" not in text


@pytest.mark.parametrize(
    "lang, words",
    [
        ("zh", ("请从以下选择", "正常", "人民币")),
        ("ru", ("выберите одно из", "обычный", "рубли")),
    ],
)
def test_a_choice_error_lists_the_choices_in_the_readers_words(client, lang, words):
    response = form(
        client,
        lang=lang,
        pace="fast",
        budget_amount="100",
        budget_currency="USD",
    )
    assert response.status_code == 400
    said = " ".join(
        re.findall(r'class="field-error"[^>]*>([^<]*)<', response.get_data(as_text=True))
    )
    for word in words:
        assert word in said
    for english in ("relaxed", "normal", "CNY or", "RUB,"):
        assert english not in said


@pytest.mark.parametrize("lang", ["zh", "ru"])
def test_plan_page_gives_opening_hours_in_words_never_the_osm_syntax(client, lang):
    from babel.support import Translations

    from planner.catalogue import load_catalogue
    from planner.hours_text import hours_in_words

    museum = MUSEUM
    body = {**MUSEUM_TRIP, "lang": lang}
    made = client.post("/api/v1/plans", json=body).get_json()["plan"]
    assert museum in {s["attraction_id"] for d in made["days"] for s in d["stops"]}
    text = " ".join(parse(client.get(f"/plans/{made['id']}?lang={lang}")).text)
    expression = load_catalogue().get(museum).opening_hours
    words = hours_in_words(expression, Translations.load("translations", [lang]).gettext, lang)
    assert expression not in text and "Fr[-1]" not in text
    assert words in text


def test_changing_the_dates_of_a_plan_that_changes_city_mid_trip_saves_a_new_version(client):
    location = form(client, depart_date="2027-07-13", stay_switch="1").headers["Location"]
    owner = parse(client.get(location))
    done = client.post(
        f"{location}/edit",
        data={
            "op": "dates",
            "arrive": "2027-07-10T10:00",
            "depart": "2027-07-12T18:00",
            "version": "1",
            "csrf_token": owner.inputs["csrf_token"],
        },
    )
    assert done.status_code == 302
    after = " ".join(parse(client.get(location)).text)
    assert "Version 2" in after and "give one city" not in after


@pytest.mark.parametrize("lang", ["zh", "ru"])
def test_the_403_page_for_a_browser_without_the_edit_token_is_in_the_readers_language(client, lang):
    location = form(client).headers["Location"]
    stranger = client.application.test_client()
    token = parse(stranger.get(f"/plan?lang={lang}")).inputs["csrf_token"]
    for path in (f"{location}/edit?lang={lang}", f"{location}/restore/1?lang={lang}"):
        refused = stranger.post(
            path, data={"op": "pace", "pace": "packed", "version": "1", "csrf_token": token}
        )
        assert refused.status_code == 403
        text = " ".join(parse(refused).text)
        assert "browser" not in text and "Forbidden" not in text and "permission" not in text
        assert ("浏览器" if lang == "zh" else "браузере") in text


def test_a_tampered_edit_op_flashes_a_translated_message_not_the_list_of_codes(client):
    location = form(client, lang="ru").headers["Location"]
    owner = parse(client.get(f"{location}?lang=ru"))
    client.post(
        f"{location}/edit?lang=ru",
        data={"op": "explode", "version": "1", "csrf_token": owner.inputs["csrf_token"]},
    )
    text = " ".join(parse(client.get(f"{location}?lang=ru")).text)
    assert "remove / add" not in text and "Version 2" not in text
    assert "Не удалось" in text or "не удалось" in text


@pytest.mark.parametrize(
    ("fields", "marked"),
    [({"hotel_heihe": "no-such-hotel"}, "err-hotel_heihe"), ({"plan_lang": "xx"}, "err-lang")],
)
def test_an_unknown_hotel_or_language_on_the_form_marks_its_field(client, fields, marked):
    response = form(client, lang="zh", **fields)
    assert response.status_code == 400
    assert f'id="{marked}"' in response.get_data(as_text=True)


def test_a_form_error_of_a_field_without_a_marker_is_shown_at_the_top(client, monkeypatch):
    from planner.web.plan_form import form_field

    assert form_field("hotels") == "form" and form_field("no_such_field.0") == "form"


def test_each_stop_card_shows_the_driver_the_local_name_and_address(client):
    from html import escape

    from planner.catalogue import load_catalogue

    response = form(client)
    location = response.headers["Location"]
    page_response = client.get(location)
    body = page_response.get_data(as_text=True)
    plan_id = location.rstrip("/").split("/")[-1].split("?")[0]
    plan = client.get(f"/api/v1/plans/{plan_id}").get_json()["plan"]
    visits = [i for d in plan["days"] for i in d["items"] if i["type"] == "visit"]
    assert visits
    assert "For the driver" in " ".join(parse(page_response).text)
    cat = load_catalogue()
    for visit in visits:
        place = cat.get(visit["attraction_id"])
        lang, local = ("zh-Hans", place.name.zh) if place.city == "heihe" else ("ru", place.name.ru)
        assert f'<span class="driver-name" lang="{lang}">{escape(local)}</span>' in body
        assert f'<span class="driver-address" lang="{lang}">{escape(place.address)}</span>' in body


def test_the_form_says_which_entry_rule_allows_the_day_across(app):
    from planner.web.plan_pages import _entry_lines

    with app.test_request_context("/plan?lang=en"):
        belarus = _entry_lines({"nationality": "BY", "arrive": "2027-03-01T09:00+08:00"}, "en")
        chinese = _entry_lines({"nationality": "CN", "arrive": "2027-03-01T09:00+08:00"}, "en")
        with_visa = _entry_lines(
            {"nationality": "CN", "visas": ["RU"], "arrive": "2027-03-01T09:00+08:00"}, "en"
        )
    assert len(belarus) == 2 and "2000" in belarus[0]  # the Eurasec agreement into Russia
    assert chinese[0].startswith("Russia: your passport needs a visa")
    assert "needs a visa" not in with_visa[0]
    page = app.test_client().get("/plan?lang=ru").get_data(as_text=True)
    assert "для вашего паспорта нужна виза" in page
