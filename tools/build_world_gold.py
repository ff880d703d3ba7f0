"""Build ``resources/eval/world/dev.jsonl`` and ``test.jsonl`` (native JSONL) from the
``articles/*.txt`` there, with the markup and checks of the main corpus (``build_gold.py``
beside this script: offsets counted here, every span token-aligned, no overlaps).

    .venv/bin/python tools/build_world_gold.py          # rewrite both files
    .venv/bin/python tools/build_world_gold.py --check  # exit 1 if either is stale

An article's ``split`` header line says which file it goes to.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

TOOLS = Path(__file__).resolve().parent
HERE = TOOLS.parent / "resources" / "eval" / "world"
ARTICLES = HERE / "articles"
SPLITS = ("dev", "test")


def _main_builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("eval_build_gold", TOOLS / "build_gold.py")
    if spec is None or spec.loader is None:
        raise SystemExit("tools/build_gold.py is missing")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def build() -> dict[str, str]:
    builder = _main_builder()
    lines: dict[str, list[str]] = {split: [] for split in SPLITS}
    problems: list[str] = []
    for path in sorted(ARTICLES.glob("*.txt")):
        record = builder.record(builder.parse(path.name, path.read_text(encoding="utf-8")))
        split = record["meta"].get("split")
        if split not in lines:
            raise builder.MarkupError(f"{path.name}: split must be one of {', '.join(SPLITS)}")
        problems += builder.check_alignment(record)
        lines[split].append(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
    if problems:
        raise builder.MarkupError("\n".join(problems))
    return {split: "\n".join(rows) + "\n" if rows else "" for split, rows in lines.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check the files are current")
    args = parser.parse_args()
    try:
        built = build()
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 1
    stale = False
    for split, text in built.items():
        path = HERE / f"{split}.jsonl"
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                print(f"{path.name} is stale: run {Path(__file__).name}", file=sys.stderr)
                stale = True
        else:
            path.write_text(text, encoding="utf-8", newline="\n")
            print(f"wrote {path} ({text.count(chr(10))} articles)")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
