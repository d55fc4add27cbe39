"""The app's plan store: opened (and migrated) once at start, shared by pages and API."""

from __future__ import annotations

from flask import Flask, current_app, request

from planner.storage import PlanStore, open_store


def init_app(app: Flask) -> None:
    app.extensions["plan_store"] = open_store(
        app.config["DATABASE_URL"], int(app.config["MAX_REVISIONS"])
    )


def store() -> PlanStore:
    return current_app.extensions["plan_store"]


def bearer_token() -> str | None:
    """The edit token of an API call: `Authorization: Bearer <token>` or `X-Edit-Token`."""
    auth = request.headers.get("Authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip() or None
    return request.headers.get("X-Edit-Token") or None
