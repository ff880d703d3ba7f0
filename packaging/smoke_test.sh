#!/usr/bin/env bash
# Smoke test of a desktop bundle, or of any `annotator` command (an installed wheel too):
#
#   bash packaging/smoke_test.sh [EXECUTABLE...]
#
# EXECUTABLE defaults to the bundle that packaging/build.sh makes (dist/Annotator/annotator;
# on macOS dist/Annotator.app/Contents/MacOS/annotator); pass e.g. `.venv/bin/annotator` to
# test a source install, or `python -m annotator`. Needs no Python of its own and no display:
# the window runs on Qt's offscreen platform. Everything happens in a temporary folder with its
# own data and config directories, so the user's projects and settings are never touched.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ $# -gt 0 ]; then
  exe=("$@")
elif [ -x "$here/../dist/Annotator.app/Contents/MacOS/annotator" ]; then
  exe=("$here/../dist/Annotator.app/Contents/MacOS/annotator")
else
  exe=("$here/../dist/Annotator/annotator")
fi
demo="$here/../resources/demo/harbour-post-daily/01-port-strike.txt"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export QT_QPA_PLATFORM=offscreen
export ANNOTATOR_DATA_DIR="$work/data" ANNOTATOR_CONFIG_DIR="$work/config"
unset ANNOTATOR_DB
project="$work/smoke.sqlite"
started=$SECONDS

step() { printf '\n== %s\n' "$*"; }
fail() { printf 'SMOKE TEST FAILED: %s\n' "$*" >&2; exit 1; }

step "version"
"${exe[@]}" --version | grep -q '^annotator ' || fail "--version"

step "import a demo article into a fresh project"
"${exe[@]}" --db "$project" import "$demo" | tee "$work/import.log"
grep -q 'Imported 1 documents' "$work/import.log" || fail "import"

step "export it (native JSONL), and check the export"
"${exe[@]}" --db "$project" export --format annotator --all --out "$work/export.jsonl"
[ "$(wc -l <"$work/export.jsonl")" -eq 1 ] || fail "export: expected one record"
grep -q '"offsets":"codepoint"' "$work/export.jsonl" || fail "export: not native JSONL"
"${exe[@]}" export --check "$work/export.jsonl" --format annotator

step "export as spaCy DocBin (spaCy's tokenizer and DocBin inside the bundle)"
"${exe[@]}" --db "$project" export --format spacy --all --out "$work/spacy"
ls "$work/spacy"/*.spacy >/dev/null || fail "spacy export: no .spacy shard"

step "open the project in the window (positional PROJECT), offscreen, until it shows it"
ANNOTATOR_QUIT_AFTER_MS=60000 "${exe[@]}" "$project" 2>&1 | tee "$work/window.log"
grep -q 'window ready: .* — smoke — Annotator' "$work/window.log" || fail "window on the project"

step "start on the default project: schema, migrations and demo articles come from the bundle"
ANNOTATOR_QUIT_AFTER_MS=60000 "${exe[@]}" 2>&1 | tee "$work/default.log"
grep -q 'window ready: ' "$work/default.log" || fail "window on the default project"
"${exe[@]}" stats --json | tee "$work/stats.json" | grep -q '"documents": 8' \
  || fail "default project: expected the 8 demo articles"

# A Python exception inside a Qt slot is printed, not fatal: the run above would pass anyway.
if grep -l 'Traceback (most recent call last)' "$work"/*.log; then
  fail "a traceback was printed (see above)"
fi

printf '\nsmoke test passed in %ss\n' "$((SECONDS - started))"
