#!/bin/sh
# Regenerates the README gallery (docs/gallery/*.png) from the shipped input, exactly as a
# newcomer's `cargo run --release -- run` draws it (default size, 1600x900), plus two charts
# from the UN General Debate slice grouped by year when ../shared/corpora/ungdc-1990-2004
# (or $UNGD_DIR) exists. Charts are byte-for-byte reproducible, so rerunning this script
# changes the committed files only when the charts themselves changed.
#
#   sh docs/make-gallery.sh
set -eu

cd "$(dirname "$0")/.."
gallery=docs/gallery
ungd_dir=${UNGD_DIR:-../shared/corpora/ungdc-1990-2004}
# Files above this size do not belong in a README gallery.
max_bytes=153600

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

cargo build --release --quiet
bin=$(cargo metadata --format-version 1 --no-deps |
    sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')/release/topictrends

mkdir -p "$gallery"
rm -f "$gallery"/*.png

echo "gallery: shipped input (input/, config/topictrends.toml)"
"$bin" --quiet run --output "$tmp/shipped"
charts="$tmp/shipped/charts"
cp "$charts/theme_trends.png" "$gallery/theme_trends.png"
cp "$charts/theme_heatmap.png" "$gallery/theme_heatmap.png"
cp "$charts/themes/Cyber_mercenaries.png" "$gallery/theme_Cyber_mercenaries.png"
cp "$charts/top_terms/Session_7.png" "$gallery/top_terms_Session_7.png"
cp "$charts/keyness/Session_7.png" "$gallery/keyness_Session_7.png"
cp "$charts/term_trends.png" "$gallery/term_trends.png"

if [ -d "$ungd_dir" ]; then
    echo "gallery: UN General Debate slice by year ($ungd_dir)"
    "$bin" --quiet run --config config/examples/ungd-by-year.toml \
        --input "$ungd_dir" --output "$tmp/ungd"
    cp "$tmp/ungd/charts/theme_trends.png" "$gallery/ungd_theme_trends_by_year.png"
    cp "$tmp/ungd/charts/keyness/2001.png" "$gallery/ungd_keyness_2001.png"
else
    echo "gallery: $ungd_dir not found; the General Debate charts are left out" >&2
fi

status=0
for f in "$gallery"/*.png; do
    size=$(wc -c <"$f")
    if [ "$size" -gt "$max_bytes" ]; then
        echo "gallery: $f is $size bytes, above $max_bytes" >&2
        status=1
    fi
done
ls -l "$gallery"
exit "$status"
