"""`python -m planner solve-toptw FILE`: solve one standard TOPTW benchmark instance.

A thin adapter: read the file, call `solve()`, print. Vertex ids are reported as in the file.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from planner.cli_options import Seconds
from planner.solver import MaxRuntime, check, solve
from planner.solver.toptw_io import TOPTWFormatError, read_toptw

MAX_ROUTES = 1000  # far above any benchmark's; a bigger number only costs memory


@click.command("solve-toptw")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--routes",
    "-m",
    "routes",
    type=click.IntRange(min=1, max=MAX_ROUTES),
    default=1,
    show_default=True,
    help=f"Number of routes (tours), at most {MAX_ROUTES}.",
)
@click.option(
    "--time-limit", type=Seconds(), default=2.0, show_default=True, help="Seconds of search."
)
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True)
@click.option(
    "--format", "fmt", type=click.Choice(["json", "text"]), default="json", show_default=True
)
def command(file: Path, routes: int, time_limit: float, seed: int, fmt: str) -> None:
    """Solve a TOPTW instance FILE (Righini-Salani / Vansteenwegen format)."""
    if not file.is_file():
        raise click.ClickException(f"{file}: no such file")
    try:
        loaded = read_toptw(file, routes=routes)
    except (TOPTWFormatError, ValueError, OSError) as error:
        raise click.ClickException(f"{file}: {error}") from None
    result = solve(loaded.instance, MaxRuntime(time_limit), seed=seed)
    report = check(loaded.instance, result.routes)
    if not report.feasible:  # never expected: the search only builds feasible routes
        raise click.ClickException(f"internal error, infeasible routes: {report.violations[0]}")
    ids = loaded.vertex_ids
    out_routes = [[ids[j] for j in route] for route in result.routes]
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "instance": loaded.instance.name,
                    "routes": out_routes,
                    "score": result.score,
                    "runtime_s": round(result.runtime_s, 3),
                }
            )
        )
        return
    click.echo(
        f"instance {loaded.instance.name}: score {result.score}, "
        f"{len(out_routes)} route(s), {result.runtime_s:.2f} s, "
        f"{result.iterations} iterations"
    )
    scale = loaded.scale
    for k, (route, starts) in enumerate(zip(out_routes, result.start_times, strict=True)):
        stops = " ".join(f"{v}@{t / scale:g}" for v, t in zip(route, starts, strict=True))
        click.echo(f"route {k + 1}: {stops or '(empty)'}")
