"""The command line: one click group; each sub-command lives in planner/commands/.

The group is lazy (click's LazyGroup pattern): a command's module is imported only when that
command runs, so `solve-toptw` does not pay for Flask, SQLAlchemy and folium, and `--help`
imports nothing. Errors are one-line messages with a non-zero exit, never tracebacks
(Datasette's habit).
"""

from __future__ import annotations

import importlib
import pkgutil

import click

import planner.commands

# name -> (module defining `command`, its one-line help). The help is repeated here so that
# listing the commands imports none of them; tests/test_cli_imports.py checks it is the
# command's own.
COMMANDS: dict[str, tuple[str, str]] = {
    "apply-review": (
        "planner.commands.apply_review",
        "Write accepted field checks of positions into the catalogue (a reviewed data change).",
    ),
    "batch": (
        "planner.commands.batch",
        "Plan one trip per row of an agency's CSV file and store each plan.",
    ),
    "check-data": (
        "planner.commands.check_data",
        "Validate the catalogue, the crossing data and the travel parameters; exit 1 on a problem.",
    ),
    "crossings": (
        "planner.commands.crossings",
        "Crossing options across the Amur from one city, with deadlines, sources and reasons.",
    ),
    "entry-rules": (
        "planner.commands.entry_rules",
        "Entry to Russia and China per passport on a day: allowed, regime, stay, layer and date.",
    ),
    "export": (
        "planner.commands.export",
        "Export a saved plan as GPX, ICS, KML or GeoJSON (to --out FILE or standard output).",
    ),
    "geocode": (
        "planner.commands.geocode",
        "Propose positions for estimated places from their addresses; writes a review file only.",
    ),
    "plan": ("planner.commands.plan", "Plan a trip across the border cities of the region."),
    "setup": (
        "planner.commands.setup",
        "Vendor the front-end assets, create instance/ with a secret key and the database.",
    ),
    "solve-toptw": (
        "planner.commands.solve_toptw",
        "Solve a TOPTW instance FILE (Righini-Salani / Vansteenwegen format).",
    ),
    "worker": (
        "planner.commands.worker",
        "Run the job queue's consumer: batches and PDFs, with the web app's settings.",
    ),
}


def _discovered() -> dict[str, tuple[str, str | None]]:
    """The table, plus any module of planner.commands missing from it, named after the module
    (found without importing it; its help is then read from the command when listed)."""
    known = {module for module, _ in COMMANDS.values()}
    lazy: dict[str, tuple[str, str | None]] = dict(COMMANDS)
    for info in pkgutil.iter_modules(planner.commands.__path__):
        module = f"planner.commands.{info.name}"
        if module not in known and not info.name.startswith("_"):
            lazy[info.name.replace("_", "-")] = (module, None)
    return lazy


class LazyGroup(click.Group):
    """A group whose sub-commands are imported on first use."""

    def __init__(self, *args: object, lazy: dict[str, tuple[str, str | None]], **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.lazy = lazy

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands or cmd_name not in self.lazy:
            return super().get_command(ctx, cmd_name)
        module = importlib.import_module(self.lazy[cmd_name][0])
        command = getattr(module, "command", None)
        if not isinstance(command, click.Command):
            raise click.ClickException(f"{self.lazy[cmd_name][0]} defines no command")
        self.add_command(command, cmd_name)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list from the help table, so that `--help` imports no command."""
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            text = self.lazy[name][1] if name in self.lazy else None
            if text is None:
                command = self.get_command(ctx, name)
                if command is None or command.hidden:
                    continue
                text = command.get_short_help_str(10**6)
            rows.append((name, _shorten(text, limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def _shorten(text: str, limit: int) -> str:
    """Cut at a word boundary with an ellipsis, as click does for short help."""
    if len(text) <= limit:
        return text
    cut = text[: max(0, limit - 3)].rsplit(" ", 1)[0]
    return cut.rstrip(" .,;(") + "..."


@click.group(cls=LazyGroup, lazy=_discovered())
@click.version_option(package_name=None, version=__import__("planner").__version__)
def cli() -> None:
    """Amur Twin Cities Planner: trips across a pair of border cities."""


def main() -> None:
    cli(prog_name="python -m planner")
