"""Where the traveller sleeps: the geocoder setting, the lookup endpoint (a fake geocoder, no
network), the form's picked point and its bank of the Amur."""

from __future__ import annotations

import pytest

from planner import geocoding
from planner.geocoding import Found, city_of_point, geocoder_from_setting, lookup
from planner.web import create_app
from tests.test_plan_pages import form, parse

HEIHE_HOTEL = Found("黑河市 王肃街 黑河宾馆", 50.2468, 127.4938)
BLG_HOTEL = Found("Гостиница Азия, улица Зейская, Благовещенск", 50.2612, 127.5341)
MOSCOW = Found("Гостиница Азия, Москва", 55.7558, 37.6173)
HARBIN = Found("黑河路, 哈尔滨", 45.75, 126.65)


class FakeGeocoder:
    """Answers every query with the same places; remembers what it was asked."""

    def __init__(self, places=(HEIHE_HOTEL, BLG_HOTEL, MOSCOW, HARBIN)):
        self.places = list(places)
        self.asked: list[tuple[str, str]] = []

    def search(self, query: str, language: str = "en") -> list[Found]:
        self.asked.append((query, language))
        return self.places


class DeadGeocoder:
    def search(self, query: str, language: str = "en") -> list[Found]:
        raise geocoding.GeocoderUnavailable("timed out")


@pytest.fixture()
def fake():
    return FakeGeocoder()


@pytest.fixture()
def app(tmp_path, fake):
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'geo.sqlite3'}",
            "TILES": "none",
            "PLAN_TIME_LIMIT": 60,
            "GEOCODER": fake,
        }
    )


@pytest.fixture()
def client(app):
    return app.test_client()


# --- the pure module ---------------------------------------------------------------------------


def test_points_are_placed_in_a_city_by_their_bank():
    assert city_of_point(HEIHE_HOTEL.lat, HEIHE_HOTEL.lon) == "heihe"
    assert city_of_point(BLG_HOTEL.lat, BLG_HOTEL.lon) == "blagoveshchensk"
    assert city_of_point(MOSCOW.lat, MOSCOW.lon) is None
    assert city_of_point(HARBIN.lat, HARBIN.lon) is None


def test_lookup_keeps_the_area_and_the_city_asked_for(fake):
    both = lookup(fake, "  Азия ", None, "ru")
    assert [c.city for c in both] == ["heihe", "blagoveshchensk"]
    assert fake.asked[-1] == ("Азия", "ru")
    only = lookup(fake, "Азия", "blagoveshchensk")
    assert [c.as_dict() for c in only] == [
        {"label": BLG_HOTEL.label, "lat": 50.2612, "lon": 127.5341, "city": "blagoveshchensk"}
    ]


def test_the_setting_chooses_the_geocoder(fake):
    assert geocoder_from_setting(None) is None
    assert geocoder_from_setting("none") is None
    assert geocoder_from_setting("") is None
    assert geocoder_from_setting(fake) is fake
    with pytest.raises(ValueError):
        geocoder_from_setting("google")


def test_nominatim_has_a_descriptive_agent_a_rate_limit_and_the_area_bounds(monkeypatch):
    made = geocoder_from_setting("nominatim", "plan.example.org (admin@example.org)")
    assert isinstance(made, geocoding.NominatimGeocoder)
    assert made._nominatim.headers["User-Agent"] == "plan.example.org (admin@example.org)"
    assert made._geocode.min_delay_seconds == 1.0
    calls = []

    def geocode(query, **options):  # what the RateLimiter passes on to geopy
        calls.append((query, options))
        return []

    monkeypatch.setattr(made._geocode, "func", geocode)
    assert made.search("Ленина 1", "ru") == []
    assert made.search("Ленина 1", "ru") == []  # cached: asked once
    assert len(calls) == 1
    options = calls[0][1]
    assert options["bounded"] is True and options["language"] == "ru"
    assert options["viewbox"] == [(50.12, 127.25), (50.45, 127.75)]


# --- the endpoint ------------------------------------------------------------------------------


def test_endpoint_returns_the_candidates_in_the_area(client, fake):
    answer = client.get("/api/v1/geocode?q=Азия&lang=ru")
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["ok"] is True
    assert [c["city"] for c in body["candidates"]] == ["heihe", "blagoveshchensk"]
    assert all(c["label"] != MOSCOW.label for c in body["candidates"])
    one = client.get("/api/v1/geocode", query_string={"q": "黑河宾馆", "city": "heihe"}).get_json()
    assert [c["label"] for c in one["candidates"]] == [HEIHE_HOTEL.label]


def test_endpoint_refuses_an_empty_query_and_a_bad_city(client, fake):
    for query in ("", "q=", "q=%20%20", "q=x&city=harbin", "q=x&lang=de"):
        answer = client.get(f"/api/v1/geocode?{query}")
        assert answer.status_code == 400
        assert answer.get_json()["ok"] is False
    assert fake.asked == []


def test_endpoint_without_a_geocoder_is_a_503_envelope(app, client):
    app.config["GEOCODER"] = "none"
    answer = client.get("/api/v1/geocode?q=Ленина")
    assert answer.status_code == 503
    assert answer.get_json() == {"ok": False, "error": "geocoder not configured", "status": 503}
    page = parse(client.get("/plan?lang=en"))
    assert "Address lookup is not available here" in " ".join(page.text)
    assert "hotel_heihe_address" not in page.inputs


def test_endpoint_when_the_service_does_not_answer(app, client):
    app.config["GEOCODER"] = DeadGeocoder()
    answer = client.get("/api/v1/geocode?q=Ленина")
    assert answer.status_code == 503
    assert answer.get_json()["error"].startswith("geocoder unavailable")


def test_default_is_no_geocoder(tmp_path, monkeypatch):
    monkeypatch.delenv("PLANNER_GEOCODER", raising=False)
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'd.sqlite3'}"})
    assert app.test_client().get("/api/v1/geocode?q=x").status_code == 503


# --- the form ----------------------------------------------------------------------------------


def test_form_offers_the_lookup_and_the_map(client):
    response = client.get("/plan?lang=zh")
    page = parse(response)
    html = response.get_data(as_text=True)
    assert {"hotel_heihe_address", "hotel_blagoveshchensk_address"} <= set(page.inputs)
    assert 'data-lookup="/api/v1/geocode"' in html
    assert "folium-map" in html and "js/map-fullscreen.js" in html
    assert "查找" in html  # "Find", in the page's language


def test_form_accepts_a_picked_point(client):
    response = form(
        client,
        hotel_blagoveshchensk_latlon="50.2612, 127.5341",
        hotel_blagoveshchensk_address="Гостиница Азия",
        hotel_blagoveshchensk_datum="wgs84",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    plan_id = response.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    plan = client.get(f"/api/v1/plans/{plan_id}").get_json()["plan"]
    assert plan["request"]["hotels"]["blagoveshchensk"] == {"lat": 50.2612, "lon": 127.5341}


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "not in that city"), ("ru", "не в этом городе"), ("zh", "不在这个城市")],
)
def test_form_refuses_a_point_on_the_wrong_bank_and_keeps_what_was_typed(client, lang, words):
    response = form(
        client,
        lang=lang,
        hotel_heihe_latlon="50.2612, 127.5341",  # Blagoveshchensk, on the Russian bank
        hotel_heihe_address="Гостиница Азия",
        title="Моя поездка",
    )
    assert response.status_code == 400
    page = parse(response)
    text = " ".join(page.text)
    assert words in text
    assert page.inputs["hotel_heihe_latlon"] == "50.2612, 127.5341"
    assert page.inputs["hotel_heihe_address"] == "Гостиница Азия"
    assert page.inputs["title"] == "Моя поездка"


def test_form_refuses_a_point_outside_the_two_cities(client):
    response = form(client, hotel_heihe_latlon="45.75, 126.65")  # Harbin
    assert response.status_code == 400
    assert "not in that city" in " ".join(parse(response).text)


def test_a_point_clicked_on_gcj02_tiles_is_stored_in_wgs84(client):
    from werkzeug.datastructures import MultiDict

    from planner.geo import wgs84_to_gcj02
    from planner.web.data import catalogue
    from planner.web.plan_form import request_json

    shown = wgs84_to_gcj02(HEIHE_HOTEL.lat, HEIHE_HOTEL.lon)

    with client.application.test_request_context():
        body, errors = request_json(
            MultiDict(
                {
                    "hotel_heihe_latlon": f"{shown[0]}, {shown[1]}",
                    "hotel_heihe_datum": "gcj02",
                    "arrive_date": "2027-07-10",
                    "depart_date": "2027-07-12",
                }
            ),
            catalogue(),
        )
    assert not errors
    point = body["hotels"]["heihe"]
    assert abs(point["lat"] - HEIHE_HOTEL.lat) < 1e-4 and abs(point["lon"] - HEIHE_HOTEL.lon) < 1e-4
