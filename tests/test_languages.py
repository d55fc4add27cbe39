"""One registry of languages (planner/languages.py): a fourth language, added at test time as a
catalogue and one registry entry and nothing else, is offered and served everywhere."""

from __future__ import annotations

import html
import io
import re
import shutil
from html.parser import HTMLParser

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from conftest import MUSEUM, MUSEUM_TRIP
from pypdf import PdfReader

from planner import languages, region
from planner.languages import Language, UnknownLanguage
from planner.model import LocalizedName
from planner.resources import TRANSLATIONS
from planner.web import create_app

# A few Korean strings over the English catalogue: a stand-in for translations/ko/.../messages.po.
KOREAN = {"Plan a trip": "여행 계획"}
# Babel's (CLDR's) Korean short names of Tuesday and Sunday: the museum opens Tu-Su.
TUESDAY, SUNDAY = "화", "일"


class _Page(HTMLParser):
    """The root's lang, the language switcher's entries, the visible text and inline styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.html_lang = ""
        self.switch: list[str] = []  # the switcher's labels (the current one is not a link)
        self.links: list[str] = []  # the switcher's hreflang codes
        self.text: list[str] = []
        self.styles: list[str] = []
        self._in_switch = False
        self._tag = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self._tag = tag
        if tag == "html":
            self.html_lang = attrs.get("lang") or ""
        if tag == "nav" and "lang-switch" in (attrs.get("class") or ""):
            self._in_switch = True
        if self._in_switch and tag == "a":
            self.links.append(attrs.get("hreflang") or "")

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_switch = False

    def handle_data(self, data):
        if self._tag == "style":
            self.styles.append(data)
        elif self._tag != "script":
            self.text.append(data)
        if self._in_switch and data.strip():
            self.switch.append(data.strip())


def pdf_fonts(data: bytes) -> set[str]:
    """The fonts a PDF embeds (WeasyPrint embeds the subset of each font it sets text in)."""
    reader = PdfReader(io.BytesIO(data))
    return {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in (page["/Resources"].get("/Font") or {}).values()
    }


def parse(response) -> _Page:
    page = _Page()
    page.feed(response.get_data(as_text=True))
    return page


def add_language(monkeypatch, catalogues, entry: Language, strings: dict[str, str]) -> None:
    """A language added as the README says: its compiled catalogue (here the English one with
    a few *strings* translated) and one registry entry; no other file."""
    if not catalogues.exists():
        shutil.copytree(TRANSLATIONS, catalogues)
    with open(TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po", "rb") as fh:
        catalog = read_po(fh)
    for msgid, text in strings.items():
        assert msgid in catalog, f"{msgid!r} is no longer a UI string: pick another"
        catalog[msgid].string = text
    target = catalogues / entry.code / "LC_MESSAGES"
    target.mkdir(parents=True, exist_ok=True)  # also once the language is really added
    with open(target / "messages.mo", "wb") as fh:
        write_mo(fh, catalog)
    monkeypatch.setitem(languages.LANGUAGES, entry.code, entry)


def make_client(catalogues, tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'languages.sqlite3'}",
            "PLAN_TIME_LIMIT": 60,
            "BABEL_TRANSLATION_DIRECTORIES": str(catalogues),
        }
    )
    return app.test_client()


@pytest.fixture()
def korean(monkeypatch, tmp_path):
    catalogues = tmp_path / "translations"
    entry = Language("ko", "한국어", "ko", "ko", pdf_font="Noto Sans CJK KR")
    add_language(monkeypatch, catalogues, entry, KOREAN)
    return catalogues


@pytest.fixture()
def client(korean, tmp_path):
    return make_client(korean, tmp_path)


def test_a_registered_language_is_offered_on_the_switcher_and_serves_the_home_page(client):
    page = parse(client.get("/?lang=ko"))
    assert page.html_lang == "ko"
    assert page.switch == list(languages.native_names().values())
    assert page.switch[:3] == ["中文", "Русский", "English"] and "한국어" in page.switch
    assert "ko" not in page.links and page.links  # the current language is not a link
    english = parse(client.get("/?lang=en"))
    assert "ko" in english.links and "한국어" in english.switch
    client.get("/?lang=ko")
    assert "여행 계획" in " ".join(page.text)
    # Each city's other names beside its label: the data's zh and ru, not the English again.
    first = region.city(region.city_ids()[0])
    assert f"{first.name.zh} · {first.name.ru}" in [t.strip() for t in page.text]
    # Remembered like the others, and picked from Accept-Language.
    assert parse(client.get("/")).html_lang == "ko"
    fresh = client.application.test_client()
    assert parse(fresh.get("/", headers={"Accept-Language": "ko-KR,ko;q=0.9"})).html_lang == "ko"


def test_a_plan_in_a_registered_language_renders_in_it_with_its_day_names(client, korean):
    from planner.catalogue import load_catalogue
    from planner.hours_text import hours_in_words

    answer = client.post("/api/v1/plans", json={**MUSEUM_TRIP, "lang": "ko"})
    assert answer.status_code == 201, answer.get_json()
    made = answer.get_json()["plan"]
    assert made["lang"] == "ko"
    assert MUSEUM in {s["attraction_id"] for d in made["days"] for s in d["stops"]}
    page = parse(client.get(f"/plans/{made['id']}?lang=ko"))
    assert page.html_lang == "ko"
    assert "한국어" in page.switch
    text = " ".join(page.text)
    gettext = Translations.load(str(korean), ["ko"]).gettext
    words = hours_in_words(load_catalogue().get(MUSEUM).opening_hours, gettext, "ko")
    assert TUESDAY in words and SUNDAY in words, words  # Babel's Korean, not English, day names
    assert words in text
    # The print view (and so the PDF) says the language and sets it in its font.
    printed = parse(client.get(f"/plans/{made['id']}/print"))  # the plan's own language
    assert printed.html_lang == "ko"
    assert re.search(r'\[lang="ko"\] \{ font-family: Noto Sans CJK KR,', " ".join(printed.styles))
    pdf = client.get(f"/plans/{made['id']}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert any("Noto-Sans-CJK-KR" in font for font in pdf_fonts(pdf.data))


def test_a_place_without_a_name_in_the_language_shows_its_fallbacks(client):
    from planner.catalogue import load_catalogue

    place = load_catalogue().get(MUSEUM)
    page = client.get(f"/attractions/{MUSEUM}?lang=ko").get_data(as_text=True)
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
    assert heading and html.unescape(heading.group(1)).strip() == place.name.en
    # Beside it, the names it does not show: Chinese and Russian, not the English again.
    others = re.search(r'<p class="alt">(.*?)</p>', page, re.S)
    assert others and html.unescape(others.group(1)) == f"{place.name.zh} · {place.name.ru}"


def test_the_api_the_spec_and_the_command_line_accept_a_registered_language(client, runner):
    from planner.cli import cli
    from planner.request_spec import RequestInvalid, request_from_json

    assert request_from_json({**MUSEUM_TRIP, "lang": "ko"}).language == "ko"
    with pytest.raises(RequestInvalid) as refused:
        request_from_json({**MUSEUM_TRIP, "lang": "xx"})
    (error,) = refused.value.errors
    assert error.field == "lang" and error.params["choices"] == list(languages.codes())
    assert "ko" in error.params["choices"]
    assert "한국어" in error.text()
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "ko" in spec["components"]["schemas"]["PlanRequest"]["properties"]["lang"]["enum"]
    lang_params = [
        p["schema"]["enum"]
        for path in spec["paths"].values()
        for op in path.values()
        for p in op.get("parameters", [])
        if p.get("name") == "lang"
    ]
    assert lang_params and all("ko" in enum for enum in lang_params)
    done = runner.invoke(
        cli, ["entry-rules", "--on", "2027-07-14", "--nationality", "KR", "--lang", "ko"]
    )
    assert done.exit_code == 0, done.output
    wrong = runner.invoke(cli, ["entry-rules", "--on", "2027-07-14", "--lang", "xx"])
    assert wrong.exit_code == 2 and "'ko'" in wrong.output


def test_an_unknown_language_is_refused_by_the_api_with_the_registered_ones(client):
    asked = "from=heihe&after=2027-07-14T09:00%2B08:00&nationality=CN"
    answer = client.get(f"/api/v1/crossings?{asked}&lang=xx")
    assert client.get(f"/api/v1/crossings?{asked}&lang=ko").status_code == 200
    said = answer.get_json()
    assert answer.status_code == 400 and ", ".join(languages.codes()) in said["error"]
    assert "ko" in said["error"]


def test_a_language_with_a_script_has_its_day_names_and_its_fallbacks_data(monkeypatch, tmp_path):
    """Traditional Chinese: Babel gives its day names (週, not the Simplified 周), and the
    data's texts come in its fallback language, Simplified Chinese."""
    from planner.catalogue import load_catalogue
    from planner.hours_text import hours_in_words

    catalogues = tmp_path / "translations"
    entry = Language("zh_Hant", "繁體中文", "zh_Hant_TW", "zh-Hant", fallback="zh")
    add_language(monkeypatch, catalogues, entry, {"Plan a trip": "規劃行程"})
    client = make_client(catalogues, tmp_path)
    response = client.get(f"/attractions/{MUSEUM}?lang=zh_Hant")
    page, body = parse(response), response.get_data(as_text=True)
    assert page.html_lang == "zh-Hant" and "繁體中文" in page.switch
    assert "規劃行程" in page.text
    gettext = Translations.load(str(catalogues), ["zh_Hant"]).gettext
    place = load_catalogue().get(MUSEUM)
    words = hours_in_words(place.opening_hours, gettext, "zh_Hant")
    assert "週二" in words and "周二" not in words, words  # Tuesday, in the museum's hours
    assert words in " ".join(page.text)
    # The data has no Traditional names: its reader sees the Simplified one, not the English.
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", body, re.S)
    assert heading and html.unescape(heading.group(1)).strip() == place.name.zh


def test_data_texts_fall_back_along_the_chain():
    assert languages.text_in({"zh": "黑河", "ru": "Хэйхэ", "en": "Heihe"}, "zh") == "黑河"
    assert languages.text_in({"zh": "黑河", "ru": "", "en": "Heihe"}, "ru") == "Heihe"
    assert languages.text_in({"zh": "黑河"}, "en") == ""
    assert languages.text_in({"en": "Heihe"}, "xx") == "Heihe"  # an unknown code reads English
    assert LocalizedName(zh="黑河", ru="", en="Heihe").get("__doc__") == "Heihe"


def test_a_name_asked_with_a_default_reads_only_the_readers_data_language(korean):
    name = LocalizedName(zh="黑河", ru="", en="Heihe")
    assert name.get("ru") == "Heihe"  # a reader gets a name
    assert name.get("ru", "") == ""  # the Russian field itself: a local name, or none
    assert name.get("ko", "") == "Heihe" and name.get("ko") == "Heihe"  # Korean reads English


def test_a_fallback_cycle_ends_at_the_default(monkeypatch):
    monkeypatch.setitem(languages.LANGUAGES, "aa", Language("aa", "A", "en", "aa", fallback="bb"))
    monkeypatch.setitem(languages.LANGUAGES, "bb", Language("bb", "B", "en", "bb", fallback="aa"))
    assert languages.fallback_chain("aa") == ("aa", "bb", "en")


def test_an_unregistered_code_is_named_in_the_error_and_resolves_to_the_default():
    with pytest.raises(UnknownLanguage, match="'xx'"):
        languages.get("xx")
    assert languages.resolve("xx").code == languages.DEFAULT == "en"
    assert languages.resolve(None).code == "en"
