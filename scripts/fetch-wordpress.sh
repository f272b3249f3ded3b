#!/usr/bin/env bash
# Unpacks Debian's wordpress package (a real, clean WordPress release) into
# .cache/wordpress without installing it or its dependencies, so tests and
# benchmarks can scan a genuine core tree. Its symlinks into other Debian
# packages dangle here, which the scanner must report and skip.
set -euo pipefail
dest=${1:-.cache/wordpress}
[ -f "$dest/usr/share/wordpress/wp-includes/version.php" ] && exit 0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
if ! apt-get download wordpress >/dev/null 2>&1; then
  apt-get update -qq
  apt-get download wordpress >/dev/null
fi
cd - >/dev/null
mkdir -p "$dest"
dpkg-deb -x "$work"/wordpress_*.deb "$dest"
echo "WordPress unpacked in $dest/usr/share/wordpress"
