"""``annotator claims``: the same claim reported in several articles, group by group, as text
or JSON (see :mod:`annotator.services.claim_groups`)."""

from __future__ import annotations

import argparse
from typing import Any

from annotator.cli.progress import long_run
from annotator.cli.shared import EXIT_OK, db_option, interrupted, print_json, quiet_option
from annotator.core.errors import OperationCancelled


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "claims",
        help="the same claim in several articles",
        description="Group the confirmed claims that state the same thing in different "
        "articles (same figures, same entities, close wording) and list each group with "
        "its articles' outlet, date and address, and why its claims were matched.",
    )
    db_option(parser)
    quiet_option(parser)
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--annotator", help="only this annotator's claims (gold: the gold layer)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from annotator.services.claim_groups import find_claim_groups
    from annotator.services.project import open_project

    db = open_project(args.db, seed=False, create=False)
    try:
        with long_run(quiet=args.quiet) as progress:
            found = find_claim_groups(
                db, annotator=args.annotator, progress=progress.progress, cancel=progress.cancel
            )
    except OperationCancelled:
        return interrupted("nothing was changed")
    if args.json:
        print_json(found.to_json())
    else:
        print(format_groups(found))
    return EXIT_OK


def format_groups(found: Any) -> str:
    """The groups as the terminal shows them: each claim with its article, then the reasons."""
    if not found.groups:
        return f"No claim is reported in more than one article ({found.claims:,} claims compared)."
    articles = len({d for group in found.groups for d in group.document_ids})
    lines = [
        f"{len(found.groups):,} claim(s) reported in more than one article: "
        f"{articles:,} articles, {found.claims:,} claims compared."
    ]
    for number, group in enumerate(found.groups, 1):
        lines += ["", f"Group {number}: {len(group.document_ids)} articles"]
        marks = {claim_id: index for index, claim_id in enumerate(group.claim_ids, 1)}
        for claim_id in group.claim_ids:
            entry = found.entries[claim_id]
            where = entry.where
            place = ", ".join(p for p in (where.outlet, where.date) if p)
            lines.append(
                f"  [{marks[claim_id]}] {entry.document} {entry.title!r}"
                + (f" ({place})" if place else "")
            )
            lines.append(f"      {entry.text!r}")
            about = [
                "claimant: "
                + (
                    f"{entry.claimant} ({entry.claimant_label})"
                    if entry.claimant
                    else "unattributed"
                )
            ]
            if entry.cue:
                about.append(f"cue: {entry.cue!r}")
            if entry.hedged:
                about.append("hedged")
            lines.append("      " + "; ".join(about))
            if where.url:
                lines.append(f"      {where.url}")
        for link in group.links:
            lines.append(
                f"  why [{marks[link.first]}]~[{marks[link.second]}]: "
                f"{link.match.describe()} (score {link.match.score:.2f})"
            )
    return "\n".join(lines)
