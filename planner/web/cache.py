"""A memo of rendered maps: a map is a pure function of the data files, the language, the
filters and the tile settings, so each worker process keeps the ones it made (bounded, LRU).
Nothing here is shared between workers or needs to be: a changed data file changes the key."""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TypeVar

from flask import current_app, request

T = TypeVar("T")

MAX_ENTRIES = 256  # a map is 50-250 kB: at most some tens of MB per worker


class Memo:
    """A thread-safe LRU memo; a value is built outside the lock (two builders may race; both
    build the same value, one is kept)."""

    def __init__(self, size: int = MAX_ENTRIES):
        self.size = size
        self._items: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return self._items[key]  # type: ignore[return-value]
            self.misses += 1
        value = build()
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def file_version(path: Path | str) -> tuple[str, int, int]:
    """A file's identity for caching: path, modification time (ns) and size."""
    try:
        stat = os.stat(path)
    except OSError:
        return (str(path), 0, 0)
    return (str(path), stat.st_mtime_ns, stat.st_size)


def data_version() -> tuple[tuple[str, int, int], ...]:
    """The version of every data file a map is drawn from (catalogue, crossing points)."""
    from planner.region import data_file

    return (
        file_version(current_app.config["CATALOGUE_PATH"]),
        file_version(data_file("crossing.json")),
    )


def memo() -> Memo:
    """The app's map memo (one per app, so tests with different data never share one)."""
    return current_app.extensions.setdefault("map_memo", Memo())


def cached_map(kind: str, parts: tuple[Hashable, ...], build: Callable[[], T]) -> T:
    """*build()* once per map kind, data version, tile settings, script root and *parts*."""
    from planner.web import data

    if not current_app.config.get("MAP_CACHE", True):
        return build()
    key = (kind, data_version(), data.tiles(), request.script_root, parts)
    return memo().get(key, build)
