"""The only home of SQLAlchemy and Alembic: engine, ORM models, repositories, migrations."""
