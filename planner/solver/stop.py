"""Stopping criteria: small objects asked once per iteration whether the search should stop.

As in PyVRP, a criterion is called with the best score found so far; each call counts as one
iteration. `solve()` calls `reset()` first, so one criterion object can serve several solves.

Inside an iteration (every insertion of the construction and the repair, every local-search
move) the search asks `expired()` instead: a cheap check that counts nothing, so a time limit
holds within one move even on big instances. Only `MaxRuntime` can expire between calls; the
iteration-based criteria never do, which keeps their runs reproducible for a seed. `MaxRuntime`
cannot be reproducible (machine speed decides how many iterations fit), so combine it with an
iteration criterion when reproducibility matters.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol


class StoppingCriterion(Protocol):
    """What `solve()` needs from a stopping criterion."""

    def reset(self) -> None: ...

    def __call__(self, best_score: int) -> bool: ...

    def expired(self) -> bool:
        """True when the budget is spent by a measure other than iterations (time); cheap, and
        not counted as an iteration. A criterion without this method never expires."""
        ...


class MaxRuntime:
    """Stop once `seconds` of wall-clock time have passed since `reset()`."""

    def __init__(self, seconds: float) -> None:
        if not seconds >= 0:  # also refuses nan, which no clock reading is ever past
            raise ValueError("seconds must be non-negative")
        self.seconds = float(seconds)
        self._start = time.perf_counter()

    def reset(self) -> None:
        self._start = time.perf_counter()

    def __call__(self, best_score: int) -> bool:
        return self.expired()

    def expired(self) -> bool:
        return time.perf_counter() - self._start >= self.seconds


class MaxIterations:
    """Stop after `n` iterations (calls); deterministic."""

    def __init__(self, n: int) -> None:
        if n < 0:
            raise ValueError("n must be non-negative")
        self.n = int(n)
        self._count = 0

    def reset(self) -> None:
        self._count = 0

    def __call__(self, best_score: int) -> bool:
        self._count += 1
        return self._count > self.n

    def expired(self) -> bool:
        return False


class NoImprovement:
    """Stop after `n` consecutive iterations without a better best score; deterministic."""

    def __init__(self, n: int) -> None:
        if n < 0:
            raise ValueError("n must be non-negative")
        self.n = int(n)
        self._best: int | None = None
        self._count = 0

    def reset(self) -> None:
        self._best = None
        self._count = 0

    def __call__(self, best_score: int) -> bool:
        if self._best is None or best_score > self._best:
            self._best = best_score
            self._count = 0
        else:
            self._count += 1
        return self._count >= self.n

    def expired(self) -> bool:
        return False


class FirstOf:
    """Stop as soon as any of the criteria says so (every criterion is still called, so each
    keeps counting)."""

    def __init__(self, *criteria: StoppingCriterion) -> None:
        if not criteria:
            raise ValueError("FirstOf needs at least one criterion")
        self.criteria = criteria

    def reset(self) -> None:
        for criterion in self.criteria:
            criterion.reset()

    def __call__(self, best_score: int) -> bool:
        results = [criterion(best_score) for criterion in self.criteria]
        return any(results)

    def expired(self) -> bool:
        return any(expiry(criterion)() for criterion in self.criteria)


def expiry(criterion: StoppingCriterion) -> Callable[[], bool]:
    """The criterion's `expired` check, or one that never fires for a criterion without it."""
    check = getattr(criterion, "expired", None)
    return check if callable(check) else never


def never() -> bool:
    """A halt check that never fires: the default of the search's inner loops."""
    return False
