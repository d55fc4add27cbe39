"""Reader for the standard OPTW/TOPTW benchmark files (Righini & Salani, Vansteenwegen et al.).

The published best-known scores assume Euclidean distances truncated to one decimal (Solomon
c/r/rc sets) or two decimals (Cordeau pr set). Everything is multiplied by 10 or 100 so the
solver stays in integers and the truncation is exact (`math.isqrt`, no float rounding).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from planner.errors import PlannerError
from planner.solver.instance import Instance, RouteSpec


class TOPTWFormatError(PlannerError, ValueError):
    """The file is not a readable TOPTW instance; the message says where and why."""


@dataclass(frozen=True)
class TOPTWFile:
    """An instance read from a file, with what is needed to report in the file's units."""

    instance: Instance
    scale: int
    vertex_ids: tuple[int, ...]


def default_scale(name: str) -> int:
    """Cordeau-based files (pr*) truncate to 2 decimals, Solomon-based ones to 1."""
    return 100 if name.lower().startswith("pr") else 10


def _number(token: str, where: str) -> Decimal:
    try:
        value = Decimal(token)
    except InvalidOperation:
        raise TOPTWFormatError(f"{where}: {token!r} is not a number") from None
    if not value.is_finite():
        raise TOPTWFormatError(f"{where}: {token!r} is not a finite number")
    return value


def _scaled(value: Decimal, scale: int, where: str) -> int:
    scaled = value * scale
    if scaled != scaled.to_integral_value():
        raise TOPTWFormatError(f"{where}: {value} has more decimals than the scale {scale} allows")
    return int(scaled)


def parse_toptw(text: str, routes: int = 1, scale: int = 10, name: str = "") -> TOPTWFile:
    """Parse the text of an instance file into an `Instance` with `routes` identical routes."""
    if routes < 1:
        raise ValueError("routes must be at least 1")
    lines = [line.split() for line in text.splitlines() if line.strip()]
    if len(lines) < 3:
        raise TOPTWFormatError("too few lines for a TOPTW instance")
    if len(lines[0]) < 3:
        raise TOPTWFormatError("line 1 must be 'k v N t'")
    try:
        count = int(lines[0][2])
    except ValueError:
        raise TOPTWFormatError(f"line 1: N = {lines[0][2]!r} is not an integer") from None
    if count < 1 or len(lines) < count + 3:
        raise TOPTWFormatError(f"line 1 announces {count} customers, the file has fewer lines")
    coords: list[tuple[int, int]] = []
    ids: list[int] = []
    service: list[int] = []
    scores: list[int] = []
    opens: list[int] = []
    closes: list[int] = []
    for index, tokens in enumerate(lines[2 : count + 3]):
        where = f"vertex line {index}"
        if len(tokens) < 7:
            raise TOPTWFormatError(f"{where}: expected at least 7 fields, got {len(tokens)}")
        vid = _number(tokens[0], where)
        x, y = (_number(t, where) for t in tokens[1:3])
        ids.append(int(vid))
        # Coordinates in thousandths keep the distance truncation exact for both sets.
        coords.append((int(x * 1000), int(y * 1000)))
        service.append(_scaled(_number(tokens[3], where), scale, f"{where} service"))
        score = _number(tokens[4], where)
        if score != score.to_integral_value() or score < 0:
            raise TOPTWFormatError(f"{where}: score {score} is not a non-negative integer")
        scores.append(int(score))
        opens.append(_scaled(_number(tokens[-2], where), scale, f"{where} opening"))
        closes.append(_scaled(_number(tokens[-1], where), scale, f"{where} closing"))
        if opens[-1] > closes[-1]:
            raise TOPTWFormatError(f"{where}: window opens after it closes")
    if scores[0] != 0:
        raise TOPTWFormatError("the depot (first vertex) must have score 0")
    n = count + 1
    travel = [
        [
            math.isqrt(scale * scale * ((xi - xj) ** 2 + (yi - yj) ** 2)) // 1000
            for (xj, yj) in coords
        ]
        for (xi, yi) in coords
    ]
    horizon = RouteSpec(0, 0, opens[0], closes[0])
    windows = tuple((((opens[i], closes[i]),),) * routes for i in range(n))
    instance = Instance(
        scores=tuple(scores),
        service=tuple(service),
        travel=tuple(tuple(row) for row in travel),
        windows=windows,
        routes=(horizon,) * routes,
        name=name,
    )
    return TOPTWFile(instance=instance, scale=scale, vertex_ids=tuple(ids))


def read_toptw(path: str | Path, routes: int = 1, scale: int | None = None) -> TOPTWFile:
    """Read an instance file; the scale defaults to 100 for pr* files and 10 otherwise."""
    path = Path(path)
    name = path.stem
    try:
        text = path.read_text(encoding="ascii")
    except UnicodeDecodeError:
        raise TOPTWFormatError(f"{path}: not an ASCII text file") from None
    return parse_toptw(text, routes=routes, scale=scale or default_scale(name), name=name)
