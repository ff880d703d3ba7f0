"""Any spaCy pipeline the user has installed (a package such as one installed from a wheel, or
a folder saved with ``nlp.to_disk``), with its labels mapped to the project's.

Nothing is downloaded: the pipeline is loaded with ``spacy.load`` from what is on this machine,
and a name that is not installed is an error that says so. Its entities are kept when their
label is mapped to a label of the project's schema (``{"PER": "PERSON", "LOC": "GPE"}``; a
label the mapping does not name is kept only when the schema has it as is) and dropped
otherwise. The pipeline tokenizes differently from the project, so each entity is widened to
the project's token boundaries (the same snapping a selection gets in the window).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core.model import Suggestion
from annotator.core.progress import CancelToken
from annotator.core.schema import LabelSchema
from annotator.suggest.base import SuggestInput
from annotator.suggest.candidates import Candidate, entity_suggestions, longest_first
from annotator.suggest.errors import SuggesterUnavailable
from annotator.suggest.versions import schema_tag, short_hash

if TYPE_CHECKING:
    from spacy.language import Language

NAME = "installed"

#: A pipeline's entities carry no score; this one says "a trained model, not project evidence".
SCORE = 0.6


def load_pipeline(name: str) -> Language:
    """``spacy.load`` of an installed package or a saved folder, never a download."""
    import spacy

    try:
        return spacy.load(name)
    except (OSError, ImportError, ValueError) as exc:
        where = "folder" if Path(name).expanduser().exists() else "package"
        raise SuggesterUnavailable(
            f"the spaCy pipeline {name!r} cannot be loaded: no installed {where} by that name "
            "holds a usable pipeline. Install its package (for example from a wheel with "
            "`pip install`) or give the path of a folder saved with nlp.to_disk(); nothing is "
            f"downloaded. ({type(exc).__name__}: {str(exc).splitlines()[0][:200]})"
        ) from exc


class InstalledPipelineSuggester:
    """Entities from an installed spaCy pipeline, relabelled for the project."""

    def __init__(
        self,
        pipeline: str,
        schema: LabelSchema,
        labels: Mapping[str, str] | None = None,
        *,
        nlp: Language | None = None,
    ) -> None:
        self.pipeline = pipeline
        self.labels = dict(labels or {})
        self.nlp = nlp if nlp is not None else load_pipeline(pipeline)
        meta: dict[str, Any] = dict(self.nlp.meta)
        self.model_name = f"{meta.get('lang', 'xx')}_{meta.get('name', 'pipeline')}"
        self.model_version = str(meta.get("version", "0.0.0"))
        mapping = ",".join(f"{k}={v}" for k, v in sorted(self.labels.items()))
        self._version = (
            f"p.{short_hash(self.model_name, self.model_version, mapping, size=5)}"
            f".{schema_tag(schema)}"
        )
        # spaCy pipelines are not safe to call from two threads at once.
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return NAME

    @property
    def version(self) -> str:
        return self._version

    def project_label(self, label: str, known: set[str]) -> str | None:
        mapped = self.labels.get(label, label)
        return mapped if mapped in known else None

    def suggest(self, item: SuggestInput, cancel: CancelToken | None = None) -> list[Suggestion]:
        if cancel is not None:
            cancel.check()
        text = item.document.text
        known = set(item.schema.entity_names)
        with self._lock:
            if len(text) >= self.nlp.max_length:
                self.nlp.max_length = len(text) + 1
            doc = self.nlp(text)
            entities = [(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents]
        found: list[Candidate] = []
        for start, end, original in entities:
            label = self.project_label(original, known)
            if label is None:
                continue
            covered = item.tokens.tokens_in(start, end)
            if not covered:
                continue
            reason = f"{self.model_name} {self.model_version} labels it {original}"
            found.append(Candidate(covered[0].start, covered[-1].end, label, SCORE, reason))
        return entity_suggestions(longest_first(found), item, NAME)
