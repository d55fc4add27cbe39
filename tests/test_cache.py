"""Rendered maps are memoised per data version, language, filters and tiles; a changed data file
gives a new map at once."""

from __future__ import annotations

import json
import os
import re
import shutil

import pytest

from planner.catalogue import DEFAULT_PATH
from planner.web import create_app
from planner.web.cache import Memo


def _scripts(page: str) -> str:
    return "\n".join(re.findall(r"<script[^>]*>(.*?)</script>", page, flags=re.DOTALL))


@pytest.fixture()
def setup(tmp_path):
    path = tmp_path / "catalogue.geojson"
    shutil.copy(DEFAULT_PATH, path)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "CATALOGUE_PATH": str(path),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'c.sqlite3'}",
        }
    )
    return app, path


def _rename_first_attraction(path, name: str) -> str:
    data = json.loads(path.read_text(encoding="utf-8"))
    feature = next(f for f in data["features"] if f["properties"]["kind"] == "attraction")
    feature["properties"]["name:en"] = name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    stat = path.stat()  # a new mtime even on a coarse clock
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    return feature["properties"]["id"]


def test_the_second_view_of_a_map_is_served_from_the_memo(setup):
    app, _path = setup
    client = app.test_client()
    first = client.get("/attractions?lang=en")
    memo = app.extensions["map_memo"]
    misses = memo.misses
    second = client.get("/attractions?lang=en")
    assert first.status_code == second.status_code == 200
    assert memo.misses == misses and memo.hits >= 1
    # the same map, but each page has its own CSP nonce
    assert _scripts(first.get_data(as_text=True)) == _scripts(second.get_data(as_text=True))
    assert first.headers["Content-Security-Policy"] != second.headers["Content-Security-Policy"]


def test_language_filters_and_pages_have_maps_of_their_own(setup):
    app, _path = setup
    client = app.test_client()
    for url in ("/attractions?lang=en", "/attractions?lang=zh", "/attractions?city=heihe"):
        assert client.get(url).status_code == 200
    en = _scripts(client.get("/attractions?lang=en").get_data(as_text=True))
    zh = _scripts(client.get("/attractions?lang=zh").get_data(as_text=True))
    assert en != zh
    assert app.extensions["map_memo"].misses == 3


def test_a_changed_catalogue_file_gives_a_new_map(setup):
    app, path = setup
    client = app.test_client()
    place = _rename_first_attraction(path, "Before the change")
    assert "Before the change" in client.get("/attractions?lang=en").get_data(as_text=True)
    _rename_first_attraction(path, "After the change")
    for url in ("/attractions?lang=en", f"/attractions/{place}?lang=en"):
        scripts = _scripts(client.get(url).get_data(as_text=True))
        assert "After the change" in scripts, url
        assert "Before the change" not in scripts, url


def test_the_memo_is_bounded_and_forgets_the_least_recently_used():
    memo = Memo(size=2)
    assert memo.get("a", lambda: 1) == 1
    assert memo.get("b", lambda: 2) == 2
    assert memo.get("a", lambda: 99) == 1  # a is now the most recent
    assert memo.get("c", lambda: 3) == 3  # b goes
    assert memo.get("b", lambda: 22) == 22
    assert memo.get("a", lambda: 111) == 111  # a went when b came back


def test_map_cache_can_be_turned_off(tmp_path):
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "t", "MAP_CACHE": False, "DATABASE_URL": "sqlite://"}
    )
    client = app.test_client()
    assert client.get("/crossing").status_code == 200
    assert "map_memo" not in app.extensions
