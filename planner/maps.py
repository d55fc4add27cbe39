"""folium maps of the catalogue (and later of itineraries), rendered for our own templates.

folium escapes nothing we can rely on: popups are HTML inserted through a JS template literal,
tooltips are raw, and branca renders each element's text a second time as a Jinja template on the
server (so `{{ ... }}` in a catalogue name would run there). Every text that reaches a map goes
through `map_text`, which HTML-escapes and also turns into entities the characters that end or
interpolate a template literal (` $ \\) and every brace, so no Jinja delimiter survives.
We take only the map's html and script parts and load the assets from static/vendor/.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlparse

import folium
from branca.element import Element
from folium.plugins import MarkerCluster

from planner.assets import asset_paths
from planner.catalogue import group_of
from planner.model import Attraction

Gettext = Callable[[str], str]

TWIN_CITIES_CENTER = (50.2530, 127.5270)  # mid-river between the two embankments


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


@dataclass(frozen=True)
class TileConfig:
    """A tile server: URL template and the attribution its licence requires."""

    url: str
    attribution: str


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


def new_map(tiles: TileConfig | None, location=TWIN_CITIES_CENTER, zoom: int = 13) -> folium.Map:
    """A folium map with our tile server, or a blank background when none is configured."""
    fmap = folium.Map(location=list(location), zoom_start=zoom, tiles=None, control_scale=True)
    fmap.options["maxZoom"] = 19  # marker clustering needs it; folium sets it only with tiles
    if tiles is not None:
        folium.TileLayer(tiles=tiles.url, attr=map_text(tiles.attribution), name="base").add_to(
            fmap
        )
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
        styles=tuple(asset_paths(css)),
    )


def popup_html(attraction: Attraction, lang: str, _: Gettext, detail_url: str = "") -> str:
    """Popup body: the three names, hours, price and sources, every part escaped."""
    names = attraction.name
    main = names.get(lang)
    others = [n for n in (names.zh, names.ru, names.en) if n and n != main]
    if attraction.opening_hours and attraction.hours_verified:
        hours = attraction.opening_hours
    elif attraction.opening_hours:
        hours = f"{attraction.opening_hours} ({_('hours not verified')})"
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
        label = map_text(urlparse(source.url).netloc or source.url)
        checked = map_text(source.checked.isoformat())
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

    A place whose point is an estimate is drawn as a circle of its uncertainty, not a pin.
    """
    places = list(attractions)
    fmap = new_map(tiles)
    layers: dict[tuple[str, str], folium.FeatureGroup] = {}
    clusters: dict[tuple[str, str], MarkerCluster] = {}
    group_labels = group_labels or {}
    city_labels = city_labels or {}
    for place in sorted(places, key=lambda a: (a.city, group_of(a), a.id)):
        key = (place.city, group_of(place))
        if key not in layers:
            name = f"{city_labels.get(key[0], key[0])}: {group_labels.get(key[1], key[1])}"
            layers[key] = folium.FeatureGroup(name=map_text(name)).add_to(fmap)
            clusters[key] = MarkerCluster(control=False).add_to(layers[key])
        url = detail_url(place) if detail_url else ""
        popup = folium.Popup(popup_html(place, lang, _, url), max_width=320)
        tooltip = map_text(place.name.get(lang))
        point = [place.location.lat, place.location.lon]
        if place.is_estimated:
            folium.Circle(
                point,
                radius=place.coord_uncertainty_m,
                popup=popup,
                tooltip=tooltip,
                color="#b35c00",
                fill=True,
                fill_opacity=0.15,
                dash_array="4 4",
            ).add_to(layers[key])
        else:
            folium.Marker(point, popup=popup, tooltip=tooltip).add_to(clusters[key])
    near = [
        (p.location.lat, p.location.lon)
        for p in places
        if abs(p.location.lat - TWIN_CITIES_CENTER[0]) < 0.35
        and abs(p.location.lon - TWIN_CITIES_CENTER[1]) < 0.5
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
