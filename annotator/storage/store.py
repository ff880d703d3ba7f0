"""The store: everything one unit of work may read and write. Implements the core's
``AnnotationStore`` (what commands need) and answers the services' questions.

:class:`Store` is assembled from one class per aggregate, each in a module of its own, all over
the same session (see :class:`~annotator.storage.unit.Unit`), so a command's reads and writes
run in one transaction. To find a method, look in the module of its aggregate:

==========================  ==================================================================
``unit.py``                 the session; annotator names and ids
``settings.py``             settings; the label schema
``event_log.py``            the event log
``documents.py``            documents (import, lookups, batches); ignored ranges
``document_list.py``        the document list: pages, filters, neighbours, search
``spans.py``                spans and claims (what commands edit)
``statuses.py``             each annotator's document status and time spent
``decisions.py``            accept/reject decisions on suggestions
``suggestions.py``          stored suggestions (the suggestion cache)
``terms.py``                gazetteer terms
``models.py``               trained models
``token_cache.py``          token boundaries per text, kept by exports
``new_work.py``             the work of newly imported documents, a batch at a time
==========================  ==================================================================

Queries that serve one feature only are functions taking a store in that feature's module
(``assignments``, ``relabel``, ``adjudication``, ``agreement_queries``, ``overview_queries``,
``project_contents``); see docs/adr/0013-storage-by-aggregate.md.
"""

from __future__ import annotations

from annotator.storage.decisions import Decisions
from annotator.storage.document_list import DocumentList, PageScan
from annotator.storage.documents import Documents
from annotator.storage.event_log import EventLog
from annotator.storage.models import Models, StoredModel
from annotator.storage.new_work import NewState, NewWork, NewWorkWrites
from annotator.storage.settings import Settings
from annotator.storage.spans import Spans
from annotator.storage.statuses import Statuses
from annotator.storage.suggestions import Suggestions
from annotator.storage.terms import Gazetteer, StoredTerm
from annotator.storage.token_cache import TokenCache

#: Values that Store methods return, importable from here with the store itself.
__all__ = ["NewState", "NewWork", "PageScan", "Store", "StoredModel", "StoredTerm"]


class Store(
    Settings,
    EventLog,
    Documents,
    DocumentList,
    Spans,
    Statuses,
    Decisions,
    Suggestions,
    Gazetteer,
    Models,
    TokenCache,
    NewWorkWrites,
):
    """One unit of work over the project database (see the module's table)."""
