"""The web app: an app factory and thin blueprints over the pure planning core."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from flask import Flask

from planner.resources import INSTANCE, STATIC, TEMPLATES, TRANSLATIONS


def _secret_key(instance_path: Path) -> str:
    """The key generated at set-up in instance/secret_key (made now if set-up was skipped)."""
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _choose_region(app: Flask, region: Any, catalogue_file: str) -> None:
    """The app's region: DATA_DIR (PLANNER_DATA_DIR, or a test's config) is made the region of
    every request of this app, and CATALOGUE_PATH defaults to its attractions.geojson."""
    from flask import g

    configured = app.config.get("DATA_DIR")
    folder = Path(configured).resolve() if configured else region.data_dir()
    app.config["DATA_DIR"] = str(folder)
    app.config.setdefault("CATALOGUE_PATH", str(folder / catalogue_file))

    @app.context_processor
    def region_context() -> dict[str, Any]:
        # Templates name the region's cities and say its sentences from data/region.json.
        from planner.web.i18n import current_lang, site_name
        from planner.wording import country_name

        lang = current_lang()
        return {
            "region": region.current(),
            "site_name": site_name,
            "region_country": lambda code: country_name(code, lang),
        }

    if not configured:
        return

    @app.before_request
    def _enter_region() -> None:
        g.region_token = region.choose(folder)

    @app.teardown_request
    def _leave_region(_exc: BaseException | None = None) -> None:
        token = g.pop("region_token", None)
        if token is not None:
            region.unchoose(token)


def _check_data(app: Flask) -> None:
    """Load every data file once at start-up, so a broken file stops the app with its problems
    named (file, feature, field) instead of failing request by request."""
    from planner import region
    from planner.catalogue import load_catalogue
    from planner.crossing import load_crossing_data
    from planner.travel import load_params

    with region.use_region(app.config["DATA_DIR"]):
        load_catalogue(Path(app.config["CATALOGUE_PATH"]))
        load_crossing_data()
        load_params()


def _check_numbers(app: Flask) -> None:
    """Refuse at start-up, by name, a setting that is not a positive number (not at a request)."""
    for key in (
        "PLAN_TIME_LIMIT",
        "BATCH_KEEP_DAYS",
        "JOB_STALE_SECONDS",
        "PDF_CACHE_MB",
        "PDF_CACHE_DAYS",
    ):
        value = app.config[key]
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = float("nan")
        if not (0 < number < float("inf")) or isinstance(value, bool):
            raise RuntimeError(f"PLANNER_{key} must be a positive number, not {value!r}")
        app.config[key] = number
    revisions = app.config["MAX_REVISIONS"]
    if isinstance(revisions, bool) or str(revisions).strip() not in {
        str(n) for n in range(2, 1001)
    }:
        raise RuntimeError(
            f"PLANNER_MAX_REVISIONS must be a whole number from 2 to 1000, not {revisions!r}"
        )
    app.config["MAX_REVISIONS"] = int(str(revisions).strip())


# The hosts `make run` serves (and the test client's): any other Host header is a 400 unless
# PLANNER_TRUSTED_HOSTS names it, so no page, QR code or file carries a Host a client made up.
LOCAL_HOSTS = ["127.0.0.1", "localhost"]


def _trust_hosts(app: Flask) -> None:
    """TRUSTED_HOSTS: the setting (a list, or a comma-separated string; `*` trusts any Host),
    else the local hosts; the host of PLANNER_PUBLIC_URL is always trusted."""
    from urllib.parse import urlsplit

    public = str(app.config.get("PUBLIC_URL") or "").strip()
    public_host = ""
    if public:
        parts = urlsplit(public)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.query:
            raise RuntimeError(
                f"PLANNER_PUBLIC_URL must be an http(s) URL such as https://plan.example.org, "
                f"not {public!r}"
            )
        public_host = parts.hostname
        app.config["PUBLIC_URL"] = public.rstrip("/")
    hosts = app.config.get("TRUSTED_HOSTS")
    if isinstance(hosts, str):
        # PLANNER_TRUSTED_HOSTS='["plan.example.org"]' (JSON) or a comma-separated string.
        hosts = [h.strip() for h in hosts.split(",") if h.strip()]
    if hosts == ["*"]:
        app.config["TRUSTED_HOSTS"] = None
        return
    hosts = list(hosts) if hosts else list(LOCAL_HOSTS)
    if public_host and public_host not in hosts:
        hosts.append(public_host)
    app.config["TRUSTED_HOSTS"] = hosts


def _check_admin_token(app: Flask) -> None:
    """A guessable admin token is refused at start-up (unset: the admin pages are off)."""
    from planner.web.agency import MIN_ADMIN_TOKEN

    token = app.config.get("ADMIN_TOKEN")
    if token and len(str(token)) < MIN_ADMIN_TOKEN:
        raise RuntimeError(
            f"PLANNER_ADMIN_TOKEN must be at least {MIN_ADMIN_TOKEN} characters "
            "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(24))')"
        )


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app; *test_config* overrides everything (Flask tutorial's factory)."""
    from planner import region, settings
    from planner.catalogue import FILE as CATALOGUE_FILE

    app = Flask(
        __name__,
        instance_path=str(INSTANCE),
        instance_relative_config=True,
        template_folder=str(TEMPLATES),
        static_folder=str(STATIC),
    )
    app.config.from_mapping(
        # planner/settings.py declares each setting and its default once (README lists them).
        settings.APP_DEFAULTS,
        DATABASE_URL=settings.database_url(Path(app.instance_path), {}),
        BABEL_TRANSLATION_DIRECTORIES=str(TRANSLATIONS),
        BABEL_DEFAULT_LOCALE="en",
        MAX_CONTENT_LENGTH=256 * 1024,  # a plan request is a few kB; larger bodies are a 413
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session, not one hour
    )
    # PLANNER_TILE_URL, PLANNER_DATABASE_URL, ... from the environment (see README).
    app.config.from_mapping(settings.from_environ())
    if test_config is not None:
        app.config.from_mapping(test_config)
    _choose_region(app, region, CATALOGUE_FILE)
    if app.config.get("PROXIES"):
        # Behind N reverse proxies (nginx): trust their X-Forwarded-For/-Proto/-Host, so that
        # rate limits see the client's address and HSTS sees https.
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    _trust_hosts(app)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(Path(app.instance_path))

    _check_numbers(app)
    _check_admin_token(app)

    # Flask 3 ignores JSON_SORT_KEYS; the provider keeps the documented key order.
    app.json.sort_keys = False  # type: ignore[attr-defined]
    _check_data(app)

    from flask_wtf.csrf import CSRFProtect

    from planner.web import (
        agency,
        api,
        errors,
        field,
        i18n,
        jobs,
        offline,
        openapi,
        pages,
        plan_outputs,
        plan_pages,
        plan_store,
        plans_api,
        security,
        solving,
    )

    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    plan_store.init_app(app)
    solving.init_app(app)
    jobs.configure(app)  # the job queue: batches and PDFs (immediate under TESTING)
    csrf = CSRFProtect(app)
    app.register_blueprint(pages.bp)
    app.register_blueprint(plan_pages.bp)
    app.register_blueprint(plan_outputs.bp)  # files, print, PDF
    app.register_blueprint(api.bp)
    app.register_blueprint(plans_api.bp)
    agency.init_app(app)
    app.register_blueprint(field.bp)  # positions from the field (agency admin)
    app.register_blueprint(openapi.bp)
    app.register_blueprint(offline.bp)  # the web app's manifest and service worker
    # The API authenticates writes with a token header, never a cookie: no CSRF to guard.
    csrf.exempt(api.bp)
    csrf.exempt(plans_api.bp)
    csrf.exempt(openapi.bp)

    @app.get("/favicon.ico")
    def favicon():
        return app.send_static_file("favicon.svg")

    security.init_limits(app)

    return app
