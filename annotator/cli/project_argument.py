"""``annotator PROJECT.sqlite`` (what a file manager runs for "Open with", and the .desktop
file's ``%f``) opens that project in the window: the same as ``annotator --db PROJECT.sqlite``.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Sequence

#: A lone argument with one of these endings (or a URL) is a project to open, not a command.
PROJECT_SUFFIXES = frozenset({".sqlite", ".sqlite3", ".db"})


def looks_like_project(arg: str) -> bool:
    return "://" in arg or os.path.splitext(arg)[1].lower() in PROJECT_SUFFIXES


def project_argument(argv: Sequence[str], commands: Collection[str]) -> list[str]:
    """Turn ``[options] PROJECT`` into ``[options] --db PROJECT``; other argument lists are
    returned as they are (argparse reports their mistakes). Raises ValueError when a project
    is given twice."""
    args = list(argv)
    db_given = False
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--db":
            db_given, index = True, index + 2
        elif arg.startswith("-"):
            db_given = db_given or arg.startswith("--db=")
            index += 1
        else:
            break
    # Only a last, lone positional: "annotator x.sqlite import ..." stays a usage error.
    if index != len(args) - 1 or args[index] in commands or not looks_like_project(args[index]):
        return args
    if db_given:
        from annotator.services.project import shown_target  # a password never reaches stderr

        raise ValueError(f"give the project once: {shown_target(args[index])} or --db, not both")
    return [*args[:index], "--db", args[index]]
