"""The crossing page a traveller reads on a phone: defaults from the page's language, real
countries only, which crossing runs when, each warning once, times in words, one true answer
when there is no departure; and a trip in the past is refused."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser

import pytest

from planner import crossing
from planner.crossing import season_overview
from planner.web.plan_form import country_choices

ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
NOT_COUNTRIES = ("Pseudo", "European Union", "United Nations", "Eurozone", "Псевдо", "联合国")


class _Page(HTMLParser):
    """Visible text; the options of each select; the text of each element with an id."""

    def __init__(self) -> None:
        super().__init__()
        self.visible: list[str] = []
        self.options: dict[str, list[tuple[str, str, bool]]] = {}
        self.items: dict[str, list[str]] = {}  # class -> text of each <li> of that class
        self._select = ""
        self._option: tuple[str, bool] | None = None
        self._li: list[tuple[str, list[str]]] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "select":
            self._select = a.get("name", "")
            self.options.setdefault(self._select, [])
        elif tag == "option":
            self._option = (a.get("value", ""), "selected" in a)
        elif tag == "li":
            self._li.append((a.get("class") or "", []))

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1
        elif tag == "li" and self._li:
            cls, parts = self._li.pop()
            for name in cls.split():
                self.items.setdefault(name, []).append(" ".join("".join(parts).split()))
            if self._li:
                self._li[-1][1].extend(parts)

    def handle_data(self, data):
        if self._skip:
            return
        self.visible.append(data)
        if self._li:
            self._li[-1][1].append(data)
        if self._option is not None and self._select:
            value, selected = self._option
            self.options[self._select].append((value, data.strip(), selected))
            self._option = None

    def selected(self, name: str) -> str:
        return next(value for value, _, chosen in self.options[name] if chosen)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.visible).split())


def parse(client, url: str) -> _Page:
    page = _Page()
    page.feed(client.get(url).get_data(as_text=True))
    return page


@pytest.mark.parametrize(
    ("lang", "city", "passport"),
    [("ru", "blagoveshchensk", "RU"), ("zh", "heihe", "CN"), ("en", "heihe", "CN")],
)
def test_the_crossing_page_starts_where_a_reader_of_its_language_starts(
    client, lang, city, passport
):
    page = parse(client, f"/crossing?lang={lang}")
    assert page.selected("from") == city
    assert page.selected("nationality") == passport


def test_a_chosen_city_and_passport_win_over_the_language_defaults(client):
    page = parse(client, "/crossing?lang=ru&from=heihe&nationality=DE")
    assert page.selected("from") == "heihe" and page.selected("nationality") == "DE"


@pytest.mark.parametrize("path", ["/crossing", "/plan"])
@pytest.mark.parametrize("lang", ["en", "ru", "zh"])
def test_the_passport_list_offers_only_real_countries(client, path, lang):
    options = parse(client, f"{path}?lang={lang}").options["nationality"]
    assert len(options) > 200
    labels = [label for _, label, _ in options]
    assert not [label for label in labels if any(word in label for word in NOT_COUNTRIES)]
    assert all(value in crossing.ISO_ALPHA2 for value, _, _ in options)
    assert len({value for value, _, _ in options}) == len(options)  # each country once


def test_the_api_accepts_every_listed_passport(client):
    codes = [c.value for c in country_choices("en")]
    assert "DE" in codes and "EU" not in codes and "XA" not in codes and "UN" not in codes
    refused = []
    for code in codes:
        body = client.get(
            "/api/v1/crossings?from=heihe&after=2027-07-11T09:00%2B08:00"
            f"&nationality={code}&limit=1"
        ).get_json()
        if not body["ok"]:
            refused.append(code)
    assert not refused
    # ... and the plan API's validation takes each as a passport (nothing is planned here)
    from planner.request_spec import RequestInvalid, spec_from_json

    trip = {"arrive": "2027-07-10T09:00+08:00", "depart": "2027-07-12T18:00+08:00"}
    for code in codes:
        try:
            spec_from_json({**trip, "stay": "heihe", "nationality": code})
        except RequestInvalid:
            refused.append(code)
    assert not refused


def test_the_season_overview_shows_which_crossing_runs_in_which_month():
    rows = {row.mode: row for row in season_overview(2027)}
    assert rows["bridge_bus"].months == ("all",) * 12  # the road bridge runs all year
    assert rows["ship"].months[0] == "none" and rows["ship"].months[6] == "all"  # Jan / Jul
    assert rows["pontoon_bus"].months[1] == "all" and rows["pontoon_bus"].months[6] == "none"
    assert set(rows["cableway"].months) == {"none"} and not rows["cableway"].in_service


def test_the_season_overview_agrees_with_the_options_of_a_day():
    rows = {row.mode: row for row in season_overview(2027)}
    july = crossing.options_on_day("heihe", date(2027, 7, 11), "RU")
    assert july.options
    for option in july.options:
        assert rows[option.mode].months[6] != "none"


def test_the_crossing_page_shows_the_season_overview_in_the_readers_words(client):
    page = parse(client, "/crossing?lang=ru&date=2027-07-11")
    strips = page.items["season-all"] + page.items["season-part"] + page.items["season-none"]
    assert len(strips) == 12 * len(season_overview(2027))
    assert "июль: работает весь месяц" in " ".join(page.items["season-all"])
    assert "Теплоход" in page.text


def test_each_warning_is_shown_once_with_the_departures_it_applies_to(client):
    url = "/crossing?lang=en&from=heihe&date=2027-01-20&nationality=RU"
    page = parse(client, url)
    answer = crossing.crossing_options("heihe", _at("2027-01-20T00:00+08:00"), "RU", limit=20)
    repeated = sum(len(o.warnings) for o in answer.options)
    notes = page.items["warn"]
    assert len(answer.options) > 3 and repeated > len(notes) > 0
    assert len(notes) == len(set(notes))  # no warning twice
    for note in notes:
        assert page.text.count(note.split(" (")[0][:60]) == 1
    assert any("every departure" in note for note in notes)


def test_sources_are_collapsed_and_each_link_listed_once_per_mode(client):
    html = client.get("/crossing?lang=en&from=heihe&date=2027-01-20&nationality=RU").get_data(
        as_text=True
    )
    boxes = re.findall(r'<details class="sources-box">(.*?)</details>', html, re.S)
    assert boxes
    for box in boxes:
        links = re.findall(r'<a href="([^"]+)"', box)
        assert links and len(links) == len(set(links))
    outside = re.sub(r'<details class="sources-box">.*?</details>', "", html, flags=re.S)
    assert 'rel="noopener">http' not in outside  # no source link outside the collapsed boxes


@pytest.mark.parametrize("lang", ["en", "ru", "zh"])
@pytest.mark.parametrize(
    "query",
    [
        "from=heihe&date=2027-01-20&nationality=RU",
        "from=blagoveshchensk&date=2027-07-11&nationality=RU&visa=CN",
        "from=heihe&date=2027-07-11&nationality=CN",  # no departure: the reasons speak
        "from=heihe&date=2026-02-17&nationality=RU",  # Spring Festival closure
    ],
)
def test_the_crossing_page_never_shows_an_iso_timestamp(client, lang, query):
    page = parse(client, f"/crossing?lang={lang}&{query}")
    assert page.text and not ISO_MOMENT.search(page.text), ISO_MOMENT.findall(page.text)
    assert "+08:00" not in page.text and "+09:00" not in page.text


def test_departure_times_are_in_words_with_their_city_and_offset(client):
    page = parse(client, "/crossing?lang=ru&from=blagoveshchensk&date=2027-07-11&visa=CN")
    cards = page.items["departure"]
    assert cards
    for card in cards:
        assert "Благовещенск (UTC+9)" in card and "Хэйхэ (UTC+8)" in card
        assert re.search(r"\b\d\d:\d\d\b", card)
    assert "вс, 11 июл." in page.text  # the chosen day in words, heading its departures


def test_no_departure_is_said_once_without_a_return_deadline_that_contradicts_it(client):
    """A Chinese passport without a Russian visa cannot leave Heihe; the Russian bank's last
    crossing back (which runs) used to be shown beside 'no crossing' as a 'last safe return'."""
    page = parse(client, "/crossing?lang=en&from=heihe&date=2027-07-11&nationality=CN")
    assert "No crossing from Heihe on this day or the next" in page.text
    assert "Last safe return" not in page.text and not page.items.get("departure")
    answer = crossing.crossing_options("heihe", _at("2027-07-11T00:00+08:00"), "CN")
    assert not answer.options and answer.last_return is None


def test_a_departure_comes_with_its_return_deadline(client):
    page = parse(
        client, "/crossing?lang=en&from=blagoveshchensk&date=2027-07-11&visa=CN&nationality=RU"
    )
    assert page.items["departure"] and "Last safe return from Heihe" in page.text


def _at(text: str):
    from datetime import datetime

    return datetime.fromisoformat(text)


PAST = {
    "arrive": "2020-07-10T09:00+08:00",
    "depart": "2020-07-12T18:00+08:00",
    "stay": "heihe",
    "nationality": "RU",
    "visas": ["CN"],
}


def test_the_api_refuses_a_trip_in_the_past_with_a_clear_message(client):
    response = client.post("/api/v1/plans?lang=ru", json=PAST)
    assert response.status_code in (400, 422)
    body = response.get_json()
    errors = [e for e in body["errors"] if e["code"] == "date_in_past"]
    assert errors and errors[0]["field"] == "arrive"
    assert "этот день уже прошёл" in errors[0]["message"]


def test_an_edit_may_not_move_a_trip_into_the_past_but_a_2027_trip_is_planned(client):
    future = {**PAST, "arrive": "2027-07-10T09:00+08:00", "depart": "2027-07-12T18:00+08:00"}
    made = client.post("/api/v1/plans", json=future)
    assert made.status_code == 201
    plan, token = made.get_json()["plan"], made.get_json()["edit_token"]
    moved = {"version": 1, "request": {"arrive": PAST["arrive"], "depart": PAST["depart"]}}
    response = client.patch(
        f"/api/v1/plans/{plan['id']}", json=moved, headers={"X-Edit-Token": token}
    )
    assert response.status_code in (400, 422)
    assert [e for e in response.get_json()["errors"] if e["code"] == "date_in_past"]
    assert client.get(f"/api/v1/plans/{plan['id']}").get_json()["plan"]["version"] == 1


def test_the_plan_form_refuses_a_past_date_at_its_field_in_the_readers_language(client):
    from test_plan_pages import form
    from test_plan_pages import parse as parse_form

    response = form(client, lang="zh", arrive_date="2020-07-10", depart_date="2020-07-12")
    assert response.status_code in (400, 422)
    text = " ".join(parse_form(response).text)
    assert "这一天已经过去" in text
