"""``annotator agreement``: inter-annotator agreement as a table or JSON.

The figures come from :mod:`annotator.services.agreement` and mean what docs/team.md
("Agreement") says.
"""

from __future__ import annotations

import argparse
from typing import Any

from annotator.cli.progress import long_run
from annotator.cli.shared import (
    EXIT_OK,
    db_option,
    interrupted,
    print_json,
    quiet_option,
    usage_error,
)
from annotator.core.agreement import AgreementReport, SpanF1, figure

#: Hardest documents listed by default.
DEFAULT_DOCUMENTS = 20


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "agreement",
        help="inter-annotator agreement: span F1, token kappa, claim alpha, hardest documents",
        description="Agreement between annotators on the documents at least two of them "
        "marked done (the gold layer is left out): span F1 (exact and overlap) overall and "
        "per label, Cohen's kappa on token IOB2 tags, Krippendorff's alpha for claim type "
        "and hedged, claimant agreement, and the documents with the lowest agreement.",
    )
    db_option(parser)
    quiet_option(parser)
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument(
        "--annotators",
        metavar="A,B,...",
        help="only these annotators (comma-separated; naming gold compares against it)",
    )
    parser.add_argument(
        "--include-unfinished",
        action="store_true",
        help="count documents in progress as well as done ones",
    )
    parser.add_argument(
        "--documents",
        type=int,
        metavar="N",
        default=DEFAULT_DOCUMENTS,
        help=f"list the N hardest documents (default {DEFAULT_DOCUMENTS}; 0: all)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from annotator.core.errors import OperationCancelled
    from annotator.services.agreement import AgreementOptions, compute_agreement
    from annotator.services.project import open_project

    if args.documents < 0:
        return usage_error("agreement", "--documents must be 0 or more")
    annotators = None
    if args.annotators is not None:
        annotators = tuple(dict.fromkeys(n.strip() for n in args.annotators.split(",") if n))
        if len(annotators) < 2:
            return usage_error("agreement", "--annotators needs at least two names")
    db = open_project(args.db, seed=False, create=False)
    try:
        with long_run(quiet=args.quiet) as run:
            report = compute_agreement(
                db,
                AgreementOptions(annotators=annotators, include_unfinished=args.include_unfinished),
                progress=run.progress,
                cancel=run.cancel,
            )
    except OperationCancelled:
        return interrupted("agreement was not computed; nothing was changed")
    figures = limited(report, args.documents).to_dict()
    if args.json:
        print_json(figures)
    else:
        print(format_report(figures))
    return EXIT_OK


def limited(report: AgreementReport, documents: int) -> AgreementReport:
    """The report with only the ``documents`` hardest documents (0: all of them)."""
    if documents == 0:
        return report
    from dataclasses import replace

    return replace(report, documents=report.documents[:documents])


def _f1(value: dict[str, float | None] | SpanF1) -> str:
    if isinstance(value, SpanF1):
        return f"{figure(value.exact)} / {figure(value.overlap)}"
    return f"{figure(value['exact'])} / {figure(value['overlap'])}"


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return lines


def format_report(figures: dict[str, Any]) -> str:
    """The readable table: overall, per label, per pair, hardest documents first."""
    overall = figures["overall"]
    if overall["documents"] == 0:
        return (
            "No document has been finished by two or more annotators yet, so there is no "
            "agreement to measure (try --include-unfinished)."
        )
    lines = [
        f"Documents: {overall['documents']}   Annotators: {', '.join(overall['annotators'])}"
        f"   Pairs: {overall['pairs']}",
        "",
        "Overall (F1 exact / overlap; '-': nothing to compare)",
        f"  Entity span F1:          {_f1(overall['entities_f1'])}",
        f"  Claim span F1:           {_f1(overall['claims_f1'])}",
        f"  Token kappa (IOB2):      {figure(overall['token_kappa'])}",
        f"  Claim type alpha:        {figure(overall['claim_type_alpha'])}"
        f"   (over {overall['claim_units']} claim units)",
        f"  Hedged alpha:            {figure(overall['hedged_alpha'])}",
        f"  Claimant agreement:      {figure(overall['claimant_agreement'])}",
    ]
    if figures["labels"]:
        lines += ["", "Per label"]
        rows = [
            [
                row["layer"],
                row["label"],
                figure(row["f1"]["exact"]),
                figure(row["f1"]["overlap"]),
                figure(row["token_kappa"]),
                str(row["spans"]),
            ]
            for row in figures["labels"]
        ]
        lines += _table(["Layer", "Label", "F1 exact", "F1 overlap", "Kappa", "Spans"], rows)
    if len(figures["pairs"]) > 1:
        lines += ["", "Per pair"]
        rows = [
            [
                " / ".join(row["annotators"]),
                str(row["documents"]),
                _f1(row["entities_f1"]),
                _f1(row["claims_f1"]),
                figure(row["token_kappa"]),
            ]
            for row in figures["pairs"]
        ]
        lines += _table(["Pair", "Docs", "Entity F1", "Claim F1", "Kappa"], rows)
    if figures["documents"]:
        lines += ["", "Hardest documents first (agreement = exact span F1, both layers)"]
        rows = [
            [
                str(row["id"]),
                figure(row["agreement"]),
                _f1(row["entities_f1"]),
                _f1(row["claims_f1"]),
                figure(row["token_kappa"]),
                figure(row["claim_type_alpha"]),
                figure(row["hedged_alpha"]),
                figure(row["claimant_agreement"]),
                _shorten(row["title"]),
            ]
            for row in figures["documents"]
        ]
        headers = [
            "Id",
            "Agree",
            "Entity F1",
            "Claim F1",
            "Kappa",
            "Type a",
            "Hedged a",
            "Claimant",
            "Title",
        ]
        lines += _table(headers, rows)
    return "\n".join(lines)


def _shorten(title: str, width: int = 40) -> str:
    title = " ".join(title.split())
    return title if len(title) <= width else title[: width - 1] + "…"
