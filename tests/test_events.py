"""Events on their dates: placed only on a day they are held, in their time of day, or left
out with the reason (not on the trip's dates, or dates not published for the year)."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from datetime import date, datetime, time
from pathlib import Path

import pytest
from babel.support import Translations
from conftest import QUALITY_LIMIT
from zones import BLAGOVESHCHENSK_TZ

from planner.catalogue import DEFAULT_PATH, Catalogue, CatalogueError, load_catalogue
from planner.messages import render
from planner.model import EventDates
from planner.planning import TripRequest, plan_trip

VICTORY = "victory-day-ceremonies"
FAIR = "cultural-fair-blagoveshchensk"
TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"


def _trip(first: date, last: date, **changes) -> TripRequest:
    """A stay in Blagoveshchensk for a Russian traveller, from 09:00 to 20:00 local time."""
    base = TripRequest(
        arrive=datetime.combine(first, time(9), BLAGOVESHCHENSK_TZ),
        depart=datetime.combine(last, time(20), BLAGOVESHCHENSK_TZ),
        stay=("blagoveshchensk",),
        interests=("history",),
        nationality="RU",
    )
    return replace(base, **changes)


def _visits(plan, place_id: str) -> list:
    return [s for d in plan.days for s in d.stops if s.attraction.id == place_id]


def _left(plan) -> dict:
    return {x.attraction.id: x for x in plan.left_out}


def _words(message, lang: str) -> str:
    return render(message, Translations.load(str(TRANSLATIONS), [lang]).gettext, lang)


def test_victory_day_must_see_is_placed_on_the_morning_of_9_may_never_on_8_may():
    plan = plan_trip(
        _trip(date(2027, 5, 7), date(2027, 5, 10), must_see=(VICTORY,)),
        time_limit=QUALITY_LIMIT,
        seed=1,
    )
    visits = _visits(plan, VICTORY)
    assert len(visits) == 1
    visit = visits[0]
    local = visit.arrive.astimezone(BLAGOVESHCHENSK_TZ)
    assert local.date() == date(2027, 5, 9)
    # The catalogue's morning window of 9 May on the Blagoveshchensk clock: 09:00-11:30.
    assert time(9) <= local.time()
    assert visit.depart.astimezone(BLAGOVESHCHENSK_TZ).time() <= time(11, 30)
    assert visit.arrive.utcoffset() == BLAGOVESHCHENSK_TZ.utcoffset(local.replace(tzinfo=None))


def test_victory_day_outside_the_trip_is_left_out_as_not_on_the_trips_dates():
    plan = plan_trip(
        _trip(date(2027, 5, 1), date(2027, 5, 3), must_see=(VICTORY,)),
        time_limit=QUALITY_LIMIT,
        seed=1,
    )
    assert _visits(plan, VICTORY) == []
    left = _left(plan)[VICTORY]
    assert left.reason == "not_on_dates"
    assert _words(left.detail, "en") == "not on the trip's dates"
    assert _words(left.detail, "ru") == "не проходит в даты поездки"
    # The must-see that cannot be placed is told in red, with that reason.
    missing = [n for n in plan.warnings if n.message.code == "must_see_missing"]
    assert missing and "не проходит в даты поездки" in _words(missing[0].message, "ru")


def test_fair_whose_year_has_no_published_dates_is_left_out_and_says_so():
    plan = plan_trip(_trip(date(2027, 7, 14), date(2027, 7, 16)), time_limit=60)
    assert _visits(plan, FAIR) == []
    left = _left(plan)[FAIR]
    assert left.reason == "dates_not_published"
    assert _words(left.detail, "en") == "dates not published for 2027"
    assert _words(left.detail, "zh") == "2027年的日期未公布"


def test_fair_is_placed_only_on_its_published_dates():
    cat = load_catalogue()
    fair = cat.get(FAIR)
    sources = fair.dates[0].sources
    dated = replace(
        fair,
        dates=(EventDates(2027, date(2027, 7, 15), date(2027, 7, 15), sources=sources),),
    )
    patched = Catalogue(
        attractions=tuple(dated if a.id == FAIR else a for a in cat.attractions), path=cat.path
    )
    plan = plan_trip(
        _trip(date(2027, 7, 14), date(2027, 7, 16), must_see=(FAIR,)),
        catalogue=patched,
        time_limit=QUALITY_LIMIT,
        seed=1,
    )
    visits = _visits(plan, FAIR)
    assert [v.arrive.astimezone(BLAGOVESHCHENSK_TZ).date() for v in visits] == [date(2027, 7, 15)]


def test_every_event_of_the_catalogue_has_dates_or_says_they_are_not_published():
    events = [a for a in load_catalogue().attractions if a.kind == "event"]
    assert len(events) >= 9
    for event in events:
        assert event.dates or event.annual is not None, event.id
        for entry in event.dates:
            assert entry.published or (entry.checked and entry.searched), (event.id, entry.year)
            assert not entry.published or entry.sources, (event.id, entry.year)


def _broken(tmp_path: Path, mutate) -> list[str]:
    data = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    props = next(f for f in data["features"] if f["properties"]["id"] == VICTORY)["properties"]
    mutate(props)
    path = tmp_path / "broken.geojson"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path)
    return list(info.value.problems)


def test_catalogue_refuses_an_event_without_dates(tmp_path):
    problems = _broken(tmp_path, lambda p: p.pop("annual"))
    assert len(problems) == 1
    assert VICTORY in problems[0] and "field 'dates'" in problems[0]
    assert "an event needs its dates per year" in problems[0]


def test_catalogue_refuses_a_year_with_neither_dates_nor_not_published(tmp_path):
    problems = _broken(tmp_path, lambda p: p.update(dates=[{"year": 2027}]))
    assert len(problems) == 1
    assert "2027: give 'start' and 'end', or mark the year 'published': false" in problems[0]


def test_catalogue_refuses_published_dates_without_a_source(tmp_path):
    entry = {"year": 2027, "start": "2027-05-09", "end": "2027-05-09", "time": "09:00-11:30"}
    problems = _broken(tmp_path, lambda p: p.update(dates=[entry]))
    assert len(problems) == 1 and "no source supports these dates" in problems[0]


def test_place_page_shows_the_events_dates_in_the_readers_language(client):
    page = client.get(f"/attractions/{FAIR}?lang=ru").get_data(as_text=True)
    assert "в 2025 году: 26 июля" in page and "20 августа; в 2026 году" in page
    assert "в 2027 году: даты не опубликованы" in page
    page = client.get(f"/attractions/{VICTORY}?lang=en").get_data(as_text=True)
    assert "every year on May 9, about 09:00–11:30" in page


def test_catalogue_refuses_dates_outside_the_events_months(tmp_path):
    problems = _broken(tmp_path, lambda p: p["annual"].update(month=6))
    assert len(problems) == 1
    assert "field 'months'" in problems[0] and "month(s) [6]" in problems[0]
