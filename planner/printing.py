"""The printed plan: static route maps as SVG, QR codes, the agency's cover, emergency numbers
and the PDF. Pure Python (no Flask); the print view's adapter (planner/web/plan_outputs.py)
builds the page from these and the stored plan document.

A printed map must be readable without tiles or a network: each day's map is drawn here as
inline SVG over the shipped vector base map (`basemap_shapes()`: land, water, border, names),
with the stops numbered as on the plan page, legs as lines and the crossing dashed. Every text
that reaches the SVG is escaped here; the HTML around it is Jinja's (autoescaped).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from planner.agency import LogoInvalid, check_logo
from planner.basemap import basemap_shapes
from planner.catalogue import Catalogue
from planner.messages import N_, Message, number_text
from planner.model import LocalizedName

ROOT = Path(__file__).resolve().parent.parent
EMERGENCY_PATH = ROOT / "data" / "emergency.json"
PRINT_CSS = ROOT / "static" / "css" / "print.css"

# A logo is an inline data URI only, never a URL to fetch: the request's PNG or SVG logo is
# checked again as on the way in (planner.agency.check_logo: an SVG with script, handlers or
# external references is dropped); an older raster data URI is kept as it is.
_LOGO = re.compile(r"data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+={0,2}")
MAX_LOGO_CHARS = 400_000
MAX_AGENCY_CHARS = 300

WIDTH, HEIGHT = 720, 420  # the map's viewBox, in SVG units (drawn 180 mm wide)
LAND = {"CN": "#f3ecdc", "RU": "#e9efe0"}
WATER = "#a8cbe5"
BORDER = "#8a4b4b"


@dataclass(frozen=True)
class Agency:
    """The agency's branding of a plan: escaped at render time; a logo only as a data URI."""

    name: str
    contact: str = ""
    logo_data_uri: str = ""


def _short(value: Any, limit: int = MAX_AGENCY_CHARS) -> str:
    return str(value)[:limit].strip() if isinstance(value, str) else ""


def agency_of(*sources: Any) -> Agency | None:
    """The first `agency` object {name, contact, logo?} found in *sources* (the plan request,
    the plan document), read defensively: anything malformed is ignored. The request keeps the
    logo as `logo` (older documents: `logo_data_uri`)."""
    for source in sources:
        raw = source.get("agency") if isinstance(source, dict) else None
        if not isinstance(raw, dict):
            continue
        name = _short(raw.get("name"))
        logo = _safe_logo(raw.get("logo")) or _safe_logo(raw.get("logo_data_uri"))
        if not name and not logo:
            continue
        return Agency(name, _short(raw.get("contact"), 1000), logo)
    return None


def _safe_logo(logo: Any) -> str:
    """*logo* if it is a data URI safe to show (PNG, a checked SVG, an older raster); else ''."""
    if not isinstance(logo, str) or len(logo) > MAX_LOGO_CHARS:
        return ""
    try:
        return check_logo(logo)
    except LogoInvalid:
        return logo if _LOGO.fullmatch(logo) else ""


# --------------------------------------------------------------------------- emergency numbers


@dataclass(frozen=True)
class EmergencyNumber:
    country: str  # CN | RU
    service: str  # police | ambulance | fire | all
    number: str
    sources: tuple[dict[str, str], ...]


def emergency_numbers(path: Path = EMERGENCY_PATH) -> tuple[EmergencyNumber, ...]:
    """The numbers of data/emergency.json that carry a source (an unsourced one is not shown)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return tuple(
        EmergencyNumber(n["country"], n["service"], n["number"], tuple(n["sources"]))
        for n in data["numbers"]
        if n.get("sources")
    )


# --------------------------------------------------------------------------- driver cards

# How wide a text runs, in Latin-letter widths (a CJK character is about two), and the size step
# of a driver card's line for it: a card grows with its text and is never clipped; these steps
# keep a long name or address to a few lines (static/css/print.css: .fit-1 ... .fit-4).
FIT_STEPS = {"name": (22, 44, 80), "address": (40, 80, 140)}


def text_width(text: str) -> int:
    """Width of *text* in Latin-letter units: East Asian wide and full-width characters count 2."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def fit_step(text: str, kind: str = "name") -> int:
    """The size step (1 largest .. 4 smallest) a driver card gives *text* of *kind*."""
    width = text_width(text)
    return 1 + sum(1 for limit in FIT_STEPS[kind] if width > limit)


# --------------------------------------------------------------------------- QR codes


def qr_svg(url: str) -> str:
    """A QR code of *url* as inline SVG (sized by CSS), error correction M."""
    import segno

    return segno.make(url, error="m", micro=False).svg_inline(
        scale=1, border=2, omitsize=True, svgclass="qr"
    )


# --------------------------------------------------------------------------- the route map


@dataclass(frozen=True)
class MapStop:
    """A point drawn on a day's map: a numbered visit, a meal, or a crossing point."""

    lat: float
    lon: float
    kind: str  # visit | meal | crossing_from | crossing_to
    label: str = ""  # the visit's number
    title: str = ""  # the name, for the SVG <title> (read by screen readers)


def day_map_stops(day: dict[str, Any], catalogue: Catalogue, lang: str) -> list[MapStop]:
    """The located places of one stored day, in order (as the plan page numbers them)."""
    out: list[MapStop] = []
    number = 0

    def name(value: dict[str, str]) -> str:
        return value.get(lang) or value.get("en", "")

    for item in day.get("items", []):
        kind = item.get("type")
        if kind == "visit":
            number += 1
            pid = item["attraction_id"]
            if pid in catalogue:
                where = catalogue.get(pid).location
                out.append(MapStop(where.lat, where.lon, "visit", str(number), name(item["name"])))
        elif kind == "meal":
            ref = item.get("place")
            if ref and ref["attraction_id"] in catalogue:
                where = catalogue.get(ref["attraction_id"]).location
                out.append(MapStop(where.lat, where.lon, "meal", "", name(ref["name"])))
        elif kind == "crossing":
            for side, point in (("crossing_from", "from_point"), ("crossing_to", "to_point")):
                loc = item[point].get("location")
                if loc:
                    title = name(item[point]["name"])
                    out.append(MapStop(loc["lat"], loc["lon"], side, "", title))
    return out


class _Frame:
    """An equirectangular view around the stops: (lat, lon) -> SVG x, y (north up)."""

    def __init__(self, stops: list[MapStop], pad: float = 0.18, min_km: float = 3.0):
        lats = [s.lat for s in stops]
        lons = [s.lon for s in stops]
        mid = (min(lats) + max(lats)) / 2
        self.kx = math.cos(math.radians(mid))  # a degree of longitude is shorter up north
        span_y = max(max(lats) - min(lats), min_km / 111.2)
        span_x = max((max(lons) - min(lons)) * self.kx, min_km / 111.2)
        scale = min(WIDTH / (span_x * (1 + 2 * pad)), HEIGHT / (span_y * (1 + 2 * pad)))
        self.scale = scale  # SVG units per degree of latitude
        self.cy = (min(lats) + max(lats)) / 2
        self.cx = (min(lons) + max(lons)) / 2

    def xy(self, lat: float, lon: float) -> tuple[float, float]:
        x = WIDTH / 2 + (lon - self.cx) * self.kx * self.scale
        y = HEIGHT / 2 - (lat - self.cy) * self.scale
        return round(x, 1), round(y, 1)

    def inside(self, x: float, y: float, margin: float = 0) -> bool:
        return -margin <= x <= WIDTH + margin and -margin <= y <= HEIGHT + margin

    def km_per_unit(self) -> float:
        return 111.2 / self.scale


def _path(rings: Any, frame: _Frame) -> str:
    parts = []
    for ring in rings:
        points = [frame.xy(lat, lon) for lat, lon in ring]
        parts.append("M" + " L".join(f"{x},{y}" for x, y in points) + " Z")
    return " ".join(parts)


SCALE_KM = N_("%(km)s km")  # the scale bar's label: "%(km)s км", "%(km)s 公里"


def _scale_bar(frame: _Frame, lang: str, gettext: Callable[[str], str]) -> str:
    target = frame.km_per_unit() * 120  # about 120 units long
    km = next(s for s in (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100) if s >= target / 2)
    length = km / frame.km_per_unit()
    x, y = 14, HEIGHT - 16
    label = escape(gettext(SCALE_KM) % {"km": number_text(km, lang, digits=1)})
    return (
        f'<g class="scale"><rect x="{x - 4}" y="{y - 16}" width="{length + 50:.1f}" height="24" '
        f'fill="#fff" fill-opacity="0.8"/><path d="M{x},{y - 4} V{y} H{x + length:.1f} '
        f'V{y - 4}" fill="none" stroke="#222" stroke-width="1.5"/>'
        f'<text x="{x + length + 5:.1f}" y="{y}" font-size="12">{label}</text></g>'
    )


def route_svg(
    stops: list[MapStop],
    colour: str,
    lang: str,
    title: str = "",
    attribution: str = "",
    key: str = "0",
    gettext: Callable[[str], str] | None = None,
) -> str:
    """A day's route as inline SVG: base map, legs, the crossing dashed, numbered stops.

    *key* makes the SVG's ids unique when several maps share a page (0-9, a-z only); *gettext*
    words the scale bar in *lang* (without it, in English).
    """
    key = re.sub(r"[^0-9a-z]", "", key)
    if not stops:
        return ""
    base = basemap_shapes()
    frame = _Frame(stops)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'class="route-map" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<defs><clipPath id="frame-{key}"><rect width="{WIDTH}" height="{HEIGHT}"/>'
        "</clipPath></defs>",
        f'<g clip-path="url(#frame-{key})">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#f7f5ef"/>',
    ]
    for country, polygons in base.land.items():
        fill = LAND.get(country, "#eee")
        for polygon in polygons:
            out.append(f'<path d="{_path(polygon, frame)}" fill="{fill}" fill-rule="evenodd"/>')
    for polygon in base.water:
        out.append(f'<path d="{_path(polygon, frame)}" fill="{WATER}" fill-rule="evenodd"/>')
    for line in base.border:
        points = " ".join(f"{x},{y}" for x, y in (frame.xy(lat, lon) for lat, lon in line))
        out.append(
            f'<polyline points="{points}" fill="none" stroke="{BORDER}" stroke-width="2" '
            'stroke-dasharray="10 3 2 3" stroke-opacity="0.8"/>'
        )
    for label in base.labels:
        x, y = frame.xy(label.lat, label.lon)
        if not frame.inside(x, y, -20):
            continue
        text = escape(LocalizedName.get(label.name, lang))
        style = (
            'fill="#2b5d86" font-style="italic" font-size="15"'
            if label.kind == "river"
            else 'fill="#555" font-size="17" font-weight="bold"'
        )
        out.append(
            f'<text x="{x}" y="{y}" text-anchor="middle" {style} stroke="#fff" '
            f'stroke-width="3" paint-order="stroke">{text}</text>'
        )
    # Legs: straight lines in order; the crossing (from its port to the other side) dashed.
    for a, b in zip(stops, stops[1:], strict=False):
        (x1, y1), (x2, y2) = frame.xy(a.lat, a.lon), frame.xy(b.lat, b.lon)
        crossing = a.kind == "crossing_from" and b.kind == "crossing_to"
        dash = ' stroke-dasharray="9 6"' if crossing else ""
        width = 4 if crossing else 3
        out.append(
            f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{colour}" '
            f'stroke-width="{width}" stroke-linecap="round"{dash} stroke-opacity="0.85"/>'
        )
    for stop in stops:
        x, y = frame.xy(stop.lat, stop.lon)
        tip = f"<title>{escape(stop.title)}</title>"
        if stop.kind == "visit":
            out.append(
                f'<g class="stop">{tip}<circle cx="{x}" cy="{y}" r="12" fill="{colour}" '
                f'stroke="#fff" stroke-width="2"/><text x="{x}" y="{y + 5}" text-anchor="middle" '
                f'font-size="14" font-weight="bold" fill="#fff">{escape(stop.label)}</text></g>'
            )
        elif stop.kind == "meal":
            out.append(
                f'<g class="meal">{tip}<rect x="{x - 6}" y="{y - 6}" width="12" height="12" '
                f'fill="#fff" stroke="{colour}" stroke-width="3"/></g>'
            )
        else:
            out.append(
                f'<g class="port">{tip}<path d="M{x},{y - 10} L{x + 10},{y} L{x},{y + 10} '
                f'L{x - 10},{y} Z" fill="#fff" stroke="#111" stroke-width="2.5"/></g>'
            )
    out.append("</g>")
    out.append(_scale_bar(frame, lang, gettext or (lambda text: text)))
    out.append(
        f'<text x="{WIDTH - 6}" y="{HEIGHT - 6}" text-anchor="end" font-size="10" fill="#444">'
        f"{escape(attribution or base.attribution)}</text>"
    )
    out.append(
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="none" stroke="#888" stroke-width="1"/>'
    )
    out.append("</svg>")
    return "".join(out)


# --------------------------------------------------------------------------- the PDF


def pdf_from_html(html: str, css_path: Path = PRINT_CSS) -> bytes:
    """The print HTML as a PDF (WeasyPrint embeds the subset of each font it uses).

    Nothing is fetched: the only URLs WeasyPrint may open are `data:` ones (a logo); the style
    sheet is read from disk, so the print view and the PDF share one CSS.
    """
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"})
    document = HTML(string=html, url_fetcher=fetcher, base_url=str(ROOT))
    css = CSS(string=css_path.read_text(encoding="utf-8"), url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[css])


@dataclass(frozen=True)
class PrintCaps:
    """The largest plan a PDF is made of (a maximal plan, 14 days, 200 passengers and 5,000
    characters of notes, took 21 s to render); the print view in the browser shows any plan."""

    days: int = 14
    passengers: int = 60
    note_chars: int = 2000


def pdf_size_problems(request: dict[str, Any], itinerary: dict[str, Any], caps: PrintCaps):
    """What makes this plan too large for a PDF (empty when it fits), as messages."""
    problems: list[Message] = []
    days = len(itinerary.get("days") or [])
    passengers = len((request.get("group") or {}).get("passengers") or [])
    notes = len(str(request.get("notes") or ""))
    if days > caps.days:
        problems.append(Message("pdf_too_many_days", {"max": caps.days, "count": days}))
    if passengers > caps.passengers:
        problems.append(
            Message("pdf_too_many_passengers", {"max": caps.passengers, "count": passengers})
        )
    if notes > caps.note_chars:
        problems.append(Message("pdf_notes_too_long", {"max": caps.note_chars, "count": notes}))
    return problems


def write_pdf_file(html: str, path: str) -> None:
    """Render *html* into the file *path* (the body of a child process: planner.web.jobs
    renders in one so that a render past its time bound can be killed)."""
    Path(path).write_bytes(pdf_from_html(html))
