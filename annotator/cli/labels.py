"""``annotator new`` (a project from a schema template) and ``annotator labels`` (the
project's label schema). Registered by :mod:`annotator.cli`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

import orjson

from annotator.core.schema import TEMPLATES


def add_parsers(sub: Any, db_option: Callable[..., None]) -> None:
    new = sub.add_parser(
        "new",
        help="create a project with a label schema template",
        description="Create the project at --db (a new file, or an empty database) with the "
        "labels of a template. An existing project is refused.",
    )
    db_option(new, top=False)
    new.add_argument(
        "--template",
        choices=[t.key for t in TEMPLATES],
        default=TEMPLATES[0].key,
        help="; ".join(f"{t.key}: {t.title}" for t in TEMPLATES) + f" (default {TEMPLATES[0].key})",
    )
    labels = sub.add_parser("labels", help="show the project's label schema and its version")
    db_option(labels, top=False)
    labels.add_argument("--json", action="store_true", help="the schema as JSON")


def run(args: argparse.Namespace) -> int:
    from annotator.cli import EXIT_OK
    from annotator.storage.engine import mask, resolve_url, sqlite_path

    if args.command == "new":
        from annotator.services.labels import create_project

        url = resolve_url(args.db)
        schema = create_project(args.db, args.template)
        print(
            f"Created {sqlite_path(url) or mask(url)} with {schema.name} "
            f"({len(schema.entities)} entity labels), label schema version {schema.version}."
        )
        return EXIT_OK
    from annotator.services.project import open_project

    db = open_project(args.db, seed=False)
    try:
        with db.read() as store:
            schema = store.schema()
    finally:
        db.close()
    if args.json:
        sys.stdout.write(orjson.dumps(schema.to_dict(), option=orjson.OPT_INDENT_2).decode())
        sys.stdout.write("\n")
        return EXIT_OK
    print(f"{schema.name}, version {schema.version}")
    for entity in schema.entities:
        key = (entity.hotkey or "-").upper()
        print(f"  {key}  {entity.name:<14} {entity.color}  {entity.description}")
    print(
        f"  {(schema.claim_hotkey or '-').upper()}  {schema.claim_label:<14} "
        f"{schema.claim_color}  types: {', '.join(schema.claim_types)}"
    )
    return EXIT_OK
