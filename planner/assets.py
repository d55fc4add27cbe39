"""Front-end assets served by the app itself, never from a CDN.

The files come from pinned XStatic packages on PyPI and are copied at set-up into
static/vendor/<lib>-<version>/ so the version is part of every URL (Datasette's habit).
folium refers to its assets by name; `asset_paths` resolves those names to our copies and
refuses a name it does not know, so a new folium plugin cannot silently pull from a CDN.
"""

from __future__ import annotations

import importlib
import shutil
from dataclasses import dataclass
from pathlib import Path

from planner.errors import PlannerError
from planner.resources import STATIC

STATIC_DIR = STATIC
VENDOR_DIR = STATIC_DIR / "vendor"


@dataclass(frozen=True)
class VendoredLib:
    """One XStatic package and the files of it that pages use."""

    module: str
    files: tuple[str, ...]

    def _pkg(self):
        return importlib.import_module(self.module)

    @property
    def folder(self) -> str:
        pkg = self._pkg()
        return f"{pkg.NAME}-{pkg.VERSION}"

    @property
    def source_dir(self) -> Path:
        return Path(self._pkg().BASE_DIR)


LIBS: dict[str, VendoredLib] = {
    "leaflet": VendoredLib("xstatic.pkg.leaflet", ("leaflet.js", "leaflet.css", "images")),
    "jquery": VendoredLib("xstatic.pkg.jquery", ("jquery.min.js",)),
    "markercluster": VendoredLib(
        "xstatic.pkg.leaflet_markercluster",
        ("leaflet.markercluster.js", "MarkerCluster.css", "MarkerCluster.Default.css"),
    ),
}

# folium's asset names -> (library, file). Names folium uses that a page of ours never needs
# (bootstrap, awesome markers, glyphicons) map to None: those elements are not used.
FOLIUM_ASSETS: dict[str, tuple[str, str] | None] = {
    "leaflet": ("leaflet", "leaflet.js"),
    "leaflet_css": ("leaflet", "leaflet.css"),
    "jquery": ("jquery", "jquery.min.js"),
    "markerclusterjs": ("markercluster", "leaflet.markercluster.js"),
    "markerclustercss": ("markercluster", "MarkerCluster.css"),
    "markerclusterdefaultcss": ("markercluster", "MarkerCluster.Default.css"),
    "bootstrap": None,
    "bootstrap_css": None,
    "glyphicons_css": None,
    "awesome_markers": None,
    "awesome_markers_font_css": None,
    "awesome_markers_css": None,
    "awesome_rotate_css": None,
}


class UnknownAssetError(PlannerError, LookupError):
    """folium asked for an asset that is not vendored."""


def vendor_url_path(lib: str, filename: str) -> str:
    """Path under static/ of a vendored file, e.g. 'vendor/leaflet-1.9.3/leaflet.js'."""
    return f"vendor/{LIBS[lib].folder}/{filename}"


def asset_paths(names: list[str]) -> list[str]:
    """Static paths for folium asset *names*, in order, without duplicates."""
    paths: list[str] = []
    for name in names:
        if name not in FOLIUM_ASSETS:
            raise UnknownAssetError(
                f"folium asset {name!r} is not vendored (see planner/assets.py)"
            )
        target = FOLIUM_ASSETS[name]
        if target is not None:
            path = vendor_url_path(*target)
            if path not in paths:
                paths.append(path)
    return paths


def install_vendor_assets(vendor_dir: Path = VENDOR_DIR) -> list[Path]:
    """Copy each library's files into vendor_dir/<lib>-<version>/; quick when already there."""
    written: list[Path] = []
    for lib in LIBS.values():
        target = vendor_dir / lib.folder
        for name in lib.files:
            src, dst = lib.source_dir / name, target / name
            if dst.exists():
                continue
            dst.parent.mkdir(parents=True, exist_ok=True)
            if src.is_dir():
                shutil.copytree(src, dst)
            else:
                shutil.copy2(src, dst)
            written.append(dst)
    return written
