"""The database schema's history, as Alembic migrations, shipped inside the package (stylebot.migrate)."""
