"""`python -m planner plan`: an itinerary as JSON or as a readable day-by-day plan.

A thin adapter: it parses input, calls plan_trip() and renders the plan's document (the typed
model a saved plan's page, print and exports read). The text is in --lang, word for word, and
every time carries the clock of the city it is read in ("10:00 <city> (UTC+8)").
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

import click
from babel.dates import format_date
from babel.support import Translations

from planner import languages, region
from planner.catalogue import Catalogue, load_catalogue
from planner.cli_options import LanguageChoice, Seconds
from planner.digest import (
    crossing_severity,
    group_heading,
    group_left_out,
    group_names,
    quiet_document,
)
from planner.documents import itinerary_document, with_texts
from planner.errors import DataProblems
from planner.messages import (
    MEAL_LABELS,
    MEAL_NEAR_LABELS,
    Message,
    city_word,
    clock_text,
    refusal_text,
    render,
)
from planner.plan_document import CrossingEntry, MealEntry, PlanDocument
from planner.plan_words import LegLike, crossing_clocks, leg_words
from planner.planning import PACES, Itinerary, PlanningError, TripRequest, plan_trip
from planner.resources import TRANSLATIONS
from planner.textsafe import terminal_json, terminal_text
from planner.timeutil import city_zone, parse_aware
from planner.totals import reader_sums
from planner.travel import CHOSEN_MODES
from planner.wording import money_text

Gettext = Callable[[str], str]
SEVERITY_MARKS = {"red": "!!!", "amber": "!!", "info": "i"}


def _keep(value: str) -> tuple[str, int]:
    """'lenin-square@2' -> ('lenin-square', 1): the day as people count it, from 1."""
    place, _, day = value.rpartition("@")
    if not place or not day.isdigit() or int(day) < 1:
        raise click.BadParameter(
            f"{value!r}: expected ID@DAY, e.g. lenin-square@2", param_hint="--keep"
        )
    return place, int(day) - 1


def _csv(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(",") if v.strip())


def _modes(value: str) -> tuple[str, ...]:
    """'walk,walk' -> ('walk',): a mode named twice is one mode."""
    return tuple(dict.fromkeys(_csv(value)))


def render_text(
    doc: PlanDocument,
    lang: str,
    _: Gettext,
    interests: Iterable[str] = (),
    must_see: Iterable[str] = (),
    catalogue: Catalogue | None = None,
) -> str:
    """The plan document as text in *lang*: a heading per day, its items in order, then what was
    left out (a place of the traveller's *interests*, by *catalogue*, named; a *must_see* first)."""

    def say(message: Message) -> str:
        return render(message, _, lang)

    def leg(value: LegLike | None) -> str:
        words = leg_words(value, _, lang)
        return "  · " + words if words else ""

    def span(start: datetime, end: datetime, city: str) -> str:
        return f"{clock_text(start, city, _, lang)}–{end.astimezone(city_zone(city)):%H:%M}"

    quiet = quiet_document(doc)
    lines: list[str] = []
    for d, day in enumerate(doc.days):
        k = -1  # the crossing of the day
        heading = format_date(day.date, format="full", locale=languages.babel_locale(lang))
        cities = city_word(day.city_start, _, lang)
        if day.city_end != day.city_start:
            cities += " → " + city_word(day.city_end, _, lang)
        lines += ["", f"== {heading} · {cities} =="]
        if day.leave_at is not None:
            lines.append(
                "  "
                + _("set off at %(time)s")
                % {"time": clock_text(day.leave_at, day.city_start, _, lang)}
            )
        for item in day.items:
            if isinstance(item, CrossingEntry):
                k += 1
                frm, to = item.direction_from, item.to_point.city
                words = crossing_clocks(
                    item.mode, item.report_by, item.depart, item.arrive, frm, to, _
                )
                lines.append(
                    "  "
                    + _("be at %(place)s by %(time)s")
                    % {"place": item.from_point.name.get(lang), "time": words.report_by}
                    + leg(item.leg)
                )
                if item.indicative:
                    lines.append("    " + _("times are indicative: confirm them at the port"))
                lines.append(
                    "    "
                    + _(
                        "%(mode)s departs %(depart)s = %(depart_other)s, "
                        "arrives %(arrive)s at %(place)s"
                    )
                    % {
                        "mode": words.mode,
                        "depart": words.depart,
                        "depart_other": words.depart_other,
                        "arrive": words.arrive,
                        "place": item.to_point.name.get(lang),
                    }
                )
                fare = (
                    _("fare unknown")
                    if item.fare.amount is None
                    else money_text(item.fare.amount, item.fare.currency, lang)
                )
                lines.append("    " + _("fare: %(fare)s") % {"fare": fare})
                papers = quiet.crossing_documents[d][k]
                lines += ["    " + _("document: %(text)s") % {"text": say(m)} for m in papers]
                if not papers and item.documents:
                    lines.append("    " + _("papers as for the crossing before"))
                lines += [
                    f"    {SEVERITY_MARKS[crossing_severity(m)]} {say(m)}"
                    for m in quiet.crossing_warnings[d][k]
                ]
                continue
            if isinstance(item, MealEntry):
                where = item.place.name.get(lang) if item.place else _(MEAL_NEAR_LABELS[item.near])
                lines.append(
                    f"  {span(item.start, item.end, item.city)}  "
                    + _("%(meal)s: %(place)s") % {"meal": _(MEAL_LABELS[item.kind]), "place": where}
                    + leg(item.leg)
                )
                continue
            place = item
            name = place.name.get(lang)
            other = place.name.get(region.city(place.city).local_lang)
            if other != name:
                name = f"{name} ({other})"
            lines.append(f"  {span(item.arrive, item.depart, place.city)}  " + name + leg(item.leg))
        if day.end_leg is not None:
            target = _("the departure") if day.end_place == "departure" else _("the hotel")
            lines.append("  " + _("then to %(place)s") % {"place": target} + leg(day.end_leg))
        for notice in quiet.days[d]:
            lines.append(f"  {SEVERITY_MARKS[notice.severity]} {say(notice.message)}")
    if doc.left_out:
        left = {x.attraction_id: x for x in doc.left_out}
        names = {pid: x.name.get(lang) for pid, x in left.items()}
        rows = sorted(doc.left_out, key=lambda x: x.name.get(lang))
        grouped = group_left_out(
            [(x.attraction_id, x.reason) for x in rows],
            {pid: catalogue.get(pid).interests for pid in left if catalogue and pid in catalogue},
            interests,
            must_see,
        )
        lines += ["", _("Left out:")]
        lines += [
            f"  {SEVERITY_MARKS['red']} {_('Must see')}: {names[pid]}: "
            + say(left[pid].detail.to_message())
            for pid in grouped.must_see
        ]
        for group in grouped.groups:
            named = group_names(group, names, _, lang)
            lines.append("  " + group_heading(group, _) + (f": {named}" if named else ""))
    sums = reader_sums(doc.totals.model_dump(mode="json"), lang) if doc.totals else []
    if sums:  # in the reader's currency: roubles in Russian, yuan in Chinese, both in English
        money = " ≈ ".join(money_text(s["amount"], s["currency"], lang) for s in sums)
        lines += ["", f"{_('Altogether, about')} {money}"]
    if quiet.trip:
        lines += ["", _("Warnings:")]
        lines += [f"  {SEVERITY_MARKS[n.severity]} {say(n.message)}" for n in quiet.trip]
    return "\n".join(lines).strip("\n")


def plan_text(it: Itinerary, lang: str, _: Gettext) -> str:
    """The text of a plan just made: its document (as a saved plan's, `itinerary_document`),
    the places left out weighed against the request's interests and must-sees."""
    return render_text(
        itinerary_document(it),
        lang,
        _,
        interests=it.request.interests,
        must_see=it.request.must_see,
        catalogue=load_catalogue(),
    )


def _transport_per_city(command: Callable[..., Any]) -> Callable[..., Any]:
    """One option per city of the region: --transport-<city id> (modes there)."""
    for city in reversed(region.city_ids()):
        command = click.option(
            f"--transport-{city}",
            f"transport_{city}",
            default=None,
            help=f"modes in {region.city_name(city, 'en')} (default: --transport)",
        )(command)
    return command


@click.command("plan")
@click.option(
    "--request",
    "request_file",
    type=click.File("r", encoding="utf-8"),
    default=None,
    help="the request as JSON (the API's fields, see docs/api.md); replaces the options below",
)
@click.option("--arrive", default=None, help="ISO 8601 with offset, e.g. 2027-07-10T09:00+08:00")
@click.option("--depart", default=None, help="ISO 8601 with offset")
@click.option("--stay", default=None, help="city of each night, comma-separated (or one city)")
@click.option("--arrive-place", default=None, help="catalogue id of the arrival point")
@click.option("--depart-place", default=None, help="catalogue id of the departure point")
@click.option("--interests", default="", help="comma-separated, e.g. history,architecture")
@click.option("--pace", type=click.Choice(list(PACES)), default="normal")
@click.option("--nationality", default="CN", help="ISO 3166 alpha-2 code of the passport")
@click.option("--visa", "visas", multiple=True, help="country you hold a visa for (CN or RU)")
@click.option("--party", "party_size", type=click.IntRange(min=1, max=200), default=1)
@click.option("--group-tour", is_flag=True, help="an organised tour group (group visa-free)")
@click.option(
    "--allow-last-crossing",
    is_flag=True,
    help="may come back on the last hovercraft or ice-road bus too (a missed run strands)",
)
@click.option("--must-see", default="", help="comma-separated catalogue ids")
@click.option("--exclude", default="", help="comma-separated catalogue ids")
@click.option(
    "--keep",
    "kept",
    multiple=True,
    help="keep a place on a day: ID@DAY (DAY from 1), e.g. lenin-square@2",
)
@click.option("--safe-return", is_flag=True, help="never plan the day's last run back")
@click.option(
    "--day-across",
    type=click.Choice(["auto", "yes", "no"]),
    default="auto",
    help="a day in the other city: auto (when it holds real sights), yes, no",
)
@click.option(
    "--day-across-on", type=click.IntRange(1, 15), default=None, help="the day across (from 1)"
)
@click.option("--transport", default="walk,taxi", help=f"modes among {','.join(CHOSEN_MODES)}")
@_transport_per_city
@click.option("--lang", type=LanguageChoice(), default=languages.DEFAULT, help="language")
@click.option("--budget", "daily_budget", type=float, default=None, help="per day, whole party")
@click.option("--currency", "budget_currency", type=click.Choice(["CNY", "RUB"]), default="CNY")
@click.option(
    "--time-limit",
    type=Seconds(minimum=0.01, maximum=60),
    default=2.0,
    help="a cap on the wall time; the search runs on a fixed work budget",
)
@click.option("--seed", type=int, default=None, help="default: drawn from the request")
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="text")
def command(
    request_file,
    arrive,
    depart,
    stay,
    arrive_place,
    depart_place,
    interests,
    pace,
    nationality,
    visas,
    party_size,
    group_tour,
    allow_last_crossing,
    safe_return,
    day_across,
    day_across_on,
    must_see,
    exclude,
    kept,
    transport,
    lang,
    daily_budget,
    budget_currency,
    time_limit,
    seed,
    fmt,
    **transport_in: str | None,
) -> None:
    """Plan a trip across the border cities of the region."""
    if request_file is not None:
        from planner.request_spec import RequestInvalid, request_from_json

        try:
            data = json.load(request_file)
            asked = data.get("lang") if isinstance(data, dict) else None
            lang = asked if languages.is_known(asked) else lang
            request = request_from_json(data)
            lang = request.language
            itinerary = plan_trip(request, time_limit=time_limit, seed=seed)
        except json.JSONDecodeError as exc:
            raise click.ClickException(f"the request is not valid JSON: {exc}") from None
        except RecursionError:
            raise click.ClickException("the request is not valid JSON: nested too deeply") from None
        except RequestInvalid as exc:
            gettext = Translations.load(str(TRANSLATIONS), [lang]).gettext
            problems = "; ".join(
                f"{e.field}: {e.text(gettext)}" if e.field else e.text(gettext) for e in exc.errors
            )
            text = gettext("the request is not valid: %(problems)s") % {"problems": problems}
            raise click.ClickException(terminal_text(text)) from None
        except (PlanningError, ValueError) as exc:
            raise click.ClickException(terminal_text(_refusal(exc, lang))) from None
        _print(itinerary, lang, fmt)
        return
    if not (arrive and depart and stay):
        raise click.UsageError("give --request FILE, or --arrive, --depart and --stay")
    try:
        modes = _modes(transport)
        request = TripRequest(
            arrive=parse_aware(arrive, "--arrive"),
            depart=parse_aware(depart, "--depart"),
            stay=_csv(stay),
            arrive_place=arrive_place,
            depart_place=depart_place,
            interests=_csv(interests),
            pace=pace,
            nationality=nationality,
            party_size=party_size,
            must_see=_csv(must_see),
            exclude=_csv(exclude),
            transport=tuple(
                (city, _modes(own) if (own := transport_in.get(f"transport_{city}")) else modes)
                for city in region.city_ids()
            ),
            language=lang,
            daily_budget=daily_budget,
            budget_currency=budget_currency,
            visas=tuple(v for value in visas for v in _csv(value)),
            group_tour=group_tour,
            allow_last_crossing=allow_last_crossing,
            safe_return=safe_return,
            day_across=day_across,
            day_across_on=day_across_on - 1 if day_across_on is not None else None,
            pinned=tuple(_keep(value) for value in kept),
        )
        itinerary = plan_trip(request, time_limit=time_limit, seed=seed)
    except DataProblems as exc:
        raise click.ClickException(terminal_text(str(exc))) from None
    except (PlanningError, ValueError) as exc:
        raise click.ClickException(terminal_text(_refusal(exc, lang))) from None
    _print(itinerary, lang, fmt)


def _refusal(exc: Exception, lang: str) -> str:
    """Why the plan was refused, in --lang (a plain ValueError stays as it is)."""
    return refusal_text(exc, Translations.load(str(TRANSLATIONS), [lang]).gettext, lang)


def _print(itinerary: Itinerary, lang: str, fmt: str) -> None:
    _ = Translations.load(str(TRANSLATIONS), [lang]).gettext
    if fmt == "json":  # the plan's document, each message with its sentence (as the API gives it)
        data = with_texts(itinerary_document(itinerary), _, lang).to_json()
        click.echo(terminal_json(json.dumps(data, ensure_ascii=False, indent=2)))
    else:
        click.echo(terminal_text(plan_text(itinerary, lang, _)))
