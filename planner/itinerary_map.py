"""A saved plan on a folium map: one layer per day in its own colour, numbered stops, legs as
lines, each crossing as a dashed line between its two checkpoints, and the lodging.

Built from the plan's stored JSON (what the traveller saw when it was saved) and the catalogue
for positions. Every text reaches folium through `maps.map_text`; the map comes from
`maps.new_map`, so base layers and tiles are whatever that gives.
"""

from __future__ import annotations

from collections.abc import Callable

import folium

from planner import maps
from planner.catalogue import Catalogue
from planner.model import LatLon
from planner.plan_document import Day, PlanDocument
from planner.plan_document import LatLon as DocLatLon

DAY_COLOURS = ("#1f5f8b", "#c2410c", "#15803d", "#7c3aed", "#b91c1c", "#0e7490", "#a16207")

Point = tuple[float, float]


def day_colour(index: int) -> str:
    return DAY_COLOURS[index % len(DAY_COLOURS)]


def _pin(text: str, colour: str, css: str, name: str = "") -> folium.DivIcon:
    """A round pin showing *text* (a number or a symbol); *name* ("1. Lenin Square") is what a
    screen reader says for it (the visible number is hidden from it). Both escaped here."""
    label = f'<span class="visually-hidden">{maps.map_text(name)}</span>' if name else ""
    hidden = ' aria-hidden="true"' if name else ""
    return folium.DivIcon(
        html=(
            f'<span class="pin" style="background:{colour}"{hidden}>{maps.map_text(text)}</span>'
            f"{label}"
        ),
        class_name=css,
        icon_size=(26, 26),
        icon_anchor=(13, 13),
    )


def _point(location: LatLon | DocLatLon | None) -> Point | None:
    if location is None:
        return None
    return (location.lat, location.lon)


def plan_map(
    doc: PlanDocument,
    catalogue: Catalogue,
    lang: str,
    lodgings: dict[str, LatLon],
    day_label: Callable[[int, Day], str],
    texts: dict[str, str],
    tiles: maps.TileConfig | None = None,
) -> folium.Map:
    """The plan's map. *lodgings*: where each city's nights are spent; *texts*: translated
    words for tooltips ('lodging', mode names by code).

    It opens on the first day's stops (the whole trip would pile one city's pins on each
    other). Each day's pins and checkpoints carry the class `day-<i>` and each stop
    `stop-<i>-<n>`, so the page can zoom to a day and light up the pin of a tapped row
    (static/js/plan-map.js).
    """
    fmap = maps.new_map(tiles, lang=lang)
    bounds: list[Point] = []
    day_bounds: list[list[Point]] = []

    def place_point(pid: str | None) -> Point | None:
        if pid and pid in catalogue:
            return _point(catalogue.get(pid).location)
        return None

    days = doc.days
    drawn_lodgings: set[str] = set()
    for index, day in enumerate(days):
        colour = day_colour(index)
        layer = folium.FeatureGroup(name=maps.map_text(day_label(index, day))).add_to(fmap)
        here: Point | None = _point(lodgings.get(day.city_start))
        number = 0
        on_day: list[Point] = []
        day_bounds.append(on_day)
        for item in day.items:
            if item.type == "crossing":
                start, end = _point(item.from_point.location), _point(item.to_point.location)
                if start and here:
                    folium.PolyLine([here, start], color=colour, weight=3, opacity=0.8).add_to(
                        layer
                    )
                mode = texts.get(item.mode, item.mode)
                if start and end:
                    folium.PolyLine(
                        [start, end],
                        color=colour,
                        weight=5,
                        dash_array="8 8",
                        class_name="crossing-leg",
                        tooltip=maps.map_text(mode),
                    ).add_to(layer)
                for side in (item.from_point, item.to_point):
                    spot = _point(side.location)
                    if spot:
                        label = maps.map_text(side.name.get(lang))
                        folium.CircleMarker(
                            spot,
                            radius=7,
                            color="#111827",
                            weight=2,
                            fill=True,
                            fill_color="#fde047",
                            fill_opacity=1,
                            class_name=f"checkpoint day-{index}",
                            tooltip=label,
                        ).add_to(layer)
                        bounds.append(spot)
                        on_day.append(spot)
                here = end or here
                continue
            if item.type == "meal":
                spot = place_point(item.place.attraction_id) if item.place else None
                if spot and here:
                    folium.PolyLine([here, spot], color=colour, weight=3, opacity=0.8).add_to(layer)
                here = spot or here
                continue
            spot = place_point(item.attraction_id)
            if spot is None:
                continue
            number += 1
            if here:
                folium.PolyLine([here, spot], color=colour, weight=3, opacity=0.8).add_to(layer)
            name = item.name.get(lang)
            label = maps.map_text(f"{number}. {name}")
            folium.Marker(
                spot,
                icon=_pin(
                    str(number),
                    colour,
                    f"stop-marker day-{index} stop-{index}-{number}",
                    f"{number}. {name}",
                ),
                tooltip=label,
                popup=folium.Popup(label, max_width=260),
            ).add_to(layer)
            bounds.append(spot)
            on_day.append(spot)
            here = spot
        home = _point(lodgings.get(day.city_end))
        if home and here and day.end_place == "hotel":
            folium.PolyLine([here, home], color=colour, weight=2, opacity=0.6).add_to(layer)
        for city in (day.city_start, day.city_end):
            spot = _point(lodgings.get(city))
            if spot and city not in drawn_lodgings:
                drawn_lodgings.add(city)
                folium.Marker(
                    spot,
                    icon=_pin("⌂", "#374151", "lodging-marker", texts.get("lodging", "lodging")),
                    tooltip=maps.map_text(texts.get("lodging", "lodging")),
                ).add_to(fmap)
                bounds.append(spot)
    first = next((points for points in day_bounds if points), bounds)
    if len(first) == 1:
        fmap.location = list(first[0])
        fmap.options["zoom"] = 15
    elif first:
        # a little padding: the pins are 26 px wide
        fmap.fit_bounds(
            [
                [min(p[0] for p in first), min(p[1] for p in first)],
                [max(p[0] for p in first), max(p[1] for p in first)],
            ],
            padding=(30, 30),
            max_zoom=16,
        )
    folium.LayerControl(collapsed=True).add_to(fmap)
    return fmap
