#!/usr/bin/env bash
# cpack -G DEB builds the Debian package; unpacked into a scratch root (dpkg -x, nothing is
# installed on the machine), it passes the same checks as an install: embed_test.sh on that tree.
#   deb_test.sh BUILD_DIR SOURCE_DIR
set -uo pipefail
build=$1 src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && cpack --config "$build/CPackConfig.cmake" -G DEB -B "$work/pkg" > "$work/cpack.log" 2>&1) ||
  { cat "$work/cpack.log"; exit 1; }
deb=$(ls "$work"/pkg/rulebook_*.deb 2>/dev/null | head -1)
[[ -n $deb ]] || { echo "FAIL no .deb was made"; cat "$work/cpack.log"; exit 1; }
echo "package: $(basename "$deb"), $(du -h "$deb" | cut -f1)"
dpkg-deb --field "$deb" Package Version Depends | sed 's/^/  /'
dpkg -x "$deb" "$work/root"
bash "$src/tests/embed_test.sh" "$build" "$src" "$work/root/usr"
