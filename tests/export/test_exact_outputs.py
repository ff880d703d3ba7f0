"""For each format, the exact output for one small document (a flag and an emoji before the
spans, an entity inside a claim, a claim with claimant and cue), then its read-back check."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from annotator.export.checking import check_export
from annotator.services.exporting import FORMATS, export
from annotator.storage.database import Database
from tests.export.corpus import FLAG_TEXT, QUANTITY
from tests.services.claims_corpus import claims_project

TEXT = FLAG_TEXT
# Offsets in FLAG_TEXT (code points: the flag is two, the emoji one):
# Kyiv 3..7, The ministry 10..22, said 23..27, 33 strikes 28..38, claim 28..50.


def _export(db: Database, tmp_path: Path, fmt: str, **options: object) -> Path:
    suffix = FORMATS[fmt].suffix
    out = tmp_path / (f"out{suffix}" if suffix != "folder" else "out")
    summary = export(db, out, fmt=fmt, only_done=True, **options)  # type: ignore[arg-type]
    assert summary.documents == 1 and summary.checked
    assert check_export(out, fmt) == []
    return out


def _lines(path: Path) -> list[dict]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


def test_offsets_in_the_fixture_are_code_points() -> None:
    assert TEXT[3:7] == "Kyiv" and TEXT[28:50] == "33 strikes hit targets"
    line = "🇺🇦 Kyiv 😀"
    assert (len(line), len(line.encode("utf-16-le")) // 2) == (9, 12)  # UTF-16 would be off


def test_annotator(flag_db: Database, tmp_path: Path) -> None:
    (record,) = _lines(_export(flag_db, tmp_path, "annotator"))
    assert record == {
        "id": "flag",
        "title": "Kyiv",
        "text": TEXT,
        "source": "wire",
        "meta": {},
        "offsets": "codepoint",
        "entities": [
            {"id": "e1", "start": 3, "end": 7, "label": "GPE", "text": "Kyiv",
             "annotator": "ana", "origin": "manual"},
            {"id": "e2", "start": 10, "end": 22, "label": "ORG", "text": "The ministry",
             "annotator": "ana", "origin": "manual"},
            {"id": "e3", "start": 28, "end": 38, "label": "QUANTITY", "text": "33 strikes",
             "annotator": "ana", "origin": "manual"},
        ],
        "claims": [
            {"id": "c1", "start": 28, "end": 50, "text": "33 strikes hit targets",
             "claimant": "e2", "cue": {"start": 23, "end": 27}, "type": "quantity",
             "hedged": False, "annotator": "ana", "origin": "manual",
             "attributes": {"quantities": [QUANTITY]}}
        ],
        "rejected": [],
        "ignored": [],
        "status": "done",
        "statuses": {"ana": "done"},
    }  # fmt: skip


def _tok(text: str, start: int, end: int, i: int, ws: bool = True) -> dict:
    return {"text": text, "start": start, "end": end, "id": i, "ws": ws}


def test_prodigy(flag_db: Database, tmp_path: Path) -> None:
    (record,) = _lines(_export(flag_db, tmp_path, "prodigy"))
    claim = {"start": 28, "end": 50, "token_start": 6, "token_end": 9, "label": "CLAIM"}
    org = {"start": 10, "end": 22, "token_start": 3, "token_end": 4, "label": "ORG"}
    assert record == {
        "text": TEXT,
        "tokens": [
            _tok("🇺🇦", 0, 2, 0), _tok("Kyiv", 3, 7, 1), _tok("😀", 8, 9, 2),
            _tok("The", 10, 13, 3), _tok("ministry", 14, 22, 4), _tok("said", 23, 27, 5),
            _tok("33", 28, 30, 6), _tok("strikes", 31, 38, 7), _tok("hit", 39, 42, 8),
            _tok("targets", 43, 50, 9, ws=False), _tok(".", 50, 51, 10),
        ],
        "spans": [
            {"start": 3, "end": 7, "token_start": 1, "token_end": 1, "label": "GPE",
             "text": "Kyiv"},
            {**org, "text": "The ministry"},
            {"start": 28, "end": 38, "token_start": 6, "token_end": 7, "label": "QUANTITY",
             "text": "33 strikes"},
            {**claim, "text": "33 strikes hit targets", "claim_type": "quantity",
             "hedged": False, "quantities": [QUANTITY]},
        ],
        "relations": [
            {"head": 9, "child": 4, "head_span": claim, "child_span": org,
             "label": "CLAIMANT"},
            {"head": 9, "child": 5, "head_span": claim,
             "child_span": {"start": 23, "end": 27, "token_start": 5, "token_end": 5,
                            "label": "CUE"},
             "label": "CUE"},
        ],
        "answer": "accept",
        "meta": {"id": "flag", "title": "Kyiv", "source": "wire", "annotator": "ana",
                 "offsets": "codepoint"},
    }  # fmt: skip


def test_spacy(flag_db: Database, tmp_path: Path) -> None:
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    out = _export(flag_db, tmp_path, "spacy")
    assert sorted(p.name for p in out.iterdir()) == ["docs-00000.spacy", "manifest.json"]
    (doc,) = DocBin(store_user_data=True).from_disk(out / "docs-00000.spacy").get_docs(Vocab())
    assert doc.text == TEXT
    assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == [
        (3, 7, "GPE"),
        (10, 22, "ORG"),
        (28, 38, "QUANTITY"),
    ]
    assert [(s.start_char, s.end_char, s.label_) for s in doc.spans["claims"]] == [
        (28, 50, "CLAIM")
    ]
    assert [(s.start_char, s.end_char) for s in doc.spans["cues"]] == [(23, 27)]
    assert [s.text for s in doc.sents] == [
        "🇺🇦 Kyiv 😀\n",
        "The ministry said 33 strikes hit targets.\n",
    ]
    assert doc.user_data == {
        "id": "flag",
        "title": "Kyiv",
        "source": "wire",
        "annotator": "ana",
        "offsets": "codepoint",
        "claims": (
            {"id": "c1", "start": 28, "end": 50, "label": "CLAIM", "type": "quantity",
             "hedged": False, "claimant": {"start": 10, "end": 22, "label": "ORG"},
             "cue": {"start": 23, "end": 27}, "quantities": (QUANTITY,)},
        ),
    }  # fmt: skip


CONLL = """\
-DOCSTART- -X- -X- O

🇺🇦 O O
Kyiv B-GPE O
😀 O O

The B-ORG O
ministry I-ORG O
said O O
33 B-QUANTITY B-CLAIM
strikes I-QUANTITY I-CLAIM
hit O I-CLAIM
targets O I-CLAIM
. O O

"""


def test_conll(flag_db: Database, tmp_path: Path) -> None:
    assert _export(flag_db, tmp_path, "conll").read_text(encoding="utf-8") == CONLL


def test_hf(flag_db: Database, tmp_path: Path) -> None:
    out = _export(flag_db, tmp_path, "hf")
    labels = orjson.loads((out / "labels.json").read_bytes())
    ner = labels["ner_tags"]
    assert ner[:5] == ["O", "B-PERSON", "I-PERSON", "B-ORG", "I-ORG"]
    assert labels["claim_tags"] == ["O", "B-CLAIM", "I-CLAIM"]
    rows = _lines(out / "data.jsonl")
    tags = [[ner[i] for i in row["ner_tags"]] for row in rows]
    assert [row["id"] for row in rows] == ["flag:0", "flag:1"]
    assert rows[1]["tokens"] == ["The", "ministry", "said", "33", "strikes", "hit", "targets", "."]
    assert tags == [
        ["O", "B-GPE", "O"],
        ["B-ORG", "I-ORG", "O", "B-QUANTITY", "I-QUANTITY", "O", "O", "O"],
    ]
    assert [row["claim_tags"] for row in rows] == [[0, 0, 0], [0, 0, 0, 1, 2, 2, 2, 0]]
    assert rows[0] == {
        "id": "flag:0",
        "document_id": "flag",
        "sentence": 0,
        "tokens": ["🇺🇦", "Kyiv", "😀"],
        "ner_tags": [0, ner.index("B-GPE"), 0],
        "claim_tags": [0, 0, 0],
    }


BRAT_ANN = """\
T1\tGPE 3 7\tKyiv
T2\tORG 10 22\tThe ministry
T3\tQUANTITY 28 38\t33 strikes
T4\tCLAIM 28 50\t33 strikes hit targets
T5\tCUE 23 27\tsaid
R1\tClaimant Arg1:T4 Arg2:T2
R2\tCue Arg1:T4 Arg2:T5
A1\tClaimType T4 quantity
"""


def test_brat(flag_db: Database, tmp_path: Path) -> None:
    out = _export(flag_db, tmp_path, "brat")
    assert sorted(p.name for p in out.iterdir()) == [
        "annotation.conf",
        "flag.ann",
        "flag.txt",
        "manifest.json",
    ]
    assert (out / "flag.txt").read_bytes() == TEXT.encode("utf-8")
    assert (out / "flag.ann").read_text(encoding="utf-8") == BRAT_ANN
    conf = (out / "annotation.conf").read_text(encoding="utf-8")
    assert "\nCLAIM\nCUE\n" in conf and "Hedged\tArg:CLAIM" in conf
    assert "ClaimType\tArg:CLAIM, Value:quantity|event|quote|causal|prediction|other" in conf


def test_doccano(flag_db: Database, tmp_path: Path) -> None:
    (record,) = _lines(_export(flag_db, tmp_path, "doccano"))
    assert record == {
        "id": "flag",
        "text": TEXT,
        "entities": [
            {"id": 1, "label": "GPE", "start_offset": 3, "end_offset": 7},
            {"id": 2, "label": "ORG", "start_offset": 10, "end_offset": 22},
            {"id": 3, "label": "QUANTITY", "start_offset": 28, "end_offset": 38},
            {"id": 4, "label": "CLAIM", "start_offset": 28, "end_offset": 50,
             "claim_type": "quantity", "hedged": False},
            {"id": 5, "label": "CUE", "start_offset": 23, "end_offset": 27},
        ],
        "relations": [
            {"id": 1, "from_id": 4, "to_id": 2, "type": "Claimant"},
            {"id": 2, "from_id": 4, "to_id": 5, "type": "Cue"},
        ],
        "offsets": "codepoint",
        "meta": {"title": "Kyiv", "source": "wire", "annotator": "ana"},
    }  # fmt: skip


def _region(rid: str, start: int, end: int, label: str) -> dict:
    return {
        "id": rid, "from_name": "label", "to_name": "text", "type": "labels",
        "origin": "manual",
        "value": {"start": start, "end": end, "text": TEXT[start:end], "labels": [label]},
    }  # fmt: skip


def _choice(name: str, value: str) -> dict:
    return {
        "id": "c1", "from_name": name, "to_name": "text", "type": "choices",
        "value": {"start": 28, "end": 50, "text": "33 strikes hit targets", "choices": [value]},
    }  # fmt: skip


def test_labelstudio(flag_db: Database, tmp_path: Path) -> None:
    out = _export(flag_db, tmp_path, "labelstudio")
    assert out.read_bytes().startswith(b"[\n{") and out.read_bytes().endswith(b"}\n]\n")
    (task,) = orjson.loads(out.read_bytes())
    relation = {"type": "relation", "from_id": "c1", "direction": "right"}
    assert task == {
        "id": 1,
        "data": {"text": TEXT, "document_id": "flag", "title": "Kyiv", "source": "wire"},
        "meta": {"offsets": "codepoint", "annotator": "ana"},
        "annotations": [
            {
                "result": [
                    _region("e1", 3, 7, "GPE"),
                    _region("e2", 10, 22, "ORG"),
                    _region("e3", 28, 38, "QUANTITY"),
                    _region("c1", 28, 50, "CLAIM"),
                    _choice("claim_type", "quantity"),
                    _choice("hedged", "false"),
                    {**relation, "to_id": "e2", "labels": ["Claimant"]},
                    _region("c1-cue", 23, 27, "CUE"),
                    {**relation, "to_id": "c1-cue", "labels": ["Cue"]},
                ],
                "was_cancelled": False,
                "ground_truth": False,
            }
        ],
    }


def test_claims_tsv(flag_db: Database, tmp_path: Path) -> None:
    assert _export(flag_db, tmp_path, "claims-tsv").read_bytes().decode("utf-8") == (
        "sentence_id\tdocument_id\ttext\tclaim\r\n"
        "flag:0\tflag\t🇺🇦 Kyiv 😀\t0\r\n"
        "flag:1\tflag\tThe ministry said 33 strikes hit targets.\t1\r\n"
    )


def test_claims_json(flag_db: Database, tmp_path: Path) -> None:
    (record,) = _lines(_export(flag_db, tmp_path, "claims-json"))
    assert record == {
        "id": "c1",
        "document_id": "flag",
        "offsets": "codepoint",
        "start": 28,
        "end": 50,
        "text": "33 strikes hit targets",
        "label": "CLAIM",
        "type": "quantity",
        "hedged": False,
        "claimant": {"id": "e2", "start": 10, "end": 22, "text": "The ministry", "label": "ORG"},
        "cue": {"start": 23, "end": 27, "text": "said"},
        "sentence": {
            "index": 1,
            "start": 10,
            "end": 51,
            "text": "The ministry said 33 strikes hit targets.",
        },
        "quantities": [{"figure": "33", "unit": "", "counted": "strikes"}],
        "annotator": "ana",
        "origin": "manual",
    }


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_has_an_exact_test(fmt: str) -> None:
    assert f"test_{fmt.replace('-', '_')}" in globals()


def test_claimreview(db: Database, tmp_path: Path) -> None:
    claims_project(db)  # two articles report one claim; two others differ in figure or general
    out = tmp_path / "reviews.jsonl"
    summary = export(db, out, fmt="claimreview")
    assert summary.documents == 4 and summary.checked
    assert check_export(out, "claimreview") == []
    first = {
        "@type": "CreativeWork",
        "identifier": "article-1",
        "headline": "Strikes in Idlib",
        "url": "https://harbour.example/1",
        "datePublished": "2026-03-02",
        "publisher": {"@type": "Organization", "name": "Harbour Post"},
    }
    (review,) = _lines(out)
    assert review == {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "identifier": "claim-group-1",
        "claimReviewed": "Russian aircraft carried out 33 air strikes in 24 hours",
        "description": "Reported in 2 articles: same figure 33 air strikes; same figure 24 "
        "hours; same entity Kartapolov; wording 0.29",
        "itemReviewed": {
            "@type": "Claim",
            "appearance": [
                first,
                {
                    "@type": "CreativeWork",
                    "identifier": "article-2",
                    "headline": "Air group busy",
                    "url": "https://ledger.example/2",
                    "datePublished": "2026-03-03",
                    "publisher": {"@type": "Organization", "name": "Northern Ledger"},
                },
            ],
            "author": {"@type": "Person", "name": "Kartapolov"},
            "datePublished": "2026-03-02",
            "firstAppearance": first,
        },
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
