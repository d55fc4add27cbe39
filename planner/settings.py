"""Every setting, declared once (name, default, type, help), and the one place that reads the
environment (Datasette's habit: tests/test_settings.py checks README.md's table against this)."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PREFIX = "PLANNER_"


@dataclass(frozen=True)
class Setting:
    """One environment variable: `PLANNER_<key>` is the app's config key `<key>`."""

    name: str
    default: Any  # None: unset (or computed where it is used, as the help says)
    type: type
    help: str

    @property
    def key(self) -> str:
        return self.name.removeprefix(PREFIX)


RATE_LIMIT = "a Flask-Limiter rate limit, checked at start-up"

SETTINGS: tuple[Setting, ...] = (
    Setting("PLANNER_TILES", "on", str, "`none` turns map tiles off (base map only)"),
    Setting(
        "PLANNER_TILE_URL",
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        str,
        "map tile URL template",
    ),
    Setting("PLANNER_TILE_ATTRIBUTION", "© OpenStreetMap contributors", str, "tile attribution"),
    Setting(
        "PLANNER_TILE_ATTRIBUTION_URL",
        "https://www.openstreetmap.org/copyright",
        str,
        "the page the attribution links to",
    ),
    Setting("PLANNER_TILE_DATUM", "wgs84", str, "`gcj02` for Chinese tile services"),
    Setting(
        "PLANNER_GEOCODER", None, str, "address look-up service (web: none; command: nominatim)"
    ),
    Setting("PLANNER_GEOCODER_USER_AGENT", None, str, "user agent sent to the geocoder"),
    Setting("PLANNER_DATABASE_URL", None, str, "saved plans; unset: see database_url()"),
    Setting("PLANNER_DATA_DIR", None, str, "the region's data folder; unset: data/"),
    Setting(
        "PLANNER_CATALOGUE_PATH",
        None,
        str,
        "the catalogue; unset: <data folder>/attractions.geojson",
    ),
    Setting("PLANNER_SECRET_KEY", None, str, "session key; unset: instance/secret_key"),
    Setting("PLANNER_PLAN_TIME_LIMIT", 2.0, float, "cap on a plan's wall time (seconds)"),
    Setting("PLANNER_BATCH_KEEP_DAYS", 7, float, "days a batch job is kept"),
    Setting("PLANNER_QUEUE_URL", "", str, "job queue (file path or redis:// URL)"),
    Setting("PLANNER_JOB_STALE_SECONDS", 300, float, "a batch untouched this long is resumed"),
    Setting("PLANNER_PDF_CACHE_MB", 200, float, "size bound of the PDF cache"),
    Setting("PLANNER_PDF_CACHE_DAYS", 7, float, "age bound of the PDF cache"),
    Setting("PLANNER_PDF_CACHE_DIR", None, str, "PDF cache folder; unset: instance/pdf-cache"),
    Setting("PLANNER_RATELIMIT_ADMIN_LOGIN", "10 per minute; 50 per hour", str, RATE_LIMIT),
    Setting("PLANNER_RATELIMIT_ADMIN_LOCKOUT", "5 per 15 minutes", str, RATE_LIMIT),
    Setting("PLANNER_ADMIN_TOKEN", None, str, "agency administrator's token (16+ characters)"),
    Setting("PLANNER_FIELD_REVIEWS_PATH", None, str, "pending field reviews (JSON lines)"),
    Setting("PLANNER_EXCHANGE_RATE_RUB_PER_CNY", None, float, "overrides the budget rate"),
    Setting("PLANNER_EXCHANGE_RATE_DATE", None, str, "the date of that rate (YYYY-MM-DD)"),
    Setting("PLANNER_RATELIMIT_ENABLED", None, bool, "rate limits on (default: unless testing)"),
    Setting("PLANNER_RATELIMIT_STORAGE_URI", "memory://", str, "Flask-Limiter's store"),
    Setting("PLANNER_RATELIMIT_PLAN_CREATE", "10 per minute; 100 per hour", str, RATE_LIMIT),
    Setting("PLANNER_RATELIMIT_BATCH_UPLOAD", "5 per minute; 30 per hour", str, RATE_LIMIT),
    Setting("PLANNER_RATELIMIT_PDF", "10 per minute; 60 per hour", str, RATE_LIMIT),
    Setting("PLANNER_RATELIMIT_GEOCODE", "20 per minute; 200 per hour", str, RATE_LIMIT),
    Setting("PLANNER_RATELIMIT_PLAN_EDIT", "20 per minute; 200 per hour", str, RATE_LIMIT),
    Setting("PLANNER_MAX_REVISIONS", 20, int, "revisions kept per plan (2 to 1000)"),
    Setting("PLANNER_RATELIMIT_BATCH_STATUS", "120 per minute", str, RATE_LIMIT),
    Setting("PLANNER_SECURE_COOKIES", "off", str, "`on`: cookies always Secure"),
    Setting("PLANNER_HSTS", "auto", str, "HSTS: auto (https only), on or off"),
    Setting("PLANNER_HSTS_MAX_AGE", None, int, "HSTS max-age (default one year)"),
    Setting("PLANNER_PROXIES", None, int, "reverse proxies in front (ProxyFix hops)"),
    Setting("PLANNER_TRUSTED_HOSTS", None, str, "Host headers answered; unset: local hosts"),
    Setting("PLANNER_PUBLIC_URL", None, str, "the site's public address"),
    Setting("PLANNER_PDF_RENDER_SECONDS", None, float, "a PDF render's time bound (60; 0: none)"),
    Setting("PLANNER_PDF_MAX_MB", None, float, "a PDF's size bound (default 20)"),
    Setting("PLANNER_PDF_MAX_DAYS", None, int, "print cap: days in a PDF (default 14)"),
    Setting("PLANNER_PDF_MAX_PASSENGERS", None, int, "print cap: passengers (default 60)"),
    Setting("PLANNER_PDF_MAX_NOTE_CHARS", None, int, "print cap: note length (default 2000)"),
    Setting("PLANNER_SOLVER_SLOTS", None, int, "plans made at once (default: cores - 1)"),
    Setting("PLANNER_WORKER_NICE", 0, int, "queue consumer's CPU niceness (0 to 19)"),
    Setting("PLANNER_TEST_DATABASE_URL", None, str, "tests only: also run on this PostgreSQL"),
    Setting("REQUIRE_POSTGRES", None, str, "tests only: `1` fails when PostgreSQL is missing"),
    Setting("PLANNER_TEST_REDIS_URL", None, str, "tests only: also run on this Redis"),
    Setting("REQUIRE_REDIS", None, str, "tests only: `1` fails when Redis is missing"),
)

BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}

# Settings the web app starts from (its config keys), before the environment and test_config.
APP_DEFAULTS: dict[str, Any] = {
    s.key: s.default
    for s in SETTINGS
    if s.name.startswith(PREFIX) and s.default is not None and "RATELIMIT_" not in s.name
}
LIMIT_DEFAULTS: dict[str, str] = {s.key: s.default for s in SETTINGS if s.help == RATE_LIMIT}


def value(name: str, environ: Mapping[str, str] | None = None) -> str:
    """The raw text of a declared setting ('' when unset); the only read of the environment."""
    if name not in BY_NAME:
        raise KeyError(f"{name} is not a declared setting (planner/settings.py)")
    return (os.environ if environ is None else environ).get(name, "").strip()


def from_environ(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The declared PLANNER_* settings that are set, as config keys; values are parsed as JSON
    where they are JSON (as Flask's from_prefixed_env does), else kept as text."""
    env = os.environ if environ is None else environ
    config: dict[str, Any] = {}
    for setting in SETTINGS:
        if not setting.name.startswith(PREFIX) or setting.name not in env:
            continue
        text = env[setting.name]
        try:
            config[setting.key] = json.loads(text)
        except ValueError:
            config[setting.key] = text
    return config


def database_url(instance_dir: Path, environ: Mapping[str, str] | None = None) -> str:
    """PLANNER_DATABASE_URL, else SQLite in the instance folder (the app's and every command's)."""
    return value("PLANNER_DATABASE_URL", environ) or f"sqlite:///{instance_dir / 'planner.sqlite3'}"
