"""The app's access to the catalogue: loaded once per file version by the core's cache."""

from __future__ import annotations

from pathlib import Path

from flask import current_app

from planner.catalogue import Catalogue, load_catalogue
from planner.maps import TileConfig


def catalogue() -> Catalogue:
    return load_catalogue(Path(current_app.config["CATALOGUE_PATH"]))


def tiles() -> TileConfig | None:
    url = current_app.config.get("TILE_URL") or ""
    if not url:
        return None
    return TileConfig(url=url, attribution=current_app.config.get("TILE_ATTRIBUTION") or "")
