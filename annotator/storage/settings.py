"""Project settings and the label schema: what every part of the program reads at start."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from annotator.core.errors import SchemaError
from annotator.core.schema import LabelSchema, default_schema
from annotator.storage.orm import LabelSchemaRow, Setting
from annotator.storage.unit import Unit


class Settings(Unit):
    """Key/value settings and the versioned label schema."""

    def get_setting(self, key: str, default: Any = None) -> Any:
        row = self.session.get(Setting, key)
        return default if row is None else row.value.get("value", default)

    def set_setting(self, key: str, value: Any) -> None:
        row = self.session.get(Setting, key)
        if row is None:
            # A savepoint for the same reason as in _add_annotator: another client may store
            # the key first; then this value replaces it, as it would have a moment later.
            try:
                with self.session.begin_nested():
                    self.session.add(Setting(key=key, value={"value": value}))
                return
            except IntegrityError:
                row = self.session.get(Setting, key)
                if row is None:
                    raise
        row.value = {"value": value}

    def schema(self) -> LabelSchema:
        row = self.session.scalar(
            select(LabelSchemaRow).order_by(LabelSchemaRow.version.desc()).limit(1)
        )
        if row is None:
            return default_schema()
        try:
            return LabelSchema.from_dict(row.schema)
        except SchemaError as exc:
            raise SchemaError(f"schema version {row.version} in the project: {exc}") from exc

    def save_schema(self, schema: LabelSchema) -> LabelSchema:
        latest = self.session.scalar(select(func.max(LabelSchemaRow.version))) or 0
        data = schema.to_dict()
        data["version"] = latest + 1
        self.session.add(LabelSchemaRow(version=latest + 1, schema=data))
        self.session.flush()
        return LabelSchema.from_dict(data)
