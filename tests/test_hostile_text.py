"""Hostile text in the catalogue stays text: on the page, in map popups and tooltips, and never
runs as a template on the server (folium/branca render element text as Jinja a second time)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from planner.catalogue import DEFAULT_PATH
from planner.web import create_app

# Jinja expressions, statements, comments, object access, HTML, JS template-literal breakers.
PAYLOAD = (
    "{{7*7}} {% if 1 %}X{% endif %} {{ cycler.__init__ }} {# c #} "
    "<script>alert(1)</script> `${alert(2)}` \\ \"q\" 'a'"
)
TEXT_FIELDS = (
    "name",
    "name:zh",
    "name:ru",
    "name:en",
    "address",
    "editorial_note",
    "coord_method",
)


class _Text(HTMLParser):
    """Visible text of an HTML fragment (script and style left out), entities decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str, sep: str = "") -> str:
    """The visible text; with *sep* " ", words run into each other across tags never."""
    parser = _Text()
    parser.feed(html)
    return sep.join(parser.parts)


LANGS = ("zh", "ru", "en")


def _hostile(tag: str) -> str:
    return f"{tag}: {PAYLOAD}"


def _write_hostile_catalogue(path: Path) -> tuple[str, str]:
    """Two places made hostile: one at a known point (a pin), one estimated (an area)."""
    data = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    features = data["features"]
    pin = next(
        f
        for f in features
        if f["properties"]["kind"] == "attraction"
        and f["properties"]["coord_confidence"] != "estimated"
    )
    area = next(f for f in features if f["properties"]["coord_confidence"] == "estimated")
    for feature in (pin, area):
        props = feature["properties"]
        for field in TEXT_FIELDS:
            props[field] = _hostile(f"{field} of {props['id']}")
        props["name"] = props["name:zh"] if props["city"] == "heihe" else props["name:ru"]
        props["note"] = {lang: _hostile(f"note:{lang} of {props['id']}") for lang in LANGS}
        for source in props["sources"]:
            source["supports"] = f"{source['supports']} {_hostile('supports')}"
            source["url"] = "https://example.org/?q={{7*7}}&x=`${1}`"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return pin["id"], area["id"]


@pytest.fixture()
def hostile(tmp_path):
    catalogue = tmp_path / "hostile.geojson"
    pin, area = _write_hostile_catalogue(catalogue)
    app = create_app({"TESTING": True, "SECRET_KEY": "test-only", "CATALOGUE_PATH": str(catalogue)})
    return app.test_client(), pin, area


def _literals(script: str, opener: str) -> list[str]:
    """The JS template literals folium builds its popups (`$(`) and tooltips from."""
    return re.findall(re.escape(opener) + r"\s*`(.*?)`", script, flags=re.DOTALL)


def _scripts(page: str) -> str:
    return "\n".join(re.findall(r"<script[^>]*>(.*?)</script>", page, flags=re.DOTALL))


@pytest.mark.parametrize("lang", ["en", "zh", "ru"])
def test_list_page_shows_hostile_names_as_text_and_runs_no_template(hostile, lang):
    client, pin, area = hostile
    response = client.get(f"/attractions?lang={lang}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    text = visible_text(page)
    for place in (pin, area):
        for field in ("name:zh", "name:ru", "name:en"):
            assert _hostile(f"{field} of {place}") in text
    assert "<script>alert(1)" not in page
    script = _scripts(page)
    popups = [visible_text(p) for p in _literals(script, "$(")]
    tooltips = [visible_text(t) for t in _literals(script, "bindTooltip(")]
    name_field = {"en": "name:en", "zh": "name:zh", "ru": "name:ru"}[lang]
    for place in (pin, area):
        shown = _hostile(f"{name_field} of {place}")
        assert any(shown in popup for popup in popups), "popup lost or changed the name"
        assert any(shown in tip for tip in tooltips), "tooltip lost or changed the name"
    # Nothing was evaluated: no 49 where {{7*7}} stood, no Python object leaked.
    assert "49 X" not in text and "cycler" in text
    assert not any("<bound method" in p or "Cycler" in p for p in popups)


def test_detail_page_shows_every_hostile_field_exactly(hostile):
    client, pin, _area = hostile
    response = client.get(f"/attractions/{pin}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    text = visible_text(page)
    for field in ("name:ru", "name:zh", "address", "note:en"):
        assert _hostile(f"{field} of {pin}") in text, field
    # what a source supports is shown as labels of its codes: the editors' text never reaches it
    assert _hostile("supports") not in text and "facts about the place" in text
    popups = [visible_text(p) for p in _literals(_scripts(page), "$(")]
    assert any(_hostile(f"name:en of {pin}") in p for p in popups)
    assert "<script>alert(1)" not in page


def test_estimated_place_detail_page_is_safe_too(hostile):
    client, _pin, area = hostile
    response = client.get(f"/attractions/{area}?lang=zh")
    assert response.status_code == 200
    assert _hostile(f"name:zh of {area}") in visible_text(response.get_data(as_text=True))


def test_api_returns_hostile_text_unchanged(hostile):
    client, pin, _area = hostile
    body = client.get(f"/api/v1/attractions/{pin}").get_json()
    assert body["properties"]["name:en"] == _hostile(f"name:en of {pin}")
