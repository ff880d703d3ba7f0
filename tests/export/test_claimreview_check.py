"""The claimreview read-back check names each line that is not a ClaimReview skeleton."""

from __future__ import annotations

from pathlib import Path

import orjson

from annotator.export.claimreview import check


def _work(url: str = "https://a.example/1") -> dict[str, object]:
    return {"@type": "CreativeWork", "identifier": "a1", "url": url}


def _review(**changes: object) -> dict[str, object]:
    review: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": "33 air strikes in 24 hours",
        "itemReviewed": {"@type": "Claim", "appearance": [_work(), _work()]},
        "reviewRating": {"@type": "Rating", "ratingValue": None},
    }
    review.update(changes)
    return review


def test_each_broken_line_is_named(tmp_path: Path) -> None:
    path = tmp_path / "reviews.jsonl"
    lines = [
        _review(),
        _review(**{"@type": "Review"}),
        _review(claimReviewed=""),
        _review(itemReviewed={"@type": "Claim", "appearance": [_work()]}),
        _review(itemReviewed={"@type": "Claim", "appearance": [_work(), _work("ftp://x")]}),
        _review(itemReviewed={"@type": "Claim", "appearance": [_work(), _work()], "author": "K"}),
        _review(reviewRating=None),
    ]
    path.write_bytes(b"".join(orjson.dumps(line) + b"\n" for line in lines))
    found = check(path)
    assert found == [
        f"{path}:2: must be a ClaimReview with '@context' 'https://schema.org'",
        f"{path}:3: 'claimReviewed' must be the claim's text",
        f"{path}:4: 'itemReviewed.appearance' must list two articles or more",
        f"{path}:5: 'appearance[1].url' must be an http(s) address",
        f"{path}:6: 'itemReviewed.author' must be a Person or Organization with a name",
        f"{path}:7: 'reviewRating' must be a Rating (left empty to fill in)",
    ]
