#!/bin/sh
# Vendor Bootstrap's compiled CSS and JS bundle (MIT licence, kept beside them) into the panel's static files:
# the panel runs offline and its pages load nothing from a CDN.
#   tools/vendor-bootstrap.sh 5.3.9
# The sourceMappingURL comments are dropped (the maps are not shipped, and Django's manifest storage would look
# for them).
set -eu
version=${1:?usage: $0 VERSION}
dest=$(cd "$(dirname "$0")/.." && pwd)/panel/reseller_panel/core/static/vendor/bootstrap
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "bootstrap@$version" >/dev/null && tar xzf bootstrap-*.tgz)
rm -rf "$dest" && mkdir -p "$dest/css" "$dest/js"
sed '/sourceMappingURL=/d' "$work/package/dist/css/bootstrap.min.css" > "$dest/css/bootstrap.min.css"
sed '/sourceMappingURL=/d' "$work/package/dist/js/bootstrap.bundle.min.js" > "$dest/js/bootstrap.bundle.min.js"
cp "$work/package/LICENSE" "$dest/LICENSE"
echo "$version" > "$dest/VERSION"
echo "Bootstrap $version vendored into $dest"
