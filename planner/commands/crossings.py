"""`python -m planner crossings …`: the crossing options from one bank, as text or JSON.

A thin adapter: it parses input (the nationality is normalised here, once), calls
planner.crossing.crossing_options() and renders in --lang; bad input is a one-line error with a
non-zero exit, never a traceback. JSON is the data of planner/serialize.py without an envelope.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta

import click
from babel.support import Translations

from planner import languages
from planner.cli_options import LanguageChoice
from planner.crossing import (
    CrossingAnswer,
    CrossingDataError,
    CrossingOption,
    crossing_options,
    load_crossing_data,
    normalize_nationality,
    sources_by_url,
)
from planner.messages import city_word, render
from planner.resources import TRANSLATIONS
from planner.serialize import answer_to_json
from planner.textsafe import terminal_json, terminal_text
from planner.timeutil import parse_aware
from planner.wording import number_text

MAX_WINDOW_DAYS = 14  # --until: each day of the window is computed; two weeks is plenty

Gettext = Callable[[str], str]


def _fmt(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M")


def _fare(option: CrossingOption, _: Gettext, lang: str = "en") -> str:
    if option.fare.amount is None:
        return _("unknown (%(currency)s)") % {"currency": option.fare.currency}
    amount = number_text(option.fare.amount, lang)
    return _("%(amount)s %(currency)s per person") % {
        "amount": amount,
        "currency": option.fare.currency,
    }


def render_text(
    answer: CrossingAnswer, lang: str = "en", _: Gettext = str, *, sources: bool = False
) -> str:
    """The answer as plain text in *lang*: one block per option, then the deadline and reasons;
    each option's sources (about 30 lines each) only when *sources* is asked for."""

    def city(code: str) -> str:
        return city_word(code, _, lang)

    def say(message) -> str:
        return render(message, _, lang)

    lines = [
        _("%(from)s -> %(to)s from %(after)s, nationality %(nationality)s, party of %(party)s")
        % {
            "from": city(answer.direction_from),
            "to": city(answer.direction_to),
            "after": _fmt(answer.after),
            "nationality": answer.nationality,
            "party": answer.party_size,
        }
    ]
    if not answer.options:
        lines.append(_("No crossing option: do not plan a crossing in this window."))
    for number, option in enumerate(answer.options, start=1):
        lines += [
            "",
            f"{number}. {option.mode_name.get(lang)}",
            "   "
            + _("be at %(place)s by %(time)s")
            % {"place": option.from_point.name.get(lang), "time": _fmt(option.report_by)},
            "   "
            + _("depart %(time)s %(zone)s")
            % {"time": _fmt(option.depart), "zone": option.depart.tzinfo},
            "   "
            + _("arrive %(time)s %(zone)s at %(place)s")
            % {
                "time": _fmt(option.arrive),
                "zone": option.arrive.tzinfo,
                "place": option.to_point.name.get(lang),
            },
            "   "
            + _("door to door %(minutes)s min; fare %(fare)s")
            % {"minutes": option.minutes, "fare": _fare(option, _, lang)},
        ]
        if option.entry_basis is not None:
            basis = say(option.entry_basis)
            lines.append("   " + _("entry allowed by: %(text)s") % {"text": basis})
        lines += ["   " + _("document: %(text)s") % {"text": say(d)} for d in option.documents]
        lines += [f"   ! {say(warning)}" for warning in option.warnings]
        lines += [
            "   "
            # the link and its date: `supports` is the editors' English (--json keeps it)
            + _("source: %(url)s (checked %(checked)s)")
            % {"url": s.url, "checked": s.checked.isoformat()}
            for s in (sources_by_url(option.sources) if sources else ())
        ]
    lines.append("")
    if answer.last_return is not None:
        lines.append(
            _("Last safe return from %(city)s: be at the port by %(time)s %(zone)s")
            % {
                "city": city(answer.direction_to),
                "time": _fmt(answer.last_return),
                "zone": answer.last_return.tzinfo,
            }
        )
    elif answer.options:  # with no way out, a way back is not the question
        lines.append(
            _("No crossing back from %(city)s that day.") % {"city": city(answer.direction_to)}
        )
    lines += [_("Reason: %(text)s") % {"text": say(reason)} for reason in answer.reasons]
    return "\n".join(lines)


@click.command("crossings")
@click.option("--from", "direction_from", required=True, help="a city id of the region")
@click.option("--after", required=True, help="ISO 8601 with offset, e.g. 2027-01-20T09:00+08:00")
@click.option("--nationality", required=True, help="ISO 3166-1 alpha-2 code, e.g. RU, CN, DE")
@click.option("--party", "party_size", type=int, default=1, show_default=True)
@click.option("--limit", type=int, default=10, show_default=True)
@click.option(
    "--until",
    default=None,
    help=f"end of the window (default: end of the next day; at most {MAX_WINDOW_DAYS} days "
    "after --after)",
)
@click.option("--visa", "visas", multiple=True, help="country you hold a visa for (CN or RU)")
@click.option(
    "--sources",
    "show_sources",
    is_flag=True,
    help="list each option's sources in the text (the JSON always has them)",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--lang",
    type=LanguageChoice(),
    default=languages.DEFAULT,
    show_default=True,
    help="language of the text (and of the JSON messages' text)",
)
def command(
    direction_from: str,
    after: str,
    nationality: str,
    party_size: int,
    limit: int,
    until: str | None,
    visas: tuple[str, ...],
    show_sources: bool,
    fmt: str,
    lang: str,
) -> None:
    """Crossing options across the Amur from one city, with deadlines, sources and reasons."""
    try:
        start = parse_aware(after, "--after")
        end = parse_aware(until, "--until") if until else None
        if end is not None and end - start > timedelta(days=MAX_WINDOW_DAYS):
            raise ValueError(
                f"--until may be at most {MAX_WINDOW_DAYS} days after --after "
                "(ask again from a later --after for later days)"
            )
        data = load_crossing_data()
        answer = crossing_options(
            direction_from.strip().lower(),
            start,
            normalize_nationality(nationality),
            party_size,
            limit,
            data,
            until=end,
            entry_permits=tuple(normalize_nationality(v, "visa country") for v in visas),
        )
    except CrossingDataError as exc:
        raise click.ClickException(terminal_text(" | ".join(exc.problems))) from None
    except ValueError as exc:
        raise click.ClickException(terminal_text(str(exc))) from None
    _ = Translations.load(str(TRANSLATIONS), [lang]).gettext
    if fmt == "json":
        payload = answer_to_json(answer, lambda message: render(message, _, lang))
        click.echo(terminal_json(json.dumps(payload, ensure_ascii=False, indent=2)))
    else:
        click.echo(terminal_text(render_text(answer, lang, _, sources=show_sources)))
