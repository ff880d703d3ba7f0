"""schema.org ``ClaimReview`` skeletons: one per group of the same claim in several articles
(:mod:`annotator.core.claim_groups`), for a fact-checker to complete and publish.

One JSON-LD object per line::

    {"@context": "https://schema.org", "@type": "ClaimReview",
     "identifier": "claim-group-1", "claimReviewed": "<the claim's text>",
     "description": "Reported in 2 articles: same figure 33 air strikes; ...",
     "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "Kartapolov"},
                      "datePublished": "<earliest article date>",
                      "firstAppearance": {<the earliest article>},
                      "appearance": [{"@type": "CreativeWork", "url": ..., "datePublished": ...,
                                      "headline": ..., "publisher": {...}, "identifier": ...}]},
     "datePublished": null, "url": null, "author": null,
     "reviewRating": {"@type": "Rating", "ratingValue": null, "bestRating": null,
                      "worstRating": null, "alternateName": null}}

What the review says (its rating, its own address and date, who reviewed) is left empty for
the fact-checker. ``claimReviewed`` is the text of the group's first claim (by article date,
then document order). The claimant is a ``Person`` when its entity label is a person label
(``PER``, ``PERSON``), else an ``Organization``; it is left out when the group's claims name
different claimants, or none (claims without a claimant do not count against one that
has). Articles without an address in their meta still appear, by headline and id.

Groups are found among the documents of one split: the writer keeps a small record per claim
(no document text) and groups when the split is closed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from annotator.core.article_meta import Appearance, appearance, is_url
from annotator.core.claim_groups import ClaimRecord, describe_claim, group_claims
from annotator.core.model import Layer
from annotator.core.tokens import Tokenized
from annotator.export.document import ExportDocument
from annotator.export.validation import Findings, iter_json_lines
from annotator.export.writing import ExportContext, close_output, open_output

FORMAT = "claimreview"
CONTEXT = "https://schema.org"
PERSON_LABELS = frozenset({"PER", "PERSON"})


class ClaimReviewWriter:
    def __init__(self, path: Path, context: ExportContext) -> None:
        self.handle = open_output(path)
        self.find_entities = context.find_entities
        self.records: list[ClaimRecord] = []
        #: Claim id -> (text, claimant (text, label) or None, article, document key, title).
        self.about: dict[int, tuple[str, tuple[str, str] | None, Appearance, str, str]] = {}
        self.order: dict[int, int] = {}

    def write(self, doc: ExportDocument, tokens: Tokenized | None) -> None:
        where = appearance(doc.document)
        text = doc.text
        for claim in doc.spans:
            if claim.layer is not Layer.CLAIM or claim.id is None:
                continue
            record = describe_claim(doc.document, claim, doc.spans, self.find_entities)
            claimant = doc.claimant(claim)
            self.records.append(record)
            self.order[claim.id] = len(self.order)
            self.about[claim.id] = (
                record.text,
                None if claimant is None else (text[claimant.start : claimant.end], claimant.label),
                where,
                doc.key,
                doc.document.title,
            )

    def close(self) -> None:
        try:
            for number, group in enumerate(group_claims(self.records), 1):
                ids = sorted(
                    group.claim_ids, key=lambda i: (self.about[i][2].date or "~", self.order[i])
                )
                reasons = dict.fromkeys(r for link in group.links for r in link.match.reasons)
                self.handle.write(orjson.dumps(self._review(number, ids, list(reasons))) + b"\n")
        finally:
            close_output(self.handle)

    def _review(self, number: int, ids: list[int], reasons: list[str]) -> dict[str, Any]:
        appearances: list[dict[str, Any]] = []
        seen: set[str] = set()
        for claim_id in ids:
            _text, _claimant, where, key, title = self.about[claim_id]
            if key not in seen:  # two claims of one article: the article once
                seen.add(key)
                appearances.append(_creative_work(where, key, title))
        # Claims that name no claimant do not contradict the one that does.
        named = {self.about[i][1] for i in ids} - {None}
        by_name = {" ".join(c[0].split()).casefold(): c for c in named if c is not None}
        claimant = next(iter(by_name.values())) if len(by_name) == 1 else None
        first = appearances[0]
        item: dict[str, Any] = {"@type": "Claim", "appearance": appearances}
        if claimant is not None:
            kind = "Person" if claimant[1].upper() in PERSON_LABELS else "Organization"
            item["author"] = {"@type": kind, "name": claimant[0]}
        if "datePublished" in first:
            item["datePublished"] = first["datePublished"]
        item["firstAppearance"] = first
        articles = len(appearances)
        return {
            "@context": CONTEXT,
            "@type": "ClaimReview",
            "identifier": f"claim-group-{number}",
            "claimReviewed": self.about[ids[0]][0],
            "description": f"Reported in {articles} articles: {'; '.join(reasons)}",
            "itemReviewed": item,
            "datePublished": None,
            "url": None,
            "author": None,
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": None,
                "bestRating": None,
                "worstRating": None,
                "alternateName": None,
            },
        }


def _creative_work(where: Appearance, key: str, title: str) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork", "identifier": key, "headline": title}
    if where.url is not None:
        work["url"] = where.url
    if where.date is not None:
        work["datePublished"] = where.date
    if where.outlet is not None:
        work["publisher"] = {"@type": "Organization", "name": where.outlet}
    return work


def check(path: Path) -> list[str]:
    """Each line is a ClaimReview with the claim's text, a Claim with two appearances or more
    (each a CreativeWork; an address, when given, is http(s)), and an empty rating."""
    findings = Findings()
    for where, item in iter_json_lines(path, findings):
        if item.get("@context") != CONTEXT or item.get("@type") != "ClaimReview":
            findings.add(where, f"must be a ClaimReview with '@context' {CONTEXT!r}")
            continue
        reviewed = item.get("claimReviewed")
        if not isinstance(reviewed, str) or not reviewed.strip():
            findings.add(where, "'claimReviewed' must be the claim's text")
        claim = item.get("itemReviewed")
        if not isinstance(claim, dict) or claim.get("@type") != "Claim":
            findings.add(where, "'itemReviewed' must be a Claim")
            continue
        works = claim.get("appearance")
        if not isinstance(works, list) or len(works) < 2:
            findings.add(where, "'itemReviewed.appearance' must list two articles or more")
            continue
        for index, work in enumerate(works):
            if not isinstance(work, dict) or work.get("@type") != "CreativeWork":
                findings.add(where, f"'appearance[{index}]' must be a CreativeWork")
            elif "url" in work and not (isinstance(work["url"], str) and is_url(work["url"])):
                findings.add(where, f"'appearance[{index}].url' must be an http(s) address")
        author = claim.get("author")
        if author is not None and not (
            isinstance(author, dict)
            and author.get("@type") in ("Person", "Organization")
            and isinstance(author.get("name"), str)
        ):
            findings.add(
                where, "'itemReviewed.author' must be a Person or Organization with a name"
            )
        rating = item.get("reviewRating")
        if not isinstance(rating, dict) or rating.get("@type") != "Rating":
            findings.add(where, "'reviewRating' must be a Rating (left empty to fill in)")
    return findings.result()
