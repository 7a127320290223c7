#!/bin/sh
# Regenerates the README gallery (docs/gallery/*.png) from the shipped input, exactly as a
# newcomer's `cargo run --release -- run` draws it (default size, 1600x900), plus charts
# from the UN General Debate slice grouped by year, and over 229 generated years, when
# ../shared/corpora/ungdc-1990-2004 (or $UNGD_DIR) exists; then docs/report.png, a
# screenshot of the slice's report.html, when a headless Chromium is installed. Charts are byte-for-byte reproducible, so rerunning this script
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

status=0
if [ -d "$ungd_dir" ]; then
    echo "gallery: UN General Debate slice by year ($ungd_dir)"
    "$bin" --quiet run --config config/examples/ungd-by-year.toml \
        --input "$ungd_dir" --output "$tmp/ungd"
    cp "$tmp/ungd/charts/theme_trends.png" "$gallery/ungd_theme_trends_by_year.png"
    cp "$tmp/ungd/charts/keyness/2001.png" "$gallery/ungd_keyness_2001.png"

    # The same speeches given generated dates: one year each, 1780 to 2018 without the 1860s
    # (229 years, one ten-year gap), to show the dense charts on a true date axis.
    echo "gallery: the same speeches over 229 generated years"
    ls "$ungd_dir" | grep '\.txt$' | LC_ALL=C sort | awk '
        BEGIN { n = 0; for (y = 1780; y <= 2018; y++) if (y < 1861 || y > 1870) years[n++] = y; print "file,date" }
        { k = NR - 1; printf "%s,%04d-%02d-%02d\n", $0, years[k % n], 1 + (k * 7) % 12, 1 + (k * 13) % 28 }
    ' >"$tmp/years229.csv"
    printf '[input]\ninclude = ["txt"]\n[output]\nworkbook = false\n[metadata]\nmanifest = "%s"\ngroup_by = "year"\n[themes]\nfile = "%s"\n' \
        "$tmp/years229.csv" "$PWD/config/themes.toml" >"$tmp/years229.toml"
    "$bin" --quiet run --config "$tmp/years229.toml" --input "$ungd_dir" --output "$tmp/years229"
    cp "$tmp/years229/charts/theme_trends.png" "$gallery/ungd_229_years_theme_trends.png"
    cp "$tmp/years229/charts/themes/Capacity_building.png" "$gallery/ungd_229_years_Capacity_building.png"

    # The README's screenshot of report.html, when a headless Chromium is at hand (a browser
    # draws it, so unlike the charts it is not byte-for-byte reproducible across versions).
    browser=""
    for b in chromium-headless-shell chromium chromium-browser google-chrome; do
        if command -v "$b" >/dev/null 2>&1; then
            browser=$b
            break
        fi
    done
    if [ -n "$browser" ]; then
        echo "gallery: docs/report.png ($browser)"
        "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
            --disable-background-networking --disable-component-update --disable-sync \
            --hide-scrollbars --user-data-dir="$tmp/profile" \
            --screenshot="$PWD/docs/report.png" --window-size=1280,2000 \
            "file://$tmp/ungd/report.html" >/dev/null 2>&1
        size=$(wc -c <docs/report.png)
        if [ "$size" -gt 512000 ]; then
            echo "gallery: docs/report.png is $size bytes, above 512000" >&2
            status=1
        fi
    else
        echo "gallery: no headless Chromium; docs/report.png is left as it is" >&2
    fi
else
    echo "gallery: $ungd_dir not found; the General Debate charts are left out" >&2
fi

for f in "$gallery"/*.png; do
    size=$(wc -c <"$f")
    if [ "$size" -gt "$max_bytes" ]; then
        echo "gallery: $f is $size bytes, above $max_bytes" >&2
        status=1
    fi
done
ls -l "$gallery"
exit "$status"
