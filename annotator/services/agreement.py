"""Inter-annotator agreement of a project: which documents count, loaded in batches, computed
by :mod:`annotator.core.agreement`.

A document counts when at least two annotators marked it done (or, with
``include_unfinished``, done or in progress); the reserved ``gold`` layer is never one of them
unless named in ``annotators``. Each batch of documents costs one query per table (texts,
spans), takes its tokens from the project's token cache (tokenizing and keeping those it does
not have yet, like the exports), is added to the running tallies and dropped, so memory stays
flat apart from one small row per document.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from annotator.core.agreement import (
    AgreementAccumulator,
    AgreementReport,
    AnnotatorWork,
    ClaimMark,
    DocumentInput,
    Mark,
)
from annotator.core.errors import AnnotatorError
from annotator.core.model import GOLD_ANNOTATOR, ClaimDetails, Layer, Status
from annotator.core.progress import CancelToken, ProgressCallback, no_progress
from annotator.services.stored_tokens import stored_tokens
from annotator.storage.agreement_queries import MarkRow, marks_by_documents, shared_documents
from annotator.storage.database import Database

#: Documents read, tokenized and counted per batch.
BATCH = 200
ENTITY = Layer.ENTITY.value


@dataclass(frozen=True, slots=True)
class AgreementOptions:
    #: Only these annotators (None: every annotator but gold).
    annotators: tuple[str, ...] | None = None
    #: Count documents in progress as well as done ones.
    include_unfinished: bool = False


def compute_agreement(
    db: Database,
    options: AgreementOptions = AgreementOptions(),
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> AgreementReport:
    """The project's agreement report (see :mod:`annotator.core.agreement` for the figures)."""
    statuses = {Status.DONE}
    if options.include_unfinished:
        statuses.add(Status.IN_PROGRESS)
    with db.read() as store:
        if options.annotators is not None:
            known = set(store.annotators())
            unknown = [name for name in options.annotators if name not in known]
            if unknown:
                raise AnnotatorError(
                    f"no annotator named {', '.join(map(repr, unknown))} in this project "
                    f"(annotators: {', '.join(sorted(known)) or 'none'})"
                )
        exclude: Collection[str] = () if options.annotators is not None else (GOLD_ANNOTATOR,)
        plan = shared_documents(store, statuses, only=options.annotators, exclude=exclude)
    total = len(plan)
    accumulator = AgreementAccumulator()
    progress(0, total, "Computing agreement")
    for first in range(0, total, BATCH):
        if cancel is not None:
            cancel.check()
        batch = plan[first : first + BATCH]
        ids = [document_id for document_id, _ in batch]
        with db.read() as store:
            documents = {d.id: d for d in store.documents_by_ids(ids)}
            spans = marks_by_documents(store, ids)
        present = [(i, names) for i, names in batch if i in documents]
        texts = [documents[i].text for i, _ in present]
        tokens = stored_tokens(db, texts, batch=BATCH)
        for (document_id, names), tokenized in zip(present, tokens, strict=True):
            document = documents[document_id]
            accumulator.add(
                DocumentInput(
                    document_id=document_id,
                    title=document.title,
                    tokens=tuple(zip(tokenized.starts, tokenized.ends, strict=True)),
                    work=tuple(_work(name, spans.get(document_id, ())) for name in names),
                )
            )
        progress(min(first + BATCH, total), total, "Computing agreement")
    return accumulator.report()


def _work(annotator: str, spans: Sequence[MarkRow]) -> AnnotatorWork:
    """One annotator's marks in a document; claimants become the claimant span's offsets
    and label (ids are per annotator and never compared)."""
    mine = [s for s in spans if s.annotator == annotator]
    by_id = {s.span_id: s for s in mine}
    entities: list[Mark] = []
    claims: list[ClaimMark] = []
    for span in mine:
        if span.layer == ENTITY:
            entities.append(Mark(span.start, span.end, span.label))
            continue
        claimant = by_id.get(span.claimant_id) if span.claimant_id is not None else None
        claims.append(
            ClaimMark(
                span.start,
                span.end,
                span.label,
                # A claim row without its details reads as the default ones.
                span.claim_type if span.claim_type is not None else ClaimDetails().claim_type,
                bool(span.hedged),
                None if claimant is None else (claimant.start, claimant.end, claimant.label),
            )
        )
    return AnnotatorWork(annotator, tuple(entities), tuple(claims))
