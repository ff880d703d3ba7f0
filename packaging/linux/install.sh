#!/usr/bin/env bash
# Install a built bundle for one user (no root): the folder, a launcher on PATH, the menu entry
# (which also offers Annotator for .sqlite files in the file manager), the icons and the
# AppStream data, in the freedesktop locations under PREFIX (default ~/.local).
#
#   bash packaging/linux/install.sh [BUNDLE]      # BUNDLE defaults to dist/Annotator
#   PREFIX=/opt/annotator-root bash packaging/linux/install.sh dist/Annotator
#
# Uninstall: delete $PREFIX/lib/annotator, $PREFIX/bin/annotator and the files named
# io.github.annotator.Annotator.* under $PREFIX/share.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bundle="$(cd "${1:-$root/dist/Annotator}" && pwd)"
prefix="${PREFIX:-$HOME/.local}"
id=io.github.annotator.Annotator

[ -x "$bundle/annotator" ] || { echo "no executable $bundle/annotator: build first" >&2; exit 1; }

mkdir -p "$prefix/lib" "$prefix/bin"
rm -rf "$prefix/lib/annotator"
cp -a "$bundle" "$prefix/lib/annotator"
ln -sfn "$prefix/lib/annotator/annotator" "$prefix/bin/annotator"

# Menus do not always search ~/.local/bin: the installed entry runs the launcher by full path.
mkdir -p "$prefix/share/applications"
sed "s|^Exec=annotator |Exec=$prefix/bin/annotator |" "$here/$id.desktop" \
  >"$prefix/share/applications/$id.desktop"
install -D -m 644 "$here/$id.metainfo.xml" "$prefix/share/metainfo/$id.metainfo.xml"
for size in 16 32 48 64 128 256; do
  install -D -m 644 "$root/resources/icons/annotator-$size.png" \
    "$prefix/share/icons/hicolor/${size}x${size}/apps/$id.png"
done
install -D -m 644 "$root/resources/icons/annotator.svg" \
  "$prefix/share/icons/hicolor/scalable/apps/$id.svg"

# Refresh the desktop's caches where the tools exist; a missing tool only delays the menu entry.
if command -v update-desktop-database >/dev/null; then
  update-desktop-database -q "$prefix/share/applications" || true
fi
if command -v gtk-update-icon-cache >/dev/null; then
  gtk-update-icon-cache -q -t "$prefix/share/icons/hicolor" || true
fi
echo "installed Annotator in $prefix (run: $prefix/bin/annotator)"
