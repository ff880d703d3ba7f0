"""Errors an export raises on purpose; the command line prints them and exits 1."""

from __future__ import annotations

from annotator.core.errors import AnnotatorError


class ExportError(AnnotatorError):
    """The export could not be written (or replace what is there); nothing was changed."""


class ExportCheckError(ExportError):
    """The export was written but failed its read-back check, so it was not put in place."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = "\n  ".join(problems[:20])
        super().__init__(f"the export failed its read-back check and was not saved:\n  {shown}")
