"""Data health: one function feeds /about/data and `check-data --summary`; the exchange rate."""

from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner

from planner.catalogue import load_catalogue
from planner.cli import cli
from planner.crossing import load_crossing_data
from planner.data_health import (
    contradicted_radii,
    data_health,
    grade_of_url,
    shared_estimated_points,
    summary_lines,
)
from planner.model import LatLon, Source
from planner.travel import TravelDataError, exchange_rate, load_travel_data


@pytest.mark.parametrize(
    ("url", "grade"),
    [
        ("http://www.aihui.gov.cn/x", "primary"),
        ("https://tass.ru/obschestvo/1", "secondary"),
        ("https://github.com/a/b", "tertiary"),
        ("https://zh.wikipedia.org/wiki/x", "tertiary"),
        ("https://unlisted.example/", "tertiary"),
        ("docs/data.md#editorial-conventions", "editorial"),
        ("blog.sina.com.cn (2021 road trip)", "tertiary"),
    ],
)
def test_catalogue_sources_are_graded_by_domain(url, grade):
    assert grade_of_url(url) == grade


def test_health_counts_every_place_and_every_source():
    catalogue = load_catalogue()
    health = data_health(catalogue, load_crossing_data())
    assert sum(c.places for c in health.cities) == len(catalogue)
    for city in health.cities:
        places = catalogue.by_city(city.city)
        assert sum(city.positions.values()) == city.places
        assert sum(city.sources.values()) == sum(len(p.sources) for p in places)
        assert city.position_unknown == sum(p.coord_uncertainty_m > 1000 for p in places)
        assert city.oldest_check is not None
    assert health.crossing.rules == len(load_crossing_data().entry_rules)
    assert health.crossing.sources["primary"] > 0


def test_summary_and_page_show_the_same_numbers(client):
    health = data_health(load_catalogue(), load_crossing_data())
    result = CliRunner().invoke(cli, ["check-data", "--summary"])
    assert result.exit_code == 0, result.output
    for line in summary_lines(health):
        assert line in result.output
    for lang in ("en", "zh", "ru"):
        page = client.get(f"/about/data?lang={lang}").get_data(as_text=True)
        for city in health.cities:
            assert f"<td>{city.position_unknown}</td>" in page
            assert f"<td>{city.known_prices}</td>" in page
            assert city.oldest_check.isoformat() in page


def test_footer_links_the_data_health_page(client):
    for lang, words in (("en", "How reliable"), ("zh", "可靠"), ("ru", "надёжны")):
        html = client.get(f"/attractions?lang={lang}").get_data(as_text=True)
        assert 'href="/about/data"' in html and words in html


def test_exchange_rate_is_dated_with_its_source(monkeypatch):
    monkeypatch.delenv("PLANNER_EXCHANGE_RATE_RUB_PER_CNY", raising=False)
    rate = exchange_rate()
    assert rate.rub_per_cny == 11.221 and rate.date == date(2026, 3, 4)
    assert "Bank of Russia" in rate.source and not rate.overridden
    rub = load_travel_data().exchange.cny_per_unit["RUB"]
    assert abs(rub * rate.rub_per_cny - 1) < 0.001


def test_setting_overrides_the_rate_everywhere(monkeypatch):
    monkeypatch.setenv("PLANNER_EXCHANGE_RATE_RUB_PER_CNY", "12.5")
    monkeypatch.setenv("PLANNER_EXCHANGE_RATE_DATE", "2026-11-28")
    rate = exchange_rate()
    assert (rate.rub_per_cny, rate.date, rate.overridden) == (12.5, date(2026, 11, 28), True)
    assert load_travel_data().exchange.cny_per_unit["RUB"] == pytest.approx(1 / 12.5)


def test_rate_setting_without_its_date_is_an_error(monkeypatch):
    monkeypatch.setenv("PLANNER_EXCHANGE_RATE_RUB_PER_CNY", "12.5")
    monkeypatch.delenv("PLANNER_EXCHANGE_RATE_DATE", raising=False)
    with pytest.raises(TravelDataError, match="PLANNER_EXCHANGE_RATE_DATE"):
        exchange_rate()


def test_the_rate_setting_reaches_the_planners_budget(monkeypatch):
    """Not only the pages: a plan made after the setting changes converts budgets with it."""
    from datetime import datetime

    from zones import BLAGOVESHCHENSK_TZ

    from planner.planning import TripRequest, plan_trip

    req = TripRequest(
        arrive=datetime(2027, 7, 10, 9, tzinfo=BLAGOVESHCHENSK_TZ),
        depart=datetime(2027, 7, 11, 18, tzinfo=BLAGOVESHCHENSK_TZ),
        stay=("blagoveshchensk",),
        nationality="RU",
        party_size=10,
        daily_budget=100,
        budget_currency="CNY",
    )

    def over_budget() -> set[str]:
        plan = plan_trip(req, time_limit=60)
        return {x.attraction.id for x in plan.left_out if x.reason == "over_budget"}

    monkeypatch.delenv("PLANNER_EXCHANGE_RATE_RUB_PER_CNY", raising=False)
    assert "amur-regional-museum" in over_budget()  # 10 x 300 RUB is about 267 CNY
    monkeypatch.setenv("PLANNER_EXCHANGE_RATE_RUB_PER_CNY", "100")
    monkeypatch.setenv("PLANNER_EXCHANGE_RATE_DATE", "2026-11-28")
    assert "amur-regional-museum" not in over_budget()  # 30 CNY at that rate


def _place(ident: str, lat: float, lon: float, **changes):
    from dataclasses import replace

    base = load_catalogue().get("chelnok-monument")
    return replace(base, id=ident, location=LatLon(lat, lon), **changes)


def test_unrelated_places_on_one_estimated_point_are_flagged():
    a = _place("a", 50.25, 127.5, coord_confidence="estimated", coord_uncertainty_m=900)
    b = _place("b", 50.25, 127.5, coord_confidence="estimated", coord_uncertainty_m=900)
    apart = _place("c", 50.26, 127.5, coord_confidence="estimated", coord_uncertainty_m=900)
    assert shared_estimated_points([a, b, apart]) == [("a", "b")]


def test_an_event_may_sit_on_its_venue_but_an_estimated_monument_may_not():
    venue = _place("venue", 50.25, 127.5, coord_confidence="low", coord_uncertainty_m=300)
    event = _place(
        "fair", 50.25, 127.5, kind="event", coord_confidence="estimated", tags={"venue": "venue"}
    )
    assert shared_estimated_points([venue, event]) == []
    statue = _place("statue", 50.25, 127.5, coord_confidence="estimated", tags={"venue": "venue"})
    assert shared_estimated_points([venue, event, statue]) == [("fair", "statue", "venue")]


def test_a_cited_point_beyond_the_stated_radius_is_a_contradiction():
    far = Source("https://example.org/a", "a point", date(2026, 12, 7), LatLon(50.25, 127.53))
    near = Source("https://example.org/b", "a point", date(2026, 12, 7), LatLon(50.25, 127.501))
    place = _place("p", 50.25, 127.5, coord_uncertainty_m=1500, sources=(far, near))
    (conflict,) = contradicted_radii([place])
    assert (conflict.place, conflict.url, conflict.radius_m) == ("p", far.url, 1500)
    assert 2100 < conflict.distance_m < 2200  # 0.03 deg of longitude at 50 deg N
    assert contradicted_radii([_place("q", 50.25, 127.5, sources=(near,))]) == []


def test_summary_counts_shared_points_and_contradicted_radii():
    lines = summary_lines(data_health(load_catalogue(), load_crossing_data()))
    shown = [line for line in lines if "radius contradicted by a cited point" in line]
    assert len(shown) == 2  # one line per city
    assert all("on a shared estimated point: 0;" in line for line in shown)
