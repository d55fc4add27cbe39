"""`python -m planner apply-review`: write accepted field checks into the catalogue.

The agency page records points as `pending` reviews (planner/field_checks.py); an editor accepts
some (`--accept ID`, or by setting `"status": "accepted"` in the file) and this command writes
them into data/attractions.geojson. The new text is checked as `check-data` checks it before it
is written: on any problem nothing is written and the command exits 1. Applied reviews are
marked `applied` in the review file, so running it twice changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import click

from planner.catalogue import catalogue_path
from planner.field_checks import (
    DEFAULT_REVIEWS,
    ReviewFileError,
    apply_reviews,
    read_reviews,
    write_catalogue,
    write_reviews,
)
from planner.textsafe import terminal_text

_FILE = click.Path(path_type=Path, dir_okay=False)


def _fail(lines: list[str]) -> None:
    click.echo(f"apply-review: {len(lines)} problem(s), nothing written:", err=True)
    for line in lines:
        click.echo(f"  - {terminal_text(line)}", err=True)
    raise SystemExit(1)


@click.command("apply-review")
@click.option(
    "--file",
    "review_path",
    type=_FILE,
    default=DEFAULT_REVIEWS,
    show_default=True,
    help="the review file the agency page writes (JSON lines)",
)
@click.option(
    "--catalogue",
    "catalogue_file",
    type=_FILE,
    default=None,
    help="places file to write (default: $PLANNER_CATALOGUE_PATH, else data/attractions.geojson)",
)
@click.option("--accept", "accept_ids", multiple=True, help="accept this pending review first")
@click.option("--dry-run", is_flag=True, help="say what would change; write nothing")
def command(
    review_path: Path, catalogue_file: Path | None, accept_ids: tuple[str, ...], dry_run: bool
) -> None:
    """Write accepted field checks of positions into the catalogue (a reviewed data change)."""
    try:
        reviews = read_reviews(review_path)
    except ReviewFileError as exc:
        _fail(exc.problems)
    by_id = {r.review_id: r for r in reviews}
    unknown = [i for i in accept_ids if i not in by_id]
    if unknown:
        _fail([f"{review_path}: no review {i!r}" for i in unknown])
    not_pending = [i for i in accept_ids if by_id[i].status not in ("pending", "accepted")]
    if not_pending:
        _fail([f"review {i!r} is {by_id[i].status}, not pending" for i in not_pending])
    reviews = [replace(r, status="accepted") if r.review_id in accept_ids else r for r in reviews]
    path = catalogue_path(catalogue_file)
    try:
        text = path.read_text(encoding="utf-8")
        json.loads(text)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        _fail([f"{path}: cannot read the catalogue ({exc})"])
    result = apply_reviews(text, reviews, datetime.now(UTC))
    if result.problems:
        _fail(list(result.problems))
    pending = sum(1 for r in reviews if r.status == "pending")
    if not result.applied:
        click.echo(f"{review_path}: no accepted review to apply ({pending} pending)")
        return
    for r in result.applied:
        click.echo(
            terminal_text(
                f"{r.place_id}: ({r.lat}, {r.lon}) ±{r.accuracy_m} m, field check by "
                f"{r.agency} on {r.date} [review {r.review_id}]"
            )
        )
    if dry_run:
        click.echo(f"dry run: {len(result.applied)} point(s) not written to {path}")
        return
    try:
        write_catalogue(path, result.text)
    except OSError as exc:
        _fail([f"{path}: cannot write the catalogue ({exc.strerror})"])
    done = {r.review_id: r for r in result.applied}
    try:
        write_reviews(review_path, [done.get(r.review_id, r) for r in reviews])
    except OSError as exc:  # the catalogue is written: say which reviews to mark by hand
        ids = ", ".join(done)
        _fail([f"{review_path}: cannot mark reviews {ids} applied ({exc.strerror}); do it by hand"])
    click.echo(f"{path}: {len(result.applied)} point(s) written; {pending} review(s) still pending")
