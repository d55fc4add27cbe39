"""Small things a person notices: field errors linked to their fields, a way past the place
list, icons that need no emoji font, totals in the reader's currency and number format."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from test_plan_pages import form

from planner.web import create_app

# Emoji and pictographs that need a colour-emoji font (shown as an empty box without one).
EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f]")


class _Tags(HTMLParser):
    """Every start tag with its attributes, in page order."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.texts: dict[str, str] = {}  # element id -> its text
        self._open: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        self.tags.append((tag, attrs))
        if attrs.get("id") and tag == "span":
            self.texts[attrs["id"]] = ""
            self._open.append(attrs["id"])
        elif tag == "span":
            self._open.append("")

    def handle_endtag(self, tag):
        if tag == "span" and self._open:
            self._open.pop()

    def handle_data(self, data):
        for element in self._open:
            if element:
                self.texts[element] += data


@pytest.fixture()
def client(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'small.sqlite3'}",
            "TILES": "none",
        }
    )
    return app.test_client()


def test_each_field_error_is_linked_to_its_field_and_the_field_is_marked_invalid(client):
    response = form(client, party_size="many", arrive_date="")
    assert response.status_code == 400
    page = _Tags(response.get_data(as_text=True))
    invalid = [(tag, a) for tag, a in page.tags if a.get("aria-invalid") == "true"]
    names = {a.get("name") for _tag, a in invalid}
    assert {"party_size", "arrive_date"} <= names, names
    for _tag, attrs in invalid:
        for element in attrs["aria-describedby"].split():
            assert page.texts.get(element, "").strip(), (attrs.get("name"), element)
    # The script that puts the keyboard on the first of them is served by the app itself.
    scripts = [a["src"] for tag, a in page.tags if tag == "script" and a.get("src")]
    assert "/static/js/field-errors.js" in scripts
    served = client.get("/static/js/field-errors.js")
    assert served.status_code == 200 and b"aria-invalid" in served.data
    served.close()


def test_a_form_without_errors_marks_no_field_invalid(client):
    page = _Tags(client.get("/plan").get_data(as_text=True))
    assert not [a for _tag, a in page.tags if "aria-invalid" in a]


def test_a_skip_link_before_the_place_checkboxes_leads_to_the_submit_button(client):
    page = _Tags(client.get("/plan?lang=ru").get_data(as_text=True))
    order = [a for _tag, a in page.tags]
    skip = next(i for i, a in enumerate(order) if "skip-link" in a.get("class", ""))
    first_box = next(i for i, a in enumerate(order) if a.get("name") == "must_see")
    target = order[skip]["href"].removeprefix("#")
    submit = next(i for i, a in enumerate(order) if a.get("id") == target)
    assert skip < first_box < submit
    assert order[submit].get("type") == "submit"


def _plan_with_a_meal(client) -> str:
    body = {
        "arrive": "2027-07-10T09:00+08:00",
        "depart": "2027-07-11T20:00+08:00",
        "stay": "heihe",
        "nationality": "CN",
        "visas": ["RU"],
    }
    made = client.post("/api/v1/plans", json=body).get_json()
    assert made["ok"], made
    return made["plan"]["id"]


def test_the_plan_page_draws_its_icons_without_an_emoji_font(client):
    plan_id = _plan_with_a_meal(client)
    for lang in ("en", "zh", "ru"):
        html = client.get(f"/plans/{plan_id}?lang={lang}").get_data(as_text=True)
        assert 'class="icon icon-meal"' in html, "the plan has a meal, with its icon"
        assert not EMOJI.findall(html), EMOJI.findall(html)


def test_the_crossing_page_draws_its_icons_without_an_emoji_font(client):
    html = client.get("/crossing?date=2027-07-10&lang=ru").get_data(as_text=True)
    assert not EMOJI.findall(html), EMOJI.findall(html)


TOTALS = {
    "sum": {"amount": 294.0, "currency": "CNY"},
    "exchange": {"cny_per_unit": {"CNY": 1.0, "RUB": 0.08912}},
}


@pytest.mark.parametrize(
    ("lang", "currencies"), [("ru", ["RUB"]), ("zh", ["CNY"]), ("en", ["CNY", "RUB"])]
)
def test_a_total_is_counted_in_the_readers_currency(lang, currencies):
    from planner.totals import reader_sums

    sums = reader_sums(TOTALS, lang)
    assert [s["currency"] for s in sums] == currencies
    for s in sums:
        cny = s["amount"] * TOTALS["exchange"]["cny_per_unit"][s["currency"]]
        assert cny == pytest.approx(294.0, abs=0.01)


def _total_on(html: str) -> str:
    return html.split('class="total-sum">', 1)[1].split("</strong>", 1)[0]


@pytest.mark.parametrize(
    ("lang", "shown", "hidden"),
    [("ru", ["RUB"], ["CNY"]), ("zh", ["CNY"], ["RUB"]), ("en", ["CNY", "RUB"], [])],
)
def test_the_plan_page_and_print_show_the_total_in_the_readers_currency(
    client, lang, shown, hidden
):
    plan_id = _plan_with_a_meal(client)
    for path in (f"/plans/{plan_id}?lang={lang}", f"/plans/{plan_id}/print?lang={lang}"):
        total = _total_on(client.get(path).get_data(as_text=True))
        for code in shown:
            assert code in total, (path, total)
        for code in hidden:
            assert code not in total, (path, total)


def test_a_russian_page_writes_every_distance_with_a_decimal_comma(client):
    plan_id = _plan_with_a_meal(client)
    html = client.get(f"/plans/{plan_id}?lang=ru").get_data(as_text=True)
    distances = re.findall(r"(\d+(?:[.,]\d+)?)\s*км", html)
    assert distances, "the page shows distances"
    assert not [d for d in distances if "." in d], distances
    rate = re.search(r"1 CNY = ([\d.,\s]+) RUB", html)
    assert rate and "," in rate.group(1), rate


def test_the_command_line_text_gives_the_total_in_the_readers_currency():
    from click.testing import CliRunner

    from planner.cli import cli

    args = ["plan", "--arrive", "2027-07-10T09:00+08:00", "--depart", "2027-07-11T18:00+08:00"]
    args += [
        "--stay",
        "heihe",
        "--nationality",
        "RU",
        "--visa",
        "CN",
        "--time-limit",
        "1",
        "--seed",
        "1",
    ]
    result = CliRunner().invoke(cli, [*args, "--lang", "ru"])
    assert result.exit_code == 0, result.output
    (line,) = [x for x in result.output.splitlines() if x.startswith("Всего")]
    assert "RUB" in line and "CNY" not in line, line
