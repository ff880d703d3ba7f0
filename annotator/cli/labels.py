"""``annotator labels``: the project's label schema and its version, as text or JSON."""

from __future__ import annotations

import argparse
from typing import Any

from annotator.cli.shared import EXIT_OK, db_option, print_json


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("labels", help="show the project's label schema and its version")
    db_option(parser)
    parser.add_argument("--json", action="store_true", help="the schema as JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from annotator.services.labels import project_schema
    from annotator.services.project import open_project

    db = open_project(args.db, seed=False, create=False)
    try:
        schema = project_schema(db)
    finally:
        db.close()
    if args.json:
        print_json(schema.to_dict())
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
