"""`python -m planner export`: a saved plan as GPX, ICS, KML or GeoJSON, from the database.

The same database as the app and `setup`: PLANNER_DATABASE_URL, else SQLite in instance/.
The same files as /plans/<id>.gpx etc. (planner/exports.py), in the plan's language or --lang.
"""

from __future__ import annotations

from pathlib import Path

import click

from planner import languages
from planner.cli_options import LanguageChoice
from planner.resources import INSTANCE, TRANSLATIONS

FORMAT_CHOICES = ("gpx", "ics", "kml", "geojson")


@click.command("export")
@click.argument("plan_id")
@click.option("--format", "fmt", type=click.Choice(FORMAT_CHOICES), required=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--lang", type=LanguageChoice(), default=None, help="language")
def command(plan_id: str, fmt: str, out: Path | None, lang: str | None) -> None:
    """Export a saved plan as GPX, ICS, KML or GeoJSON (to --out FILE or standard output)."""
    from babel.support import Translations

    from planner.catalogue import load_catalogue
    from planner.cli_options import open_store_or_fail
    from planner.exports import PlanInfo, export
    from planner.plan_document import PlanUnreadable
    from planner.settings import database_url
    from planner.store_schema import UnknownPlan

    url = database_url(INSTANCE)
    try:
        plan = open_store_or_fail(url).get(plan_id)
    except UnknownPlan:
        raise click.ClickException(f"no plan with the id {plan_id!r}") from None
    except PlanUnreadable as exc:  # damaged in the database: said, not a traceback
        raise click.ClickException(str(exc)) from None
    lang = lang or languages.resolve(plan.current.request.get("lang")).code
    gettext = Translations.load(str(TRANSLATIONS), [lang]).gettext
    info = PlanInfo(
        id=plan.id,
        title=plan.title,
        notes=str(plan.current.request.get("notes") or ""),
        lang=lang,
        updated_at=plan.updated_at,
    )
    try:
        body = export(fmt, plan.current.document, load_catalogue(), info, gettext)
    except PlanUnreadable as exc:
        raise click.ClickException(str(exc)) from None
    if out is None:
        click.echo(body.decode("utf-8"), nl=False)
    else:
        try:
            out.write_bytes(body)
        except OSError as exc:
            raise click.ClickException(f"{out}: {exc.strerror or exc}") from None
        click.echo(f"{fmt}: {len(body)} bytes written to {out}", err=True)
