"""The command line imports what a command uses and no more (a "2 s" run takes 2 s of wall time).

Each check runs in a fresh interpreter, since this test process has long imported everything.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from planner.cli import COMMANDS, cli

ROOT = Path(__file__).resolve().parents[1]
C101 = ROOT / "bench" / "instances" / "c101.txt"
PROBE = """
import json, sys
WEB_STACK = {"flask", "sqlalchemy", "folium", "branca", "werkzeug", "jinja2"}
from planner.cli import cli
try:
    cli(sys.argv[1:], prog_name="python -m planner")
except SystemExit as exit:
    code = exit.code
else:
    code = 0
loaded = sorted({m.split(".")[0] for m in sys.modules} & WEB_STACK)
commands = sorted(m for m in sys.modules if m.startswith("planner.commands."))
print("\\nPROBE " + json.dumps({"code": code, "web": loaded, "commands": commands}))
"""


def probe(*args: str) -> dict[str, object]:
    """Run the CLI with `args` in a fresh interpreter; what it exited with and imported."""
    out = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    line = [x for x in out.stdout.splitlines() if x.startswith("PROBE ")]
    assert line, out.stderr
    return json.loads(line[-1][len("PROBE ") :])


def test_solve_toptw_imports_no_web_stack() -> None:
    seen = probe("solve-toptw", str(C101), "--routes", "2", "--time-limit", "0.1")
    assert seen["code"] == 0
    assert seen["web"] == []
    assert seen["commands"] == ["planner.commands.solve_toptw"]


def test_plan_help_imports_neither_flask_nor_sqlalchemy() -> None:
    seen = probe("plan", "--help")
    assert seen["code"] == 0
    assert not {"flask", "sqlalchemy", "werkzeug", "folium"} & set(seen["web"])  # type: ignore[arg-type]
    assert seen["commands"] == ["planner.commands.plan"]


def test_listing_the_commands_imports_none_of_them() -> None:
    seen = probe("--help")
    assert seen["code"] == 0
    assert seen["web"] == []
    assert seen["commands"] == []


def test_help_lists_every_command() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in ("check-data", "crossings", "plan", "setup", "solve-toptw"):
        assert f"  {name} " in result.output


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_table_is_each_commands_own_help(name: str) -> None:
    command = cli.get_command(click.Context(cli), name)
    assert isinstance(command, click.Command)
    assert command.name == name
    assert COMMANDS[name][1] == command.get_short_help_str(10**6)


def test_every_command_module_is_reachable_by_name() -> None:
    ctx = click.Context(cli)
    names = cli.list_commands(ctx)
    assert {"plan", "batch", "export"} <= set(names), names
    for name in names:
        command = cli.get_command(ctx, name)
        assert isinstance(command, click.Command), name
        assert command.name == name
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0, result.output


def test_unknown_command_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["no-such-command"])
    assert result.exit_code == 2
    assert "No such command" in result.output
