"""Annotator: label entities and claims in news articles, export training data."""

from __future__ import annotations

__version__ = "0.1.0"
