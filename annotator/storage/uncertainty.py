"""Which unfinished document the suggesters are least sure about: the order "Done, next"
follows when the project setting ``annotate.uncertain_first`` is on (the idea of Prodigy's
and INCEpTION's active-learning streams).

A document's uncertainty is the mean margin ``|score - 0.5|`` of its stored suggestions, of
every suggester and layer: the smaller, the less sure. Every suggester's score is a
probability-like value in 0..1: the trained model's is the held-out precision of the label it
proposes (it gives no per-span probability), the gazetteer's how consistently a text was
confirmed with that label, the rules' and claim cues' a confidence per pattern. All of them
count, not the model's alone, because the model's score varies only with the label: a document
full of texts confirmed one way and the other, or of labels the model gets right half the time,
comes first; one whose suggestions are all near-certain comes last. One grouped query over the
suggestions table (indexed by document) on the database worker: no text is read.

Documents without stored suggestions have no score; the caller takes them afterwards, in order.
"""

from __future__ import annotations

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased

from annotator.core.model import Status
from annotator.storage.orm import DocumentStatusRow, SuggestionRow
from annotator.storage.store import Store

#: Statuses that still need the annotator (a document never opened has none: new).
_OPEN = (Status.NEW.value, Status.IN_PROGRESS.value)


def least_certain(store: Store, annotator: str, *, besides: int | None = None) -> int | None:
    """The unfinished document (for ``annotator``) with the smallest mean margin of its stored
    suggestions, ties broken by id; ``besides`` is never returned; None when no unfinished
    document has a stored suggestion."""
    annotator_id = store.existing_annotator_id(annotator)
    state = aliased(DocumentStatusRow)
    margin = func.avg(func.abs(SuggestionRow.score - 0.5))
    query = (
        select(SuggestionRow.document_id)
        .outerjoin(
            state,
            and_(
                state.document_id == SuggestionRow.document_id,
                state.annotator_id == annotator_id,
            ),
        )
        .where(or_(state.status.is_(None), state.status.in_(_OPEN)))
        .group_by(SuggestionRow.document_id)
        .order_by(margin, SuggestionRow.document_id)
        .limit(1)
    )
    if besides is not None:
        query = query.where(SuggestionRow.document_id != besides)
    return store.session.scalar(query)
