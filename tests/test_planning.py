"""plan_trip(): what a traveller notices in the plan it returns."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from click.testing import CliRunner
from conftest import QUALITY_LIMIT, summer_request
from zones import BLAGOVESHCHENSK_TZ, HEIHE_TZ

from planner import hours
from planner.catalogue import Catalogue, load_catalogue
from planner.cli import cli
from planner.planning import PlanningError, plan_trip
from planner.serialize import itinerary_to_json

_request = summer_request


@pytest.fixture(scope="module")
def summer_plan():
    return plan_trip(_request(day_across="yes"), time_limit=QUALITY_LIMIT, seed=1)


def test_every_visit_falls_inside_its_opening_hours(summer_plan):
    stops = [s for day in summer_plan.days for s in day.stops]
    assert any(hours.open_intervals(s.attraction, s.arrive.date()) is not None for s in stops)
    for day in summer_plan.days:
        for stop in day.stops:
            intervals = hours.open_intervals(stop.attraction, stop.arrive.date())
            if intervals is None:
                continue  # hours not verified: the plan warns instead
            assert any(a <= stop.arrive and stop.depart <= b for a, b in intervals), stop


def test_times_are_aware_and_in_the_local_zone_of_each_city(summer_plan):
    zones = {"heihe": HEIHE_TZ, "blagoveshchensk": BLAGOVESHCHENSK_TZ}
    cities = {s.attraction.city for day in summer_plan.days for s in day.stops}
    assert cities == set(zones), "stops in both cities"
    for day in summer_plan.days:
        for stop in day.stops:
            assert stop.arrive.tzinfo is not None
            assert stop.arrive.utcoffset() == zones[stop.attraction.city].utcoffset(stop.arrive)


def test_visits_of_a_day_do_not_overlap_and_keep_the_day_window(summer_plan):
    assert any(len(day.stops) >= 2 for day in summer_plan.days), "a day with stops to compare"
    for day in summer_plan.days:
        times = sorted((s.arrive, s.depart) for s in day.stops)
        for (_, d0), (a1, _) in zip(times, times[1:], strict=False):
            assert d0 <= a1
        for s in day.stops:
            assert s.arrive < s.depart


def test_three_day_trip_visits_both_cities_and_crosses_back(summer_plan):
    cities = {s.attraction.city for d in summer_plan.days for s in d.stops}
    assert cities == {"heihe", "blagoveshchensk"}
    for day in summer_plan.days:
        if any(s.attraction.city == "blagoveshchensk" for s in day.stops):
            directions = [c.direction_from for c in day.crossings]
            assert directions == ["heihe", "blagoveshchensk"], "stranded abroad"


def test_crossing_leaves_at_a_departure_the_border_model_offers(summer_plan):
    from planner import crossing

    assert any(day.crossings for day in summer_plan.days), "the plan crosses the border"
    for day in summer_plan.days:
        for c in day.crossings:
            opt = c.option
            answer = crossing.crossing_options(
                c.direction_from,
                opt.report_by - timedelta(minutes=1),
                "CN",
                limit=3,
                entry_permits=("RU",),
            )
            assert any(o.depart == opt.depart and o.mode == opt.mode for o in answer.options)


def test_museum_closed_on_the_only_day_is_left_out_as_closed():
    cat = load_catalogue()
    museum = cat.get("amur-regional-museum")
    closed_monday = replace(museum, opening_hours="Tu-Su 10:00-18:00", hours_verified=True)
    patched = Catalogue(
        attractions=tuple(closed_monday if a.id == museum.id else a for a in cat.attractions),
        path=cat.path,
    )
    monday = datetime(2027, 7, 12, 9, 0, tzinfo=BLAGOVESHCHENSK_TZ)
    request = _request(
        arrive=monday,
        depart=monday + timedelta(hours=10),
        stay=("blagoveshchensk",),
        nationality="RU",
    )
    plan = plan_trip(request, catalogue=patched, time_limit=QUALITY_LIMIT)
    reasons = {x.attraction.id: x.reason for x in plan.left_out}
    assert reasons[museum.id] == "closed"
    assert all(s.attraction.id != museum.id for d in plan.days for s in d.stops)


def test_too_short_a_trip_leaves_places_out_for_lack_of_time():
    arrive = datetime(2027, 7, 10, 10, 0, tzinfo=HEIHE_TZ)
    plan = plan_trip(
        _request(arrive=arrive, depart=arrive + timedelta(hours=5)), time_limit=QUALITY_LIMIT
    )
    no_time = [x for x in plan.left_out if x.reason == "no_time"]
    assert len(no_time) >= 3  # (places with an unknown position are left out for that)
    assert sum(len(d.stops) for d in plan.days) >= 1


def test_excluded_place_is_never_visited_and_says_so():
    plan = plan_trip(_request(exclude=("aihui-history-museum",)), time_limit=QUALITY_LIMIT)
    reasons = {x.attraction.id: x.reason for x in plan.left_out}
    assert reasons["aihui-history-museum"] == "excluded"


def test_must_see_place_is_visited():
    plan = plan_trip(_request(must_see=("aihui-history-museum",)), time_limit=QUALITY_LIMIT)
    visited = {s.attraction.id for d in plan.days for s in d.stops}
    assert "aihui-history-museum" in visited


def test_same_seed_gives_the_same_plan():
    a = itinerary_to_json(plan_trip(_request(), time_limit=QUALITY_LIMIT, seed=7))
    b = itinerary_to_json(plan_trip(_request(), time_limit=QUALITY_LIMIT, seed=7))
    assert [[s["attraction_id"] for s in d["stops"]] for d in a["days"]] == [
        [s["attraction_id"] for s in d["stops"]] for d in b["days"]
    ]


def test_no_crossing_is_planned_on_a_border_closure_day():
    # Heihe checkpoints were closed 16-19 Feb 2026 for the Spring Festival.
    arrive = datetime(2026, 2, 17, 9, 0, tzinfo=HEIHE_TZ)
    plan = plan_trip(
        _request(arrive=arrive, depart=arrive + timedelta(hours=9)), time_limit=QUALITY_LIMIT
    )
    assert all(not d.crossings for d in plan.days)
    reasons = {x.attraction.id: x.reason for x in plan.left_out}
    assert reasons["triumphal-arch"] == "not_reachable"


def test_naive_time_is_refused():
    with pytest.raises(ValueError, match="offset"):
        plan_trip(_request(arrive=datetime(2027, 7, 10, 9, 0)))


def test_unknown_place_is_refused_with_its_id():
    with pytest.raises(PlanningError, match="no-such-place"):
        plan_trip(_request(must_see=("no-such-place",)))


def _cli_plan(depart: str, *extra: str):
    args = ["plan", "--arrive", "2027-07-10T09:00+08:00", "--depart", depart, "--stay", "heihe"]
    return CliRunner().invoke(cli, [*args, *extra])


def test_cli_plan_prints_json_with_offsets():
    result = _cli_plan("2027-07-11T18:00+08:00", "--interests", "history", "--format", "json")
    assert result.exit_code == 0, result.output
    assert '"arrive": "2027-07-1' in result.output and "+0" in result.output


def test_cli_plan_bad_time_is_one_line_error():
    result = CliRunner().invoke(
        cli,
        ["plan", "--arrive", "tomorrow", "--depart", "2027-07-11T18:00+08:00", "--stay", "heihe"],
    )
    assert result.exit_code != 0
    assert "Traceback" not in result.output and "tomorrow" in result.output


def test_place_dearer_than_the_daily_budget_is_left_out_as_over_budget():
    monday = datetime(2027, 7, 13, 9, 0, tzinfo=BLAGOVESHCHENSK_TZ)
    request = _request(
        arrive=monday,
        depart=monday + timedelta(hours=10),
        stay=("blagoveshchensk",),
        nationality="RU",
        daily_budget=10,
        budget_currency="CNY",
    )
    plan = plan_trip(request, time_limit=QUALITY_LIMIT)
    reasons = {x.attraction.id: x.reason for x in plan.left_out}
    assert reasons["amur-regional-museum"] == "over_budget"


def test_each_day_s_tickets_stay_within_the_daily_budget():
    arrive = datetime(2027, 7, 10, 9, 0, tzinfo=HEIHE_TZ)
    one_day = _request(arrive=arrive, depart=arrive + timedelta(hours=11), visas=())
    cat = load_catalogue()
    free_plan = plan_trip(one_day, catalogue=cat, time_limit=QUALITY_LIMIT)
    priced = {s.attraction.id for s in free_plan.days[0].stops}
    assert len(priced) >= 2
    patched = Catalogue(
        attractions=tuple(
            replace(a, price=60.0, currency="CNY") if a.id in priced else a for a in cat.attractions
        ),
        path=cat.path,
    )
    plan = plan_trip(
        replace(one_day, daily_budget=100), catalogue=patched, time_limit=QUALITY_LIMIT
    )
    spent = sum(s.attraction.price or 0 for s in plan.days[0].stops if s.attraction.id in priced)
    assert spent <= 100
    assert any(x.reason == "over_budget" for x in plan.left_out)


def test_arriving_on_the_other_bank_starts_with_a_crossing_to_the_hotel():
    arrive = datetime(2027, 7, 10, 9, 0, tzinfo=BLAGOVESHCHENSK_TZ)
    plan = plan_trip(
        _request(
            arrive=arrive,
            depart=arrive + timedelta(days=1, hours=8),
            stay=("heihe",),
            arrive_place="blagoveshchensk-ignatyevo-airport",
            nationality="RU",
            visas=(
                "CN",
            ),  # China's visa-free regime for RU ended 2026-09-14 (extension unverified)
        ),
        time_limit=QUALITY_LIMIT,
    )
    first = plan.days[0]
    assert [c.direction_from for c in first.crossings] == ["blagoveshchensk"]
    assert first.city_end == "heihe"


def test_each_leg_is_travelled_before_the_next_visit_even_after_a_meal(summer_plan):
    assert any(day.meals and len(day.stops) >= 2 for day in summer_plan.days), "a day to check"
    for day in summer_plan.days:
        ends = [(m.start, m.end) for m in day.meals]
        ends += [(s.arrive, s.depart) for s in day.stops]
        ends += [(c.option.report_by, c.option.arrive) for c in day.crossings]
        for stop in day.stops:
            before = [end for start, end in ends if start < stop.arrive]
            if before:
                assert max(before) + timedelta(minutes=stop.leg.minutes) <= stop.arrive, stop


def test_cli_unknown_transport_mode_is_refused():
    result = _cli_plan("2027-07-10T18:00+08:00", "--transport-heihe", "walk,plane")
    assert result.exit_code == 1 and all(m in result.output for m in ("walk", "taxi", "bus"))


def test_bus_only_traveller_never_takes_a_taxi():
    plan = plan_trip(
        _request(transport=(("heihe", ("walk", "bus")), ("blagoveshchensk", ("walk", "bus")))),
        time_limit=QUALITY_LIMIT,
    )
    modes = {s.leg.mode for d in plan.days for s in d.stops}
    assert modes <= {"walk", "bus"}


def test_a_mode_named_twice_is_one_mode_and_walking_keeps_its_limit():
    from planner.model import LatLon
    from planner.travel import leg_matrix

    far = [LatLon(50.245, 127.49), LatLon(50.30, 127.60)]  # about 10 km apart
    once, twice = leg_matrix(far, ("walk", "taxi")), leg_matrix(far, ("walk", "taxi", "walk"))
    assert (once.seconds == twice.seconds).all() and (once.mode_index == twice.mode_index).all()
    alone, doubled = leg_matrix(far, ("walk",)), leg_matrix(far, ("walk", "walk"))
    assert (alone.seconds == doubled.seconds).all()
    assert doubled.seconds.max() < 24 * 3600


def test_cli_plan_with_a_mode_named_twice_plans():
    result = _cli_plan("2027-07-11T18:00+08:00", "--transport", "walk,walk", "--format", "json")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output


def test_cli_plan_with_a_deeply_nested_request_file_is_one_line_error(tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text('{"stay": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    result = CliRunner().invoke(cli, ["plan", "--request", str(deep)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1


@pytest.mark.parametrize("budget", ["nan", "inf", "-5"])
def test_cli_budget_that_is_not_a_sum_is_refused(budget):
    result = _cli_plan("2027-07-10T18:00+08:00", "--budget", budget)
    assert result.exit_code == 1 and "budget" in result.output and "Traceback" not in result.output


def test_a_request_file_with_a_mistake_is_refused_in_its_own_language(tmp_path):
    from click.testing import CliRunner

    from planner.cli import cli

    bad = tmp_path / "r.json"
    bad.write_text(
        '{"arrive": "2027-07-10T09:00+08:00", "depart": "2027-07-12T18:00+08:00",'
        ' "stay": ["heihe"], "nationality": "CN", "lang": "zh", "pace": "fast"}',
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["plan", "--request", str(bad)])
    assert result.exit_code == 1
    assert "请求无效" in result.output and "invalid request" not in result.output


AIHUI_MUSEUM = "aihui-history-museum"


def _winter_day_in_heihe(day: datetime, **changes):
    return _request(
        arrive=day, depart=day + timedelta(hours=10), interests=("history", "museums"), **changes
    )


def test_aihui_museum_is_never_scheduled_on_a_winter_monday():
    # 8 Oct-30 Apr it is closed on Mondays (chinaservicesinfo.com, 2018 page updated 2023).
    monday = datetime(2027, 1, 11, 8, 0, tzinfo=HEIHE_TZ)
    assert monday.weekday() == 0
    plan = plan_trip(_winter_day_in_heihe(monday), time_limit=QUALITY_LIMIT, seed=1)
    assert plan.days, "the plan has no day to look at"
    assert all(s.attraction.id != AIHUI_MUSEUM for d in plan.days for s in d.stops)
    reasons = {x.attraction.id: x.reason for x in plan.left_out}
    assert reasons[AIHUI_MUSEUM] == "closed"


def test_aihui_museum_can_be_visited_on_a_winter_tuesday_after_its_opening():
    tuesday = datetime(2027, 1, 12, 8, 0, tzinfo=HEIHE_TZ)
    plan = plan_trip(
        _winter_day_in_heihe(tuesday, must_see=(AIHUI_MUSEUM,)), time_limit=QUALITY_LIMIT, seed=1
    )
    stops = [s for d in plan.days for s in d.stops if s.attraction.id == AIHUI_MUSEUM]
    assert len(stops) == 1
    opens = tuesday.replace(hour=9, minute=30)
    assert stops[0].arrive >= opens
    assert stops[0].arrive <= tuesday.replace(hour=15, minute=30)  # by the last ticket


def test_a_three_day_heihe_stay_in_summer_shows_the_town_as_well_as_aihui():
    # Without a Russian visa the stay is all Heihe: its own sights, known only to a few km but
    # found by a taxi driver from their names, fill it alongside Aihui.
    plan = plan_trip(_request(visas=()), time_limit=QUALITY_LIMIT, seed=1)
    visits = {s.attraction.id: s for d in plan.days for s in d.stops}
    categories = {s.attraction.category for s in visits.values()}
    assert "embankment" in categories  # the riverside park
    assert "central-street" in visits
    assert "big-heihe-island" in visits
    assert any(pid.startswith("aihui-") for pid in visits)
    market = visits.get("russian-goods-night-market")
    assert market is not None
    assert market.arrive.astimezone(HEIHE_TZ).hour >= 17  # in the evening
