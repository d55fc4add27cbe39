"""The command line: one click group; each sub-command lives in planner/commands/.

Errors are one-line messages with a non-zero exit, never tracebacks (Datasette's habit).
"""

from __future__ import annotations

import importlib
import pkgutil

import click

import planner.commands


@click.group()
@click.version_option(package_name=None, version=__import__("planner").__version__)
def cli() -> None:
    """Amur Twin Cities Planner: Heihe and Blagoveshchensk."""


def _register_commands() -> None:
    """Every module in planner.commands that defines `command` adds it to the group."""
    for info in sorted(pkgutil.iter_modules(planner.commands.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"planner.commands.{info.name}")
        command = getattr(module, "command", None)
        if isinstance(command, click.Command):
            cli.add_command(command)


_register_commands()


def main() -> None:
    cli(prog_name="python -m planner")
