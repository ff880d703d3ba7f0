"""Where the window's tokens come from (annotator.services.document_tokens, ADR 0031): the
token cache first, then the suggestion process's answer, and tokenizing in this process only
when that process cannot answer; every source gives the tokenizer's own tokens."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from annotator.core.tokens import tokenize
from annotator.export import token_cache
from annotator.services.document_tokens import TokenSlots, corpus_tokens, encoded_tokens
from annotator.services.stored_tokens import stored_tokens
from annotator.storage.database import Database
from tests.builders import insert_documents, titled

TEXTS = [
    "Mr Putin said 300 soldiers had crossed the border.\nKyiv said 47C. 🇺🇦 flags flew.\n",
    "Ferry resumes\nThe ferry company said services would resume on Monday.\n",
]


def documents(db: Database) -> list[int]:
    with db.write() as store:
        return insert_documents(store, [titled(t) for t in TEXTS])


def stored(db: Database) -> dict[str, bytes]:
    hashes = [token_cache.text_hash(t) for t in TEXTS]
    with db.read() as store:
        return store.token_boundaries(hashes, token_cache.TOKENIZER)


def test_the_process_side_tokenizes_once_and_keeps_the_tokens_in_the_cache(db: Database) -> None:
    ids = documents(db)
    answer = encoded_tokens(db, [*ids, 999_999])  # a document that is gone is left out
    assert set(answer) == set(ids)
    for document_id, text in zip(ids, TEXTS, strict=True):
        assert token_cache.decode(text, answer[document_id]) == tokenize(text)
    assert set(stored(db).values()) == set(answer.values())


def test_tokens_an_export_kept_are_taken_without_asking_the_process(db: Database) -> None:
    ids = documents(db)
    stored_tokens(db, TEXTS, batch=8)  # what an export to a token format keeps
    asked: list[Sequence[int]] = []

    def remote(wanted: Sequence[int]) -> dict[int, bytes]:
        asked.append(wanted)
        return {}

    slots = TokenSlots(db, 8)
    assert slots.supply([ids[0], None, ids[1]], remote) == ids
    assert asked == []
    with db.read() as store:
        first = store.document(ids[0])
    assert slots.slot(first).peek() == tokenize(TEXTS[0])


def test_tokens_missing_from_the_cache_come_from_the_process(db: Database) -> None:
    ids = documents(db)
    asked: list[list[int]] = []

    def remote(wanted: Sequence[int]) -> dict[int, bytes]:
        asked.append(list(wanted))
        return encoded_tokens(db, wanted)  # what the process answers

    slots = TokenSlots(db, 8)
    assert slots.supply(ids, remote) == ids
    assert asked == [ids]
    assert slots.supply(ids, remote) == ids  # here now: not asked again
    assert asked == [ids]


def test_without_a_process_to_answer_the_tokens_are_worked_out_here(db: Database) -> None:
    ids = documents(db)
    slots = TokenSlots(db, 8)
    assert slots.supply(ids, lambda _wanted: None) == ids
    with db.read() as store:
        second = store.document(ids[1])
    assert slots.slot(second).peek() == tokenize(TEXTS[1])


def test_an_answer_that_does_not_fit_the_text_is_worked_out_here_instead(db: Database) -> None:
    ids = documents(db)
    wrong = token_cache.encode(tokenize(TEXTS[0] * 3))  # offsets past the end of the text
    slots = TokenSlots(db, 8)
    assert slots.supply([ids[0]], lambda _wanted: {ids[0]: wrong}) == [ids[0]]
    with db.read() as store:
        first = store.document(ids[0])
    assert slots.slot(first).peek() == tokenize(TEXTS[0])  # worked out here instead


def test_corpus_tokens_come_from_the_cache_then_the_process_then_here(
    db: Database, tmp_path: Path
) -> None:
    """Tokens of documents not on screen (Label all occurrences): the cache first, then the
    suggestion process's side (here called in this process), and, with no process to answer,
    tokenized here."""
    ids = documents(db)
    texts = dict(zip(ids, TEXTS, strict=True))
    stored_tokens(db, TEXTS[:1], batch=8)  # the first is in the cache
    asked: list[Sequence[int]] = []

    def remote(wanted: Sequence[int]) -> dict[int, bytes]:
        asked.append(list(wanted))
        return encoded_tokens(db, wanted)

    found = corpus_tokens(db, texts, remote)
    assert asked == [[ids[1]]]
    assert found == {i: tokenize(text) for i, text in texts.items()}
    # The process kept what it tokenized: the next search asks nobody.
    asked.clear()
    assert corpus_tokens(db, texts, remote) == found and asked == []

    other = Database.open(tmp_path / "other.sqlite")  # nothing cached there
    try:
        with other.write() as store:
            again = insert_documents(store, [titled(t) for t in TEXTS])
        assert corpus_tokens(other, dict(zip(again, TEXTS, strict=True)), None) == {
            i: tokenize(t) for i, t in zip(again, TEXTS, strict=True)
        }
        # A document gone meanwhile (the process leaves it out of its answer) is left out.
        gone = {**dict(zip(again, TEXTS, strict=True)), 999_999: "Gone\nA text.\n"}
        left = corpus_tokens(other, gone, lambda wanted: encoded_tokens(other, wanted))
        assert set(left) == set(again)
    finally:
        other.close()
