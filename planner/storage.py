"""Saved itineraries: SQLAlchemy Core, SQLite in instance/ by default, any URL by setting."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, MetaData, String, Table, Text, create_engine
from sqlalchemy.engine import Engine

metadata = MetaData()

saved_itineraries = Table(
    "saved_itineraries",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("title", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("request_json", Text, nullable=False),
    Column("itinerary_json", Text, nullable=False),
)


def init_db(url: str) -> Engine:
    """Create the tables that do not exist yet; existing rows are never touched."""
    engine = create_engine(url)
    metadata.create_all(engine)
    return engine
