"""At most SOLVER_SLOTS plans are being made at once on this machine; a request that would make
one more answers 503 with Retry-After at once instead of waiting.

gunicorn's sync workers serve one request each: when every worker is inside the solver, a page
view waits behind the plans (issue 19 measured page p99 of about 850 ms with plans at 10 users,
seconds with PDFs too). The slots are lock files taken with a non-blocking flock(), shared by
the workers of the machine and by the threads of one process (each take opens its own file), and
freed by the kernel when a worker dies. Pages, reads and PDFs (made by the queue) never take one.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g
from werkzeug.exceptions import ServiceUnavailable

log = logging.getLogger(__name__)

RETRY_SECONDS = 2
SOLVING = ("create", "edit", "restore")  # the Planner's methods that run the solver


def default_slots() -> int:
    """One core is kept for pages: one slot on two cores, three on four."""
    return max(1, (os.cpu_count() or 1) - 1)


def init_app(app: Flask) -> None:
    # Off under TESTING (test workers share instance/) unless a test sets it.
    app.config.setdefault("SOLVER_SLOTS", 0 if app.testing else default_slots())
    try:
        slots = int(app.config["SOLVER_SLOTS"])
        if slots < 0:
            raise ValueError
    except (TypeError, ValueError):
        raise RuntimeError(
            "PLANNER_SOLVER_SLOTS must be a whole number (0: no bound), "
            f"not {app.config['SOLVER_SLOTS']!r}"
        ) from None
    app.config["SOLVER_SLOTS"] = slots
    app.config.setdefault("SOLVER_LOCK_DIR", str(Path(app.instance_path) / "solver-slots"))


def _take(folder: Path, slots: int) -> int | None:
    """An open, locked slot file's descriptor; None when every slot is taken."""
    import fcntl

    for number in range(slots):
        fd = os.open(folder / f"slot-{number}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        return fd
    return None


@contextmanager
def solver_slot() -> Iterator[None]:
    """Hold one of the machine's solver slots for the block, or raise 503 + Retry-After."""
    slots = int(current_app.config.get("SOLVER_SLOTS") or 0)
    if slots <= 0:
        yield
        return
    folder = Path(current_app.config["SOLVER_LOCK_DIR"])
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = _take(folder, slots)
    except (OSError, ImportError) as exc:  # a read-only instance folder, or no flock: no bound
        log.warning("solver slots unavailable (%s): plans are not bounded", exc)
        yield
        return
    if fd is None:
        # Kept over the rate limiter's headers, whose Retry-After is its window's reset (up to
        # an hour): a busy solver is free again in seconds, and a client told 60 s waits 60 s.
        g.retry_after = str(RETRY_SECONDS)
        raise ServiceUnavailable(retry_after=RETRY_SECONDS)
    try:
        yield
    finally:
        os.close(fd)  # closing the descriptor releases its lock


class BoundedPlanner:
    """The Planner with its solving methods run inside a solver slot."""

    def __init__(self, planner: Any) -> None:
        self._planner = planner

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._planner, name)
        if name not in SOLVING:
            return attr

        def bounded(*args: Any, **kwargs: Any) -> Any:
            with solver_slot():
                return attr(*args, **kwargs)

        return bounded
