"""spaCy DocBin (``.spacy``) for ``spacy train``: one folder of shards per split.

Each ``Doc`` has exactly the document's text (``doc.text == text``: whitespace between the
project's tokens becomes spaCy's trailing spaces or whitespace tokens, as spaCy's own tokenizer
would make them), so ``doc.char_span(start, end)`` finds every exported span with the code-point
offsets of every other format. Sentence starts are the project tokenizer's.

* ``doc.ents``: entities, non-overlapping: the outermost of overlapping ones is kept and the
  others are reported (:func:`annotator.export.alignment.outermost`); nothing is lost, because
* ``doc.spans["entities"]`` holds every entity, ``doc.spans["claims"]`` every claim and
  ``doc.spans["cues"]`` every cue;
* ``doc.user_data`` holds the document id, title, source, annotator, ``"offsets":
  "codepoint"`` and ``"claims"``: per claim its offsets, label, ``type``, ``hedged``, its
  claimant's offsets and label, its cue's offsets and its ``quantities`` (number slots:
  ``[{"figure", "unit", "counted"}]``; spans cannot carry attributes in a DocBin). A DocBin
  keeps user data only when made with ``store_user_data=True``.

A DocBin is compressed as a whole in memory, so a split is written as shards of
:data:`SHARD_DOCS` documents (``docs-00000.spacy``, ...): memory stays flat, and ``spacy
train`` and ``Corpus`` read a folder of ``.spacy`` files as one corpus.
"""

from __future__ import annotations

import contextlib
import operator
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core.model import Layer
from annotator.core.tokens import Tokenized
from annotator.export.alignment import TokenSpan, align, align_spans, outermost
from annotator.export.claims_json import quantities_of
from annotator.export.document import ExportDocument, span_key
from annotator.export.read_back import WrittenPieces
from annotator.export.validation import Findings
from annotator.export.writing import (
    CUE_LABEL,
    OFFSETS,
    ExportContext,
    close_output,
    open_output,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, DocBin
    from spacy.vocab import Vocab

FORMAT = "spacy"
SHARD_DOCS = 1000
SUFFIX = ".spacy"
GROUPS = ("entities", "claims", "cues")
_ATTRS = ["ENT_IOB", "ENT_TYPE", "SENT_START"]
_LABEL = operator.attrgetter("label")


def words_and_spaces(
    text: str, tokens: Tokenized
) -> tuple[list[str], list[bool], list[int], list[bool]]:
    """spaCy ``words``/``spaces`` that rebuild ``text`` exactly, the spaCy index of each of our
    tokens, and sentence starts per word."""
    words: list[str] = []
    spaces: list[bool] = []
    index: list[int] = []
    starts: list[bool] = []
    sentence_starts = {sentence.start for sentence in tokens.sentences}

    def gap(piece: str) -> None:
        if not piece:
            return
        if words and piece[0] == " " and not spaces[-1]:
            spaces[-1] = True
            piece = piece[1:]
        if piece:
            words.append(piece)
            spaces.append(False)
            starts.append(not starts)  # a leading whitespace word starts the first sentence

    position = 0
    # From the offset arrays: no Token object per token.
    for start, end, word in zip(tokens.starts, tokens.ends, tokens.words(text), strict=True):
        gap(text[position:start])
        index.append(len(words))
        words.append(word)
        spaces.append(False)
        starts.append(start in sentence_starts or not starts)
        position = end
    gap(text[position:])
    return words, spaces, index, starts


def make_doc(vocab: Vocab, doc: ExportDocument, tokens: Tokenized, context: ExportContext) -> Doc:
    from spacy.tokens import Doc, Span

    text, key, problems = doc.text, doc.key, context.problems
    context.built.document(key, text, tokens.starts, tokens.ends)
    words, spaces, index, starts = words_and_spaces(text, tokens)
    made = Doc(vocab, words=words, spaces=spaces, sent_starts=starts if words else None)

    def spacy_span(item: TokenSpan) -> Span:
        return Span(made, index[item.first], index[item.last] + 1, label=item.label)

    aligned = align_spans(tokens, doc.spans, text=text, document=key, problems=problems)
    context.built.labels(map(_LABEL, aligned))
    entities = [s for s in aligned if s.span is not None and s.span.layer is Layer.ENTITY]
    claims = [s for s in aligned if s.span is not None and s.span.layer is Layer.CLAIM]
    kept = outermost(
        entities,
        text=text,
        document=key,
        problems=problems,
        where='still in doc.spans["entities"]',
    )
    made.ents = [spacy_span(item) for item in kept]
    made.spans["entities"] = [spacy_span(item) for item in entities]
    made.spans["claims"] = [spacy_span(item) for item in claims]
    by_id = {s.span.id: s for s in entities if s.span is not None}
    cues: list[TokenSpan] = []
    claim_data: list[dict[str, Any]] = []
    for item in claims:
        assert item.span is not None and item.span.claim is not None
        details = item.span.claim
        claimant = by_id.get(details.claimant_id) if details.claimant_id else None
        cue = None
        if details.cue is not None:
            cue = align(
                tokens,
                *details.cue,
                CUE_LABEL,
                text=text,
                document=key,
                problems=problems,
                what="cue",
            )
            if cue is not None:
                cues.append(cue)
        claim_data.append(
            {
                "id": span_key(item.span),
                "start": item.start,
                "end": item.end,
                "label": item.label,
                "type": details.claim_type,
                "hedged": details.hedged,
                "claimant": None
                if claimant is None
                else {"start": claimant.start, "end": claimant.end, "label": claimant.label},
                "cue": None if cue is None else {"start": cue.start, "end": cue.end},
                "quantities": quantities_of(item.span),
            }
        )
    made.spans["cues"] = [spacy_span(item) for item in cues]
    made.user_data.update(
        {
            "id": key,
            "title": doc.document.title,
            "source": doc.document.source,
            "annotator": doc.annotator,
            "offsets": OFFSETS,
            "claims": claim_data,
        }
    )
    return made


#: The token attributes whose strings ``DocBin.add`` keeps (``token.text``, ``tag_``,
#: ``lemma_``, ``norm_``, ``morph``, ``dep_``, ``ent_type_``, ``ent_kb_id_``, ``ent_id_``).
_STRING_ATTRS = ["ORTH", "TAG", "LEMMA", "NORM", "MORPH", "DEP", "ENT_TYPE", "ENT_KB_ID", "ENT_ID"]


def add(bin: DocBin, made: Doc) -> None:
    """``bin.add(made)``, with the strings of its tokens taken from one array of their
    hashes instead of nine attributes of a ``Token`` object per token, which was most of
    ``DocBin.add``'s time (docs/adr/0035-token-format-writing.md). Every other step is
    ``DocBin.add``'s own; a test compares the DocBin's bytes with ``DocBin.add``'s."""
    import numpy
    import srsly
    from spacy.attrs import SPACY

    array = made.to_array(bin.attrs)
    if len(array.shape) == 1:
        array = array.reshape((array.shape[0], 1))
    bin.tokens.append(array)
    spaces = made.to_array(SPACY)
    bin.spaces.append(numpy.asarray(spaces.reshape((spaces.shape[0], 1)), dtype=bool))
    bin.flags.append({"has_unknown_spaces": made.has_unknown_spaces})
    if len(made):
        # Each attribute's string is the string store's entry for its hash (0: "").
        hashes = numpy.unique(made.to_array(_STRING_ATTRS)).tolist()
        bin.strings.update(map(made.vocab.strings.__getitem__, hashes))
    bin.cats.append(made.cats)
    if bin.store_user_data:
        bin.user_data.append(srsly.msgpack_dumps(made.user_data))
    bin.span_groups.append(made.spans.to_bytes())
    strings = made.vocab.strings
    for group in made.spans.values():
        for span in group:
            bin.strings.add(span.label_)
            if span.kb_id in strings:
                bin.strings.add(span.kb_id_)
            if span.id in strings:
                bin.strings.add(span.id_)


class MsgpackHooks:
    """srsly's msgpack encoders and decoders, looked up once and reused while active.

    spaCy packs a Doc's user data and span groups with ``srsly.msgpack_dumps`` (and unpacks
    them with ``msgpack_loads``), and srsly looks its hook registries up again on every call,
    scanning every installed package's entry points: five times per document, which measured
    as most of a DocBin export's and check's time (docs/adr/0028-export-docbin-msgpack-hooks.md).
    The hooks cannot change during an export, so the registries answer from the first lookup
    while :meth:`active`; outside it, srsly works as it always does.
    """

    def __init__(self) -> None:
        from srsly import msgpack

        self.found = [
            (registry, registry.get_all())
            for registry in (msgpack.msgpack_encoders, msgpack.msgpack_decoders)
        ]

    @contextlib.contextmanager
    def active(self) -> Iterator[None]:
        for registry, found in self.found:
            # An instance attribute in front of the class's method; the same hooks, as a copy.
            registry.get_all = partial(dict, found)  # type: ignore[method-assign]
        try:
            yield
        finally:
            for registry, _ in self.found:
                registry.__dict__.pop("get_all", None)


class DocBinWriter:
    """Shards of :data:`SHARD_DOCS` documents in the folder ``path``."""

    def __init__(self, path: Path, context: ExportContext) -> None:
        path.mkdir(parents=True, exist_ok=True)
        self.folder = path
        self.context = context
        self.shard = 0
        self.bin: DocBin | None = None
        self.vocab: Vocab | None = None
        self.count = 0
        self.hooks: MsgpackHooks | None = None
        self.written: list[WrittenPieces] = []

    def write(self, doc: ExportDocument, tokens: Tokenized | None) -> None:
        from spacy.tokens import DocBin
        from spacy.vocab import Vocab

        assert tokens is not None
        if self.bin is None or self.vocab is None:
            # A fresh vocabulary per shard: its strings would otherwise grow with the corpus.
            self.vocab = Vocab()
            self.bin = DocBin(attrs=_ATTRS, store_user_data=True)
        if self.hooks is None:
            self.hooks = MsgpackHooks()
        with self.hooks.active():
            add(self.bin, make_doc(self.vocab, doc, tokens, self.context))
        self.count += 1
        if self.count == SHARD_DOCS:
            self._flush()

    def _flush(self) -> None:
        if self.bin is not None and self.count:
            with self.hooks.active() if self.hooks is not None else contextlib.nullcontext():
                self._save(self.bin)
            self.shard += 1
        self.bin, self.vocab, self.count = None, None, 0

    def _save(self, made: DocBin) -> None:
        """What ``DocBin.to_disk`` writes, synced, and noted for :meth:`read_back`."""
        path = self.folder / f"docs-{self.shard:05d}{SUFFIX}"
        written = WrittenPieces(path)
        handle = open_output(path)
        try:
            handle.write(written.add(made.to_bytes()))
        finally:
            close_output(handle)
        self.written.append(written)

    def close(self) -> None:
        self._flush()
        if self.shard == 0:
            # An empty split is still a corpus spaCy can open (an empty DocBin).
            self._save(DocBinWriter._empty())

    def read_back(self) -> list[str]:
        """Every shard compared with what was written (the shards are spaCy's own bytes)."""
        return [message for written in self.written for message in written.read_back()]

    @staticmethod
    def _empty() -> DocBin:
        from spacy.tokens import DocBin

        return DocBin(attrs=_ATTRS, store_user_data=True)


def check(path: Path) -> list[str]:
    """Load every shard with spaCy's own ``DocBin.from_disk`` (the real consumer), then check
    each doc's user data against its span groups."""
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    findings = Findings()
    shards = sorted(path.glob(f"*{SUFFIX}")) if path.is_dir() else [path]
    if not shards:
        findings.add(str(path), f"no {SUFFIX} files")
    hooks = MsgpackHooks()
    for shard in shards:
        try:
            with hooks.active():
                docs = list(DocBin(store_user_data=True).from_disk(shard).get_docs(Vocab()))
        except Exception as exc:  # whatever spaCy raises on a damaged file
            findings.add(str(shard), f"spaCy cannot read it: {exc}")
            continue
        for number, made in enumerate(docs):
            _check_doc(made, f"{shard} [doc {number}]", findings)
    return findings.result()


def _check_doc(made: Doc, where: str, findings: Findings) -> None:
    data = made.user_data
    if data.get("offsets") != OFFSETS or not isinstance(data.get("id"), str):
        findings.add(where, f"user_data lacks the document 'id' or 'offsets': {OFFSETS!r}")
        return
    for group in GROUPS:
        if group not in made.spans:
            findings.add(where, f'doc.spans["{group}"] is missing')
            return
    entities = {(s.start_char, s.end_char, s.label_) for s in made.spans["entities"]}
    for ent in made.ents:
        if (ent.start_char, ent.end_char, ent.label_) not in entities:
            findings.add(where, f"entity {ent.text!r} is in doc.ents but not in spans")
    claims = {(s.start_char, s.end_char, s.label_) for s in made.spans["claims"]}
    claims_data = data.get("claims")
    # msgpack gives lists back as tuples.
    if not isinstance(claims_data, list | tuple) or len(claims_data) != len(claims):
        findings.add(where, 'user_data["claims"] does not match doc.spans["claims"]')
        return
    for claim in claims_data:
        if (claim.get("start"), claim.get("end"), claim.get("label")) not in claims:
            findings.add(where, f"claim {claim.get('id')!r} is not in doc.spans['claims']")
        claimant = claim.get("claimant")
        if (
            claimant is not None
            and (
                claimant.get("start"),
                claimant.get("end"),
                claimant.get("label"),
            )
            not in entities
        ):
            findings.add(where, f"the claimant of claim {claim.get('id')!r} is not an entity")
        cue = claim.get("cue")
        if cue is not None and made.char_span(cue["start"], cue["end"]) is None:
            findings.add(where, f"the cue of claim {claim.get('id')!r} is not on token edges")
