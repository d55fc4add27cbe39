"""The offline base map: the Amur and Zeya, the China-Russia border and a few names.

With tiles off (tests, CI, a machine without internet, printed maps) a map would otherwise be
markers on blank paper. data/basemap.geojson holds the water, the border and the two countries'
land of the twin cities' area, cut from OpenStreetMap-derived npm packages (ODbL, see
data/basemap.md); the app reads it with json alone. The web maps draw it as a folium layer and
the printed maps (issue #10) draw the same geometry from `basemap_shapes()`.

`python -m planner.basemap` regenerates the file from the pinned packages (npm pack + shapely,
both needed only for that step), so its provenance is reproducible.
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from planner import region
from planner.model import LocalizedName
from planner.resources import DATA

FILE = "basemap.geojson"  # in the region's data folder
BASEMAP_PATH = DATA / FILE  # the shipped region's (the generator below writes it)

# west, south, east, north: both cities, the Zeya mouth and Aihui town to the south.
BBOX = (126.8, 49.6, 128.3, 50.9)
ATTRIBUTION = "© OpenStreetMap contributors (ODbL)"
ATTRIBUTION_URL = "https://www.openstreetmap.org/copyright"

# The packages the file is cut from, exact versions (npm registry).
RIVERS_PACKAGE = "@geo-maps/earth-rivers-1m@0.6.0"  # file map.geo.json, OSM water areas
BORDERS_PACKAGE = "@osm_borders/maritime_10m@1.1.0"  # file borders.geo.json, OSM boundaries


def labels() -> tuple[tuple[str, float, float, LocalizedName], ...]:
    """The names the generated base map draws (data/region.json `map_labels`, placed by hand)."""
    return tuple((m.kind, m.lat, m.lon, m.name) for m in region.current().map_labels)


@dataclass(frozen=True)
class BasemapLabel:
    """A name drawn on the base map: a river or a town, at (lat, lon)."""

    kind: str
    lat: float
    lon: float
    name: LocalizedName


@dataclass(frozen=True)
class BasemapShapes:
    """The base map as (lat, lon) lists, for a renderer that is not folium (SVG, PDF).

    Polygons are lists of rings (the first is the outline, the rest holes); lines are lists of
    points. Draw land, then water, then the border, then the labels.
    """

    land: dict[str, tuple[tuple[tuple[tuple[float, float], ...], ...], ...]]
    water: tuple[tuple[tuple[tuple[float, float], ...], ...], ...]
    border: tuple[tuple[tuple[float, float], ...], ...]
    labels: tuple[BasemapLabel, ...]
    bbox: tuple[float, float, float, float]
    attribution: str


@lru_cache(maxsize=4)
def _load(path: Path, mtime_ns: int) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def basemap_geojson(path: Path | None = None) -> dict[str, Any]:
    """The base map as a GeoJSON FeatureCollection (a fresh copy, safe to change).

    Each feature has a `layer` property: "land" (with `country` CN or RU), "water", "border",
    or "label" (with `label` river or town and `name:zh`, `name:ru`, `name:en`).
    """
    path = path or region.data_file(FILE)
    return copy.deepcopy(_load(path, path.stat().st_mtime_ns))


def _rings(geometry: dict[str, Any]) -> list[tuple[tuple[tuple[float, float], ...], ...]]:
    """Polygons of a (Multi)Polygon as rings of (lat, lon)."""
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    return [
        tuple(tuple((lat, lon) for lon, lat in ring) for ring in polygon) for polygon in polygons
    ]


def _lines(geometry: dict[str, Any]) -> list[tuple[tuple[float, float], ...]]:
    lines = geometry["coordinates"]
    if geometry["type"] == "LineString":
        lines = [lines]
    return [tuple((lat, lon) for lon, lat in line) for line in lines]


def basemap_shapes(path: Path | None = None) -> BasemapShapes:
    """The base map's geometry in the planner's (lat, lon) order, for the printed maps."""
    path = path or region.data_file(FILE)
    data = _load(path, path.stat().st_mtime_ns)
    land: dict[str, list] = {}
    water: list = []
    border: list = []
    labels: list[BasemapLabel] = []
    for feature in data["features"]:
        props, geometry = feature["properties"], feature["geometry"]
        layer = props["layer"]
        if layer == "land":
            land.setdefault(props["country"], []).extend(_rings(geometry))
        elif layer == "water":
            water.extend(_rings(geometry))
        elif layer == "border":
            border.extend(_lines(geometry))
        elif layer == "label":
            lon, lat = geometry["coordinates"]
            name = LocalizedName(zh=props["name:zh"], ru=props["name:ru"], en=props["name:en"])
            labels.append(BasemapLabel(props["label"], lat, lon, name))
    return BasemapShapes(
        land={country: tuple(rings) for country, rings in land.items()},
        water=tuple(water),
        border=tuple(border),
        labels=tuple(labels),
        bbox=tuple(data["bbox"]),  # type: ignore[arg-type]
        attribution=ATTRIBUTION,
    )


# --- Regenerating data/basemap.geojson (needs shapely and npm; not used by the app) ---------

# Metres per degree near 50 N, for a local plane in which buffers are in metres.
_M_PER_DEG_LAT = 111_230.0
_M_PER_DEG_LON = 111_320.0 * math.cos(math.radians(50.25))


def _to_metres(geom):
    import shapely

    return shapely.transform(geom, lambda xy: xy * [_M_PER_DEG_LON, _M_PER_DEG_LAT])


def _to_degrees(geom):
    import shapely

    return shapely.transform(geom, lambda xy: xy / [_M_PER_DEG_LON, _M_PER_DEG_LAT])


def _npm_file(package: str, member: str, workdir: Path) -> Path:
    """Download *package* with `npm pack` (the registry only) and extract *member*."""
    workdir.mkdir(parents=True, exist_ok=True)
    out = subprocess.run(
        ["npm", "pack", "--silent", package],
        cwd=workdir,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-1]
    with tarfile.open(workdir / out) as tar:
        tar.extract(f"package/{member}", workdir, filter="data")
    return workdir / "package" / member


def build_basemap(rivers_file: Path, borders_file: Path) -> dict[str, Any]:
    """Cut the base map from the two packages' files: water, border, land, labels.

    Each source is clipped to BBOX first (the world-wide polygons are slow to repair whole).
    Water = the OSM river areas joined with the border line buffered by 350 m (the border
    runs mid-Amur, which is 0.7-1 km wide here, and the generalised river areas have gaps
    right between the two cities), closed by 250 m, simplified by 50 m, bits under 1.5 km²
    dropped. Border = the China outline inside the box. Land = the China and Russia polygons.
    """
    import shapely
    from shapely.geometry import box, mapping, shape

    west, south, east, north = BBOX
    frame = box(*BBOX)

    def clipped(geometry: dict[str, Any]):
        return shapely.make_valid(shapely.clip_by_rect(shape(geometry), *BBOX))

    rivers = json.loads(rivers_file.read_text(encoding="utf-8"))
    river_geoms = rivers.get("geometries") or [f["geometry"] for f in rivers.get("features", [])]
    water = shapely.unary_union([clipped(g) for g in river_geoms])
    borders = json.loads(borders_file.read_text(encoding="utf-8"))
    countries = {
        f["properties"]["isoA2"]: shapely.unary_union(
            [clipped(g) for g in f["geometry"].get("geometries", [f["geometry"]])]
        )
        for f in borders["features"]
        if f["properties"].get("isoA2") in ("CN", "RU")
    }
    # The China outline minus the frame's own edges is the state border.
    border = countries["CN"].boundary.difference(frame.exterior.buffer(1e-7))
    border = shapely.line_merge(border).simplify(0.0002)

    water_m = shapely.unary_union([_to_metres(water), _to_metres(border).buffer(350)])
    water_m = water_m.buffer(250).buffer(-250).simplify(50)
    pieces = getattr(water_m, "geoms", [water_m])
    water = _to_degrees(shapely.unary_union([p for p in pieces if p.area >= 1.5e6]))
    water = shapely.clip_by_rect(water, *BBOX)

    def rounded(geom) -> dict[str, Any]:
        return mapping(shapely.set_precision(geom, 1e-5))

    features: list[dict[str, Any]] = []
    for country in ("CN", "RU"):
        land = _to_degrees(_to_metres(countries[country]).simplify(100))
        features.append(_feature({"layer": "land", "country": country}, rounded(land)))
    features.append(_feature({"layer": "water"}, rounded(water)))
    features.append(_feature({"layer": "border"}, rounded(border)))
    for kind, lat, lon, name in labels():
        props = {"layer": "label", "label": kind}
        props.update({f"name:{k}": v for k, v in name.as_dict().items()})
        features.append(_feature(props, {"type": "Point", "coordinates": [lon, lat]}))
    return {
        "type": "FeatureCollection",
        "bbox": [west, south, east, north],
        "basemap": {
            "attribution": ATTRIBUTION,
            "licence": "ODbL 1.0 (https://opendatacommons.org/licenses/odbl/1-0/)",
            "sources": [RIVERS_PACKAGE, BORDERS_PACKAGE],
            "generator": "python -m planner.basemap",
        },
        "features": features,
    }


def _feature(properties: dict[str, Any], geometry: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def main(argv: list[str] | None = None) -> None:
    """Regenerate data/basemap.geojson from the npm packages (or from files already unpacked)."""
    parser = argparse.ArgumentParser(prog="python -m planner.basemap", description=main.__doc__)
    parser.add_argument("--rivers", type=Path, help=f"map.geo.json of {RIVERS_PACKAGE}")
    parser.add_argument("--borders", type=Path, help=f"borders.geo.json of {BORDERS_PACKAGE}")
    parser.add_argument("-o", "--output", type=Path, default=BASEMAP_PATH)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        rivers = args.rivers or _npm_file(RIVERS_PACKAGE, "map.geo.json", Path(tmp) / "r")
        borders = args.borders or _npm_file(BORDERS_PACKAGE, "borders.geo.json", Path(tmp) / "b")
        data = build_basemap(rivers, borders)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    args.output.write_text(text + "\n", encoding="utf-8")
    print(f"{args.output}: {len(text) // 1024} kB, {len(data['features'])} features")


if __name__ == "__main__":
    main()
