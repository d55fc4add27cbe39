"""The root of every project error, and the errors shared by the data loaders."""

from __future__ import annotations

import re
from collections.abc import Sequence


class PlannerError(Exception):
    """The root of every error the project raises: `except PlannerError` catches them all.

    Each class has a `code` (snake_case of its name unless it sets one; an instance may carry a
    more precise one), so adapters can tell errors apart without reading their text.
    """

    code = "planner_error"

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if "code" not in cls.__dict__:
            cls.code = re.sub(r"(?<!^)(?=[A-Z][a-z])", "_", cls.__name__).lower()


class DataProblems(PlannerError):
    """A data file is unreadable or invalid; `problems` lists every problem found.

    Each message names the file, the record and the field, so one run of `check-data` can show
    them all instead of stopping at the first. Deliberately not a ValueError: a broken data file
    is the operator's problem, never to be reported as the user's bad input.
    """

    what = "the data"

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in {self.what}:\n"
        super().__init__(head + "\n".join(f"  - {p}" for p in self.problems))
