"""Pages and the attractions API, read as a user or a client program would."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest


class _Text(HTMLParser):
    """Visible text and every external reference of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.refs: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
        for key in ("src", "href"):
            if attrs.get(key):
                self.refs.append(attrs[key])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.text.append(data.strip())


def parse(response) -> _Text:
    parser = _Text()
    parser.feed(response.get_data(as_text=True))
    return parser


@pytest.mark.parametrize("path", ["/", "/attractions", "/attractions?city=heihe"])
@pytest.mark.parametrize("lang", ["en", "zh", "ru"])
def test_pages_load_nothing_from_outside_the_app(client, path, lang):
    response = client.get(f"{path}{'&' if '?' in path else '?'}lang={lang}")
    assert response.status_code == 200
    page = parse(response)
    external = [r for r in page.refs if re.match(r"^(https?:)?//", r)]
    # Source links in the list are plain <a> to the cited pages, never scripts or styles.
    body = response.get_data(as_text=True)
    assert not re.search(r"<(script|link)[^>]+(src|href)=\"(https?:)?//", body), external


def test_language_choice_is_remembered_in_a_cookie(client):
    first = client.get("/?lang=ru")
    assert "Благовещенск" in " ".join(parse(first).text)
    assert "lang=ru" in first.headers.get("Set-Cookie", "")
    again = client.get("/")
    assert 'lang="ru"' in again.get_data(as_text=True)


def test_accept_language_picks_chinese(client):
    response = client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert 'lang="zh-Hans"' in response.get_data(as_text=True)


def test_attractions_list_shows_both_cities_and_three_names(client, app):
    response = client.get("/attractions?lang=en")
    text = " ".join(parse(response).text)
    assert "Triumphal Arch" in text
    assert "Триумфальная арка" in text
    assert "Aihui" in text


def test_city_filter_keeps_only_that_city(client):
    text = " ".join(parse(client.get("/attractions?city=heihe&lang=en")).text)
    assert "Aihui" in text
    assert "Triumphal Arch" not in text


def test_attraction_page_shows_sources_with_dates(client):
    response = client.get("/attractions/triumphal-arch?lang=en")
    assert response.status_code == 200
    text = " ".join(parse(response).text)
    assert "Sources" in text
    assert re.search(r"[A-Z][a-z]{2} \d{1,2}, 20\d\d", text)  # "Nov 29, 2026", checked


def test_unknown_attraction_page_is_404_html(client):
    response = client.get("/attractions/no-such-place")
    assert response.status_code == 404
    assert response.mimetype == "text/html"


def test_api_lists_geojson_features(client):
    body = client.get("/api/v1/attractions").get_json()
    assert body["ok"] is True and body["type"] == "FeatureCollection"
    cities = {f["properties"]["city"] for f in body["features"]}
    assert cities == {"heihe", "blagoveshchensk"}
    lon, lat = body["features"][0]["geometry"]["coordinates"]
    assert 45 < lat < 55 and 120 < lon < 135


def test_api_unknown_id_is_404_envelope(client):
    response = client.get("/api/v1/attractions/nope")
    assert response.status_code == 404
    body = response.get_json()
    assert body["ok"] is False and body["status"] == 404 and "nope" in body["error"]


def test_api_bad_filter_is_400_with_message(client):
    response = client.get("/api/v1/attractions?city=moscow")
    assert response.status_code == 400
    assert "city" in response.get_json()["error"]


def test_api_unknown_route_is_json_404(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.get_json()["ok"] is False


def test_hostile_search_text_is_escaped(client):
    response = client.get("/attractions?q=%3Cscript%3Ealert(1)%3C/script%3E")
    assert "<script>alert(1)</script>" not in response.get_data(as_text=True)


def test_pages_send_a_content_security_policy_with_nonce(client):
    response = client.get("/attractions")
    csp = response.headers["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    assert f'nonce="{nonce}"' in response.get_data(as_text=True)


def test_detail_page_says_how_well_the_position_is_known_in_words(client):
    # its position rests only on tertiary sources, so it is shown as approximate, within 0.1 km
    text = " ".join(parse(client.get("/attractions/triumphal-arch?lang=ru")).text)
    assert "приблизительное положение (±0,1 км)" in text and "low" not in text
    text = " ".join(parse(client.get("/attractions/aihui-auto-camp?lang=zh")).text)
    assert "位置不明" in text and "40" in text


def test_detail_page_never_shows_the_editorial_log_or_the_method(client, app):
    with app.app_context():
        from planner.web import data

        place = data.catalogue().get("aihui-history-museum")
    text = " ".join(parse(client.get("/attractions/aihui-history-museum")).text)
    assert place.editorial_note[:40] not in text
    assert place.coord_method[:40] not in text
    assert place.note.en in text


def test_hours_are_shown_in_words_never_as_osm_syntax(client):
    for lang, words in (
        ("en", "Tue–Sun 10:00–19:00, closed on the last Friday of the month"),
        ("zh", "周二至周日 10:00–19:00，每月最后一个周五闭馆"),
        ("ru", "Вт–Вс 10:00–19:00, последняя пятница месяца — выходной"),
    ):
        for path in ("/attractions/amur-regional-museum", "/attractions"):
            html = client.get(f"{path}?lang={lang}").get_data(as_text=True)
            assert words in html, (lang, path)
            assert "Fr[-1]" not in html and "24/7" not in html


def test_start_page_gives_each_city_its_other_two_names(client):
    html = client.get("/?lang=zh").get_data(as_text=True)
    assert '<span class="alt">Хэйхэ · Heihe</span>' in html


# --- no English sentence from the data on the zh and ru pages ---------------------------------

ENGLISH_RUN = re.compile(r"\b[A-Za-z][A-Za-z'’-]*(?:[ ,]+[A-Za-z][A-Za-z'’-]*){3,}")
# Proper names and codes that may stand in Latin letters inside a zh or ru sentence.
LATIN_WHITELIST = ("WeChat/Alipay/NIA", "UTC", "QR", "VR", "OpenStreetMap", "Leaflet")


class _VisibleText(HTMLParser):
    """Visible text without scripts, styles and URLs (links' text); the sources tables count."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "a"):
            self._skip.append(tag)

    def handle_endtag(self, tag):
        if self._skip and self._skip[-1] == tag:
            self._skip.pop()

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def _proper_names() -> tuple[str, ...]:
    """Place names in English: each page shows a place's other two names beside its own."""
    from planner.catalogue import load_catalogue
    from planner.crossing import load_crossing_data

    names = {a.name.en for a in load_catalogue().attractions}
    names |= {p.name.en for p in load_crossing_data().points}
    return tuple(sorted(names, key=len, reverse=True)) + LATIN_WHITELIST


def english_runs(html: str) -> list[str]:
    parser = _VisibleText()
    parser.feed(html)
    text = "\n".join(parser.parts)
    for name in _proper_names():
        text = text.replace(name, " ")
    return ENGLISH_RUN.findall(text)


def _place_pages() -> list[str]:
    from planner.catalogue import load_catalogue

    return [f"/attractions/{a.id}" for a in load_catalogue().attractions]


def _pages(client) -> list[str]:
    paths = ["/attractions", "/about/data", *_place_pages()]
    for nationality, frm, day in (
        ("RU", "blagoveshchensk", "2026-07-15"),
        ("CN", "heihe", "2026-07-15"),
        ("RU", "blagoveshchensk", "2026-11-05"),
        ("CN", "heihe", "2026-02-17"),
        ("DE", "heihe", "2026-10-01"),
        ("RU", "blagoveshchensk", "2026-12-20"),
    ):
        paths.append(f"/crossing?from={frm}&date={day}&nationality={nationality}")
    return paths


@pytest.mark.parametrize("lang", ["zh", "ru"])
def test_zh_and_ru_pages_show_no_english_sentence_from_the_data(client, lang):
    """Every place page (its sources table included), the lists and the crossing pages."""
    paths = _pages(client)
    place_pages = _place_pages()
    assert place_pages and set(place_pages) <= set(paths)
    found = {}
    for path in paths:
        sep = "&" if "?" in path else "?"
        response = client.get(f"{path}{sep}lang={lang}")
        assert response.status_code == 200, path
        runs = english_runs(response.get_data(as_text=True))
        if runs:
            found[path] = runs
    assert not found, found


def test_english_run_detector_finds_a_sentence():
    assert english_runs("<p>Открыт круглый год, see the source for hours</p>")
    assert english_runs('<table class="sources"><tr><td>see the source for hours</td></tr>')
    assert not english_runs('<td><a href="/x">see the source for hours</a> координаты</td>')
