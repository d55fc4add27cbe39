"""`python -m planner setup`: the app's one-time set-up, idempotent and quick when done."""

from __future__ import annotations

import secrets
from pathlib import Path

import click

from planner.assets import install_vendor_assets
from planner.resources import INSTANCE
from planner.settings import database_url
from planner.storage import init_db


@click.command("setup")
@click.option("--instance", "instance_dir", type=click.Path(path_type=Path), default=None)
def command(instance_dir: Path | None) -> None:
    """Vendor the front-end assets, create instance/ with a secret key and the database."""
    instance_dir = instance_dir or INSTANCE
    written = install_vendor_assets()
    instance_dir.mkdir(parents=True, exist_ok=True)
    key_file = instance_dir / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    # The same database as the app: PLANNER_DATABASE_URL, else SQLite in instance/.
    url = database_url(instance_dir)
    init_db(url).dispose()
    where = url.split("@")[-1]  # never echo a password
    click.echo(
        f"assets: {len(written)} file(s) copied; instance: {instance_dir}; database: {where}"
    )
