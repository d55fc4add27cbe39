"""HTML pages. Each parses its input, calls the core, and renders; nothing is computed here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import folium
from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from planner import crossing, languages, maps, region
from planner.browse import Filters, filter_attractions
from planner.data_health import DOMAIN_GRADES, GRADES, data_health
from planner.hours_text import hours_in_words, when_in_words
from planner.messages import N_, cities_text, moment_text, render
from planner.timeutil import (
    CITY_COUNTRY,
    FIRST_YEAR,
    LAST_YEAR,
    city_zone,
    other_city,
    require_in_range,
)
from planner.travel import exchange_rate
from planner.web import data
from planner.web.cache import cached_map
from planner.web.crossing_view import crossing_view
from planner.web.i18n import current_lang
from planner.web.labels import (
    CITY_LABELS,
    CONFIDENCE_LABELS,
    GRADE_LABELS,
    GROUP_LABELS,
    KIND_LABELS,
    coverage_text,
    plain,
    position_label,
)
from planner.web.plan_form import country_choices
from planner.wording import country_name

bp = Blueprint("pages", __name__)

# Where a reader of each language most likely starts (the city whose people read it, else the
# region's first city: planner.region), and their passport.
PASSPORT = {"ru": "RU", "zh": "CN"}

BAD_DAY = N_(
    "%(date)s is not a valid date or is out of range: give a day as YYYY-MM-DD between "
    "%(first)s and %(last)s."
)


@dataclass(frozen=True)
class MapView:
    """A rendered map made safe for the template (Markup here, no |safe in templates)."""

    html: Markup
    script: Markup
    scripts: tuple[str, ...]
    styles: tuple[str, ...]


def _map_view(fmap) -> MapView:
    rendered = maps.render(fmap)
    return MapView(
        Markup(rendered.html), Markup(rendered.script), rendered.scripts, rendered.styles
    )


@bp.get("/")
def index():
    places = data.catalogue().attractions
    counts = {
        city: sum(1 for p in places if p.city == city and p.kind != "transport")
        for city in CITY_LABELS
    }
    return render_template("index.html", counts=counts, city_labels=CITY_LABELS)


@bp.get("/attractions")
def attractions():
    filters = Filters(
        city=request.args.get("city", "") if request.args.get("city") in CITY_LABELS else "",
        group=request.args.get("group", "") if request.args.get("group") in GROUP_LABELS else "",
        kind=request.args.get("kind", "") if request.args.get("kind") in KIND_LABELS else "",
        q=request.args.get("q", "")[:100],
    )
    lang = current_lang()
    places = filter_attractions(data.catalogue().attractions, filters)

    def build() -> MapView:
        fmap = maps.attractions_map(
            places,
            lang,
            _,
            tiles=data.tiles(),
            group_labels=plain(GROUP_LABELS),
            city_labels=plain(CITY_LABELS),
            detail_url=lambda p: url_for("pages.attraction", attraction_id=p.id),
        )
        return _map_view(fmap)

    # The map is a function of the places shown (and the language), not of how the query was
    # typed: `q=E`, `q=e` and `q=%20e` share one entry, and any filter that finds the same
    # places draws no second map.
    key = (lang, tuple(p.id for p in places))
    return render_template(
        "attractions.html",
        places=places,
        filters=filters,
        map=cached_map("attractions", key, build),
        group_of=maps.group_of,
        city_labels=CITY_LABELS,
        group_labels=GROUP_LABELS,
        kind_labels=KIND_LABELS,
        hours_text=lambda p: hours_in_words(p.opening_hours, _, lang),
        season_text=lambda p: when_in_words(p, _, lang),
    )


@bp.get("/attractions/<attraction_id>")
def attraction(attraction_id: str):
    try:
        place = data.catalogue().get(attraction_id)
    except KeyError:
        abort(404)
    lang = current_lang()
    tiles = data.tiles()

    def build() -> MapView:
        fmap = maps.attractions_map(
            [place],
            lang,
            _,
            tiles=tiles,
            group_labels=plain(GROUP_LABELS),
            city_labels=plain(CITY_LABELS),
        )
        fmap.location = list(maps.display_location(place.location.lat, place.location.lon, tiles))
        fmap.options["zoom"] = 15
        return _map_view(fmap)

    return render_template(
        "attraction.html",
        place=place,
        confidence_labels=CONFIDENCE_LABELS,
        map=cached_map("attraction", (lang, place.id), build),
        city_labels=CITY_LABELS,
        group_labels=GROUP_LABELS,
        kind_labels=KIND_LABELS,
        group_of=maps.group_of,
        hours_text=hours_in_words(place.opening_hours, _, lang),
        season_text=when_in_words(place, _, lang),
        position=position_label(place.coord_confidence, place.coord_uncertainty_m),
        supports_text=lambda source: coverage_text(source.coverage, lang),
    )


def month_labels(lang: str) -> list[tuple[str, str]]:
    """(short, full) month names for a 12-cell strip: 'J'/'January', 'Я'/'январь', '1月'/'一月'."""
    months = languages.babel_locale(lang).months
    short = months["stand-alone"]["abbreviated" if lang == "zh" else "narrow"]
    full = months["stand-alone"]["wide"]
    return [(short[m], full[m]) for m in range(1, 13)]


@bp.get("/crossing")
def crossing_page():
    """A day's crossing options, on a map of the crossing points, with their sources."""
    args = request.args
    lang = current_lang()
    here = region.current()
    direction = args.get("from") or here.city_for_lang(lang)
    typed = args.get("nationality") or PASSPORT.get(lang, "CN")
    nationality = typed.strip().upper()
    error = None
    answer = None
    rules: list[tuple[object, bool]] = []
    base_row = None
    if direction not in CITY_LABELS:
        error = _("Choose %(cities)s.") % {"cities": cities_text(here.ids, lang)}
        direction = here.ids[0]
    day_text = args.get("date") or datetime.now(city_zone(direction)).date().isoformat()
    visas = [v for v in args.getlist("visa") if v in here.countries]
    group_tour = args.get("group_tour") == "on"
    try:
        party = int(args.get("party") or 1)
    except ValueError:
        party = 0
    if not 1 <= party <= 200:
        error, party = _("The party size must be a whole number from 1 to 200."), 1
    try:
        nationality = crossing.normalize_nationality(typed)
    except ValueError:
        error = _(
            "Unknown passport country %(code)s: use a two-letter code such as CN, RU or DE."
        ) % {"code": typed[:8]}
    try:
        day = require_in_range(datetime.fromisoformat(day_text).date())
        if error is None:
            answer = crossing.crossing_options(
                direction,
                datetime.combine(day, datetime.min.time(), city_zone(direction)),
                nationality,
                # The group regimes are for organised tours; a family is individuals.
                party_size=party if group_tour else 1,
                limit=20,
                entry_permits=tuple(visas),
            )
    except ValueError:  # not a date, or one the calendar arithmetic cannot reach
        error = _(BAD_DAY) % {"date": day_text[:40], "first": FIRST_YEAR, "last": LAST_YEAR}
    data_ = crossing.load_crossing_data()
    if answer is not None:
        country_in = CITY_COUNTRY[other_city(direction)]
        rules = [
            (rule, crossing.needs_review(rule, day))
            for rule in crossing.rules_for(country_in, answer.nationality, data_)
        ]
        if data_.visa_base is not None:
            # The base layer under the rules: what the dataset says, with its date.
            said = data_.visa_base.requirement(answer.nationality, country_in)
            base_row = (
                crossing.base_layer(data_.visa_base, said),
                data_.visa_base.checked,
                (day - data_.visa_base.checked).days > crossing.REVIEW_DAYS,
            )
    tiles = data.tiles()

    def build() -> MapView:
        fmap = maps.new_map(tiles, zoom=11, lang=current_lang())
        for point in data_.points:
            if point.location is None:
                continue
            label = maps.map_text(point.name.get(current_lang()))
            folium.Marker(
                list(maps.display_location(point.location.lat, point.location.lon, tiles)),
                tooltip=label,
                popup=folium.Popup(label, max_width=260),
            ).add_to(fmap)
        return _map_view(fmap)

    view = crossing_view(answer, _, lang) if answer is not None else None
    year = day.year if answer is not None else datetime.now(city_zone(direction)).year
    page = render_template(
        "crossing.html",
        answer=answer,
        view=view,
        seasons=crossing.season_overview(year, data_),
        season_year=year,
        month_names=month_labels(lang),
        countries=country_choices(lang),
        country_name=lambda code: country_name(code, lang),
        error=error,
        direction=direction,
        nationality=nationality,
        visas=visas,
        party=party,
        group_tour=group_tour,
        day=day_text,
        points=list(data_.points),
        map=cached_map("crossing", (current_lang(),), build),
        city_labels=CITY_LABELS,
        say=lambda message: render(message, _, lang, dates=True),
        last_return=(
            moment_text(answer.last_return, answer.direction_to, _, lang)
            if answer is not None and answer.last_return is not None
            else None
        ),
        rules=rules,
        base_row=base_row,
        review_days=crossing.REVIEW_DAYS,
    )
    return page, 400 if error else 200  # an invalid query is the client's error


@bp.get("/about/data")
def about_data():
    """How far to trust the data: per city, what is verified, known, located and how sourced."""
    health = data_health(data.catalogue(), crossing.load_crossing_data())
    today = datetime.now(city_zone(region.city_ids()[0])).date()
    return render_template(
        "about_data.html",
        health=health,
        rate=exchange_rate(),
        today=today,
        city_labels=CITY_LABELS,
        confidence_labels=CONFIDENCE_LABELS,
        grades=GRADES,
        grade_labels=GRADE_LABELS,
        domain_grades=DOMAIN_GRADES,
    )
