"""Alembic environment: run on the connection `planner.storage.migrate` hands over.

`alembic -c alembic.ini upgrade head` is not needed: the app and `python -m planner setup`
migrate on start. For autogenerate, pass a connection the same way.
"""

from alembic import context

from planner.store_schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only the programmatic path is supported
    raise RuntimeError("run migrations through planner.storage.migrate(engine)")

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
