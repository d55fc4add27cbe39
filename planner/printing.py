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
from planner.messages import N_, Message
from planner.model import LocalizedName
from planner.plan_document import Day, PlanDocument
from planner.resources import DATA, ROOT, STATIC
from planner.wording import number_text

EMERGENCY_PATH = DATA / "emergency.json"
PRINT_CSS = STATIC / "css" / "print.css"

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


def day_map_stops(day: Day, catalogue: Catalogue, lang: str) -> list[MapStop]:
    """The located places of one day of the plan, in order (as the plan page numbers them)."""
    out: list[MapStop] = []
    number = 0
    for item in day.items:
        if item.type == "visit":
            number += 1
            pid = item.attraction_id
            if pid in catalogue:
                where = catalogue.get(pid).location
                title = item.name.get(lang)
                out.append(MapStop(where.lat, where.lon, "visit", str(number), title))
        elif item.type == "meal":
            ref = item.place
            if ref and ref.attraction_id in catalogue:
                where = catalogue.get(ref.attraction_id).location
                out.append(MapStop(where.lat, where.lon, "meal", "", ref.name.get(lang)))
        else:
            for side, point in (("crossing_from", item.from_point), ("crossing_to", item.to_point)):
                if point.location:
                    loc = point.location
                    out.append(MapStop(loc.lat, loc.lon, side, "", point.name.get(lang)))
    return out


# How far a pin reaches from its centre (SVG units, stroke included): two pins closer than the
# sum of their reaches plus PIN_GAP overlap on paper.
PIN_REACH = {"visit": 13.0, "meal": 9.5, "crossing_from": 11.5, "crossing_to": 11.5}
PIN_GAP = 2.0
INSET_W, INSET_H = 300, 220  # the detail inset of a dense area (e.g. a city centre)
INSET_MARGIN = 8


def _reach(stop: MapStop) -> float:
    return PIN_REACH.get(stop.kind, 13.0)


class _Frame:
    """An equirectangular view around the stops: (lat, lon) -> SVG x, y (north up), fitted into
    the box (x0, y0, width, height) of the SVG."""

    def __init__(
        self,
        stops: list[MapStop],
        pad: float = 0.18,
        min_km: float = 3.0,
        box: tuple[float, float, float, float] = (0, 0, WIDTH, HEIGHT),
    ):
        self.box = box
        _x0, _y0, width, height = box
        lats = [s.lat for s in stops]
        lons = [s.lon for s in stops]
        mid = (min(lats) + max(lats)) / 2
        self.kx = math.cos(math.radians(mid))  # a degree of longitude is shorter up north
        span_y = max(max(lats) - min(lats), min_km / 111.2)
        span_x = max((max(lons) - min(lons)) * self.kx, min_km / 111.2)
        scale = min(width / (span_x * (1 + 2 * pad)), height / (span_y * (1 + 2 * pad)))
        self.scale = scale  # SVG units per degree of latitude
        self.cy = (min(lats) + max(lats)) / 2
        self.cx = (min(lons) + max(lons)) / 2

    def xy(self, lat: float, lon: float) -> tuple[float, float]:
        x0, y0, width, height = self.box
        x = x0 + width / 2 + (lon - self.cx) * self.kx * self.scale
        y = y0 + height / 2 - (lat - self.cy) * self.scale
        return round(x, 1), round(y, 1)

    def inside(self, x: float, y: float, margin: float = 0) -> bool:
        x0, y0, width, height = self.box
        return x0 - margin <= x <= x0 + width + margin and y0 - margin <= y <= y0 + height + margin

    def km_per_unit(self) -> float:
        return 111.2 / self.scale


def _overlap(a: MapStop, pa: tuple[float, float], b: MapStop, pb: tuple[float, float]) -> bool:
    return math.dist(pa, pb) < _reach(a) + _reach(b) + PIN_GAP


def _dense(stops: list[MapStop], frame: _Frame) -> list[int]:
    """The stops whose pins would overlap another's at this frame's zoom."""
    points = [frame.xy(s.lat, s.lon) for s in stops]
    return [
        i
        for i, (a, pa) in enumerate(zip(stops, points, strict=True))
        if any(
            _overlap(a, pa, b, pb)
            for j, (b, pb) in enumerate(zip(stops, points, strict=True))
            if j != i
        )
    ]


def _largest_cluster(stops: list[MapStop], frame: _Frame, dense: list[int]) -> list[int]:
    """Of the *dense* stops, the biggest group linked by pins within 3 pins' width of each
    other: the one area the inset zooms into (a day in both cities may have two)."""
    points = {i: frame.xy(stops[i].lat, stops[i].lon) for i in dense}
    groups: list[list[int]] = []
    left = list(dense)
    while left:
        group = [left.pop(0)]
        for i in group:
            near = [j for j in left if math.dist(points[i], points[j]) < 80]
            group += near
            left = [j for j in left if j not in near]
        groups.append(sorted(group))
    return max(groups, key=len) if groups else []


def pin_positions(
    stops: list[MapStop], frame: _Frame, keep_out: list[tuple[float, float, float, float]] = ()
) -> list[tuple[float, float]]:
    """Where each pin is drawn: at its place, or nudged apart (a leader line goes back to the
    place) when places are closer than their pins, e.g. a meal in the museum just visited.
    Deterministic: pairs push each other apart along their line, a few rounds."""
    home = [frame.xy(s.lat, s.lon) for s in stops]
    at = [list(p) for p in home]
    for _round in range(200):
        moved = False
        for i in range(len(stops)):
            for j in range(i + 1, len(stops)):
                need = _reach(stops[i]) + _reach(stops[j]) + PIN_GAP + 0.5
                dx, dy = at[j][0] - at[i][0], at[j][1] - at[i][1]
                gap = math.hypot(dx, dy)
                if gap >= need:
                    continue
                if gap < 1e-6:  # the same spot: part them along a fixed slant
                    dx, dy, gap = math.cos(0.6 + i), math.sin(0.6 + i), 1.0
                push = (need - gap) / 2 + 0.01
                at[i][0] -= dx / gap * push
                at[i][1] -= dy / gap * push
                at[j][0] += dx / gap * push
                at[j][1] += dy / gap * push
                moved = True
        if not moved:
            break
    return [(round(x, 1), round(y, 1)) for x, y in at]


def _inset_box(
    overview: list[tuple[MapStop, tuple[float, float]]], zoom_box: tuple[float, float, float, float]
) -> tuple[float, float, float, float] | None:
    """A top corner of the overview free of its pins and of the zoomed area, or None."""
    for x0 in (WIDTH - INSET_W - INSET_MARGIN, INSET_MARGIN):
        box = (x0, INSET_MARGIN, INSET_W, INSET_H)
        if _boxes_meet(box, zoom_box):
            continue
        if not any(
            _boxes_meet(box, (x - r, y - r, 2 * r, 2 * r))
            for s, (x, y) in overview
            for r in (_reach(s),)
        ):
            return box
    return None


def _boxes_meet(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def _path(rings: Any, frame: _Frame) -> str:
    parts = []
    for ring in rings:
        points = [frame.xy(lat, lon) for lat, lon in ring]
        parts.append("M" + " L".join(f"{x},{y}" for x, y in points) + " Z")
    return " ".join(parts)


SCALE_KM = N_("%(km)s km")  # the scale bar's label: "%(km)s км", "%(km)s 公里"


def _scale_bar(
    frame: _Frame, lang: str, gettext: Callable[[str], str], at: tuple[float, float] | None = None
) -> str:
    """A scale bar about 120 units long, labelled in the reader's words; *at* its corner
    (the overview's bottom left by default, the inset's own when given)."""
    target = frame.km_per_unit() * 120  # about 120 units long
    km = next(s for s in (0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100) if s >= target / 2)
    length = km / frame.km_per_unit()
    x, y = at or (14, HEIGHT - 16)
    label = escape(gettext(SCALE_KM) % {"km": number_text(km, lang, digits=2)})
    cls = "scale inset-scale" if at else "scale"
    return (
        f'<g class="{cls}"><rect x="{x - 4}" y="{y - 16}" width="{length + 50:.1f}" height="24" '
        f'fill="#fff" fill-opacity="0.8"/><path d="M{x},{y - 4} V{y} H{x + length:.1f} '
        f'V{y - 4}" fill="none" stroke="#222" stroke-width="1.5"/>'
        f'<text x="{x + length + 5:.1f}" y="{y}" font-size="12">{label}</text></g>'
    )


def _base(frame: _Frame, lang: str, clip: str) -> list[str]:
    """The shipped base map (land, water, border, names) in *frame*, clipped to *clip*."""
    base = basemap_shapes()
    x0, y0, width, height = frame.box
    out = [
        f'<g clip-path="url(#{clip})">',
        f'<rect x="{x0}" y="{y0}" width="{width}" height="{height}" fill="#f7f5ef"/>',
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
    return out


def _legs(stops: list[MapStop], frame: _Frame, colour: str) -> list[str]:
    """Legs: straight lines in order; the crossing (from its port to the other side) dashed."""
    out = []
    for a, b in zip(stops, stops[1:], strict=False):
        (x1, y1), (x2, y2) = frame.xy(a.lat, a.lon), frame.xy(b.lat, b.lon)
        crossing = a.kind == "crossing_from" and b.kind == "crossing_to"
        dash = ' stroke-dasharray="9 6"' if crossing else ""
        width = 4 if crossing else 3
        out.append(
            f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{colour}" '
            f'stroke-width="{width}" stroke-linecap="round"{dash} stroke-opacity="0.85"/>'
        )
    return out


def _pins(stops: list[MapStop], frame: _Frame, colour: str) -> list[str]:
    """The pins, each a group translated to where it is drawn (`pin_positions`), with a thin
    leader line back to its place when it had to be nudged."""
    out = []
    for stop, (x, y) in zip(stops, pin_positions(stops, frame), strict=True):
        hx, hy = frame.xy(stop.lat, stop.lon)
        if math.dist((x, y), (hx, hy)) > 1:
            out.append(
                f'<line class="leader" x1="{hx}" y1="{hy}" x2="{x}" y2="{y}" stroke="#222" '
                'stroke-width="1"/>'
                f'<circle cx="{hx}" cy="{hy}" r="2" fill="#222"/>'
            )
        tip = f"<title>{escape(stop.title)}</title>"
        at = f'transform="translate({x} {y})"'
        if stop.kind == "visit":
            out.append(
                f'<g class="pin stop" {at}>{tip}<circle r="12" fill="{colour}" stroke="#fff" '
                'stroke-width="2"/><text y="5" text-anchor="middle" font-size="14" '
                f'font-weight="bold" fill="#fff">{escape(stop.label)}</text></g>'
            )
        elif stop.kind == "meal":
            out.append(
                f'<g class="pin meal" {at}>{tip}<rect x="-6" y="-6" width="12" height="12" '
                f'fill="#fff" stroke="{colour}" stroke-width="3"/></g>'
            )
        else:
            out.append(
                f'<g class="pin port" {at}>{tip}<path d="M0,-10 L10,0 L0,10 L-10,0 Z" '
                'fill="#fff" stroke="#111" stroke-width="2.5"/></g>'
            )
    return out


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

    Where pins would overlap at the day's zoom (a city centre), those stops are drawn in a
    detail inset at a closer zoom, in a top corner free of other pins (or below the map), and
    the overview outlines the area it shows; pins still too close are nudged apart with a
    leader line. *key* makes the SVG's ids unique when several maps share a page (0-9, a-z
    only); *gettext* words the scale bars in *lang* (without it, in English).
    """
    key = re.sub(r"[^0-9a-z]", "", key)
    if not stops:
        return ""
    words = gettext or (lambda text: text)
    frame = _Frame(stops)
    dense = _largest_cluster(stops, frame, _dense(stops, frame))
    inset_stops = [stops[i] for i in dense]
    overview = [s for i, s in enumerate(stops) if i not in set(dense)]
    height = HEIGHT
    inset: _Frame | None = None
    inset_box = (0.0, 0.0, 0.0, 0.0)
    zoom_box = (0.0, 0.0, 0.0, 0.0)
    if len(inset_stops) >= 2:
        corners = [frame.xy(s.lat, s.lon) for s in inset_stops]
        xs, ys = [c[0] for c in corners], [c[1] for c in corners]
        zoom_box = (min(xs) - 16, min(ys) - 16, max(xs) - min(xs) + 32, max(ys) - min(ys) + 32)
        placed = list(zip(overview, pin_positions(overview, frame), strict=True))
        box = _inset_box(placed, zoom_box)
        if box is None:  # no free corner: the detail goes below the map
            box = (0, HEIGHT + INSET_MARGIN, WIDTH, INSET_H)
            height = HEIGHT + INSET_MARGIN + INSET_H
        # The inset's bottom strip holds its scale bar, so its pins are fitted above it.
        inset_box = box
        inset = _Frame(inset_stops, pad=0.2, min_km=0.4, box=(*box[:3], box[3] - 30))
    else:
        overview = stops
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'class="route-map" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<defs><clipPath id="frame-{key}"><rect width="{WIDTH}" height="{HEIGHT}"/></clipPath>',
    ]
    if inset is not None:
        x0, y0, w, h = inset_box
        out.append(
            f'<clipPath id="inset-{key}"><rect x="{x0}" y="{y0}" width="{w}" height="{h}"/>'
            "</clipPath>"
        )
    out.append("</defs>")
    out += _base(frame, lang, f"frame-{key}")
    out += _legs(stops, frame, colour)
    if inset is not None:
        zx, zy, zw, zh = zoom_box
        out.append(
            f'<rect class="zoom-area" x="{zx}" y="{zy}" width="{zw}" height="{zh}" fill="none" '
            'stroke="#222" stroke-width="1.5" stroke-dasharray="4 3"/>'
        )
    out += _pins(overview, frame, colour)
    out.append("</g>")
    out.append(_scale_bar(frame, lang, words))
    if inset is not None:
        x0, y0, w, h = inset_box
        out.append(f'<rect x="{x0}" y="{y0}" width="{w}" height="{h}" fill="#f7f5ef"/>')
        out += _base(inset, lang, f"inset-{key}")
        out += _legs(stops, inset, colour)
        out += _pins(inset_stops, inset, colour)
        out.append("</g>")
        out.append(_scale_bar(inset, lang, words, at=(x0 + 10, y0 + h - 10)))
        out.append(
            f'<rect class="inset" x="{x0}" y="{y0}" width="{w}" height="{h}" fill="none" '
            'stroke="#222" stroke-width="2"/>'
        )
    out.append(
        f'<text x="{WIDTH - 6}" y="{HEIGHT - 6}" text-anchor="end" font-size="10" fill="#444">'
        f"{escape(attribution or basemap_shapes().attribution)}</text>"
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


def pdf_size_problems(request: dict[str, Any], doc: PlanDocument, caps: PrintCaps):
    """What makes this plan too large for a PDF (empty when it fits), as messages."""
    problems: list[Message] = []
    days = len(doc.days)
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
