"""Every size limit of the project, in one place, the same on SQLite and PostgreSQL.

The ORM declares its bounded columns with these numbers and the importers check each record
against them before anything is written, so a value that PostgreSQL would refuse (``VARCHAR(n)``
counts characters) is refused on SQLite too, per record, with its file, line and field named,
instead of failing a whole batch on one backend and passing on the other.

Lengths are in characters (Unicode code points, what ``len`` counts and what ``VARCHAR(n)``
counts on PostgreSQL); sizes are in bytes.
"""

from __future__ import annotations

#: One text file, one line of a record file (JSONL, CSV) and one document's text, in bytes of
#: UTF-8. An article is kilobytes; 50 MB is a corpus dump, not a document. Readers read at most
#: this many bytes plus one, so an endless input is refused at this size instead of filling
#: memory.
MAX_FILE_BYTES = 50 * 1024 * 1024

#: A document's id (``documents.external_id``).
MAX_ID_CHARS = 500
#: A document's source (``documents.source``, ``terms.source``).
MAX_SOURCE_CHARS = 500
#: A span, suggestion, decision or term label.
MAX_LABEL_CHARS = 100
#: An annotator's name (``annotators.name``, ``events.annotator``).
MAX_ANNOTATOR_CHARS = 200
#: Where a span came from: ``manual`` or ``suggested:<suggester>``.
MAX_ORIGIN_CHARS = 200
#: The id a span had in the file it was imported from (kept for round trips).
MAX_SPAN_REF_CHARS = 200
#: A claim type (one of a fixed list; the column is bounded all the same).
MAX_CLAIM_TYPE_CHARS = 40
#: A suggester's name and its version string.
MAX_SUGGESTER_CHARS = 100
#: Why a range of a document is ignored (``boilerplate`` unless a file says otherwise).
MAX_IGNORED_REASON_CHARS = 100
#: A gazetteer term.
MAX_TERM_CHARS = 500
#: A title longer than this is cut, not refused: a file without line breaks would otherwise
#: make its whole text the title, and the document list shows titles on one line.
MAX_TITLE_CHARS = 500

#: Columns that only the application writes, never an imported file.
MAX_SETTING_KEY_CHARS = 100
MAX_EVENT_KIND_CHARS = 50
MAX_MODEL_KIND_CHARS = 50


def over_limit(value: str, limit: int) -> str | None:
    """Why ``value`` is too long for a column of ``limit`` characters, or ``None``."""
    if len(value) <= limit:
        return None
    return f"is {len(value)} characters long; the limit is {limit}"
