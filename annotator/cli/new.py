"""``annotator new``: create a project with the labels of a schema template."""

from __future__ import annotations

import argparse
from typing import Any

from annotator.cli.shared import EXIT_OK, db_option
from annotator.core.schema import TEMPLATES


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "new",
        help="create a project with a label schema template",
        description="Create the project at --db (a new file, or an empty database) with the "
        "labels of a template. An existing project is refused.",
    )
    db_option(parser)
    parser.add_argument(
        "--template",
        choices=[t.key for t in TEMPLATES],
        default=TEMPLATES[0].key,
        help="; ".join(f"{t.key}: {t.title}" for t in TEMPLATES) + f" (default {TEMPLATES[0].key})",
    )
    parser.add_argument(
        "--no-seed-lists",
        dest="seed_lists",
        action="store_false",
        help="do not suggest well-known places, nationalities and organisations from the "
        "start (the seed lists; they can be switched on later in the preferences)",
    )
    parser.add_argument(
        "--pipeline",
        metavar="NAME_OR_FOLDER",
        help="suggest entities from the start with an installed spaCy pipeline (a package "
        "name, or a folder saved with nlp.to_disk) that has an entity recogniser; its labels "
        "are mapped to the template's (PERSON to persons, GPE/LOC/FAC to places...). Nothing "
        "is downloaded",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from annotator.services.labels import create_project
    from annotator.services.project import location

    schema = create_project(
        args.db, args.template, seed_lists=args.seed_lists, pipeline=args.pipeline
    )
    print(
        f"Created {location(args.db)} with {schema.name} "
        f"({len(schema.entities)} entity labels), label schema version {schema.version}"
        f"{'' if args.seed_lists else ', without the seed lists'}"
        f"{f', suggesting from the pipeline {args.pipeline}' if args.pipeline else ''}."
    )
    return EXIT_OK
