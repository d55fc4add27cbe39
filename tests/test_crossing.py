"""The border-crossing model as a table of dated scenarios, plus its guards, data checks and CLI."""

from __future__ import annotations

import copy
import json
from datetime import date, datetime

import pytest

from planner.cli import cli
from planner.crossing import (
    DEFAULT_PATH,
    CrossingDataError,
    crossing_options,
    last_safe_return,
    load_crossing_data,
    normalize_nationality,
    options_on_day,
    parse_crossing_data,
)
from planner.messages import Message, english, render
from planner.serialize import answer_to_json
from planner.timeutil import NaiveDatetimeError

DATA = load_crossing_data()
RAW = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def modes_of(answer) -> set[str]:
    return {option.mode for option in answer.options}


def coded(messages, code: str) -> list:
    return [m for m in messages if m.code == code]


# id, direction, after, nationality, party, permits, expected modes (exact set) or None for "none"
SCENARIOS = [
    (
        "summer-weekday",
        "blagoveshchensk",
        "2027-07-14T08:00+09:00",
        "RU",
        1,
        ("CN",),
        {"ship", "bridge_bus"},
    ),
    ("freeze-up-no-ships", "heihe", "2026-11-20T08:00+08:00", "RU", 1, (), {"hovercraft"}),
    (
        "january-pontoon-or-bridge",
        "blagoveshchensk",
        "2027-01-20T07:00+09:00",
        "RU",
        1,
        ("CN",),
        {"pontoon_bus", "bridge_bus"},
    ),
    (
        "spring-break-up",
        "blagoveshchensk",
        "2027-04-20T08:00+09:00",
        "RU",
        1,
        ("CN",),
        {"hovercraft", "bridge_bus"},
    ),
    ("chinese-new-year-2026", "heihe", "2026-02-17T09:00+08:00", "RU", 1, (), None),
    (
        "russian-before-regime-end",
        "blagoveshchensk",
        "2026-07-15T08:00+09:00",
        "RU",
        1,
        (),
        {"ship", "bridge_bus"},
    ),
    # A reported (unverified) extension is never applied: no visa-free entry after 14 Sep 2026.
    (
        "russian-in-reported-extension",
        "blagoveshchensk",
        "2027-07-15T08:00+09:00",
        "RU",
        1,
        (),
        None,
    ),
    ("russian-after-all-ends", "blagoveshchensk", "2028-07-12T08:00+09:00", "RU", 1, (), None),
    (
        "russian-after-end-with-visa",
        "blagoveshchensk",
        "2028-07-12T08:00+09:00",
        "RU",
        1,
        ("CN",),
        {"ship", "bridge_bus"},
    ),
    ("chinese-before-regime-end", "heihe", "2026-07-15T08:00+08:00", "CN", 1, (), {"ship"}),
    ("chinese-after-regime-end", "heihe", "2026-10-01T08:00+08:00", "CN", 1, (), None),
    ("chinese-group-after-regime-end", "heihe", "2026-10-01T08:00+08:00", "CN", 6, (), {"ship"}),
    ("third-country-no-visa", "heihe", "2027-07-14T08:00+08:00", "DE", 1, (), None),
    ("third-country-with-visa", "heihe", "2027-07-14T08:00+08:00", "DE", 1, ("RU",), {"ship"}),
    (
        "listed-third-country-to-china",
        "blagoveshchensk",
        "2026-07-15T08:00+09:00",
        "DE",
        1,
        (),
        {"ship", "bridge_bus"},
    ),
    (
        "unlisted-third-country-to-china",
        "blagoveshchensk",
        "2026-07-15T08:00+09:00",
        "US",
        1,
        (),
        None,
    ),
]


@pytest.mark.parametrize(
    ("direction", "after", "nationality", "party", "permits", "expected"),
    [pytest.param(*row[1:], id=row[0]) for row in SCENARIOS],
)
def test_dated_scenarios_offer_the_right_modes(
    direction, after, nationality, party, permits, expected
):
    answer = crossing_options(
        direction, at(after), nationality, party, limit=50, entry_permits=permits
    )
    if expected is None:
        assert answer.options == ()
        assert answer.reasons
    else:
        assert modes_of(answer) == expected
    departs = [option.depart for option in answer.options]
    assert departs == sorted(departs)


def test_chinese_new_year_closure_gives_no_option_and_says_holiday():
    answer = crossing_options("heihe", at("2026-02-17T09:00+08:00"), "RU")
    assert answer.options == ()
    closures = coded(answer.reasons, "holiday_closure")
    assert closures and all(m.params["estimated"] is False for m in closures)
    assert (closures[0].params["start"], closures[0].params["end"]) == ("2026-02-16", "2026-02-19")
    assert "2026-02-16 to 2026-02-19" in english(closures[0])


def test_spring_festival_pattern_for_an_unpublished_year_is_an_estimate():
    # 2027: Spring Festival 6 Feb, eve 5 Feb -> estimated closure 5-8 Feb (holidays package).
    answer = options_on_day("blagoveshchensk", date(2027, 2, 6), "RU", entry_permits=("CN",))
    assert answer.options == ()
    estimated = coded(answer.reasons, "holiday_closure_estimated")
    assert estimated and estimated[0].params["estimated"] is True
    assert (estimated[0].params["start"], estimated[0].params["end"]) == (
        "2027-02-05",
        "2027-02-08",
    )
    assert options_on_day("blagoveshchensk", date(2027, 2, 9), "RU", entry_permits=("CN",)).options


def test_dated_kani_kurgan_closure_removes_only_the_bridge_bus():
    # Before China's visa-free trial (Sep 2025) a Russian crosses with a group tour (5-50).
    answer = options_on_day("blagoveshchensk", date(2025, 5, 8), "RU", party_size=6)
    assert modes_of(answer) == {"hovercraft"}
    closed = coded(answer.reasons, "checkpoint_closed")
    assert closed and closed[0].params["mode"] == "bridge_bus"
    assert "grid maintenance" in closed[0].params["reason"].en


def test_request_after_the_last_departure_shows_next_morning():
    answer = crossing_options(
        "blagoveshchensk", at("2027-07-14T16:30+09:00"), "RU", entry_permits=("CN",)
    )
    assert answer.options
    assert all(option.depart.date() == date(2027, 7, 15) for option in answer.options)
    assert answer.options[0].depart.hour < 12
    (late,) = coded(answer.reasons, "no_more_crossings_today")
    assert late.params["city"] == "blagoveshchensk" and late.params["after"] == "16:30"
    assert "next morning" in english(late)


def test_freeze_up_hovercraft_carry_ice_and_estimate_warnings():
    answer = crossing_options("heihe", at("2026-11-20T08:00+08:00"), "RU")
    assert all(option.mode != "ship" for option in answer.options)
    warnings = answer.options[0].warnings
    assert [m.params["period"] for m in coded(warnings, "ice_risk")] == ["freeze-up"]
    assert coded(warnings, "season_estimated")
    assert "ice-risk period (freeze-up)" in " ".join(map(english, warnings))


def test_times_are_on_each_sides_own_clock():
    option = crossing_options(
        "blagoveshchensk", at("2027-07-14T08:00+09:00"), "RU", entry_permits=("CN",)
    ).options[0]
    assert str(option.depart.tzinfo) == "Asia/Yakutsk"
    assert str(option.arrive.tzinfo) == "Asia/Shanghai"
    assert option.minutes == int((option.arrive - option.report_by).total_seconds() // 60)


def test_one_hour_shift_30_minute_crossing_leaving_1600_heihe_arrives_1730_blagoveshchensk():
    raw = copy.deepcopy(RAW)
    raw["policy"]["buffer_minutes"] = 0
    raw["checkpoint_minutes"]["heihe"] = {"exit": 0, "entry": 0}
    raw["checkpoint_minutes"]["blagoveshchensk"] = {"exit": 0, "entry": 0}
    ship = raw["modes"]["ship"]
    ship["timetables"]["heihe"]["times"] = ["16:00"]
    ship["ride"]["minutes"] = 30
    data = parse_crossing_data(raw, "test-data")
    answer = crossing_options("heihe", at("2027-07-14T15:00+08:00"), "RU", data=data)
    ship_option = next(option for option in answer.options if option.mode == "ship")
    assert ship_option.depart.isoformat() == "2027-07-14T16:00:00+08:00"
    assert ship_option.arrive.isoformat() == "2027-07-14T17:30:00+09:00"
    assert ship_option.minutes == 30


def test_last_safe_return_is_a_deadline_abroad():
    deadline = last_safe_return("heihe", date(2027, 7, 14), "RU", entry_permits=("CN",))
    # last derived ship from Heihe 15:00 Beijing time minus 30 min exit and 15 min buffer
    assert deadline == at("2027-07-14T14:15+08:00")
    answer = crossing_options(
        "blagoveshchensk", at("2027-07-14T08:00+09:00"), "RU", entry_permits=("CN",)
    )
    assert answer.last_return == deadline
    assert last_safe_return("heihe", date(2026, 2, 17), "RU") is None


def test_last_crossing_of_the_day_is_flagged():
    answer = options_on_day("blagoveshchensk", date(2027, 7, 14), "RU", entry_permits=("CN",))
    last = answer.options[-1]
    assert coded(last.warnings, "last_crossing_of_day")
    assert not coded(answer.options[0].warnings, "last_crossing_of_day")


def test_reported_extension_is_shown_but_never_applied():
    answer = crossing_options("blagoveshchensk", at("2027-07-15T08:00+09:00"), "RU")
    assert answer.options == ()
    (reason,) = coded(answer.reasons, "entry_not_permitted")
    texts = [english(m) for m in reason.params["details"]]
    assert any("31 Dec 2027" in t and "low confidence" in t and "not applied" in t for t in texts)


def test_rule_expiring_within_a_stay_is_warned():
    option = crossing_options("blagoveshchensk", at("2026-09-01T08:00+09:00"), "RU").options[0]
    (expiring,) = coded(option.warnings, "entry_rule_ends_extension_reported")
    extension = expiring.params["extension"].en
    assert expiring.params["end"] == "2026-09-14" and "31 Dec 2027" in extension
    assert "verify" in english(expiring)
    option = crossing_options("blagoveshchensk", at("2026-12-20T08:00+09:00"), "DE").options[0]
    ends = coded(option.warnings, "entry_rule_ends")
    assert [m.params["end"] for m in ends] == ["2026-12-31"]


def test_every_option_number_carries_sources_with_checked_dates():
    for after in ("2027-07-14T08:00+09:00", "2027-01-20T07:00+09:00", "2027-04-20T08:00+09:00"):
        options = crossing_options("blagoveshchensk", at(after), "CN", limit=50).options
        assert options, f"options to check after {after}"
        for option in options:
            supports = " ".join(s.supports for s in option.sources)
            assert option.sources and all(s.checked <= date(2026, 12, 7) for s in option.sources)
            assert option.fare.sources and option.fare.currency in ("RUB", "CNY")
            if option.fare.amount is None:
                assert coded(option.warnings, "fare_unknown")
            else:
                assert f"{int(option.fare.amount):,}" in supports, option.mode
            assert any("min" in s.supports for s in option.sources)  # time on the way


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        pytest.param({"after": datetime(2027, 1, 20, 9)}, "UTC offset", id="naive-datetime"),
        pytest.param({"direction_from": "harbin"}, "unknown city", id="unknown-city"),
        pytest.param({"nationality": "XX"}, "unknown nationality", id="unknown-nationality"),
        pytest.param({"nationality": "RUS"}, "unknown nationality", id="alpha3-rejected"),
        pytest.param({"party_size": 0}, "party size", id="party-zero"),
    ],
)
def test_bad_input_is_a_value_error(kwargs, message):
    args = {
        "direction_from": "heihe",
        "after": at("2027-01-20T09:00+08:00"),
        "nationality": "RU",
        "party_size": 1,
    }
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        crossing_options(**args)


def test_naive_datetime_is_the_timeutil_error():
    with pytest.raises(NaiveDatetimeError):
        crossing_options("heihe", datetime(2027, 1, 20, 9), "RU")


def test_the_edge_normalises_lower_case_and_any_iso_code():
    assert normalize_nationality(" ru ") == "RU"
    answer = crossing_options(
        "blagoveshchensk", at("2027-07-14T08:00+09:00"), "RU", entry_permits=("CN",)
    )
    assert answer.nationality == "RU"
    # Any ISO code is answered: Brazil by the base layer (visa-free), the US needs a visa.
    assert crossing_options("heihe", at("2027-07-14T08:00+08:00"), "BR").options
    assert crossing_options("heihe", at("2027-07-14T08:00+08:00"), "US").options == ()
    with pytest.raises(ValueError, match="unknown nationality"):
        normalize_nationality("XK")  # not ISO 3166-1 (pycountry), though CLDR knows it


def test_the_core_takes_normalised_codes_only():
    with pytest.raises(ValueError, match="normalize_nationality"):
        crossing_options("heihe", at("2027-07-14T08:00+08:00"), "ru")


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        pytest.param(
            lambda raw: raw["modes"]["ship"]["fares"]["heihe"].pop("sources"),
            "modes.ship.fares.heihe.sources",
            id="fare-without-source",
        ),
        pytest.param(
            lambda raw: raw["modes"]["ship"]["seasons"][0].update(sources=[]),
            "modes.ship.seasons[0].sources",
            id="season-with-empty-sources",
        ),
        pytest.param(
            lambda raw: raw["points"][0]["sources"][0].update(checked="yesterday"),
            "points[0].sources[0].checked",
            id="bad-checked-date",
        ),
        pytest.param(
            lambda raw: raw["modes"]["hovercraft"]["timetables"]["heihe"].update(times=["25:00"]),
            "modes.hovercraft.timetables.heihe.times[0]",
            id="bad-time",
        ),
        pytest.param(
            lambda raw: raw["entry_rules"][1].pop("valid_from"),
            "entry_rules[1].valid_from",
            id="rule-without-start",
        ),
        pytest.param(
            lambda raw: raw["modes"]["bridge_bus"]["points"].update(heihe="nowhere"),
            "modes.bridge_bus.points.heihe",
            id="unknown-point",
        ),
    ],
)
def test_broken_data_names_the_file_and_field(tmp_path, mutate, field):
    raw = copy.deepcopy(RAW)
    mutate(raw)
    broken = tmp_path / "crossing.json"
    broken.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(CrossingDataError) as info:
        load_crossing_data(broken)
    assert any(str(broken) in p and field in p for p in info.value.problems), info.value.problems


def test_invalid_json_is_reported_with_the_file(tmp_path):
    broken = tmp_path / "crossing.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(CrossingDataError, match="invalid JSON"):
        load_crossing_data(broken)


def test_answer_to_json_has_the_api_keys_and_offsets():
    answer = crossing_options("heihe", at("2026-01-20T09:00+08:00"), "RU", limit=3)
    payload = answer_to_json(answer)
    assert "ok" not in payload  # the envelope is the API's
    assert set(payload) >= {"options", "last_return", "reasons"}
    option = payload["options"][0]
    keys = {"mode", "depart", "arrive", "minutes", "fare", "from_point", "to_point"}
    assert keys | {"documents", "warnings", "sources"} <= set(option)
    assert option["depart"].endswith("+08:00") and option["depart_zone"] == "Asia/Shanghai"
    assert option["arrive"].endswith("+09:00") and option["arrive_zone"] == "Asia/Yakutsk"
    assert set(option["fare"]) == {"amount", "currency"}
    assert set(option["from_point"]["name"]) == {"zh", "ru", "en"}
    assert payload["last_return"].endswith("+09:00")
    assert all(set(s) == {"url", "supports", "checked"} for s in option["sources"])
    assert all(set(w) == {"code", "params"} for w in option["warnings"] + option["documents"])
    json.dumps(payload)


def test_cli_prints_text_options(runner):
    result = runner.invoke(
        cli,
        [
            "crossings",
            "--from",
            "heihe",
            "--after",
            "2026-01-20T09:00+08:00",
            "--nationality",
            "RU",
        ],
    )
    assert result.exit_code == 0, result.output
    assert DATA.modes["pontoon_bus"].name.en in result.output
    assert "pontoon_bus" not in result.output
    assert "Last safe return" in result.output
    assert "source: " not in result.output  # sources only when asked for


def test_cli_text_lists_sources_only_with_the_sources_flag(runner):
    args = ["crossings", "--from", "heihe", "--after", "2026-01-20T09:00+08:00"]
    plain = runner.invoke(cli, [*args, "--nationality", "RU"])
    full = runner.invoke(cli, [*args, "--nationality", "RU", "--sources"])
    assert plain.exit_code == 0 and full.exit_code == 0, full.output
    assert "source: " not in plain.output
    lines = [line for line in full.output.splitlines() if "source: " in line]
    assert lines and "source: https://" in full.output
    blocks = full.output.split("\n\n")
    option_blocks = [b for b in blocks if "source: " in b]
    assert option_blocks
    for block in option_blocks:  # each link once per option
        urls = [
            line.split("source: ")[1].split(" (")[0]
            for line in block.splitlines()
            if "source: " in line
        ]
        assert len(urls) == len(set(urls))
    as_json = runner.invoke(cli, [*args, "--nationality", "RU", "--format", "json"])
    assert as_json.exit_code == 0 and '"sources"' in as_json.output


def test_cli_in_russian_gives_sources_as_links_without_the_editors_english(runner):
    args = ["crossings", "--from", "heihe", "--after", "2026-01-20T09:00+08:00", "--lang", "ru"]
    result = runner.invoke(cli, [*args, "--nationality", "RU", "--sources"])
    assert result.exit_code == 0, result.output
    answer = crossing_options("heihe", at("2026-01-20T09:00+08:00"), "RU")
    sources = [s for option in answer.options for s in option.sources]
    assert sources and "источник: https://" in result.output
    assert not [s.supports for s in sources if s.supports in result.output]


def test_cli_prints_json(runner):
    args = ["crossings", "--from", "blagoveshchensk", "--after", "2026-07-15T08:00+09:00"]
    result = runner.invoke(cli, [*args, "--nationality", "RU", "--limit", "2", "--format", "json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert "ok" not in payload and len(payload["options"]) == 2
    assert all("text" in w for w in payload["options"][0]["warnings"])
    assert payload["options"][0]["depart"] == "2026-07-15T10:00+09:00"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["--from", "mars"], "unknown city", id="unknown-city"),
        pytest.param(["--after", "2026-01-20T09:00"], "UTC offset", id="naive-time"),
        pytest.param(["--after", "tomorrow"], "not an ISO 8601", id="not-a-time"),
        pytest.param(["--nationality", "QQ"], "unknown nationality", id="bad-nationality"),
        pytest.param(["--party", "0"], "party size", id="bad-party"),
    ],
)
def test_cli_bad_input_is_one_line_and_non_zero(runner, args, message):
    base = {"--from": "heihe", "--after": "2026-01-20T09:00+08:00", "--nationality": "RU"}
    for flag, value in zip(args[::2], args[1::2], strict=True):
        base[flag] = value
    argv = ["crossings"] + [part for pair in base.items() for part in pair]
    result = runner.invoke(cli, argv)
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0], result.output


@pytest.mark.parametrize(
    ("mutate", "field", "words"),
    [
        pytest.param(
            lambda raw: raw["modes"]["ship"]["timetables"]["heihe"]["times"].__setitem__(
                2, "25:00"
            ),
            "modes.ship.timetables.heihe.times[2]",
            "expected a time HH:MM, got '25:00'",
            id="bad-time",
        ),
        pytest.param(
            lambda raw: raw["closures"]["dated"][0]["points"].append("no-such-port"),
            "closures.dated[0].points[2]",
            "unknown point id 'no-such-port'",
            id="unknown-point-id",
        ),
        pytest.param(
            lambda raw: raw["modes"]["ship"]["points"].update(heihe="blagoveshchensk-river-port"),
            "modes.ship.points.heihe",
            "is not in heihe",
            id="point-in-the-wrong-city",
        ),
        pytest.param(
            lambda raw: raw["entry_rules"][0].update(sources=[]),
            "entry_rules[0].sources",
            "a fact needs at least one source",
            id="missing-sources",
        ),
        pytest.param(
            lambda raw: raw["policy"].update(buffer_minutes="15"),
            "policy.buffer_minutes",
            "expected a whole number, got '15'",
            id="wrong-type",
        ),
        pytest.param(
            lambda raw: raw["modes"].update(rowing_boat=raw["modes"]["ship"]),
            "modes.rowing_boat",
            "unknown mode",
            id="unknown-mode",
        ),
        pytest.param(
            lambda raw: raw["points"][1].update(colour="red"),
            "points[1].colour",
            "unknown field",
            id="extra-field",
        ),
        pytest.param(
            lambda raw: raw["modes"]["hovercraft"]["timetables"].pop("heihe"),
            "modes.hovercraft.timetables.heihe",
            "missing",
            id="mode-in-service-without-timetable",
        ),
        pytest.param(
            lambda raw: raw["modes"]["ship"]["typical"][0].update(end="13-40"),
            "modes.ship.typical[0].end",
            "expected a month-day MM-DD",
            id="bad-month-day",
        ),
        pytest.param(
            lambda raw: raw["entry_rules"][0].update(nationalities=["DE"]),
            "entry_rules[0].nationalities[0]",
            "'DE'",
            id="bad-rule-nationality",
        ),
    ],
)
def test_validator_names_file_field_and_problem(tmp_path, mutate, field, words):
    raw = copy.deepcopy(RAW)
    mutate(raw)
    broken = tmp_path / "crossing.json"
    broken.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(CrossingDataError) as info:
        load_crossing_data(broken)
    wanted = f"{broken}: {field}: "
    hits = [p for p in info.value.problems if p.startswith(wanted)]
    assert hits and words in hits[0], info.value.problems


def test_validator_reports_every_problem_at_once():
    raw = copy.deepcopy(RAW)
    raw["modes"]["ship"]["timetables"]["heihe"]["times"][0] = "9am"
    raw["points"][0]["sources"][0]["checked"] = "soon"
    with pytest.raises(CrossingDataError) as info:
        parse_crossing_data(raw, "crossing.json")
    assert len(info.value.problems) == 2
    assert all(p.startswith("crossing.json: ") for p in info.value.problems)


def test_render_uses_the_given_language_and_translated_words():
    from babel.support import Translations

    from planner.commands.crossings import TRANSLATIONS

    zh = Translations.load(str(TRANSLATIONS), ["zh"]).gettext
    message = Message(
        "last_crossing_of_day", {"city": "heihe", "mode": "pontoon_bus", "time": "16:00"}
    )
    text = render(message, zh)
    assert "黑河" in text and "16:00" in text and "pontoon_bus" not in text
    assert english(message) == (
        "last crossing of the day from Heihe (bus over the pontoon bridge at 16:00)"
    )
    assert render(Message("no_such_code", {"a": 1}), zh).startswith("no_such_code")


@pytest.mark.parametrize(("lang", "pattern"), [("zh", r"[\u4e00-\u9fff]"), ("ru", r"[а-я]")])
def test_cli_renders_in_the_chosen_language(runner, lang, pattern):
    import re

    args = ["crossings", "--from", "heihe", "--after", "2026-01-20T09:00+08:00"]
    result = runner.invoke(cli, [*args, "--nationality", "RU", "--lang", lang])
    assert result.exit_code == 0, result.output
    assert "pontoon_bus" not in result.output and "bridge_bus" not in result.output
    reasons = [line for line in result.output.splitlines() if line.strip().startswith("!")]
    assert reasons and all(re.search(pattern, line) for line in reasons[:5])
    assert "Last safe return" not in result.output


def test_bridge_bus_says_the_kani_kurgan_hours_are_an_estimate():
    # 08:00-24:00 was the temporary checkpoint's regime; the permanent one (25 Dec 2025) has no
    # published hours, so every bridge-bus departure says its check-point hours are estimated.
    answer = options_on_day("blagoveshchensk", date(2027, 7, 14), "RU", entry_permits=("CN",))
    bridge = [o for o in answer.options if o.mode == "bridge_bus"]
    assert bridge, "no bridge bus to look at"
    for option in bridge:
        (warning,) = coded(option.warnings, "port_hours_estimated")
        assert (warning.params["open"], warning.params["close"]) == ("08:00", "24:00")
        assert "estimate" in english(warning)
    ships = [o for o in answer.options if o.mode == "ship"]
    assert ships and not any(coded(o.warnings, "port_hours_estimated") for o in ships)
