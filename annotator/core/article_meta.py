"""Where an article appeared: its outlet, address and date, from what import kept.

Import keeps a document's ``source`` (the outlet, or the file it came from) and every other
field of the record in ``meta`` as it was named there, so the address and date are looked up
under the names scrapers and news datasets commonly give them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from annotator.core.model import Document

URL_KEYS = ("url", "link", "canonical_url", "source_url", "article_url", "href")
DATE_KEYS = (
    "date",
    "published",
    "published_at",
    "publish_date",
    "published_date",
    "datePublished",
    "pubdate",
    "pub_date",
    "timestamp",
)
OUTLET_KEYS = ("outlet", "publisher", "site", "site_name", "media", "domain", "source")


@dataclass(frozen=True, slots=True)
class Appearance:
    """An article as a place where a claim was reported."""

    outlet: str | None = None
    url: str | None = None
    date: str | None = None


def _first(meta: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = meta.get(key)
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            text = str(value).strip()
            if text:
                return text
    return None


def is_url(text: str | None) -> bool:
    return text is not None and text.lower().startswith(("http://", "https://"))


def appearance(document: Document) -> Appearance:
    """The outlet (``meta`` outlet/publisher…, else the document's source), the address
    (``meta`` url/link…, else a source that is an address) and the date (``meta``
    date/published…) of ``document``; ``None`` for what it does not have."""
    meta = document.meta if isinstance(document.meta, dict) else {}
    url = _first(meta, URL_KEYS)
    source = document.source.strip() if document.source else None
    if not is_url(url):
        url = source if is_url(source) else None
    outlet = _first(meta, OUTLET_KEYS)
    if outlet is None and source and not is_url(source):
        outlet = source
    return Appearance(outlet=outlet, url=url, date=_first(meta, DATE_KEYS))
