"""What a source supports reaches the traveller as translated labels, never as the editors' text."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from planner.catalogue import DEFAULT_PATH, load_catalogue
from planner.coverage import CODES, CoverageError, coverage_of


def _supports_texts(node: object) -> list[str]:
    """Every `supports` of a source object anywhere in a decoded JSON document."""
    if isinstance(node, dict):
        found = [node["supports"]] if {"url", "supports"} <= set(node) else []
        return found + [t for value in node.values() for t in _supports_texts(value)]
    if isinstance(node, list):
        return [t for value in node for t in _supports_texts(value)]
    return []


# --- the codes, read from the text --------------------------------------------------------------


def test_each_clause_head_names_what_the_source_supports():
    coverage = coverage_of(
        "coordinates (guide point); facts: 1891, rebuilt 2003; hours: open-air; price: free"
    )
    assert coverage.codes == ("coordinates", "hours", "price", "facts")
    assert not coverage.unused


def test_a_part_without_a_head_goes_on_with_the_part_before():
    coverage = coverage_of("facts: address Amurskaya 72; restoration under way; hours: exterior")
    assert coverage.codes == ("hours", "facts")


def test_a_semicolon_inside_brackets_does_not_start_a_part():
    assert coverage_of("facts: Monday usual day off (2009; not used as hours)").codes == ("facts",)


def test_hours_and_price_the_data_does_not_take_are_marked_not_used():
    coverage = coverage_of("price and hours (not used, undated aggregator): 195 CNY, 7:00-17:00")
    assert coverage.codes == ("hours", "price") and coverage.unused == {"hours", "price"}
    coverage = coverage_of("a point: the guide's point, rounded; not used: 3.8 km from the village")
    assert coverage.unused == {"reference_point"}


def test_a_text_that_names_nothing_it_supports_is_an_error():
    for text in ("a travel blog about the city", "  ", "Russian terminal on the embankment"):
        with pytest.raises(CoverageError, match="cannot tell|names nothing"):
            coverage_of(text)


def test_every_source_in_the_place_data_names_what_it_supports():
    texts = _supports_texts(json.loads(DEFAULT_PATH.read_text(encoding="utf-8")))
    assert len(texts) > 300
    problems = []
    for text in texts:
        try:
            assert set(coverage_of(text).codes) <= set(CODES)
        except CoverageError as err:
            problems.append(str(err))
    assert not problems, problems


def test_every_loaded_place_source_carries_its_codes():
    sources = [s for a in load_catalogue().attractions for s in a.sources]
    assert sources
    assert all(s.coverage is not None and s.coverage.codes for s in sources)


def test_every_code_has_a_label(app):
    from planner.web.labels import COVERAGE_LABELS

    assert set(COVERAGE_LABELS) == set(CODES)


# --- the place page -----------------------------------------------------------------------------


class _SourceCells(HTMLParser):
    """The text of each cell of the sources table, row by row (links' text included)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self._in_table = self._in_cell = False

    def handle_starttag(self, tag, attrs):
        if tag == "table" and "sources" in (dict(attrs).get("class") or ""):
            self._in_table = True
        elif self._in_table and tag == "tr":
            self.rows.append([])
        elif self._in_table and tag == "td":
            self._in_cell = True
            self.rows[-1].append("")

    def handle_endtag(self, tag):
        if tag == "table":
            self._in_table = False
        elif tag == "td":
            self._in_cell = False

    def handle_data(self, data):
        if self._in_cell:
            self.rows[-1][-1] += data


def _source_rows(client, path: str) -> list[list[str]]:
    parser = _SourceCells()
    parser.feed(client.get(path).get_data(as_text=True))
    return [row for row in parser.rows if row]


MUSEUM = "/attractions/amur-regional-museum"


@pytest.mark.parametrize(
    "lang, coverage, checked",
    [
        (
            "ru",
            {"координаты и цена", "часы работы и цена", "сведения о месте"},
            "29 нояб. 2026\u202fг.",
        ),
        ("zh", {"坐标和价格", "开放时间和价格", "基本情况"}, "2026年11月29日"),
        ("en", {"coordinates and price", "opening hours and price"}, "Nov 29, 2026"),
    ],
)
def test_place_page_says_what_each_source_supports_in_the_readers_language(
    client, lang, coverage, checked
):
    rows = _source_rows(client, f"{MUSEUM}?lang={lang}")
    assert rows and all(len(row) == 3 for row in rows)
    assert coverage <= {row[1] for row in rows}
    assert checked in {row[2] for row in rows}


def test_russian_place_page_shows_no_english_supports_text(client, app):
    with app.app_context():
        from planner.web import data

        place = data.catalogue().get("amur-regional-museum")
    html = client.get(f"{MUSEUM}?lang=ru").get_data(as_text=True)
    texts = [s.supports for s in place.sources]
    assert texts and "часы работы" in html
    for text in texts:
        assert text[:30] not in html
    assert "planner default" not in client.get(f"{MUSEUM}?lang=ru").get_data(as_text=True)


def test_a_figure_the_data_does_not_take_is_labelled_for_reference_only(client):
    # its hours of 07:00-17:00 come from an undated aggregator and are not used
    rows = _source_rows(client, "/attractions/wudalianchi?lang=ru")
    labels = {row[1] for row in rows}
    assert any("справочно" in label and "часы работы" in label for label in labels), labels


def test_the_projects_own_default_is_named_not_its_file_path(client):
    rows = _source_rows(client, f"{MUSEUM}?lang=zh")
    assert ["本项目自己的判断", "一般游览时长"] in [row[:2] for row in rows]
    assert "docs/data.md" not in client.get(f"{MUSEUM}?lang=zh").get_data(as_text=True)


def test_api_keeps_the_supports_text_and_adds_its_codes(client):
    body = client.get("/api/v1/attractions/amur-regional-museum").get_json()
    sources = body["properties"]["sources"]
    assert sources and all(s["supports"] and s["covers"] for s in sources)
    assert {"code": "hours", "used": True} in [c for s in sources for c in s["covers"]]


def test_crossing_page_gives_each_source_as_a_link_with_the_readers_date(client):
    html = client.get(
        "/crossing?from=blagoveshchensk&date=2026-07-15&nationality=RU&lang=ru"
    ).get_data(as_text=True)
    # sources are listed once per mode, collapsed (<details>), each link with its check date
    boxes = re.findall(r'<details class="sources-box">(.*?)</details>', html, flags=re.DOTALL)
    assert boxes
    for box in boxes:
        assert '<a href="https://' in box
        assert re.search(r"\(<time datetime=\"\d{4}-\d\d-\d\d\">\d{1,2} [а-я]+\.? \d{4}", box)


def test_about_data_names_the_rate_by_its_link_not_an_english_note(client):
    from planner.travel import exchange_rate

    rate = exchange_rate()
    html = client.get("/about/data?lang=zh").get_data(as_text=True)
    assert rate.url and f'href="{rate.url}"' in html and rate.source not in html
