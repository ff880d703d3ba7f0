"""A shown document's tokens, without tokenizing in the window's process (ADR 0031).

The article view paints without tokens; they are needed to snap a selection, resize a span or
find a sentence. Tokenizing needs spaCy (about a second of CPU to import and build, and about
100 MiB resident), which the suggestion process (annotator.services.suggest_worker) loads
anyway. So the window takes a document's tokens, in this order, from:

1. what it already holds (the workspace keeps the last few documents' tokens);
2. the project's token cache (``token_boundaries``, annotator.export.token_cache), filled by
   whoever tokenized the text before: an export, or the suggestion process;
3. the suggestion process, asked on its own channel so that the request does not wait for a
   suggestion run (:func:`encoded_tokens` is its side);
4. only when that process cannot run (not startable, stopped): tokenizing here.

Every source uses the one tokenizer (annotator.core.tokens) and the cache entries are tagged
with its version and spaCy's (:data:`annotator.export.token_cache.TOKENIZER`), so the tokens
are the same whichever source gave them; offsets are code points either way.
"""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence

from annotator.core.errors import NotFoundError, StorageError
from annotator.core.model import Document
from annotator.core.tokens import Tokenized, tokenize
from annotator.export import token_cache
from annotator.storage.database import Database

#: Asks the suggestion process for the encoded tokens of documents (by id); None when the
#: process cannot answer (then the caller tokenizes itself).
RemoteTokens = Callable[[Sequence[int]], Mapping[int, bytes] | None]


class TokensOnDemand:
    """One document's tokens: handed in when they arrive (:meth:`offer`), or, as a last
    resort, worked out here the first time :meth:`get` is called before they did. Thread-safe;
    the value never changes once set."""

    __slots__ = ("_event", "_lock", "_make", "_value")

    def __init__(self, source: Tokenized | Callable[[], Tokenized]) -> None:
        self._lock = threading.Lock()
        self._event = threading.Event()
        self._value: Tokenized | None = None
        self._make: Callable[[], Tokenized] | None = None
        if isinstance(source, Tokenized):
            self._value = source
            self._event.set()
        else:
            self._make = source

    @property
    def ready(self) -> bool:
        return self._value is not None

    def peek(self) -> Tokenized | None:
        """The tokens if they are here, else None (never waits, never tokenizes)."""
        return self._value

    def offer(self, tokens: Tokenized) -> bool:
        """Hand in the tokens worked out elsewhere; False if they were already here."""
        with self._lock:
            if self._value is not None:
                return False
            self._value, self._make = tokens, None
        self._event.set()
        return True

    def wait(self, timeout: float | None = None) -> bool:
        """Wait up to ``timeout`` seconds for the tokens to arrive; whether they did."""
        return self._event.wait(timeout)

    def get(self) -> Tokenized:
        """The tokens; if none arrived yet, worked out here (loading the tokenizer in this
        process: the window avoids this path, see :meth:`peek`)."""
        value = self._value
        if value is not None:
            return value
        with self._lock:
            if self._value is None:
                assert self._make is not None
                self._value = self._make()
                self._make = None
            value = self._value
        self._event.set()
        return value


def cached_tokens(db: Database, documents: Sequence[Document]) -> dict[int, Tokenized]:
    """The tokens of those ``documents`` that the project's token cache holds for this
    tokenizer, by document id (a read only: cheap, and no tokenizer is loaded)."""
    return _cached(db, {d.id: d.text for d in documents})


def _cached(db: Database, texts: Mapping[int, str]) -> dict[int, Tokenized]:
    if not texts:
        return {}
    # Keyed as the exports key them (the text's hash), so what an export tokenized is found.
    hashes = {i: token_cache.text_hash(text) for i, text in texts.items()}
    with db.read() as store:
        stored = store.token_boundaries(list(hashes.values()), token_cache.TOKENIZER)
    found: dict[int, Tokenized] = {}
    for document_id, text in texts.items():
        data = stored.get(hashes[document_id])
        if data is None:
            continue
        try:
            found[document_id] = token_cache.decode(text, data)
        except ValueError:
            continue  # a damaged entry: worked out again by the caller
    return found


def _decode(text: str, data: bytes) -> Tokenized | None:
    """Tokens sent by the suggestion process; None if the data does not fit the text."""
    try:
        tokens = token_cache.decode(text, data)
    except ValueError:
        return None
    if tokens.tokens and tokens.tokens[-1].end > len(text):
        return None
    return tokens


def corpus_tokens(
    db: Database, texts: Mapping[int, str], remote: RemoteTokens | None
) -> dict[int, Tokenized]:
    """The tokens of documents that are not on screen (a search through the corpus, such as
    Label all occurrences), by id, from ``{id: text}``: from the token cache, else ``remote``
    (the suggestion process, which keeps what it tokenizes in the cache), else (``remote``
    None or unable to answer) tokenized here, as :meth:`TokenSlots.supply` does (both ask
    the process through :func:`_from_process`). Documents
    gone meanwhile are left out. It waits: call it from a background thread."""
    found = _cached(db, texts)
    missing = {i: text for i, text in texts.items() if i not in found}
    for document_id, tokens in _from_process(missing, remote).items():
        found[document_id] = tokenize(texts[document_id]) if tokens is None else tokens
    return found


def _from_process(
    texts: Mapping[int, str], remote: RemoteTokens | None
) -> dict[int, Tokenized | None]:
    """What ``remote`` (the suggestion process) sends for these documents, ``{id: text}``,
    decoded: None where they must be tokenized here (no process to ask, or an answer that
    does not fit the text); left out where the process found the document gone."""
    answered = remote(list(texts)) if texts and remote is not None else None
    result: dict[int, Tokenized | None] = {}
    for document_id, text in texts.items():
        data = None if answered is None else answered.get(document_id)
        tokens = None if data is None else _decode(text, data)
        if tokens is not None or answered is None or data is not None:
            result[document_id] = tokens
    return result


def encoded_tokens(db: Database, document_ids: Sequence[int]) -> dict[int, bytes]:
    """The suggestion process's side: each document's tokens, encoded, from the token cache
    or tokenized (and kept there for next time, best effort). Documents that are gone are
    left out."""
    documents: list[Document] = []
    with db.read() as store:
        for document_id in document_ids:
            with contextlib.suppress(NotFoundError):
                documents.append(store.document(document_id))
    if not documents:
        return {}
    hashes = [token_cache.text_hash(d.text) for d in documents]
    with db.read() as store:
        cached = store.token_boundaries(hashes, token_cache.TOKENIZER)
    _tokens, fresh = token_cache.tokens_for(
        [d.text for d in documents], cached, hashes, batch=len(documents)
    )
    if fresh:
        # A database that cannot be written to only means tokenizing again next time.
        with contextlib.suppress(StorageError), db.write() as store:
            store.store_token_boundaries(fresh, token_cache.TOKENIZER)
    both = {**cached, **fresh}
    return {d.id: both[sha] for d, sha in zip(documents, hashes, strict=True)}


class TokenSlots:
    """The tokens of the documents a window showed last, by document id: one
    :class:`TokensOnDemand` per document, shared by every view of it, so tokens that arrive
    for a document reach whichever state of it is on screen."""

    def __init__(self, db: Database, size: int) -> None:
        self.db = db
        self.size = size
        self._lock = threading.Lock()
        self._slots: OrderedDict[int, TokensOnDemand] = OrderedDict()

    def slot(self, document: Document) -> TokensOnDemand:
        with self._lock:
            slot = self._slots.get(document.id)
            if slot is not None:
                self._slots.move_to_end(document.id)
                return slot
            text = document.text
            slot = TokensOnDemand(lambda: tokenize(text))
            self._slots[document.id] = slot
            while len(self._slots) > self.size:
                self._slots.popitem(last=False)
            return slot

    def ready(self, document_id: int) -> bool:
        with self._lock:
            slot = self._slots.get(document_id)
        return slot is not None and slot.ready

    def supply(self, document_ids: Iterable[int | None], remote: RemoteTokens | None) -> list[int]:
        """Bring these documents' tokens here: from the token cache, else from ``remote``
        (the suggestion process), else (``remote`` None or unable to answer) tokenized here.
        The ids (of those asked for) whose tokens are here now. It waits for the answers:
        call it from a thread that may wait (neither the UI thread nor the database worker)."""
        asked = [i for i in dict.fromkeys(document_ids) if i is not None]
        wanted = [i for i in asked if not self.ready(i)]
        documents: list[Document] = []
        if wanted:
            with self.db.read() as store:
                for document_id in wanted:
                    with contextlib.suppress(NotFoundError):
                        documents.append(store.document(document_id))
        slots = {d.id: self.slot(d) for d in documents}
        for document_id, tokens in cached_tokens(self.db, documents).items():
            slots[document_id].offer(tokens)
        missing = {d.id: d.text for d in documents if not slots[d.id].ready}
        for document_id, tokens in _from_process(missing, remote).items():
            if tokens is None:
                slots[document_id].get()  # no process to ask, or a wrong answer: done here
            else:
                slots[document_id].offer(tokens)
        return [i for i in asked if self.ready(i)]
