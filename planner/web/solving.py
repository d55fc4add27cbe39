"""At most SOLVER_SLOTS plans are being made at once on this machine; a request that would make
one more answers 503 with Retry-After at once instead of waiting.

gunicorn's sync workers serve one request each: when every worker is inside the solver, a page
view waits behind the plans (issue 19 measured page p99 of about 850 ms with plans at 10 users,
seconds with PDFs too). The slots are lock files taken with a non-blocking flock(), shared by
the workers of the machine and by the threads of one process (each take opens its own file), and
freed by the kernel when a worker dies. Pages, reads and PDFs (made by the queue) never take one.

Turns: a slot freed is not simply won by whoever asks first (that is nearly always the client
whose plan just finished and who asks again at once, so a client that obeys Retry-After would
starve). A client refused as busy gets a turn, a file named by a hash of its address whose age
is its place in line; while turns are waiting, a slot goes to the oldest of them, and the others
(the client just served included) are told to come back. A turn not claimed within TURN_SECONDS
lapses, so a client that gave up does not hold the line. The client first in line, when it finds
every slot taken, waits up to WAIT_SECONDS in the request (at most one such waiter per slot, so
the other web workers stay free for pages) instead of leaving the slot idle until it comes back.
A slot left free for IDLE_SECONDS while the turns ahead do not come for it goes to whoever asks:
turns cost nothing, and unclaimed ones must not keep the solver idle one after another.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g, has_request_context, request
from werkzeug.exceptions import ServiceUnavailable

log = logging.getLogger(__name__)

RETRY_SECONDS = 2
TURN_SECONDS = 3 * RETRY_SECONDS  # a turn lapses when its client is not back by then
WAIT_SECONDS = 1.5  # how long the client first in line waits in the request for a slot
# A slot free this long while the clients ahead in line have not come for it goes to whoever
# asks: a client obeying Retry-After is back within RETRY_SECONDS, and turns left unclaimed (a
# client that gave up, or many addresses taking turns they never claim, for free) would
# otherwise keep the solver idle for TURN_SECONDS each, one after another.
IDLE_SECONDS = RETRY_SECONDS + 1
POLL_SECONDS = 0.02
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


def _lock_one(folder: Path, name: str, count: int) -> int | None:
    """An open descriptor holding the flock of one of *count* files `<name>-<n>.lock`; None
    when every one is held."""
    import fcntl

    for number in range(count):
        fd = os.open(folder / f"{name}-{number}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        return fd
    return None


def _take(folder: Path, slots: int) -> int | None:
    """An open, locked slot file's descriptor; None when every slot is taken."""
    return _lock_one(folder, "slot", slots)


def _take_idle(folder: Path, slots: int) -> int | None:
    """A slot that has been free for IDLE_SECONDS or more (its file's mtime is when it was last
    freed), locked; None when every free slot was freed more recently or none is free."""
    fd = _take(folder, slots)
    if fd is not None and time.time() - os.fstat(fd).st_mtime < IDLE_SECONDS:
        os.close(fd)  # freed a moment ago: kept for the clients ahead in line
        return None
    return fd


def _wait_for(folder: Path, slots: int, seconds: float) -> int | None:
    """Wait up to *seconds* for a slot, holding one of the *slots* waiting places (so at most
    that many web workers ever wait, and the others stay free for pages); None when no waiting
    place is free or no slot came."""
    if seconds <= 0:
        return None
    place = _lock_one(folder, "wait", slots)
    if place is None:
        return None
    try:
        give_up = time.monotonic() + seconds
        while time.monotonic() < give_up:
            time.sleep(POLL_SECONDS)
            slot = _take(folder, slots)
            if slot is not None:
                return slot
        return None
    finally:
        os.close(place)


def _client() -> str | None:
    """The asking client as the rate limits see it (its address, behind trusted proxies)."""
    return (request.remote_addr or "?") if has_request_context() else None


def _turn_path(folder: Path, client: str) -> Path:
    return folder / "turns" / hashlib.sha256(client.encode()).hexdigest()[:20]


def _waiting(folder: Path) -> dict[Path, float]:
    """The turns not lapsed, each with the time its client was first refused (the file's mtime;
    its atime is when the client last asked). Lapsed ones are removed."""
    now, turns = time.time(), {}
    for path in (folder / "turns").glob("*"):
        try:
            seen = path.stat()
            if now - seen.st_atime > TURN_SECONDS:
                path.unlink(missing_ok=True)
            else:
                turns[path] = seen.st_mtime
        except FileNotFoundError:
            continue
    return turns


def _my_go(folder: Path, client: str | None, slots: int) -> bool:
    """Whether *client* may take a free slot now: no turns wait, or fewer than *slots* turns
    are older than its own."""
    if client is None:
        return True
    turns = _waiting(folder)
    if not turns:
        return True
    mine = turns.get(_turn_path(folder, client))
    if mine is None:
        return False
    return sum(1 for since in turns.values() if since < mine) < slots


def _keep_turn(folder: Path, client: str | None) -> None:
    """Put *client* in line (its first refusal's time), or keep its place while it comes back."""
    if client is None:
        return
    path = _turn_path(folder, client)
    path.parent.mkdir(exist_ok=True)
    try:
        os.utime(path, (time.time(), path.stat().st_mtime))  # back again: its place is kept
    except FileNotFoundError:
        path.touch()


@contextmanager
def solver_slot() -> Iterator[None]:
    """Hold one of the machine's solver slots for the block, or raise 503 + Retry-After."""
    slots = int(current_app.config.get("SOLVER_SLOTS") or 0)
    if slots <= 0:
        yield
        return
    folder = Path(current_app.config["SOLVER_LOCK_DIR"])
    client = _client()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = None
        if _my_go(folder, client, slots):
            fd = _take(folder, slots)
            if fd is None:  # first in line: wait a moment for the slot rather than refuse
                wait = float(current_app.config.get("SOLVER_WAIT_SECONDS", WAIT_SECONDS))
                fd = _wait_for(folder, slots, wait)
        else:  # others are ahead: only a slot they have left idle
            fd = _take_idle(folder, slots)
        if fd is None:
            _keep_turn(folder, client)
        elif client is not None:
            _turn_path(folder, client).unlink(missing_ok=True)
    except (OSError, ImportError) as exc:  # a read-only instance folder, or no flock: no bound
        log.warning("solver slots unavailable (%s): plans are not bounded", exc)
        yield
        return
    if fd is None:
        # Kept over the rate limiter's headers, whose Retry-After is its window's reset (up to
        # an hour): a busy solver is free again in seconds, and a client told 60 s waits 60 s.
        g.retry_after = str(RETRY_SECONDS)
        g.solver_busy = True  # no plan made: the rate limits do not count it
        raise ServiceUnavailable(retry_after=RETRY_SECONDS)
    try:
        yield
    finally:
        with suppress(OSError):
            os.utime(fd)  # when the slot was freed (see _take_idle)
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
            if name == "create":  # bad input is told at once: it takes no slot and no turn
                self._planner.check(*args, **kwargs)
            with solver_slot():
                return attr(*args, **kwargs)

        return bounded
