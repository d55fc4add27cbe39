"""What several commands share: a time limit that is a limit, and the database opened with a
one-line error. Outside planner/commands/, where every module is a command (planner/cli.py)."""

from __future__ import annotations

import math
from typing import Any

import click

from planner import languages


class LanguageChoice(click.Choice):
    """--lang: a language of the registry (planner/languages.py), read when the option is used,
    so that a language added to the registry is offered by every command."""

    def __init__(self) -> None:
        super().__init__(languages.codes())

    @property
    def choices(self) -> tuple[str, ...]:
        return languages.codes()

    @choices.setter
    def choices(self, value: object) -> None:  # click's __init__ sets it; the registry rules
        pass


class Seconds(click.ParamType):
    """A time limit in seconds: a finite number above zero (and within the bounds given).

    click's FloatRange lets "nan" through (no comparison with nan is true), and "inf" when there
    is no upper bound: either would make a search that never ends."""

    name = "seconds"

    def __init__(self, minimum: float = 0.0, maximum: float | None = None):
        self.minimum, self.maximum = minimum, maximum

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        try:
            number = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number of seconds", param, ctx)
        if not math.isfinite(number) or number <= 0 or number < self.minimum:
            least = f"at least {self.minimum:g}" if self.minimum > 0 else "above 0"
            self.fail(
                f"{value!r} is not a time limit: give a number of seconds {least}", param, ctx
            )
        if self.maximum is not None and number > self.maximum:
            self.fail(f"{value!r} is too long: at most {self.maximum:g} seconds", param, ctx)
        return number


def database_problem(exc: BaseException) -> str:
    """The first line of why a database could not be opened (no SQL, no password: the URL is
    not repeated)."""
    reason = getattr(exc, "orig", None) or exc
    text = str(reason).strip().splitlines()[0] if str(reason).strip() else type(exc).__name__
    return f"cannot open the database: {text}"


def open_store_or_fail(url: str):
    """The plan store at *url*, brought up to the newest schema; a ClickException if it cannot
    be (an unknown scheme, a file that is not a database, a server that does not answer)."""
    from alembic.util.exc import CommandError
    from sqlalchemy.exc import SQLAlchemyError

    from planner.storage import open_store

    try:
        return open_store(url)
    except (SQLAlchemyError, CommandError, OSError, ValueError) as exc:
        raise click.ClickException(database_problem(exc)) from None
