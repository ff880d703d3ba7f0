"""every document has an id

Documents imported without an id were exported under their row number, which could equal
another document's given id ("2"): exports then held one id twice. Each such document now
gets the id it would get if imported today (``sha256-`` and 16 hex digits of its text, more
digits if a file gave that string to another document); see annotator.core.document_ids.

The rule is copied here rather than imported, so that this revision does what it did when
it was released even if the application's rule changes later.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_PREFIX = "sha256-"
_BATCH = 1000


def upgrade() -> None:
    conn = op.get_bind()
    documents = sa.table(
        "documents",
        sa.column("id", sa.Integer),
        sa.column("external_id", sa.String),
        sa.column("sha256", sa.String),
    )
    missing = conn.execute(
        sa.select(documents.c.id, documents.c.sha256)
        .where(documents.c.external_id.is_(None))
        .order_by(documents.c.id)
    ).all()
    if not missing:
        return
    # Only ids in the made form can clash with a made id; a project has few of them.
    taken = set(
        conn.execute(
            sa.select(documents.c.external_id).where(documents.c.external_id.like(_PREFIX + "%"))
        ).scalars()
    )
    updates = []
    for row_id, digest in missing:
        made = _made_id(digest, taken)
        taken.add(made)
        updates.append({"row_id": row_id, "made": made})
    statement = (
        sa.update(documents)
        .where(documents.c.id == sa.bindparam("row_id"))
        .values(external_id=sa.bindparam("made"))
    )
    for start in range(0, len(updates), _BATCH):
        conn.execute(statement, updates[start : start + _BATCH])


def _made_id(digest: str, taken: set[str]) -> str:
    for candidate in (_PREFIX + digest[:16], _PREFIX + digest):
        if candidate not in taken:
            return candidate
    counter = 2
    while f"{_PREFIX}{digest}-{counter}" in taken:
        counter += 1
    return f"{_PREFIX}{digest}-{counter}"


def downgrade() -> None:
    # The made ids are kept: they are in exports already, and a NULL id says nothing more.
    pass
