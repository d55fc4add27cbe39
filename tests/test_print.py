"""The printed plan and its PDF, read as a person would: page text through a parser, PDF text."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pytest
from conftest import MUSEUM, MUSEUM_TRIP
from pypdf import PdfReader

from planner.printing import Agency, agency_of, emergency_numbers, route_svg
from planner.web import create_app

HOSTILE = (
    '<script>alert(1)</script> "><img src=x onerror=alert(2)> `${alert(3)}` {{7*7}} '
    "{% if 1 %}X{% endif %} \u200fRTL\u202e mark"
)
PNG = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
    "YPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
REQUEST = {
    "arrive": "2027-07-10T09:00+08:00",
    "depart": "2027-07-12T18:00+08:00",
    "stay": "heihe",
    "nationality": "CN",
    "visas": ["RU"],
    "interests": ["history", "architecture"],
    "title": HOSTILE,
    "notes": HOSTILE,
    "lang": "en",
}


class Page(HTMLParser):
    """Visible text, every tag with its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


@pytest.fixture(scope="module")
def planned(tmp_path_factory):
    """A three-day plan; a second copy of it branded by a (hostile) agency."""
    db = tmp_path_factory.mktemp("print") / "plans.sqlite3"
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "DATABASE_URL": f"sqlite:///{db}",
            "TILES": "none",
            "PLAN_TIME_LIMIT": 60,
        }
    )
    client = app.test_client()
    plan = client.post("/api/v1/plans", json=REQUEST).get_json()["plan"]
    store = app.extensions["plan_store"]
    stored = store.get(plan["id"])
    agency = {"name": HOSTILE, "contact": HOSTILE, "logo_data_uri": PNG}
    branded, _ = store.create(
        stored.title, {**stored.current.request, "agency": agency}, stored.current.itinerary
    )
    return client, plan, branded.id


def _items(plan, kind):
    return [i for day in plan["days"] for i in day["items"] if i["type"] == kind]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_print_view_has_no_script_and_shows_hostile_text_as_text(planned):
    client, _, branded = planned
    answer = client.get(f"/plans/{branded}/print")
    assert answer.status_code == 200
    page = parse(answer.get_data(as_text=True))
    tags = [tag for tag, _ in page.tags]
    assert "script" not in tags and "form" not in tags and "iframe" not in tags
    assert not any("onerror" in attrs for _, attrs in page.tags)
    images = [attrs for tag, attrs in page.tags if tag == "img"]
    assert [i["src"] for i in images] == [PNG]  # the logo only
    text = "".join(page.text)
    assert text.count(HOSTILE) >= 2  # agency name and contact (stored as they came)
    # Title and notes: no override and no RTL mark on the way in (planner/textsafe.py).
    assert text.count(HOSTILE.replace("\u202e", "").replace("\u200f", "")) >= 2


def test_print_view_has_a_map_per_day_and_times_with_both_clocks(planned):
    client, plan, _ = planned
    html = client.get(f"/plans/{plan['id']}/print").get_data(as_text=True)
    page = parse(html)
    assert sum(
        1 for tag, attrs in page.tags if tag == "svg" and "route-map" in (attrs.get("class") or "")
    ) == len(plan["days"])
    text = "".join(page.text)
    assert "(UTC+8)" in text and "(UTC+9)" in text
    assert "Heihe (UTC+8)" in text and "Blagoveshchensk (UTC+9)" in text
    assert "At the border" in text and "Emergency numbers" in text
    for number in ("110", "120", "119", "112"):
        assert number in text
    crossing = _items(plan, "crossing")[0]
    if crossing["indicative"]:
        assert "(indicative)" in text


def test_print_view_cards_name_every_stop_in_both_scripts_with_a_qr_code(planned):
    client, plan, _ = planned
    page = parse(client.get(f"/plans/{plan['id']}/print").get_data(as_text=True))
    text = "".join(page.text)
    for visit in _items(plan, "visit"):
        assert visit["name"]["zh"] in text and visit["name"]["ru"] in text
    qr_codes = [a for tag, a in page.tags if tag == "svg" and "qr" in (a.get("class") or "")]
    assert len(qr_codes) >= len({v["attraction_id"] for v in _items(plan, "visit")})


def test_pdf_text_has_every_stop_in_chinese_and_russian_and_hostile_text_as_text(planned):
    client, plan, branded = planned
    answer = client.get(f"/plans/{branded}.pdf?lang=ru")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(answer.data))
    text = _squash("".join(page.extract_text() for page in reader.pages))
    for visit in _items(plan, "visit"):
        assert _squash(visit["name"]["zh"]) in text, visit["name"]["zh"]
        assert _squash(visit["name"]["ru"]) in text, visit["name"]["ru"]
    assert _squash("<script>alert(1)</script>") in text
    assert _squash('"><img src=x onerror=alert(2)>') in text
    assert "{{7*7}}" in text
    assert "Пересечение" in text or "Граница" in text or "границ" in text  # in Russian
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("CJK" in f for f in fonts) and any("Noto-Sans" in f for f in fonts)


def test_agency_is_read_defensively():
    assert agency_of({}, None, {"agency": "x"}) is None
    assert agency_of({"agency": {"name": ""}}) is None
    unsafe_svg = "data:image/svg+xml;base64,PHN2Zz48c2NyaXB0Lz48L3N2Zz4="  # <svg><script/>
    assert agency_of({"agency": {"name": "A", "logo": unsafe_svg}}) == Agency("A")
    remote = {"agency": {"name": "A", "logo_data_uri": "https://example.org/logo.png"}}
    assert agency_of(remote).logo_data_uri == ""
    assert agency_of({"agency": {"name": "A", "logo_data_uri": PNG}}).logo_data_uri == PNG


def test_the_agency_logo_of_an_api_request_reaches_the_print_view_and_the_pdf(planned):
    client = planned[0]
    plain_svg = "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHdpZHRoPSI0IiBoZWlnaHQ9IjQiPjxyZWN0IHdpZHRoPSI0IiBoZWlnaHQ9IjQiLz48L3N2Zz4="  # noqa: E501
    for logo in (PNG, plain_svg):
        body = {**REQUEST, "agency": {"name": "ACME", "logo": logo}}
        plan_id = client.post("/api/v1/plans", json=body).get_json()["plan"]["id"]
        page = parse(client.get(f"/plans/{plan_id}/print").get_data(as_text=True))
        assert [a["src"] for tag, a in page.tags if tag == "img"] == [logo]
        pdf = PdfReader(io.BytesIO(client.get(f"/plans/{plan_id}.pdf").data))
        if logo == PNG:
            assert pdf.pages[0].images, "the logo is drawn on the cover"
        else:
            assert "ACME" in pdf.pages[0].extract_text()


def test_route_svg_escapes_its_texts():
    from planner.printing import MapStop

    svg = route_svg([MapStop(50.25, 127.53, "visit", "1", HOSTILE)], "#123456", "en", HOSTILE)
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert route_svg([], "#000", "en") == ""


def test_every_emergency_number_has_a_source():
    numbers = emergency_numbers()
    assert {(n.country, n.number) for n in numbers} >= {("CN", "110"), ("RU", "112")}
    for number in numbers:
        assert all(s["url"].startswith("https://") and s["checked"] for s in number.sources)


def test_print_shows_the_group_at_the_border_in_crossing_order(planned):
    client, plan, _ = planned
    group = {
        "passengers": [{"name": HOSTILE}, {"name": "Wang Wei"}, {"name": "Li Na"}],
        "meeting_point": "Hotel lobby",
        "meeting_minutes_before": 30,
        "guides": {"heihe": {"name": "Zhang", "phone": "+86 456 000"}},
    }
    body = {**REQUEST, "party_size": 3, "group": group}
    created = client.post("/api/v1/plans", json=body).get_json()
    assert created["ok"], created
    page = parse(client.get(f"/plans/{created['plan']['id']}/print?lang=en").get_data(as_text=True))
    text = " ".join(page.text)
    crossings = _items(created["plan"], "crossing")
    if crossings:  # the meeting before each checkpoint, on the departure side's clock
        assert "Meet at" in text and "Hotel lobby" in text
    shown = HOSTILE.replace("\u202e", "").replace("\u200f", "")  # both removed on the way in
    assert text.index(shown) < text.index("Wang Wei") < text.index("Li Na")
    assert "Zhang" in text and "+86 456 000" in text


@pytest.mark.parametrize("lang", ["zh", "ru", "en"])
def test_print_view_gives_opening_hours_in_words_never_the_osm_syntax(planned, lang):
    from babel.support import Translations

    from planner.catalogue import load_catalogue
    from planner.hours_text import hours_in_words

    client, _, _ = planned
    made = client.post("/api/v1/plans", json=MUSEUM_TRIP).get_json()
    assert MUSEUM in {v["attraction_id"] for v in _items(made["plan"], "visit")}
    html = client.get(f"/plans/{made['plan']['id']}/print?lang={lang}").get_data(as_text=True)
    text = "".join(parse(html).text)
    expression = load_catalogue().get(MUSEUM).opening_hours
    words = hours_in_words(expression, Translations.load("translations", [lang]).gettext, lang)
    assert expression not in text and "Fr[-1]" not in text
    assert text.count(words) >= 2  # the day's table and the driver's card


@pytest.mark.parametrize("lang, unit", [("zh", "公里"), ("ru", "км"), ("en", "km")])
def test_print_maps_scale_bar_is_in_the_readers_language(planned, lang, unit):
    client, plan, _ = planned
    html = client.get(f"/plans/{plan['id']}/print?lang={lang}").get_data(as_text=True)
    labels = re.findall(r'<g class="scale">.*?<text[^>]*>([^<]*)</text></g>', html)
    assert len(labels) == len(plan["days"])
    # ... and the scale of each detail inset (a city centre) likewise.
    labels += re.findall(r'<g class="scale inset-scale">.*?<text[^>]*>([^<]*)</text></g>', html)
    for label in labels:
        assert re.fullmatch(rf"\d+([.,]\d\d?)? {unit}", label), label


def _font_pt(css: str, selector: str) -> float:
    rule = re.search(re.escape(selector) + r"\s*\{[^}]*font-size:\s*([\d.]+)pt", css)
    assert rule, selector
    return float(rule.group(1))


def test_driver_cards_put_the_citys_own_name_and_address_first_and_largest(planned):
    from html import escape
    from pathlib import Path

    from planner.catalogue import load_catalogue

    client, plan, _ = planned
    html = client.get(f"/plans/{plan['id']}/print?lang=en").get_data(as_text=True)
    cat = load_catalogue()
    visits = _items(plan, "visit")
    assert {v["city"] for v in visits} == {"heihe", "blagoveshchensk"}
    for visit in visits:
        place = cat.get(visit["attraction_id"])
        lang, local = ("zh-Hans", place.name.zh) if place.city == "heihe" else ("ru", place.name.ru)
        name = rf'<div class="local-name fit-\d" lang="{lang}">{re.escape(escape(local))}</div>'
        assert re.search(name, html), local
        address = (
            rf'<div class="address local-address fit-\d" lang="{lang}">'
            rf"{re.escape(escape(place.address))}</div>"
        )
        assert re.search(address, html), place.address
        # ... and on the day's table, beside the stop.
        assert f'<span class="driver-name" lang="{lang}">{escape(local)}</span>' in html
    css = (Path(__file__).resolve().parent.parent / "static/css/print.css").read_text()
    assert _font_pt(css, ".card .local-name") > _font_pt(css, ".card .local-address")
    assert _font_pt(css, ".card .local-address") > _font_pt(css, ".card .other-name")
    # the other languages are smaller, Chinese included (it was the largest on every card)
    assert _font_pt(css, ".card .other-name.name-zh") < _font_pt(css, ".card .local-name.fit-4")


def test_driver_cards_grow_with_their_text_and_clip_nothing():
    from pathlib import Path

    css = (Path(__file__).resolve().parent.parent / "static/css/print.css").read_text()
    card = re.search(r"\n\.card \{([^}]*)\}", css).group(1)
    assert not re.search(r"(?<!min-)height:", card), "a fixed height clips a long card"
    names = re.search(r"\.card-names \{([^}]*)\}", css).group(1)
    assert "overflow: hidden" not in names and "overflow-wrap: anywhere" in names
    sizes = [_font_pt(css, ".card .local-name")] + [
        _font_pt(css, f".card .local-name.fit-{n}") for n in (2, 3, 4)
    ]
    assert sizes == sorted(sizes, reverse=True) and len(set(sizes)) == 4


def test_a_long_name_or_address_steps_down_in_size():
    from planner.printing import fit_step

    assert fit_step("Ленина") == 1
    assert fit_step("瑷珲古城（瑷珲镇）") == 1  # 9 wide characters
    assert fit_step("黑龙江省黑河市爱辉区瑷珲镇萨布素街黑龙江省黑河市爱辉区", "name") == 3
    museum = "Амурская область, г. Благовещенск, ул. Ленина, угол пер. Святителя Иннокентия"
    assert fit_step(museum, "address") == 2
    assert fit_step(museum * 2, "address") == 4


def test_the_regional_museums_card_keeps_its_address(planned):
    """The card of a place is there with its full address, whatever its length (the museum's
    card lost its address under a fixed height)."""
    client, plan, _ = planned
    html = client.get(f"/plans/{plan['id']}/print?lang=ru").get_data(as_text=True)
    cards = html[html.index('<section class="cards">') :]
    count = cards.count('<article class="card">')
    assert count >= 1
    assert cards.count('class="address local-address') == count


@pytest.mark.parametrize(
    "lang, checked",
    [("ru", "30 нояб. 2026\u202fг."), ("zh", "2026年11月30日"), ("en", "Nov 30, 2026")],
)
def test_print_view_gives_the_sources_check_date_the_readers_way(planned, lang, checked):
    client, plan, _ = planned
    html = client.get(f"/plans/{plan['id']}/print?lang={lang}").get_data(as_text=True)
    text = " ".join(parse(html).text)
    assert checked in text and "2026-11-30" not in text
