"""The app's access to the catalogue: loaded once per file version by the core's cache."""

from __future__ import annotations

from pathlib import Path

from flask import current_app

from planner.catalogue import Catalogue, load_catalogue
from planner.geocoding import Geocoder, geocoder_from_setting
from planner.maps import TileConfig

# PLANNER_TILES values that turn tiles off (the environment gives strings, or JSON false).
_OFF = {"none", "off", "no", "false", "0", ""}


def catalogue() -> Catalogue:
    return load_catalogue(Path(current_app.config["CATALOGUE_PATH"]))


def tiles() -> TileConfig | None:
    """The configured tile server, or None when tiles are off (maps use the offline base map)."""
    config = current_app.config
    switch = config.get("TILES", "on")
    if switch is False or str(switch).strip().lower() in _OFF:
        return None
    url = config.get("TILE_URL") or ""
    if not url:
        return None
    return TileConfig(
        url=url,
        attribution=config.get("TILE_ATTRIBUTION") or "",
        attribution_url=config.get("TILE_ATTRIBUTION_URL") or "",
        datum=str(config.get("TILE_DATUM") or "wgs84").strip().lower(),
    )


def geocoder() -> Geocoder | None:
    """The configured geocoder (PLANNER_GEOCODER: nominatim | none, default none), made once per
    app so its rate limit holds across requests; tests put a fake in config["GEOCODER"]."""
    app = current_app
    setting = app.config.get("GEOCODER", "none")
    cached = app.extensions.get("planner_geocoder")
    if cached is not None and cached[0] is setting:
        return cached[1]
    made = geocoder_from_setting(setting, app.config.get("GEOCODER_USER_AGENT"))
    app.extensions["planner_geocoder"] = (setting, made)
    return made
