"""The graded sources, indicative timetables and symmetric entry rules of data/crossing.json."""

from __future__ import annotations

import copy
import json
from datetime import date, datetime

import pytest

from planner.crossing import DEFAULT_PATH, CrossingDataError, crossing_options, parse_crossing_data
from planner.crossing.entry import entry_decision
from planner.crossing.load import load_crossing_data
from planner.crossing.options import timetable_indicative

RAW = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
DATA = load_crossing_data()


def _sources(obj):
    if isinstance(obj, dict):
        if {"url", "supports", "checked"} <= set(obj):
            yield obj
        for value in obj.values():
            yield from _sources(value)
    elif isinstance(obj, list):
        for value in obj:
            yield from _sources(value)


def test_every_source_has_a_valid_grade():
    grades = [s.get("grade") for s in _sources(RAW)]
    assert grades and set(grades) <= {"primary", "secondary", "tertiary"}


def test_visitblg_is_tertiary_everywhere():
    atlas = [s for s in _sources(RAW) if "blagoveshchensk-atlas" in s["url"]]
    assert atlas, "the data cites visitblg's atlas"
    assert all(s["grade"] == "tertiary" for s in atlas)


@pytest.mark.parametrize("grade", [None, "official", "Primary"])
def test_grade_is_required_and_checked(grade):
    raw = copy.deepcopy(RAW)
    source = raw["entry_rules"][0]["sources"][0]
    if grade is None:
        del source["grade"]
    else:
        source["grade"] = grade
    with pytest.raises(CrossingDataError) as err:
        parse_crossing_data(raw, "t.json")
    assert "entry_rules[0].sources[0].grade" in str(err.value)


def test_a_rule_on_tertiary_sources_only_must_be_low():
    raw = copy.deepcopy(RAW)
    rule = next(r for r in raw["entry_rules"] if r["id"] == "cn-visa-free-ru")
    for source in rule["sources"]:
        source["grade"] = "tertiary"
    with pytest.raises(CrossingDataError, match="tertiary sources must be 'low'"):
        parse_crossing_data(raw, "t.json")


def test_an_unverified_extension_cannot_be_applied():
    raw = copy.deepcopy(RAW)
    rule = next(r for r in raw["entry_rules"] if r["id"] == "cn-visa-free-ru")
    rule["extensions"] = rule["reported_extensions"]
    with pytest.raises(CrossingDataError, match="applied extension"):
        parse_crossing_data(raw, "t.json")


def test_every_rule_records_when_it_was_checked():
    assert DATA.entry_rules, "the data has entry rules"
    assert all(rule.checked >= date(2026, 11, 30) for rule in DATA.entry_rules)
    raw = copy.deepcopy(RAW)
    del raw["entry_rules"][0]["checked"]
    with pytest.raises(CrossingDataError, match=r"entry_rules\[0\]\.checked: missing"):
        parse_crossing_data(raw, "t.json")


@pytest.mark.parametrize(
    ("country", "nationality", "day", "permitted"),
    [
        ("CN", "RU", date(2026, 9, 1), True),
        ("RU", "CN", date(2026, 9, 1), True),
        ("CN", "RU", date(2027, 1, 20), False),
        ("RU", "CN", date(2027, 1, 20), False),
    ],
)
def test_both_visa_free_regimes_behave_the_same(country, nationality, day, permitted):
    decision = entry_decision(country, nationality, day, data=DATA)
    assert decision.permitted is permitted
    if not permitted:
        assert decision.reason is not None and decision.reason.code == "entry_not_permitted"


def test_both_regimes_end_on_the_same_day_with_the_same_after_end_status():
    rules = {r.id: r for r in DATA.entry_rules}
    cn, ru = rules["cn-visa-free-ru"], rules["ru-visa-free-cn"]
    assert cn.valid_until == ru.valid_until == date(2026, 9, 14)
    assert cn.after_end is not None and ru.after_end is not None
    assert cn.after_end.status == ru.after_end.status == "unknown"
    assert cn.extensions == ru.extensions == ()


def test_group_tours_still_permit_both_after_the_regimes_end():
    for country, nationality in (("CN", "RU"), ("RU", "CN")):
        decision = entry_decision(country, nationality, date(2027, 1, 20), party_size=6, data=DATA)
        assert decision.permitted and decision.rule_id == "group-visa-free"


def test_unilateral_list_is_limited_to_its_countries_and_ends_2026():
    assert entry_decision("CN", "FR", date(2026, 12, 1), data=DATA).permitted
    assert not entry_decision("CN", "US", date(2026, 12, 1), data=DATA).permitted
    assert not entry_decision("CN", "FR", date(2027, 1, 2), data=DATA).permitted


def test_indicative_flag_on_derived_and_old_timetables_not_on_current_published():
    day = datetime.fromisoformat("2026-07-15T06:00+09:00")
    answer = crossing_options("blagoveshchensk", day, "RU", limit=50)
    by_mode = {o.mode: o for o in answer.options}
    assert by_mode["bridge_bus"].indicative is False  # published 2026, travel in 2026
    assert by_mode["ship"].indicative is True  # flagged doubtful in the data
    back = crossing_options("heihe", datetime.fromisoformat("2026-07-15T06:00+08:00"), "RU")
    assert all(o.indicative for o in back.options if o.mode == "ship")  # derived (mirrored)
    bridge = DATA.modes["bridge_bus"].timetables["blagoveshchensk"]
    assert not timetable_indicative(bridge, 2026) and timetable_indicative(bridge, 2027)


def test_indicative_needs_a_note():
    raw = copy.deepcopy(RAW)
    raw["modes"]["ship"]["timetables"]["blagoveshchensk"]["note"] = ""
    with pytest.raises(CrossingDataError, match="indicative timetable must say why"):
        parse_crossing_data(raw, "t.json")


def test_cableway_is_not_in_service_with_a_dated_status():
    cableway = DATA.modes["cableway"]
    assert cableway.in_service is False and cableway.status_date == date(2026, 9, 3)


def test_kani_kurgan_hours_are_an_estimate():
    (hours,) = [h for h in DATA.port_hours if h.point == "kani-kurgan-checkpoint"]
    assert hours.estimated and "25 Dec 2025" in hours.note


def test_points_agree_with_the_catalogue():
    from planner.catalogue import load_catalogue

    places = {a.id: a for a in load_catalogue().attractions}
    pairs = {
        "heihe-river-port": "heihe-river-port",
        "kani-kurgan-checkpoint": "kani-kurgan-checkpoint",
        "heihe-bus-station": "heihe-bus-station",
        "blagoveshchensk-river-port": "blagoveshchensk-river-port-amurasso",
    }
    for point_id, place_id in pairs.items():
        point, place = DATA.point(point_id), places[place_id]
        assert point.location is not None
        assert (round(point.location.lat, 6), round(point.location.lon, 6)) == (
            round(place.location.lat, 6),
            round(place.location.lon, 6),
        ), point_id
        assert point.coord_uncertainty_m == place.coord_uncertainty_m, point_id


def test_every_text_a_traveller_reads_is_in_three_languages():
    import json

    from planner.crossing import DEFAULT_PATH

    raw = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    english_only = []

    def walk(value, path):
        if isinstance(value, dict):
            for key, item in value.items():
                in_mode = path.startswith("/modes/") and "/seasons" not in path
                shown = key in ("text", "title", "reason") or (
                    in_mode and (key == "note" or (key == "status" and path.count("/") == 2))
                )
                if shown and isinstance(item, str) and item.strip() and "/policy" not in path:
                    english_only.append(f"{path}/{key}")
                elif key == "documents" and isinstance(item, list):
                    english_only.extend(f"{path}/{key}" for d in item if isinstance(d, str))
                walk(item, f"{path}/{key}")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, f"{path}[{index}]")

    walk(raw, "")
    for rule in raw["entry_rules"]:
        if isinstance(rule.get("note"), str) and rule["note"]:
            english_only.append(f"entry_rules/{rule['id']}/note")
        if rule.get("after_end") and isinstance(rule["after_end"]["text"], str):
            english_only.append(f"entry_rules/{rule['id']}/after_end")
    assert not english_only
    assert "editor translations" in raw["translations"]


def test_an_english_only_text_still_loads_and_falls_back_to_english():
    import json

    from planner.crossing import DEFAULT_PATH, parse_crossing_data

    raw = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    raw["customs"]["RU"]["text"] = "purchases are inspected"
    data = parse_crossing_data(raw)
    assert data.customs["RU"].text.get("ru") == "purchases are inspected"


def test_kazakh_citizens_enter_both_countries_without_a_visa():
    """The EAEU-era agreement with Russia and the 2023 agreement with China: a Kazakh passport
    crosses either way on its own, from the day the China agreement took force."""
    ru = entry_decision("RU", "KZ", date(2027, 7, 10), data=DATA)
    cn = entry_decision("CN", "KZ", date(2027, 7, 10), data=DATA)
    assert (ru.permitted, ru.rule_id) == (True, "ru-visa-free-kz")
    assert (cn.permitted, cn.rule_id) == (True, "cn-visa-free-kz")
    assert not entry_decision("CN", "KZ", date(2023, 11, 9), data=DATA).permitted
    # Uzbekistan is not in the Kazakh rule: the base layer answers for it.
    assert entry_decision("RU", "UZ", date(2027, 7, 10), data=DATA).rule_id == "passport-index"


def test_crossing_facts_are_read_once_and_cannot_be_changed():
    from pydantic import ValidationError

    assert load_crossing_data() is load_crossing_data()
    ship = DATA.modes["ship"]
    with pytest.raises(ValidationError, match="frozen"):
        ship.in_service = False
    assert isinstance(DATA.entry_rules, tuple) and isinstance(ship.seasons, tuple)


def test_a_blank_language_of_a_point_name_is_reported_at_that_language():
    raw = copy.deepcopy(RAW)
    raw["points"][0]["name"]["ru"] = " "
    with pytest.raises(CrossingDataError) as err:
        parse_crossing_data(raw, "t.json")
    assert "t.json: points[0].name.ru: missing or not a non-empty string" in err.value.problems


def test_a_null_note_is_reported_not_taken_as_no_note():
    raw = copy.deepcopy(RAW)
    raw["modes"]["ship"]["timetables"]["heihe"]["note"] = None
    with pytest.raises(CrossingDataError, match=r"modes\.ship\.timetables\.heihe\.note: expected"):
        parse_crossing_data(raw, "t.json")


def test_a_text_in_a_language_it_lacks_is_read_in_english():
    rule = next(r for r in DATA.entry_rules if r.id == "cn-visa-free-ru")
    assert rule.title.get("ru") != rule.title.get("en")
    assert rule.title.get("ko") == rule.title.en
    english = parse_crossing_data(_with_english_customs(RAW)).customs["RU"].text
    assert (english.zh, english.get("zh")) == ("", "purchases are inspected")


def _with_english_customs(raw):
    raw = copy.deepcopy(raw)
    raw["customs"]["RU"]["text"] = "purchases are inspected"
    return raw
