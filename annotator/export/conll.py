"""CoNLL IOB2: one token per line, ``TOKEN ENTITY_TAG CLAIM_TAG`` separated by single spaces,
a blank line after each sentence, and ``-DOCSTART- -X- -X- O`` and a blank line before each
document (the CoNLL-2003 convention most readers split documents at).

Tags come from :mod:`annotator.export.tagging`: the outermost of nested or overlapping spans
wins in each column (the others are reported), and a span across a sentence break starts again
with ``B-``. The document ids are not in the file (no CoNLL reader would keep them): documents
are in the order of the manifest's ids.
"""

from __future__ import annotations

from pathlib import Path

from annotator.core.tokens import Tokenized
from annotator.export.alignment import valid_iob2
from annotator.export.document import ExportDocument
from annotator.export.read_back import WrittenPieces
from annotator.export.tagging import tagged_sentences
from annotator.export.validation import Findings
from annotator.export.writing import ExportContext, close_output, open_output

FORMAT = "conll"
DOCSTART = "-DOCSTART- -X- -X- O"


class ConllWriter:
    def __init__(self, path: Path, context: ExportContext) -> None:
        self.handle = open_output(path)
        self.context = context
        self.written = WrittenPieces(path)

    def write(self, doc: ExportDocument, tokens: Tokenized | None) -> None:
        assert tokens is not None
        lines = [DOCSTART, ""]
        for sentence in tagged_sentences(doc, tokens, self.context, spaced_labels=False):
            columns = zip(sentence.tokens, sentence.entity_tags, sentence.claim_tags, strict=True)
            lines.extend(map(" ".join, columns))
            lines.append("")
        self.handle.write(self.written.add(("\n".join(lines) + "\n").encode("utf-8")))

    def close(self) -> None:
        close_output(self.handle)

    def read_back(self) -> list[str]:
        return self.written.read_back()


def check(path: Path) -> list[str]:
    """Every document starts with ``-DOCSTART-``, every token line has three columns, and each
    sentence's entity and claim columns are valid IOB2."""
    findings = Findings()
    try:
        handle = path.open("r", encoding="utf-8", newline="\n")
    except OSError as exc:
        findings.add(str(path), f"cannot be read: {exc.strerror or exc}")
        return findings.result()
    sentence: list[tuple[int, str, str]] = []
    started = False

    def close_sentence() -> None:
        for column in (1, 2):
            problem = valid_iob2([row[column] for row in sentence])
            if problem is not None:
                findings.add(f"{path}:{sentence[0][0]}", f"column {column + 1}: {problem}")
        sentence.clear()

    with handle:
        try:
            for number, raw in enumerate(handle, start=1):
                line = raw.rstrip("\n")
                if line == DOCSTART:
                    if sentence:
                        findings.add(f"{path}:{number}", "no blank line before -DOCSTART-")
                        close_sentence()
                    started = True
                    continue
                if not line:
                    if sentence:
                        close_sentence()
                    continue
                if not started:
                    findings.add(f"{path}:{number}", "a token before the first -DOCSTART-")
                    started = True
                columns = line.split(" ")
                if len(columns) != 3 or not all(columns):
                    findings.add(f"{path}:{number}", "expected 'TOKEN ENTITY_TAG CLAIM_TAG'")
                    continue
                sentence.append((number, columns[1], columns[2]))
        except UnicodeDecodeError as exc:
            findings.add(str(path), f"not UTF-8: {exc}")
    if sentence:
        findings.add(str(path), "the last sentence is not followed by a blank line")
        close_sentence()
    return findings.result()
