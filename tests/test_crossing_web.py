"""The crossing page and GET /api/v1/crossings agree with the border model."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

HAN = re.compile(r"[\u4e00-\u9fff]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
INTERNAL_IDS = (
    "pontoon_bus",
    "bridge_bus",
    "heihe-river-port",
    "cn-visa-free-ru",
    "ru-visa-free-cn",
)
VOID = {"br", "img", "input", "meta", "link", "hr"}


class _Classes(HTMLParser):
    """Visible text, and the text inside each element class (e.g. every 'warn' div)."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str]] = []
        self.visible: list[str] = []
        self.by_class: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        self.stack.append((tag, dict(attrs).get("class") or ""))
        for cls in self.stack[-1][1].split():
            self.by_class.setdefault(cls, []).append("")

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if any(tag in ("script", "style") for tag, _ in self.stack):
            return
        self.visible.append(data)
        if self.stack:
            for cls in self.stack[-1][1].split():
                self.by_class[cls][-1] += data


def page(client, url: str) -> _Classes:
    parser = _Classes()
    parser.feed(client.get(url).get_data(as_text=True))
    return parser


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
    closures = [r for r in body["reasons"] if r["code"] == "holiday_closure"]
    assert closures and closures[0]["params"]["start"] == "2026-02-16"
    assert "holiday" in closures[0]["text"]  # English by default


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


def test_crossing_page_bad_date_is_a_message_and_a_400_not_a_crash(client):
    response = client.get("/crossing?date=not-a-date")
    assert response.status_code == 400  # an invalid query, said on the page
    assert "not-a-date" in response.get_data(as_text=True)


@pytest.mark.parametrize(("lang", "script"), [("zh", HAN), ("ru", CYRILLIC)])
def test_api_renders_messages_in_the_requested_language(client, lang, script):
    body = client.get(
        "/api/v1/crossings?from=blagoveshchensk&after=2027-01-20T07:00%2B09:00&nationality=RU&visa=CN"
        f"&limit=3&lang={lang}"
    ).get_json()
    assert body["ok"] is True and body["lang"] == lang
    coded = [w for w in body["options"][0]["warnings"] if w["code"] != "data_note"]
    assert coded and all({"code", "params", "text"} <= set(w) for w in coded)
    for warning in coded:
        assert script.search(warning["text"]), warning
        assert not any(word in warning["text"] for word in INTERNAL_IDS), warning


def test_api_unknown_lang_is_400(client):
    response = client.get(
        "/api/v1/crossings?from=heihe&after=2027-01-20T09:00%2B08:00&nationality=RU&lang=fr"
    )
    assert response.status_code == 400 and "lang" in response.get_json()["error"]


def test_crossing_page_shows_reasons_in_chinese_without_internal_ids(client):
    parsed = page(client, "/crossing?from=blagoveshchensk&date=2027-01-20&nationality=RU&lang=zh")
    warnings = parsed.by_class.get("warn", [])
    assert warnings and any(HAN.search(w) for w in warnings)
    visible = " ".join(parsed.visible)
    assert not any(word in visible for word in INTERNAL_IDS)


def test_crossing_page_reasons_for_a_closed_day_are_translated(client):
    parsed = page(client, "/crossing?from=heihe&date=2026-02-17&nationality=RU&lang=ru")
    reasons = [r for r in parsed.by_class.get("method", []) if r.strip()]
    assert reasons and all(CYRILLIC.search(r) for r in reasons)
    assert not any("pontoon_bus" in r or "ship:" in r for r in reasons)


def test_crossing_page_takes_visas_and_groups_so_chinese_travellers_see_options(client):
    """After the visa-free regime ended, a Chinese passport alone gets no crossing; a visa or a
    tour group does, and the advice names no command-line flag."""
    base = "/crossing?from=heihe&date=2027-07-11&nationality=CN&lang=en"
    alone = client.get(base).get_data(as_text=True)
    assert "--visa" not in alone
    with_visa = client.get(base + "&visa=RU").get_data(as_text=True)
    group = client.get(base + "&party=8&group_tour=on").get_data(as_text=True)
    for page in (with_visa, group):
        assert "Be at the terminal" in page and "<tbody>" in page
    assert 'name="visa" value="RU" checked' in with_visa
    assert 'name="party" value="8"' in group


def test_crossing_page_explains_a_bad_party_size_and_passport(client):
    page = client.get("/crossing?party=0&nationality=ZZ&lang=ru").get_data(as_text=True)
    assert "Число путешественников" in page and "Неизвестный код страны" in page


def test_crossing_page_shows_when_each_rule_was_last_checked(client):
    fresh = client.get("/crossing?from=blagoveshchensk&date=2026-12-01&nationality=RU&lang=ru")
    html = fresh.get_data(as_text=True)
    assert "2026-11-30" in html and "уточните перед поездкой" not in html
    assert "пробный безвизовый въезд в Китай" in html
    late = client.get("/crossing?from=blagoveshchensk&date=2027-03-15&nationality=RU&lang=zh")
    html = late.get_data(as_text=True)
    assert "2026-11-30" in html and "出行前请核实" in html


def test_crossing_notes_are_shown_in_the_readers_language(client):
    html = client.get("/crossing?from=blagoveshchensk&date=2026-07-15&nationality=RU&lang=zh")
    text = html.get_data(as_text=True)
    assert "早上第一班在海关最拥挤" in text
    assert "the first morning run is the busiest" not in text
    body = client.get(
        "/api/v1/crossings?from=blagoveshchensk&after=2026-07-15T08:00%2B09:00"
        "&nationality=RU&lang=ru"
    ).get_json()
    notes = [w for o in body["options"] for w in o["warnings"] if w["code"] == "data_note"]
    assert notes and all(set(n["params"]["text"]) == {"zh", "ru", "en"} for n in notes)
    assert all(CYRILLIC.search(n["text"]) for n in notes)


def test_crossing_page_marks_derived_departure_times_as_indicative(client):
    """The Heihe-side ship times are mirrored from the other bank: never shown as exact."""
    html = client.get(
        "/crossing?from=heihe&date=2027-07-11&nationality=CN&visa=RU&lang=en"
    ).get_data(as_text=True)
    assert "about 09:00 (indicative)" in html


@pytest.mark.parametrize("day", ["2027-13-40", "garbage", "9999-12-31", "0001-01-01"])
@pytest.mark.parametrize("lang, words", [("zh", "不是有效日期"), ("ru", "неверная дата")])
def test_crossing_page_says_a_bad_date_in_the_readers_language(client, day, lang, words):
    response = client.get("/crossing", query_string={"date": day, "lang": lang})
    assert response.status_code == 400  # an invalid query
    text = " ".join(page(client, f"/crossing?date={day}&lang={lang}").visible)
    assert words in text and "1970" in text and "2100" in text
    for english in ("month must be", "Invalid isoformat", "out of range", "supported"):
        assert english not in text


@pytest.mark.parametrize("query", ["nationality=XX", "party=0", "from=harbin", "date=2027-02-30"])
def test_an_invalid_crossing_query_is_a_400_page_with_its_message(client, query):
    response = client.get(f"/crossing?{query}")
    assert response.status_code == 400
    assert 'class="error-message' in response.get_data(as_text=True)


@pytest.mark.parametrize("limit", ["1.5", "ten", "1e3"])
def test_a_crossings_limit_that_is_not_a_whole_number_gets_a_clean_message(client, limit):
    body = client.get(
        f"/api/v1/crossings?from=heihe&after=2027-07-10T09:00%2B08:00&nationality=CN&limit={limit}"
    ).get_json()
    assert body["status"] == 400 and body["error"] == "limit must be a whole number, e.g. 10"


def test_an_unknown_visa_country_is_called_a_visa_country_not_a_nationality(client, runner):
    from planner.cli import cli

    body = client.get(
        "/api/v1/crossings?from=heihe&after=2027-07-10T09:00%2B08:00&nationality=CN&visa=XX"
    ).get_json()
    assert "unknown visa country 'XX'" in body["error"] and "nationality" not in body["error"]
    args = ["crossings", "--from", "heihe", "--after", "2027-07-10T09:00+08:00"]
    result = runner.invoke(cli, [*args, "--nationality", "CN", "--visa", "XX"])
    assert result.exit_code != 0 and "unknown visa country 'XX'" in result.output


def test_the_crossings_command_refuses_a_window_longer_than_two_weeks(runner):
    from planner.cli import cli

    args = ["crossings", "--from", "heihe", "--after", "2027-07-10T09:00+08:00"]
    result = runner.invoke(cli, [*args, "--nationality", "CN", "--until", "2030-07-10T09:00+08:00"])
    assert result.exit_code != 0 and "at most 14 days after --after" in result.output
    ok = runner.invoke(cli, [*args, "--nationality", "CN", "--until", "2027-07-20T09:00+08:00"])
    assert ok.exit_code == 0, ok.output
