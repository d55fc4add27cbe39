"""check-data reads all three data files through the app's own loaders and names every problem."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from planner.catalogue import PATH_ENV
from planner.commands.check_data import command as check_data
from planner.resources import ROOT as REPO_ROOT
from planner.travel import TravelDataError, load_params, load_travel_data

DATA = REPO_ROOT / "data"
FILES = {"catalogue": "attractions.geojson", "crossing": "crossing.json", "travel": "travel.json"}


@pytest.fixture()
def data_dir(tmp_path: Path) -> Path:
    for name in FILES.values():
        shutil.copy(DATA / name, tmp_path / name)
    return tmp_path


def _run(data_dir: Path) -> Result:
    args = [arg for option, name in FILES.items() for arg in (f"--{option}", data_dir / name)]
    return CliRunner().invoke(check_data, [str(a) for a in args])


def _edit_json(path: Path, mutate: Callable[[dict], object]) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    mutate(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_a_clean_data_directory_passes(data_dir):
    result = _run(data_dir)
    assert result.exit_code == 0, result.output
    assert str(data_dir / "travel.json") in result.output
    assert str(data_dir / "crossing.json") in result.output
    assert result.output.rstrip().endswith("check-data: OK")


def _modes(data: dict) -> dict:
    return data["modes"]


TRAVEL_CORRUPTIONS = [
    # (what, mutation of the decoded file, the field the message must name)
    (
        "wrong type",
        lambda d: _modes(d)["walk"].update(speed_kmh="fast"),
        "modes.walk.speed_kmh",
    ),
    ("negative speed", lambda d: _modes(d)["taxi"].update(speed_kmh=-30), "modes.taxi.speed_kmh"),
    ("missing source", lambda d: _modes(d)["bus"].pop("sources"), "modes.bus.sources"),
    (
        "bad checked date",
        lambda d: d["circuity"]["road"]["sources"][0].update(checked="29.11.2026"),
        "circuity.road.sources[0].checked",
    ),
    (
        "unknown mode",
        lambda d: _modes(d).update(ferry=dict(_modes(d)["bus"])),
        "modes.ferry",
    ),
    ("missing field", lambda d: _modes(d)["walk"].pop("overhead_min"), "modes.walk.overhead_min"),
    (
        "extra unknown field",
        lambda d: _modes(d)["walk"].update(speed_mph=2.7),
        "modes.walk.speed_mph",
    ),
]


@pytest.mark.parametrize(
    ("mutation", "field"),
    [case[1:] for case in TRAVEL_CORRUPTIONS],
    ids=[case[0] for case in TRAVEL_CORRUPTIONS],
)
def test_a_corrupt_travel_file_fails_naming_file_and_field(data_dir, mutation, field):
    travel = data_dir / "travel.json"
    _edit_json(travel, mutation)
    result = _run(data_dir)
    assert result.exit_code == 1, result.output
    assert any(
        str(travel) in line and f"field '{field}'" in line for line in result.output.splitlines()
    ), result.output
    assert "Traceback" not in result.output


def test_travel_file_that_is_not_json_fails_naming_the_file(data_dir):
    travel = data_dir / "travel.json"
    travel.write_text(travel.read_text(encoding="utf-8")[:-40], encoding="utf-8")
    result = _run(data_dir)
    assert result.exit_code == 1
    assert f"{travel}: not valid JSON" in result.output
    assert "line" in result.output and "Traceback" not in result.output


def test_every_travel_problem_is_listed_not_just_the_first(data_dir):
    travel = data_dir / "travel.json"
    _edit_json(travel, lambda d: (_modes(d)["walk"].pop("speed_kmh"), d.update(checked="soon")))
    with pytest.raises(TravelDataError) as info:
        load_travel_data(travel)
    fields = " ".join(info.value.problems)
    assert "field 'modes.walk.speed_kmh': missing" in fields and "field 'checked'" in fields


def test_rates_must_cover_the_catalogue_currencies_in_iso_codes(data_dir):
    travel = data_dir / "travel.json"
    _edit_json(travel, lambda d: d["exchange"].update(cny_per_unit={"CNY": 1.0, "RUR": 0.09}))
    with pytest.raises(TravelDataError) as info:
        load_travel_data(travel)
    text = "\n".join(info.value.problems)
    assert "'RUR' is not an ISO 4217 currency code" in text


def test_the_planner_reads_the_same_validated_parameters():
    params = load_params()
    assert set(params) == {"walk", "taxi", "bus", "minibus", "coach"}
    assert params["taxi"].overhead_s == 8 * 60 and params["walk"].circuity == 1.3


def test_a_corrupt_crossing_file_fails_naming_the_file(data_dir):
    crossing = data_dir / "crossing.json"
    crossing.write_text('{"format": ', encoding="utf-8")
    result = _run(data_dir)
    assert result.exit_code == 1
    assert str(crossing) in result.output and "Traceback" not in result.output


def test_problems_in_several_files_are_all_listed(data_dir):
    _edit_json(data_dir / "travel.json", lambda d: _modes(d)["taxi"].update(speed_kmh=0))
    (data_dir / "crossing.json").write_text("[", encoding="utf-8")
    result = _run(data_dir)
    assert result.exit_code == 1
    assert "travel.json" in result.output and "crossing.json" in result.output


def test_check_data_reads_the_catalogue_named_by_the_setting(data_dir, monkeypatch):
    catalogue = data_dir / FILES["catalogue"]
    _edit_json(catalogue, lambda d: d["features"][0]["properties"].update(popularity=99))
    monkeypatch.setenv(PATH_ENV, str(catalogue))
    result = CliRunner().invoke(check_data, [])
    assert result.exit_code == 1
    assert str(catalogue) in result.output and "field 'popularity'" in result.output


def _feature(data: dict, ident: str) -> dict:
    return next(f for f in data["features"] if f["properties"]["id"] == ident)


def test_a_cited_point_that_contradicts_the_stated_radius_fails(data_dir):
    catalogue = data_dir / FILES["catalogue"]

    def cite_far_point(data: dict) -> None:
        sources = _feature(data, "chelnok-monument")["properties"]["sources"]
        sources[0]["point"] = {"lat": 50.30, "lon": 127.535098}  # 4 km north, radius 150 m

    _edit_json(catalogue, cite_far_point)
    result = _run(data_dir)
    assert result.exit_code == 1, result.output
    assert "'chelnok-monument'" in result.output and "beyond its stated ±150 m" in result.output
    assert "Traceback" not in result.output


def test_two_places_on_one_estimated_point_fail(data_dir):
    catalogue = data_dir / FILES["catalogue"]

    def stack(data: dict) -> None:
        point = _feature(data, "larin-house")["geometry"]["coordinates"]
        _feature(data, "kosicyn-store")["geometry"]["coordinates"] = list(point)

    _edit_json(catalogue, stack)
    result = _run(data_dir)
    assert result.exit_code == 1, result.output
    assert "kosicyn-store, larin-house share one estimated point" in result.output


def test_a_cited_point_must_name_lat_and_lon(data_dir):
    catalogue = data_dir / FILES["catalogue"]

    def bad_point(data: dict) -> None:
        sources = _feature(data, "chelnok-monument")["properties"]["sources"]
        sources[0]["point"] = [127.53, 50.26]

    _edit_json(catalogue, bad_point)
    result = _run(data_dir)
    assert result.exit_code == 1
    assert "chelnok-monument" in result.output and "sources[0].point" in result.output


def test_a_hire_price_without_a_source_must_say_it_is_an_estimate(data_dir):
    travel = data_dir / "travel.json"

    def unsourced_fact(d: dict) -> None:
        hire = d["modes"]["minibus"]["hire"]["heihe"]
        hire.update(estimated=False, sources=[])

    _edit_json(travel, unsourced_fact)
    with pytest.raises(TravelDataError) as info:
        load_travel_data(travel)
    text = "\n".join(info.value.problems)
    assert "modes.minibus.hire.heihe" in text and "estimated: true" in text


def test_every_charter_price_in_the_data_is_sourced_or_marked_estimated():
    data = load_travel_data()
    hires = [h for m in ("minibus", "coach") for h in getattr(data.modes, m).hire.values()]
    assert len(hires) == 4  # both vehicles in both cities
    for hire in hires:
        assert hire.sources or (hire.estimated and "assumption" in hire.note)
