"""``annotator team``: the annotators, their roles, K annotators per document, and the hand-out
of the next document to one annotator. Whoever can reach the database may change roles here
(the window asks for a reviewer; see annotator.services.team)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from annotator.cli.shared import EXIT_OK, EXIT_REJECTED, db_option, print_json

if TYPE_CHECKING:
    from annotator.services.team import TeamService


def register(subparsers: Any) -> None:
    team = subparsers.add_parser(
        "team",
        help="annotators, reviewers and how many annotators each document gets",
        description="Without an action: list the annotators with their role and counts.",
    )
    db_option(team)
    team.add_argument("--json", action="store_true", help="machine-readable list")
    actions = team.add_subparsers(dest="team_action", metavar="ACTION")

    listing = actions.add_parser("list", help="annotators with role and counts (the default)")
    db_option(listing)
    listing.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS, help="machine-readable"
    )

    add = actions.add_parser("add", help="add an annotator")
    db_option(add)
    add.add_argument("name", metavar="NAME")
    add.add_argument("--reviewer", action="store_true", help="who may see everyone's work")

    reviewer = actions.add_parser("reviewer", help="make NAME a reviewer (--off: no longer)")
    db_option(reviewer)
    reviewer.add_argument("name", metavar="NAME")
    reviewer.add_argument("--off", action="store_true", help="remove the reviewer role")

    per_document = actions.add_parser(
        "per-document",
        help="K: hand each document to K annotators (0: no limit)",
        description="'Next document' hands out documents until each has K annotators; 0 "
        "(the default) hands every annotator every document. Documents already done count.",
    )
    db_option(per_document)
    per_document.add_argument("k", type=int, metavar="K")

    take = actions.add_parser(
        "next",
        help="hand the next document to an annotator and print its id",
        description="What the window's 'Done, next unfinished' does: the annotator's open "
        "assignment, else a new document with a free slot. Exits 1 when none is left.",
    )
    db_option(take)
    take.add_argument("--annotator", required=True, metavar="NAME", help="who asks")
    take.add_argument(
        "--after", type=int, default=0, metavar="ID", help="the current document's id"
    )
    team.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from annotator.services.project import open_project
    from annotator.services.team import AddAnnotator, SetPerDocument, SetReviewer, TeamService

    team = TeamService(open_project(args.db, seed=False, create=False))
    action = args.team_action or "list"
    if action == "add":
        team.apply(AddAnnotator(args.name, args.reviewer))
        role = "reviewer" if args.reviewer else "annotator"
        print(f"Added {args.name.strip()} as {role}.")
    elif action == "reviewer":
        team.apply(SetReviewer(args.name, not args.off))
        print(f"{args.name} is {'no longer' if args.off else 'now'} a reviewer.")
    elif action == "per-document":
        team.apply(SetPerDocument(args.k))
        shown = "no limit" if args.k == 0 else str(args.k)
        print(f"Annotators per document: {shown}.")
    elif action == "next":
        found = team.take_next(args.annotator, args.after)
        if found is None:
            print(f"annotator: nothing left to hand to {args.annotator}", file=sys.stderr)
            return EXIT_REJECTED
        print(found)
    else:
        _list(team, as_json=args.json)
    return EXIT_OK


def _list(team: TeamService, *, as_json: bool) -> None:
    members = team.members()
    k = team.per_document()
    if as_json:
        data = {
            "annotators_per_document": k,
            "annotators": [
                {
                    "name": m.name,
                    "reviewer": m.is_reviewer,
                    "assigned": m.assigned,
                    "open": m.open,
                    "done": m.done,
                    "skipped": m.skipped,
                    "spans": m.spans,
                }
                for m in members
            ],
        }
        print_json(data)
        return
    print(f"Annotators per document: {k or 'no limit'}")
    if not members:
        print("No annotators yet.")
        return
    width = max(len(m.name) for m in members)
    print(f"{'NAME':<{width}}  ROLE       ASSIGNED  OPEN  DONE  SKIPPED  SPANS")
    for m in members:
        role = "reviewer" if m.is_reviewer else "annotator"
        print(
            f"{m.name:<{width}}  {role:<9}  {m.assigned:>8}  {m.open:>4}  {m.done:>4}  "
            f"{m.skipped:>7}  {m.spans:>5}"
        )
