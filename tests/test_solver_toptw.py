"""The benchmark reader, the independent checker on a published optimum, and the CLI command."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner.commands.solve_toptw import command
from planner.solver import Instance, MaxIterations, RouteSpec, check, solve
from planner.solver.toptw_io import TOPTWFormatError, parse_toptw, read_toptw

DATA = Path(__file__).resolve().parents[1] / "bench" / "instances"
C101 = DATA / "c101.txt"


def test_c101_is_read_with_distances_truncated_to_one_decimal() -> None:
    loaded = read_toptw(C101, routes=2)
    inst = loaded.instance
    assert loaded.scale == 10
    assert inst.num_nodes == 101
    assert inst.num_routes == 2
    assert inst.routes[0] == RouteSpec(0, 0, 0, 12360)
    # depot (40, 50) -> vertex 1 (45, 68): sqrt(349) = 18.68..., truncated 18.6 (rounding: 18.7)
    assert inst.travel[0][1] == 186
    assert inst.service[1] == 900
    assert inst.scores[1] == 10
    assert inst.windows[1] == (((9120, 9670),), ((9120, 9670),))
    assert sum(inst.scores) == 1810


def test_cordeau_file_with_crlf_uses_two_decimals() -> None:
    loaded = read_toptw(DATA / "pr01.txt")
    inst = loaded.instance
    assert loaded.scale == 100
    assert inst.num_nodes == 49
    assert inst.routes[0].end_time == 100000
    assert sum(inst.scores) == 657


def test_published_optimal_c101_route_is_feasible_with_score_320() -> None:
    with open(DATA / "optw_m1_routes_righini_salani.csv", newline="") as handle:
        row = next(r for r in csv.DictReader(handle) if r["instance"] == "c101")
    loaded = read_toptw(C101, routes=1)
    route = [int(v) for v in row["route"].split()]
    report = check(loaded.instance, [route])
    assert report.feasible, report.violations
    assert report.score == 320
    published = [round(float(t) * 10) for t in row["service_start_times"].split()]
    assert report.start_times[0] == published


def test_check_rejects_a_route_that_arrives_after_a_window() -> None:
    loaded = read_toptw(C101, routes=1)
    report = check(loaded.instance, [[75, 57]])  # 75 is served last in the optimum
    assert not report.feasible
    assert any("57" in v for v in report.violations)


def test_malformed_text_raises_a_format_error() -> None:
    with pytest.raises(TOPTWFormatError):
        parse_toptw("4 10 3 1\n0 200\n0 1 2 0 0 0 0 0 100\n")
    with pytest.raises(TOPTWFormatError):
        parse_toptw("x y z\n1 2\n0 a b 0 0 0 0 0 1\n1 0 0 0 0 0 0 0 1\n")


def test_small_text_instance_round_trips_through_the_solver() -> None:
    text = "\n".join(
        [
            "4 1 3 1",
            "0 200",
            "0 0.0 0.0 0 0 0 0 0 100",
            "1 3.0 4.0 1 5 1 1 1 0 100",
            "2 6.0 8.0 1 7 1 1 1 0 100",
            "3 90.0 0.0 1 9 1 1 1 0 100",
        ]
    )
    loaded = parse_toptw(text, routes=1, scale=10, name="tiny")
    result = solve(loaded.instance, MaxIterations(20), seed=0)
    assert result.score == 12  # 3 is 90 away: 180 there and back exceeds Tmax 100
    assert check(loaded.instance, result.routes).feasible


# -- the command ------------------------------------------------------------------------------


def test_command_prints_json_with_routes_in_file_ids() -> None:
    result = CliRunner().invoke(
        command, [str(C101), "--routes", "2", "--time-limit", "0.3", "--seed", "3"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"instance", "routes", "score", "runtime_s"}
    assert data["instance"] == "c101"
    assert len(data["routes"]) == 2
    visited = [v for route in data["routes"] for v in route]
    assert 0 not in visited
    assert len(visited) == len(set(visited))
    loaded = read_toptw(C101, routes=2)
    report = check(loaded.instance, data["routes"])
    assert report.feasible
    assert report.score == data["score"]


def test_command_text_format_lists_each_route() -> None:
    result = CliRunner().invoke(
        command, [str(C101), "-m", "2", "--time-limit", "0.2", "--format", "text"]
    )
    assert result.exit_code == 0
    assert "route 1:" in result.output
    assert "route 2:" in result.output


def test_missing_file_is_a_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(command, [str(tmp_path / "absent.txt")])
    assert result.exit_code == 1
    assert "no such file" in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


def test_malformed_file_is_a_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("this is not\nan instance\nat all\n")
    result = CliRunner().invoke(command, [str(bad)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ")
    assert len(result.output.strip().splitlines()) == 1
    assert isinstance(result.exception, SystemExit)


def test_zero_routes_is_a_usage_error() -> None:
    result = CliRunner().invoke(command, [str(C101), "--routes", "0"])
    assert result.exit_code == 2
    assert "--routes" in result.output
    assert isinstance(result.exception, SystemExit)


def test_instance_from_reader_is_an_ordinary_instance() -> None:
    loaded = parse_toptw("1 1 1 1\n0 0\n0 0 0 0 0 0 0 0 10\n1 1 0 1 4 1 1 1 0 10\n", routes=3)
    assert isinstance(loaded.instance, Instance)
    assert loaded.vertex_ids == (0, 1)
    assert loaded.instance.num_routes == 3


def test_command_is_registered_in_the_planner_group() -> None:
    from planner.cli import cli

    result = CliRunner().invoke(cli, ["solve-toptw", str(C101), "--time-limit", "0.1"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["instance"] == "c101"
