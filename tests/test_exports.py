"""The exports (GPX, ICS, KML, GeoJSON) read back by independent readers, hostile text included."""

from __future__ import annotations

import html
import json
import xml.etree.ElementTree as ET

import gpxpy
import icalendar
import pytest
from conftest import MUSEUM_TRIP

from planner.catalogue import load_catalogue
from planner.web import create_app

HOSTILE = (
    '<script>alert(1)</script> "><img src=x onerror=alert(2)> `${alert(3)}` {{7*7}} '
    "{% if 1 %}X{% endif %} \u200fRTL mark"
)  # (a U+202E override is removed on the way in: tests/test_agency.py checks that)
# The RTL mark (U+200F) is removed on the way in too (planner/textsafe.py): the rest stays as typed.
SHOWN = HOSTILE.replace("\u200f", "")
REQUEST = {
    "arrive": "2027-07-10T09:00+08:00",
    "depart": "2027-07-12T18:00+08:00",
    "stay": "heihe",
    "nationality": "CN",
    "visas": ["RU"],
    "interests": ["history", "architecture"],
    "title": HOSTILE,
    "notes": HOSTILE,
    "lang": "ru",
}
ZONES = {"heihe": "Asia/Shanghai", "blagoveshchensk": "Asia/Yakutsk"}
WEST, SOUTH, EAST, NORTH = 126.8, 49.6, 128.3, 50.9


@pytest.fixture(scope="module")
def planned(tmp_path_factory):
    """An app with one three-day plan (a day across the river) made through the API."""
    db = tmp_path_factory.mktemp("exports") / "plans.sqlite3"
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
    answer = client.post("/api/v1/plans", json=REQUEST)
    assert answer.status_code == 201, answer.get_json()
    plan = answer.get_json()["plan"]
    return app, client, plan, f"sqlite:///{db}"


def _items(plan, kind):
    return [i for day in plan["days"] for i in day["items"] if i["type"] == kind]


def test_plan_has_a_crossing_and_stops_in_both_cities(planned):
    _, _, plan, _ = planned
    assert _items(plan, "crossing")
    assert {v["city"] for v in _items(plan, "visit")} == {"heihe", "blagoveshchensk"}


def test_gpx_has_a_waypoint_per_place_and_a_route_per_day(planned):
    _, client, plan, _ = planned
    answer = client.get(f"/plans/{plan['id']}.gpx")
    assert answer.status_code == 200
    assert answer.mimetype == "application/gpx+xml"
    gpx = gpxpy.parse(answer.get_data(as_text=True))
    assert gpx.name == SHOWN and gpx.description == SHOWN
    names = " ".join(w.name for w in gpx.waypoints)
    for visit in _items(plan, "visit"):
        local = visit["name"]["zh" if visit["city"] == "heihe" else "ru"]
        assert local in names
        assert visit["name"]["ru"] in names  # the plan's language (ru) is there too
    assert len(gpx.routes) == len(plan["days"])
    for point in gpx.waypoints:
        assert WEST < point.longitude < EAST and SOUTH < point.latitude < NORTH
    crossing_points = [w for w in gpx.waypoints if w.type and w.type.startswith("crossing")]
    assert crossing_points


def test_ics_events_carry_the_zone_of_their_city(planned):
    _, client, plan, _ = planned
    answer = client.get(f"/plans/{plan['id']}.ics")
    assert answer.status_code == 200 and answer.mimetype == "text/calendar"
    cal = icalendar.Calendar.from_ical(answer.data)
    assert str(cal["X-WR-CALNAME"]) == SHOWN
    assert {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")} == set(ZONES.values())
    events = {str(e["UID"]).split("@")[0]: e for e in cal.walk("VEVENT")}
    items = [(d, p, i) for d, day in enumerate(plan["days"]) for p, i in enumerate(day["items"])]
    assert len(events) == len(items)
    for d, p, item in items:
        event = events[f"{plan['id']}-{d + 1}-{p + 1}"]
        start, end = event["DTSTART"], event["DTEND"]
        if item["type"] == "crossing":
            frm, to = item["direction_from"], item["to_point"]["city"]
            assert start.params["TZID"] == ZONES[frm]
            assert end.params["TZID"] == ZONES[to]
            description = str(event["DESCRIPTION"])
            assert item["from_point"]["name"]["ru"] in description
            assert "RUB" in description or "CNY" in description  # the fare
            # the documents, in the plan's language
            assert "passport" in description.lower() or "паспорт" in description.lower()
        else:
            assert start.params["TZID"] == ZONES[item["city"]]
            assert end.params["TZID"] == ZONES[item["city"]]
        assert start.dt.utcoffset() is not None


def test_ics_heihe_stop_is_shanghai_time_and_blagoveshchensk_stop_yakutsk_time(planned):
    _, client, plan, _ = planned
    cal = icalendar.Calendar.from_ical(client.get(f"/plans/{plan['id']}.ics").data)
    by_summary = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
    visits = _items(plan, "visit")
    assert {v["city"] for v in visits} == {"heihe", "blagoveshchensk"}, "stops in both cities"
    for visit in visits:
        match = [e for s, e in by_summary.items() if visit["name"]["ru"] in s]
        assert match, visit["name"]
        assert match[0]["DTSTART"].params["TZID"] == ZONES[visit["city"]]
        assert match[0]["DTSTART"].dt.isoformat(timespec="minutes") == visit["arrive"]


def test_geojson_is_lon_lat_points_and_lines_inside_the_area(planned):
    _, client, plan, _ = planned
    answer = client.get(f"/plans/{plan['id']}.geojson")
    assert answer.status_code == 200 and answer.mimetype == "application/geo+json"
    data = json.loads(answer.data)
    assert data["type"] == "FeatureCollection" and data["title"] == SHOWN
    kinds = {f["geometry"]["type"] for f in data["features"]}
    assert kinds == {"Point", "LineString"}
    coords = []
    for feature in data["features"]:
        geometry = feature["geometry"]
        coords += (
            [geometry["coordinates"]] if geometry["type"] == "Point" else geometry["coordinates"]
        )
    for lon, lat in coords:
        assert WEST < lon < EAST and SOUTH < lat < NORTH
    catalogue = load_catalogue()
    visit = _items(plan, "visit")[0]
    point = next(
        f
        for f in data["features"]
        if f["properties"].get("attraction_id") == visit["attraction_id"]
    )
    where = catalogue.get(visit["attraction_id"]).location
    assert point["geometry"]["coordinates"] == [where.lon, where.lat]
    assert point["properties"]["name_zh"] == visit["name"]["zh"]
    assert any(f["properties"]["kind"] == "crossing" for f in data["features"])


def test_kml_parses_and_shows_hostile_notes_as_text(planned):
    _, client, plan, _ = planned
    answer = client.get(f"/plans/{plan['id']}.kml")
    assert answer.status_code == 200
    root = ET.fromstring(answer.data)
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    document = root.find("k:Document", ns)
    assert document.find("k:name", ns).text == SHOWN
    # KML descriptions are HTML to Google Earth: the notes arrive escaped, so they show as text.
    assert document.find("k:description", ns).text == html.escape(SHOWN)
    placemarks = document.findall(".//k:Placemark", ns)
    names = " ".join(p.find("k:name", ns).text for p in placemarks)
    for visit in _items(plan, "visit"):
        assert visit["name"]["ru"] in names
    for point in document.findall(".//k:Point/k:coordinates", ns):
        lon, lat, *_ = (float(v) for v in point.text.split(","))
        assert WEST < lon < EAST and SOUTH < lat < NORTH


def test_lang_query_changes_the_export_language(planned):
    _, client, plan, _ = planned
    gpx = gpxpy.parse(client.get(f"/plans/{plan['id']}.gpx?lang=zh").get_data(as_text=True))
    visit = next(v for v in _items(plan, "visit") if v["city"] == "blagoveshchensk")
    assert any(w.name.startswith(visit["name"]["zh"]) for w in gpx.waypoints)
    assert client.get(f"/plans/{plan['id']}.gpx?lang=xx").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/plans/nope.gpx",
        "/plans/nope.ics",
        "/plans/nope.kml",
        "/plans/nope.geojson",
        "/plans/nope.pdf",
        "/plans/nope/print",
    ],
)
def test_unknown_plan_is_404(planned, path):
    _, client, _, _ = planned
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("ext", ["xyz", "GPX", "gpx.exe", "", "..", "gpx%00"])
def test_unknown_format_is_404_never_500(planned, ext):
    _, client, plan, _ = planned
    assert client.get(f"/plans/{plan['id']}.{ext}").status_code == 404


def test_export_command_writes_each_format_from_the_database(
    planned, runner, tmp_path, monkeypatch
):
    from planner.cli import cli

    _, _, plan, url = planned
    monkeypatch.setenv("PLANNER_DATABASE_URL", url)
    out = tmp_path / "plan.ics"
    result = runner.invoke(cli, ["export", plan["id"], "--format", "ics", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    result = runner.invoke(cli, ["export", plan["id"], "--format", "geojson"])
    assert result.exit_code == 0 and json.loads(result.output)["title"] == SHOWN
    result = runner.invoke(cli, ["export", "no-such-plan", "--format", "gpx"])
    assert result.exit_code == 1 and "no plan" in result.output and "Traceback" not in result.output
    result = runner.invoke(cli, ["export", plan["id"], "--format", "pdf"])
    assert result.exit_code == 2


BROKEN_LINES = {  # a title or notes as typed (or sent) -> the one line a calendar shows
    "First line\nsecond line": "First line second line",
    "Calendar\rX-INJECTED:yes": "Calendar X-INJECTED:yes",
    "Windows\r\nline\x1b[31m": "Windows line[31m",  # ESC is removed on the way in
}


@pytest.fixture(scope="module")
def broken(planned):
    """A plan per title with a line break in it (notes the same)."""
    app, client, _, url = planned
    made = {}
    for title, shown in BROKEN_LINES.items():
        body = {**REQUEST, "title": title, "notes": title, "depart": "2027-07-10T20:00+08:00"}
        answer = client.post("/api/v1/plans", json=body)
        assert answer.status_code == 201, answer.get_json()
        made[answer.get_json()["plan"]["id"]] = shown
    return client, made, url


def test_ics_of_a_title_with_line_breaks_is_one_calendar_name_and_no_forged_line(broken):
    client, made, _ = broken
    assert len(made) == len(BROKEN_LINES), "one plan per broken title"
    for plan_id, shown in made.items():
        answer = client.get(f"/plans/{plan_id}.ics")
        assert answer.status_code == 200
        raw = answer.data
        assert b"\r" not in raw.replace(b"\r\n", b"") and b"\n" not in raw.replace(b"\r\n", b"")
        assert not any(line.startswith(b"X-INJECTED") for line in raw.split(b"\r\n"))
        assert str(icalendar.Calendar.from_ical(raw)["X-WR-CALNAME"]) == shown


def test_gpx_kml_geojson_titles_with_line_breaks_are_one_line(broken):
    client, made, _ = broken
    assert len(made) == len(BROKEN_LINES), "one plan per broken title"
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    for plan_id, shown in made.items():
        gpx = gpxpy.parse(client.get(f"/plans/{plan_id}.gpx").get_data(as_text=True))
        assert gpx.name == shown
        assert "\r" not in gpx.description
        kml = ET.fromstring(client.get(f"/plans/{plan_id}.kml").data)
        assert kml.find("k:Document/k:name", ns).text == shown
        geojson = json.loads(client.get(f"/plans/{plan_id}.geojson").data)
        assert geojson["title"] == shown and "\r" not in geojson["notes"]


def test_export_command_writes_an_ics_for_a_title_with_line_breaks(broken, runner, monkeypatch):
    from planner.cli import cli

    _, made, url = broken
    assert len(made) == len(BROKEN_LINES), "one plan per broken title"
    monkeypatch.setenv("PLANNER_DATABASE_URL", url)
    for plan_id, shown in made.items():
        result = runner.invoke(cli, ["export", plan_id, "--format", "ics"])
        assert result.exit_code == 0, result.output
        assert f"X-WR-CALNAME:{shown}" in result.output


def test_ics_descriptions_give_opening_hours_in_words_in_the_plans_language(planned):
    from babel.support import Translations

    from planner.hours_text import hours_in_words

    _, client, _, _ = planned
    museum = "amur-regional-museum"  # hours 'Tu-Su 10:00-19:00; Mo off; Fr[-1] off'
    made = client.post("/api/v1/plans", json=MUSEUM_TRIP).get_json()
    assert museum in {v["attraction_id"] for v in _items(made["plan"], "visit")}
    cal = icalendar.Calendar.from_ical(client.get(f"/plans/{made['plan']['id']}.ics").data)
    descriptions = " ".join(str(e.get("DESCRIPTION", "")) for e in cal.walk("VEVENT"))
    expression = load_catalogue().get(museum).opening_hours
    words = hours_in_words(expression, Translations.load("translations", ["ru"]).gettext, "ru")
    assert expression not in descriptions and "Fr[-1]" not in descriptions
    assert words in descriptions


def test_exports_word_each_leg_mode_in_the_plan_language(planned):
    _, client, plan, _ = planned
    data = json.loads(client.get(f"/plans/{plan['id']}.geojson?lang=ru").data)
    legs = [
        f["properties"]
        for f in data["features"]
        if f["geometry"]["type"] == "LineString" and f["properties"]["kind"] == "leg"
    ]
    taxi = [p for p in legs if p["mode"] == "taxi"]
    assert taxi, "the plan has a taxi leg to word"
    assert {p["mode_text"] for p in taxi} == {"такси"}
    gpx = gpxpy.parse(client.get(f"/plans/{plan['id']}.gpx?lang=zh").get_data(as_text=True))
    described = " ".join(w.description or "" for w in gpx.waypoints)
    assert "出租车" in described and "taxi" not in described
