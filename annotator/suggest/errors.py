"""Errors a user can cause by configuring suggesters."""

from __future__ import annotations

from annotator.core.errors import AnnotatorError


class SuggesterError(AnnotatorError):
    """A suggester setting is wrong (an unknown name, a malformed option)."""


class SuggesterUnavailable(SuggesterError):
    """A configured suggester cannot run here (its pipeline is not installed, no model yet).

    The message names what is missing and what to do; nothing is ever downloaded."""
