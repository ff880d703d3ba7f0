#!/usr/bin/env bash
# Build the desktop bundle with PyInstaller (Linux and macOS; Windows: packaging/build.ps1):
#
#   bash packaging/build.sh            # -> dist/Annotator/ (macOS: also dist/Annotator.app)
#   bash packaging/build.sh --smoke    # ... then run packaging/smoke_test.sh on it
#
# Makes its own virtual environment (build/bundle-venv) with Annotator's dependencies and
# PyInstaller, so the result does not depend on what .venv holds. PYTHON picks the interpreter
# (3.11 or newer; the bundle carries that Python), BUNDLE_VENV the environment's folder.
set -euo pipefail
cd "$(dirname "$0")/.."
python="${PYTHON:-python3}"
venv="${BUNDLE_VENV:-build/bundle-venv}"
started=$SECONDS

mkdir -p build
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip
# The dependencies exactly as pyproject.toml states them (markers included). The package itself
# is not installed: the spec analyses this checkout.
"$venv/bin/python" - >build/bundle-requirements.txt <<'EOF'
import tomllib

with open("pyproject.toml", "rb") as file:
    print("\n".join(tomllib.load(file)["project"]["dependencies"]))
EOF
"$venv/bin/python" -m pip install --quiet -r build/bundle-requirements.txt "pyinstaller>=6.10,<7"
"$venv/bin/python" -m PyInstaller --noconfirm --clean \
  --distpath dist --workpath build/pyinstaller packaging/annotator.spec

echo "built dist/Annotator in $((SECONDS - started)) s, $(du -sh dist/Annotator | cut -f1)"
if [ "${1:-}" = "--smoke" ]; then
  bash packaging/smoke_test.sh
fi
