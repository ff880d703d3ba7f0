"""The peer comparison, repeatable: Annotator against Label Studio and doccano on the same corpus.

Generates N articles with the import benchmark's generator (``bench_import.py``: about 3 KB
each, two outlets) as a folder of text files, as JSONL, and as a Label Studio task file; runs
our command line on them in fresh processes (``annotator import`` of the folder and of the
JSONL, ``annotator export`` of everything) and prints the seconds and documents per second of
each. No peer needs to be installed: the commands that time the same import in Label Studio
and doccano are printed for you to run (each needs its server running and a project made
first; both import through their web API).

    python benchmarks/compare_peers.py [--n 10000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_import


def annotator(*args: str) -> float:
    """Seconds one ``annotator`` command takes in a fresh process (start-up included, as a
    user would time it)."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "annotator", *args], check=True, capture_output=True)
    return time.perf_counter() - start


def label_studio_tasks(jsonl: Path, out: Path) -> None:
    """The articles as one Label Studio task list (``{"data": {"text": ...}}`` each)."""
    tasks = [
        {"data": {"text": record["text"], "title": record["title"]}}
        for record in map(orjson.loads, jsonl.read_bytes().splitlines())
    ]
    out.write_bytes(orjson.dumps(tasks))


def peer_commands(folder: Path, n: int) -> str:
    tasks, jsonl = folder / "label-studio-tasks.json", folder / "articles.jsonl"
    found = {name: shutil.which(name) for name in ("label-studio", "doccano")}
    status = ", ".join(
        f"{name}: {'found' if path else 'not installed'}" for name, path in found.items()
    )
    return f"""
Peers ({status}). Time the same corpus in each (start the server, make a project, then):

Label Studio (pip install label-studio; label-studio start --no-browser; make a text project
with a <Text name="text" value="$text"/> config; token: label-studio user --username YOU):
  time curl -s -H "Authorization: Token $TOKEN" -X POST \\
       http://localhost:8080/api/projects/1/import -F file=@{tasks}
  # the import is asynchronous: poll /api/projects/1/imports/<id>/ until it says completed,
  # and count {n} tasks in /api/projects/1/ (task_number).

doccano (pip install doccano; doccano init; doccano createuser --username admin --password
pass; doccano webserver & doccano task &; make a sequence-labelling project in the web page):
  # Dataset > Actions > Import Dataset > JSONL, column "text": {jsonl}
  # time from the upload to the last page of the dataset showing {n} examples.
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="write the corpus here and keep it")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="annotator-peers-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        jsonl, txt = folder / "articles.jsonl", folder / "txt"
        bench_import.build(jsonl, args.n)
        if txt.exists():
            shutil.rmtree(txt)
        bench_import.build_txt(txt, args.n)
        label_studio_tasks(jsonl, folder / "label-studio-tasks.json")
        for old in folder.glob("*.sqlite*"):
            old.unlink()
        txt_db, jsonl_db = str(folder / "txt.sqlite"), str(folder / "jsonl.sqlite")
        runs = [
            ("import txt folder", annotator("import", str(txt), "--db", txt_db, "--quiet")),
            ("import JSONL", annotator("import", str(jsonl), "--db", jsonl_db, "--quiet")),
        ]
        out = folder / "export.jsonl"
        export = ("export", "--db", jsonl_db, "--format", "annotator", "--all", "--quiet")
        runs.append(("export native JSONL (--all)", annotator(*export, "--out", str(out))))
        print(f"Annotator, {args.n} articles (fresh process each, start-up included):")
        for name, seconds in runs:
            print(f"  {name:<30}{seconds:>8.2f} s{args.n / seconds:>10.0f} docs/s")
        print(peer_commands(folder, args.n))
        if args.keep is None:
            print("(the corpus is removed now: run with --keep DIR to keep it for the peers)")
        else:
            print(f"corpus kept in {folder}")
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
