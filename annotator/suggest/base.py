"""What a suggester is: a Qt-free callable from a document to suggested spans.

Claims carry their proposal in ``Suggestion.attributes``:
``{"cue": [start, end] | None, "type": str, "hedged": bool,
"claimant": [start, end, label] | None}``; accepting the claim accepts those too. The claims
suggester adds ``"claimant_reason"`` (how a claimant referred back to was found) when it has
one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from annotator.core.model import Document, Suggestion
from annotator.core.progress import CancelToken
from annotator.core.schema import LabelSchema
from annotator.core.tokens import Tokenized


@dataclass(frozen=True, slots=True)
class SuggestInput:
    """A document with what every suggester needs beside it, computed once."""

    document: Document
    tokens: Tokenized
    schema: LabelSchema
    #: Ignored (boilerplate) ranges: suggesters propose nothing inside them.
    ignored: Sequence[tuple[int, int]] = ()

    def is_ignored(self, start: int, end: int) -> bool:
        return any(start < i_end and i_start < end for i_start, i_end in self.ignored)


class Suggester(Protocol):
    @property
    def name(self) -> str:
        """Stable identifier, stored with each suggestion (``suggested:<name>`` origins)."""
        ...

    @property
    def version(self) -> str:
        """Changes whenever what it knows changes (rules, term list, trained model), so
        cached suggestions of another version are recomputed."""
        ...

    def suggest(
        self, item: SuggestInput, cancel: CancelToken | None = None
    ) -> list[Suggestion]: ...
