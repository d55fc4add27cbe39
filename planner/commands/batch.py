"""`python -m planner batch groups.csv --out DIR`: one stored plan per CSV row, with its files.

Each good row is planned, stored (so it has an id and a share link) and written to DIR as
`NNN-title-id/plan.json` (with the edit token), plus the PDF and the exports once
its exports (GPX, ICS, KML, GeoJSON). Bad rows are reported by line number and reason;
the good rows are still produced. Exit 0 when every row was planned, 1 when some were not.
"""

from __future__ import annotations

import time
from pathlib import Path

import click

from planner.cli_options import Seconds, open_store_or_fail
from planner.resources import INSTANCE


@click.command("batch")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--database",
    default=None,
    help="Database URL (default: PLANNER_DATABASE_URL, else the app's SQLite in instance/).",
)
@click.option(
    "--time-limit",
    type=Seconds(maximum=60),
    default=2.0,
    show_default=True,
    help="A cap on the wall time of each plan (the search runs on a fixed work budget).",
)
def command(csv_file: Path, out_dir: Path, database: str | None, time_limit: float) -> None:
    """Plan one trip per row of an agency's CSV file and store each plan."""
    from planner.batch import BatchFileInvalid, run_batch
    from planner.catalogue import load_catalogue
    from planner.plans import Planner
    from planner.settings import database_url

    url = database or database_url(INSTANCE)
    try:
        text = csv_file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise click.ClickException(f"{csv_file}: not UTF-8 text") from None
    store = open_store_or_fail(url)
    planner = Planner(store, load_catalogue(), time_limit=time_limit)

    # The PDF and the exports are rendered by the web adapter's templates: an app, no server.
    from planner.web import create_app
    from planner.web.plan_outputs import plan_files

    app = create_app({"DATABASE_URL": url, "TILES": "none"})

    def outputs(plan) -> dict[str, bytes]:
        with app.test_request_context():
            return plan_files(plan)

    def write(name: str, content: bytes) -> None:
        target = out_dir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)

    started = time.perf_counter()
    try:
        report = run_batch(text, planner, write, outputs=outputs)
    except BatchFileInvalid as exc:
        raise click.ClickException(f"{csv_file}: {exc}") from None
    except OSError as exc:  # the output folder cannot be written
        where = exc.filename or out_dir
        raise click.ClickException(f"{where}: {exc.strerror or exc}") from None
    finally:
        store.engine.dispose()
    for row in report.rows:
        if row.ok:
            click.echo(f"line {row.line}: planned {row.title!r} -> /plans/{row.plan_id}")
        else:
            for error in row.errors:
                click.echo(f"line {row.line}: {error}", err=True)
    for note in report.notes:
        click.echo(f"note: {note}", err=True)
    total = len(report.rows)
    click.echo(
        f"{total} row(s): {total - report.failed} planned, {report.failed} failed "
        f"in {time.perf_counter() - started:.1f} s; files in {out_dir}"
    )
    if report.failed:
        raise SystemExit(1)
