"""folium maps of the catalogue (and later of itineraries), rendered for our own templates.

folium escapes nothing we can rely on: popups are HTML inserted through a JS template literal,
tooltips are raw, and branca renders each element's text a second time as a Jinja template on the
server (so `{{ ... }}` in a catalogue name would run there). Every text that reaches a map goes
through `map_text`, which HTML-escapes and also turns into entities the characters that end or
interpolate a template literal (` $ \\) and every brace, so no Jinja delimiter survives.
We take only the map's html and script parts and load the assets from static/vendor/.

Every map draws the Amur, the Zeya and the border (planner.basemap): on its own with tiles off,
and under the tiles with them on, so a tile server that fails, is slow or is out of reach (no
signal across the river) still leaves the river, the border and the stops on screen. When the
tile server draws in GCJ-02 (Chinese services), points on the Chinese bank are shifted to that
datum for display only; the catalogue stays WGS-84.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlparse

import folium
from babel.dates import format_date
from branca.element import Element
from folium.plugins import MarkerCluster

from planner import languages, region
from planner.assets import asset_paths
from planner.basemap import ATTRIBUTION_URL, basemap_geojson
from planner.catalogue import group_of
from planner.geo import out_of_china, wgs84_to_gcj02
from planner.hours_text import hours_in_words
from planner.model import Attraction
from planner.settings import BY_NAME

Gettext = Callable[[str], str]

ESTIMATE_RADIUS_PX = 7  # an estimated position: a small ring of fixed size at any zoom


# After HTML escaping (which emits no brace, backtick, dollar or backslash of its own).
_MAP_ENTITIES = str.maketrans(
    {"\\": "&#92;", "`": "&#96;", "$": "&#36;", "{": "&#123;", "}": "&#125;"}
)


def map_text(value: object) -> str:
    """Text made safe for a folium popup, tooltip or layer name.

    Inert for HTML (escaped), for JavaScript template literals (` $ \\ as entities) and for the
    Jinja pass branca makes over rendered elements (every brace, so `{{`, `{%` and `{#` are gone).
    """
    return html.escape(str(value), quote=True).translate(_MAP_ENTITIES)


def safe_href(url: str) -> str | None:
    """The URL escaped for an href, or None unless it is http(s)."""
    if urlparse(url).scheme not in ("http", "https"):
        return None
    return map_text(url)


DATUMS = ("wgs84", "gcj02")


@dataclass(frozen=True)
class TileConfig:
    """A tile server: URL template, the attribution its licence requires (plain text, with an
    optional link), and the datum its tiles are drawn in (GCJ-02 for Chinese services)."""

    url: str
    attribution: str
    attribution_url: str = ""
    datum: str = "wgs84"

    def __post_init__(self) -> None:
        if self.datum not in DATUMS:
            raise ValueError(f"tile datum {self.datum!r}: expected one of {', '.join(DATUMS)}")

    def attribution_html(self) -> str:
        """The attribution for Leaflet's control: escaped text, linked when the URL is http(s)."""
        text = map_text(self.attribution)
        href = safe_href(self.attribution_url) if self.attribution_url else None
        return f'<a href="{href}" rel="noopener" target="_blank">{text}</a>' if href else text


# folium's own default, and ours: OpenStreetMap's standard tiles (tile usage policy applies).
OSM_TILES = TileConfig(
    url=BY_NAME["PLANNER_TILE_URL"].default,
    attribution=BY_NAME["PLANNER_TILE_ATTRIBUTION"].default,
    attribution_url=BY_NAME["PLANNER_TILE_ATTRIBUTION_URL"].default,
)

# The page's stylesheet for base-map names and approximate markers (static/css/maps.css).
MAP_CSS = "css/maps.css"

_BASEMAP_STYLE = {
    "land:CN": {"fillColor": "#f4efe1", "fillOpacity": 1, "stroke": False},
    "land:RU": {"fillColor": "#eef0e6", "fillOpacity": 1, "stroke": False},
    "water": {"fillColor": "#a9cbe8", "fillOpacity": 1, "color": "#7fa9d1", "weight": 1},
    "border": {"color": "#8b3a2b", "weight": 2.5, "dashArray": "8 5", "opacity": 0.9},
}


@dataclass(frozen=True)
class RenderedMap:
    """What a template needs: the map's div, its script, and our static asset paths."""

    html: str
    script: str
    scripts: tuple[str, ...]
    styles: tuple[str, ...]


def _asset_names(element: Element) -> tuple[list[str], list[str]]:
    js: list[str] = []
    css: list[str] = []
    for child in [element, *_descendants(element)]:
        js += [name for name, _ in getattr(child, "default_js", [])]
        css += [name for name, _ in getattr(child, "default_css", [])]
    return js, css


def _descendants(element: Element) -> Iterable[Element]:
    for child in element._children.values():
        yield child
        yield from _descendants(child)


def display_location(lat: float, lon: float, tiles: TileConfig | None) -> tuple[float, float]:
    """Where to draw a WGS-84 point on *tiles*: shifted to GCJ-02 on the Chinese bank when the
    tile server uses that datum (its streets are drawn there), unchanged everywhere else."""
    if tiles is None or tiles.datum != "gcj02" or out_of_china(lat, lon):
        return lat, lon
    if region.current().country_at(lat, lon) != "CN":  # GCJ-02 is China's datum
        return lat, lon
    return wgs84_to_gcj02(lat, lon)


# Leaflet's panes: tiles 200, overlays (lines) 400, markers 600.
BASEMAP_PANES = {False: (250, 450), True: (150, 160)}  # under_tiles -> (shapes, names)


def add_basemap(fmap: folium.Map, lang: str, under_tiles: bool = False) -> None:
    """Draw the offline base map (land tint, water, dashed border, names) under everything.

    Alone (no tiles), its names sit above the shapes and lines but under the markers; under
    tiles, shapes and names both sit below the tile pane: a loaded tile covers them, a failed
    one (hidden by Leaflet) lets them show through. Neither pane takes clicks.
    """
    shapes_z, names_z = BASEMAP_PANES[under_tiles]
    folium.map.CustomPane("basemap", z_index=shapes_z).add_to(fmap)
    folium.map.CustomPane("basemap-names", z_index=names_z).add_to(fmap)
    data = basemap_geojson()
    shapes = []
    for feature in data["features"]:
        props = feature["properties"]
        if props["layer"] == "label":
            continue
        key = f"land:{props['country']}" if props["layer"] == "land" else props["layer"]
        shapes.append(
            {"type": "Feature", "properties": {"key": key}, "geometry": feature["geometry"]}
        )
    attribution = (
        f'<a href="{map_text(ATTRIBUTION_URL)}" rel="noopener" target="_blank">'
        f"{map_text('© OpenStreetMap contributors')}</a> (ODbL)"
    )
    folium.GeoJson(
        {"type": "FeatureCollection", "features": shapes},
        style_function=lambda f: _BASEMAP_STYLE[f["properties"]["key"]],
        control=False,
        interactive=False,
        pane="basemap",
        attribution=attribution,
    ).add_to(fmap)
    for feature in data["features"]:
        props = feature["properties"]
        if props["layer"] != "label":
            continue
        lon, lat = feature["geometry"]["coordinates"]
        name = props.get(f"name:{lang}") or props["name:en"]
        anchor = folium.CircleMarker(
            [lat, lon], radius=0, stroke=False, fill=False, interactive=False, pane="basemap-names"
        )
        folium.Tooltip(
            map_text(name),
            sticky=False,
            permanent=True,
            direction="center",
            className=f"basemap-name basemap-{props['label']}",
            pane="basemap-names",
        ).add_to(anchor)
        anchor.add_to(fmap)


def new_map(
    tiles: TileConfig | None,
    location: tuple[float, float] | None = None,
    zoom: int = 13,
    lang: str = "en",
) -> folium.Map:
    """A folium map on the offline base map, with our tile server's tiles over it when on
    (centred on the region's map centre unless *location* is given)."""
    location = location or region.current().centre
    fmap = folium.Map(location=list(location), zoom_start=zoom, tiles=None, control_scale=True)
    fmap.options["maxZoom"] = 19  # marker clustering needs it; folium sets it only with tiles
    add_basemap(fmap, lang, under_tiles=tiles is not None)
    if tiles is not None:
        folium.TileLayer(
            tiles=tiles.url,
            attr=tiles.attribution_html(),
            name="base",
            control=False,
            max_zoom=19,
        ).add_to(fmap)
    return fmap


def render(fmap: folium.Map) -> RenderedMap:
    """Split a folium map into html + script, resolving its assets to vendored files."""
    root = fmap.get_root()
    root.render()
    js, css = _asset_names(fmap)
    # jQuery is needed by folium's popups even though only the Map lists it.
    return RenderedMap(
        html=root.html.render(),
        script=root.script.render(),
        scripts=tuple(asset_paths(js)),
        styles=(*asset_paths(css), MAP_CSS),
    )


def popup_html(attraction: Attraction, lang: str, _: Gettext, detail_url: str = "") -> str:
    """Popup body: the three names, hours, price and sources, every part escaped."""
    names = attraction.name
    main = names.get(lang)
    others = [n for n in (names.zh, names.ru, names.en) if n and n != main]
    words = hours_in_words(attraction.opening_hours, _, lang)  # words, never the OSM syntax
    if words and attraction.hours_verified:
        hours = words
    elif words:
        hours = f"{words} ({_('hours not verified')})"
    else:
        hours = _("hours not verified")
    if attraction.price is None:
        price = _("price unknown")
    elif attraction.price == 0:
        price = _("free")
    else:
        price = f"{attraction.price:g} {attraction.currency}"
    parts = [f"<strong>{map_text(main)}</strong>"]
    parts += [f"<div class='alt-name'>{map_text(n)}</div>" for n in others]
    hours_label, price_label = _("Hours"), _("Price")
    parts.append(f"<div>{map_text(hours_label)}: {map_text(hours)}</div>")
    parts.append(f"<div>{map_text(price_label)}: {map_text(price)}</div>")
    if attraction.is_estimated:
        parts.append(
            "<div class='estimated'>"
            + map_text(_("Approximate location (±%(m)s m)") % {"m": attraction.coord_uncertainty_m})
            + "</div>"
        )
    links = []
    for source in attraction.sources[:4]:
        href = safe_href(source.url)
        # a source without a web address is the project's own (docs/data.md), not a path to show
        label = map_text(urlparse(source.url).netloc if href else _("the project's own judgement"))
        day = format_date(source.checked, "medium", locale=languages.babel_locale(lang))
        checked = map_text(day)
        links.append(
            f"<a href='{href}' rel='noopener' target='_blank'>{label}</a> ({checked})"
            if href
            else f"{label} ({checked})"
        )
    if links:
        label = _("Sources")
        parts.append(f"<div class='sources'>{map_text(label)}: " + "; ".join(links) + "</div>")
    if detail_url:
        details = _("Details")
        parts.append(f"<a href='{map_text(detail_url)}'>{map_text(details)}</a>")
    return "".join(parts)


def attractions_map(
    attractions: Iterable[Attraction],
    lang: str,
    _: Gettext,
    tiles: TileConfig | None = None,
    group_labels: dict[str, str] | None = None,
    city_labels: dict[str, str] | None = None,
    detail_url: Callable[[Attraction], str] | None = None,
) -> folium.Map:
    """Every place on one map: a layer per city and category group, clustered markers.

    A place whose point is an estimate is drawn as a small dashed ring, not a pin, with its
    uncertainty in the tooltip: a circle of the uncertainty itself (up to tens of kilometres)
    would swamp the map.
    """
    places = list(attractions)
    fmap = new_map(tiles, lang=lang)
    layers: dict[tuple[str, str], folium.FeatureGroup] = {}
    clusters: dict[tuple[str, str], MarkerCluster] = {}
    group_labels = group_labels or {}
    city_labels = city_labels or {}
    shown: list[tuple[float, float]] = []
    for place in sorted(places, key=lambda a: (a.city, group_of(a), a.id)):
        key = (place.city, group_of(place))
        if key not in layers:
            name = f"{city_labels.get(key[0], key[0])}: {group_labels.get(key[1], key[1])}"
            layers[key] = folium.FeatureGroup(name=map_text(name)).add_to(fmap)
            clusters[key] = MarkerCluster(control=False).add_to(layers[key])
        url = detail_url(place) if detail_url else ""
        popup = folium.Popup(popup_html(place, lang, _, url), max_width=320)
        point = display_location(place.location.lat, place.location.lon, tiles)
        shown.append(point)
        if place.is_estimated:
            approx = _("Approximate location (±%(m)s m)") % {
                "m": f"{place.coord_uncertainty_m:,}".replace(",", "\u202f")
            }
            folium.CircleMarker(
                list(point),
                radius=ESTIMATE_RADIUS_PX,
                popup=popup,
                tooltip=folium.Tooltip(
                    f"{map_text(place.name.get(lang))}<br>{map_text(approx)}",
                    className="estimated-tooltip",
                ),
                color="#b35c00",
                weight=2,
                dash_array="3 3",
                fill=True,
                fill_color="#ffd9a8",
                fill_opacity=0.8,
                className="estimated-marker",
            ).add_to(layers[key])
        else:
            tooltip = folium.Tooltip(map_text(place.name.get(lang)))
            folium.Marker(list(point), popup=popup, tooltip=tooltip).add_to(clusters[key])
    centre = region.current().centre
    near = [
        (lat, lon)
        for lat, lon in shown
        if abs(lat - centre[0]) < 0.35 and abs(lon - centre[1]) < 0.5
    ]
    if len(near) >= 2:
        # Frame the two cities (and Aihui); far day trips stay one zoom-out away.
        fmap.fit_bounds(
            [
                [min(a for a, _ in near), min(b for _, b in near)],
                [max(a for a, _ in near), max(b for _, b in near)],
            ]
        )
    folium.LayerControl(collapsed=True).add_to(fmap)
    return fmap
