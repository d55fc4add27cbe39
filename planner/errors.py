"""Errors shared by the data loaders."""

from __future__ import annotations

from collections.abc import Sequence


class DataProblems(Exception):
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
