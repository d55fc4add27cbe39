"""`python -m planner entry-rules --on DATE`: what the planner answers on entry, per passport.

A data check for people: for each nationality and each direction (into Russia, into China) it
prints whether entry is allowed on the day, under which regime, for how long, and which layer
answered with its date (a rule of data/crossing.json, or the passport-index base layer), plus
what the base layer alone says, so that a rule overriding it shows. A thin adapter over
planner.crossing.entry_decision(); bad input is a one-line error with a non-zero exit.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import click
from babel.support import Translations

from planner import languages, region
from planner.cli_options import LanguageChoice
from planner.crossing import (
    CrossingDataError,
    EntryDecision,
    entry_decision,
    load_crossing_data,
    normalize_nationality,
)
from planner.crossing.entry import base_requirement_message
from planner.messages import N_, Message, render
from planner.resources import TRANSLATIONS
from planner.serialize import message_to_json
from planner.textsafe import terminal_json, terminal_text
from planner.wording import country_name

DEFAULT_NATIONALITIES = [
    "BY",
    "KG",
    "TJ",
    "KZ",
    "AM",
    "UZ",
    "KR",
    "TH",
    "BR",
    "RS",
    "AE",
    "SG",
    "US",
    "DE",
    "GB",
    "FR",
    "JP",
    "IN",
    "AR",
    "QA",
]
LAYER_LABELS = {
    "rule": N_("sourced rule"),
    "base": N_("passport-index base layer"),
    "own": N_("own citizens"),
    "declared": N_("declared visa"),
    "none": N_("no layer"),
}


def _regime(decision: EntryDecision) -> str:
    """The rule id that answered (or decided against), or the base layer's own id."""
    if decision.rule_id:
        return decision.rule_id
    basis = decision.basis
    if basis is not None and basis.code == "entry_layer_rule":
        return str(basis.params.get("rule", ""))
    return "passport-index" if decision.layer == "base" else "-"


def _row(nationality: str, country: str, day: date, data: Any) -> dict[str, Any]:
    decision = entry_decision(country, nationality, day, data=data)  # type: ignore[arg-type]
    base = data.visa_base
    said = base.requirement(nationality, country) if base is not None else None
    return {
        "nationality": nationality,
        "enters": country,
        "allowed": decision.permitted,
        "regime": _regime(decision),
        "max_stay_days": decision.max_stay_days,
        "layer": decision.layer,
        "layer_date": decision.layer_date.isoformat() if decision.layer_date else None,
        "basis": decision.basis,
        "base_says": base_requirement_message(said) if said is not None else None,
        "reason": decision.reason,
    }


@click.command("entry-rules")
@click.option("--on", "on", required=True, help="the day of entry, YYYY-MM-DD")
@click.option(
    "--nationality",
    "nationalities",
    default=",".join(DEFAULT_NATIONALITIES),
    show_default=True,
    help="comma-separated ISO 3166-1 alpha-2 codes",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("--lang", type=LanguageChoice(), default=languages.DEFAULT, show_default=True)
def command(on: str, nationalities: str, fmt: str, lang: str) -> None:
    """Entry to Russia and China per passport on a day: allowed, regime, stay, layer and date."""
    try:
        day = date.fromisoformat(on.strip())
        codes = [normalize_nationality(c) for c in nationalities.split(",") if c.strip()]
        if not codes:
            raise ValueError("--nationality: give at least one ISO 3166-1 alpha-2 code")
        data = load_crossing_data()
    except CrossingDataError as exc:
        raise click.ClickException(terminal_text(" | ".join(exc.problems))) from None
    except ValueError as exc:
        raise click.ClickException(terminal_text(str(exc))) from None
    _ = Translations.load(str(TRANSLATIONS), [lang]).gettext
    # Entering each country of the region, the first city's neighbour first (its country last).
    countries = region.current().countries
    directions = (*countries[1:], countries[0])
    rows = [_row(code, country, day, data) for code in codes for country in directions]

    def say(message: Message | None) -> str:
        return render(message, _, lang) if message is not None else "-"

    if fmt == "json":
        payload = [
            {
                **row,
                **{
                    key: message_to_json(row[key], say) if row[key] is not None else None
                    for key in ("basis", "base_says", "reason")
                },
            }
            for row in rows
        ]
        click.echo(terminal_json(json.dumps(payload, ensure_ascii=False, indent=2)))
        return
    lines = [_("Entry on %(day)s: the first layer that answers decides") % {"day": on}]
    for row in rows:
        stay = row["max_stay_days"]
        lines.append(
            _(
                "%(nationality)s -> %(country)s: %(allowed)s; rule id %(regime)s; max stay "
                "%(stay)s; layer: %(layer)s, dated %(date)s; base layer alone: %(base)s"
            )
            % {
                "nationality": row["nationality"],
                "country": country_name(row["enters"], lang),
                "allowed": _("allowed") if row["allowed"] else _("not allowed"),
                "regime": row["regime"],
                "stay": _("%(days)s days") % {"days": stay} if stay else "-",
                "layer": _(LAYER_LABELS[row["layer"]]),
                "date": row["layer_date"] or "-",
                "base": say(row["base_says"]),
            }
        )
        lines.append("    " + say(row["basis"]))
    click.echo(terminal_text("\n".join(lines)))
