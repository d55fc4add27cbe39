"""Edits are request changes; the planner plans around them."""

from __future__ import annotations

from planner.documents import plan_document
from planner.edits import EDITS, apply_edits, pinned_notices
from planner.request_spec import spec_from_json, spec_to_json
from tests.plan_docs import document_of

BASE = spec_to_json(
    spec_from_json(
        {
            "arrive": "2027-07-10T09:00+08:00",
            "depart": "2027-07-12T18:00+08:00",
            "stay": "heihe",
            "nationality": "RU",
            "visas": ["CN"],  # Russians need a Chinese visa since the regime ended 2026-09-14
            "must_see": ["triumphal-arch"],
        }
    )
)


def edit(request, *ops):
    return apply_edits(request, EDITS.validate_python(list(ops)))


def test_remove_excludes_and_forgets_must_see_and_kept():
    out = edit(BASE, {"op": "remove", "attraction_id": "triumphal-arch"})
    assert out["exclude"] == ["triumphal-arch"] and out["must_see"] == []
    assert BASE["must_see"] == ["triumphal-arch"]  # the input is not changed


def test_add_makes_a_must_see_and_undoes_an_exclusion():
    out = edit(
        BASE,
        {"op": "remove", "attraction_id": "lenin-square"},
        {"op": "add", "attraction_id": "lenin-square"},
    )
    assert "lenin-square" in out["must_see"] and "lenin-square" not in out["exclude"]


def test_lock_and_move_keep_the_stop_on_a_day():
    out = edit(BASE, {"op": "lock", "attraction_id": "lenin-square", "day": 0})
    assert out["locked"] == [{"attraction_id": "lenin-square", "day": 0}]
    out = edit(out, {"op": "move", "attraction_id": "lenin-square", "day": 2})
    assert out["locked"] == [{"attraction_id": "lenin-square", "day": 2}]
    out = edit(out, {"op": "unlock", "attraction_id": "lenin-square"})
    assert out["locked"] == []


def test_pace_and_dates_change_the_request():
    out = edit(
        BASE,
        {"op": "pace", "pace": "packed"},
        {"op": "dates", "arrive": "2027-07-11T09:00+08:00", "depart": "2027-07-12T18:00+08:00"},
    )
    assert out["pace"] == "packed" and out["arrive"].startswith("2027-07-11")


def test_replanning_after_remove_leaves_the_stop_out_and_keeps_kept_stops():
    first = plan_document(spec_from_json(BASE), time_limit=60)
    stops = [s.attraction_id for d in first.days for s in d.stops]
    gone = next(s for s in stops if s != "triumphal-arch")
    request = edit(
        BASE,
        {"op": "remove", "attraction_id": gone},
        {"op": "lock", "attraction_id": "triumphal-arch", "day": 1},
    )
    again = plan_document(spec_from_json(request), time_limit=60)
    planned = [s.attraction_id for d in again.days for s in d.stops]
    assert gone not in planned and "triumphal-arch" in planned
    assert any(x.attraction_id == gone and x.reason == "excluded" for x in again.left_out)


def test_a_kept_stop_on_another_day_gets_an_amber_notice():
    doc = document_of([("a", "09:00")], [])
    notices = pinned_notices({"locked": [{"attraction_id": "a", "day": 1}]}, doc)
    assert [(n.severity, n.code) for n in notices] == [("amber", "pinned_day_not_kept")]
    assert notices[0].params == {"place": doc.days[0].stops[0].name, "planned": 1, "wanted": 2}


def test_a_kept_stop_the_plan_left_out_gets_an_amber_notice():
    doc = document_of([("a", "09:00")])
    notices = pinned_notices({"locked": [{"attraction_id": "b", "day": 0}]}, doc)
    assert [(n.severity, n.code) for n in notices] == [("amber", "kept_missing")]


def test_the_command_line_reads_the_same_request_json(tmp_path):
    import json

    from click.testing import CliRunner

    from planner.commands.plan import command

    path = tmp_path / "request.json"
    path.write_text(json.dumps({**BASE, "lang": "ru"}), encoding="utf-8")
    result = CliRunner().invoke(command, ["--request", str(path), "--time-limit", "0.05"])
    assert result.exit_code == 0, result.output
    assert "Хэйхэ" in result.output
    path.write_text(json.dumps({**BASE, "party_size": "2"}), encoding="utf-8")
    bad = CliRunner().invoke(command, ["--request", str(path)])
    assert bad.exit_code != 0 and "party_size" in bad.output


def test_changing_the_dates_of_a_trip_that_changes_city_refits_the_nights():
    two_cities = spec_to_json(
        spec_from_json(
            {
                **BASE,
                "depart": "2027-07-13T18:00+08:00",
                "stay": ["heihe", "blagoveshchensk"] * 1 + ["blagoveshchensk"],
            }
        )
    )
    assert two_cities["stay"] == ["heihe", "blagoveshchensk", "blagoveshchensk"]
    shorter = edit(
        two_cities,
        {"op": "dates", "arrive": "2027-07-10T10:00+08:00", "depart": "2027-07-12T18:00+08:00"},
    )
    assert shorter["stay"] == ["heihe", "blagoveshchensk"]
    spec_from_json(shorter)  # valid: one city for each night
    longer = edit(
        two_cities,
        {"op": "dates", "arrive": "2027-07-10T10:00+08:00", "depart": "2027-07-15T18:00+08:00"},
    )
    assert longer["stay"] == ["heihe"] + ["blagoveshchensk"] * 4
    spec_from_json(longer)
    one_night = edit(
        two_cities,
        {"op": "dates", "arrive": "2027-07-10T10:00+08:00", "depart": "2027-07-11T18:00+08:00"},
    )
    spec_from_json(one_night)
