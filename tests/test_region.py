"""The region is data: the planner and the web plan page run on a made-up second region
(tests/regions/twotowns: two towns on a land border, one road crossing) as on the shipped one."""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from test_hostile_text import visible_text

from planner import region, settings
from planner.planning import TripRequest, plan_trip
from planner.web import create_app

TWOTOWNS = Path(__file__).resolve().parent / "regions" / "twotowns"
AMBERTON = ZoneInfo("Asia/Shanghai")


def page_text(html: str) -> str:
    """What a reader sees of the page, spaces squeezed."""
    return " ".join(visible_text(html, " ").split())


def two_day_trip() -> TripRequest:
    """Two days based in Amberton, one of them across the land border in Birchfield."""
    return TripRequest(
        arrive=datetime(2027, 7, 5, 9, 0, tzinfo=AMBERTON),
        depart=datetime(2027, 7, 6, 18, 0, tzinfo=AMBERTON),
        stay=("amberton",),
        nationality="CN",
        visas=("RU",),
        day_across="yes",
    )


def test_the_shipped_region_has_its_two_cities_and_a_river_border():
    here = region.load_region(region.resources.DATA)
    assert here.ids == ("heihe", "blagoveshchensk")
    assert here.border.kind == "river"
    assert [here.city_at(c.centre.lat, c.centre.lon) for c in here.cities] == list(here.ids)


def test_use_region_swaps_the_cities_and_puts_the_shipped_ones_back():
    with region.use_region(TWOTOWNS) as towns:
        assert towns.border.kind == "land"
        assert region.city_ids() == ("amberton", "birchfield")
        assert region.other_cities("amberton") == ("birchfield",)
        assert region.city("birchfield").tz == ZoneInfo("Asia/Chita")
    assert region.city_ids() == ("heihe", "blagoveshchensk")


def test_the_data_dir_setting_chooses_the_region(monkeypatch):
    monkeypatch.setenv("PLANNER_DATA_DIR", str(TWOTOWNS))
    assert region.data_dir() == TWOTOWNS
    assert region.city_ids() == ("amberton", "birchfield")
    monkeypatch.delenv("PLANNER_DATA_DIR")
    assert region.city_ids() == ("heihe", "blagoveshchensk")
    assert "PLANNER_DATA_DIR" in settings.BY_NAME


def test_a_broken_region_file_names_the_file_and_the_field(tmp_path):
    shutil.copytree(TWOTOWNS, tmp_path / "broken")
    path = tmp_path / "broken" / "region.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["cities"][1]["zone"] = "Mars/Olympus"
    data["cities"][0]["centre"] = {"lat": 45.0, "lon": 120.04}  # east of the line: Russia
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(region.RegionError) as caught:
        region.load_region(path.parent)
    text = str(caught.value)
    assert "region.json" in text and "Mars/Olympus" in text


def test_check_data_validates_the_made_up_region_from_its_folder(monkeypatch):
    from click.testing import CliRunner

    from planner.commands.check_data import command as check_data

    monkeypatch.setenv("PLANNER_DATA_DIR", str(TWOTOWNS))
    result = CliRunner().invoke(check_data, [])
    assert result.exit_code == 0, result.output
    assert "amberton: 3 places" in result.output and "land border" in result.output
    assert str(TWOTOWNS / "crossing.json") in result.output


def test_made_up_region_plans_a_day_across_the_land_border():
    with region.use_region(TWOTOWNS):
        itinerary = plan_trip(two_day_trip())
    assert len(itinerary.days) == 2
    seen = {stop.attraction.city for day in itinerary.days for stop in day.stops}
    assert seen == {"amberton", "birchfield"}, seen
    crossings = [c for day in itinerary.days for c in day.crossings]
    assert crossings, "a day across the border crosses it"
    assert {c.option.mode for c in crossings} == {"bridge_bus"}
    assert {c.direction_from for c in crossings} == {"amberton", "birchfield"}  # there and back
    assert {c.option.from_point.id for c in crossings} <= {
        "amberton-road-port",
        "birchfield-road-checkpoint",
    }


@pytest.fixture(scope="module")
def towns_client(tmp_path_factory):
    """The web app on the made-up region (the app factory's DATA_DIR, as PLANNER_DATA_DIR)."""
    folder = tmp_path_factory.mktemp("towns")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-only",
            "DATABASE_URL": f"sqlite:///{folder / 'test.sqlite3'}",
            "TILES": "none",
            "DATA_DIR": str(TWOTOWNS),
        }
    )
    return app.test_client()


def test_made_up_region_plan_page_shows_the_towns_and_the_road_crossing(towns_client):
    client = towns_client
    body = {
        "arrive": "2027-07-05T09:00+08:00",
        "depart": "2027-07-06T18:00+08:00",
        "stay": "amberton",
        "nationality": "CN",
        "visas": ["RU"],
        "day_across": "yes",
        "lang": "en",
    }
    made = client.post("/api/v1/plans", json=body)
    assert made.status_code == 201, made.get_json()
    plan = made.get_json()["plan"]
    page = client.get(f"/plans/{plan['id']}?lang=en")
    assert page.status_code == 200
    text = page_text(page.get_data(as_text=True))
    assert "Amberton" in text and "Birchfield" in text
    assert "Amber Museum" in text or "Birch Church" in text
    assert "bus by road" in text  # the region's own word for its mode (crossing.json `label`)
    assert "bus over the road bridge" not in text  # there is no bridge on this border
    # No clock is the shipped cities' (the shipped entry-rule texts may still name them).
    assert "Heihe (UTC" not in text and "Blagoveshchensk (UTC" not in text
    assert "Crossing the border" in text and "Crossing the river" not in text
    ru_plan = page_text(client.get(f"/plans/{plan['id']}?lang=ru").get_data(as_text=True))
    assert "автобус по дороге" in ru_plan and "автобус по мосту" not in ru_plan
    # Named in the reader's language from region.json, on every clock and in the site's name.
    assert "Амбертон (UTC+8)" in ru_plan and "Amberton" not in ru_plan
    assert "Планировщик поездок: Амбертон — Берёзовка" in ru_plan and "Хэйхэ" not in ru_plan
    home = page_text(client.get("/?lang=ru").get_data(as_text=True))
    assert "Амбертон" in home and "Берёзовка" in home and "Два городка, одна граница" in home
    # The app chose the region for its requests only: the process keeps the shipped one.
    assert region.city_ids() == ("heihe", "blagoveshchensk")


PAGES = [
    "/?lang=en",
    "/plan?lang=en",
    "/crossing?lang=en",
    "/crossing?from=birchfield&date=2027-07-05&lang=en",
    "/attractions?lang=en",
    "/attractions?city=birchfield&lang=en",
    "/about/data?lang=en",
]


def test_every_page_of_the_made_up_region_names_its_towns_not_the_shipped_cities(towns_client):
    assert PAGES
    for url in PAGES:
        response = towns_client.get(url)
        assert response.status_code == 200, url
        text = page_text(response.get_data(as_text=True))
        assert "Amberton" in text or "Birchfield" in text, url
        assert "Heihe (UTC" not in text and "Blagoveshchensk (UTC" not in text, url


def test_the_api_answers_crossings_of_the_made_up_region(towns_client):
    query = "from=amberton&after=2027-07-05T08:00%2B08:00&nationality=CN&visa=RU"
    answer = towns_client.get(f"/api/v1/crossings?{query}").get_json()
    assert answer["ok"] and answer["options"]
    first = answer["options"][0]
    assert first["mode_name"]["en"] == "Bus by road across the border"
    assert first["arrive_zone"] == "Asia/Chita"
    assert first["from_point"]["city"] == "amberton"


HOSTILE = '<script>alert(1)</script>{{7*7}}"><img src=x onerror=alert(1)>'


@pytest.fixture(scope="module")
def hostile_towns_client(tmp_path_factory):
    """The made-up region with markup in its towns' names (a region file from elsewhere)."""
    folder = tmp_path_factory.mktemp("hostile-towns")
    data = folder / "region"
    shutil.copytree(TWOTOWNS, data)
    raw = json.loads((data / "region.json").read_text(encoding="utf-8"))
    for city in raw["cities"]:
        city["name"] = {lang: f"{name} {HOSTILE}" for lang, name in city["name"].items()}
    (data / "region.json").write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-only",
            "DATABASE_URL": f"sqlite:///{folder / 'test.sqlite3'}",
            "TILES": "none",
            "DATA_DIR": str(data),
        }
    )
    return app.test_client()


@pytest.mark.parametrize("path", ["/", "/attractions", "/crossing", "/about/data", "/plan"])
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_markup_in_a_regions_town_names_is_shown_as_text_on_every_page(
    hostile_towns_client, path, lang
):
    response = hostile_towns_client.get(f"{path}?lang={lang}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert f"Amberton {HOSTILE}" in page_text(page) or f"Амбертон {HOSTILE}" in page_text(page)


def test_no_module_or_template_names_a_city_of_the_shipped_region():
    """The cities live in data/region.json: the code knows a region of N cities (issue 17)."""
    root = Path(__file__).resolve().parent.parent
    shipped = json.loads((root / "data" / "region.json").read_text(encoding="utf-8"))
    names = {c["id"] for c in shipped["cities"]} | {c["name"]["en"] for c in shipped["cities"]}
    files = [*(root / "planner").rglob("*.py"), *(root / "templates").rglob("*.html")]
    assert len(names) >= 4 and len(files) > 100
    naming = [
        f"{path.relative_to(root)}: {name}"
        for path in files
        for name in names
        if name.lower() in path.read_text(encoding="utf-8").lower()
    ]
    assert naming == []
