#!/usr/bin/env bash
# Regenerates every icon file from icons/neural-mlops.svg. The outputs are committed, so a
# build never needs these tools; run this only after changing the SVG, then commit the results.
#
#   PNG set 16..1024  icons/png/neural-mlops-<size>.png   (Linux menu icon, docs, sources of the rest)
#   Windows           icons/neural-mlops.ico              (16..256; 256 stored as PNG, as Vista+ expects)
#   macOS             icons/neural-mlops.icns             (16..1024)
#   window icon       src/main/resources/neural/mlops/app/icons/neural-mlops-256.png
#
# Tools (Debian/Ubuntu): sudo apt-get install librsvg2-bin icoutils icnsutils
set -euo pipefail
cd "$(dirname "$0")"

missing=()
for tool in rsvg-convert icotool png2icns; do
    command -v "$tool" > /dev/null || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "icons/generate.sh: missing ${missing[*]}; install them with: apt-get install librsvg2-bin icoutils icnsutils" >&2
    exit 1
fi

source_svg=neural-mlops.svg
sizes=(16 24 32 48 64 128 256 512 1024)

mkdir -p png
for size in "${sizes[@]}"; do
    rsvg-convert --width "$size" --height "$size" --keep-aspect-ratio "$source_svg" --output "png/neural-mlops-$size.png"
done

# Small sizes as classic bitmaps (every Windows version shows them), 256 as raw PNG.
icotool --create --output neural-mlops.ico \
    png/neural-mlops-16.png png/neural-mlops-24.png png/neural-mlops-32.png \
    png/neural-mlops-48.png png/neural-mlops-64.png png/neural-mlops-128.png \
    --raw=png/neural-mlops-256.png

png2icns neural-mlops.icns \
    png/neural-mlops-16.png png/neural-mlops-32.png png/neural-mlops-48.png \
    png/neural-mlops-128.png png/neural-mlops-256.png png/neural-mlops-512.png \
    png/neural-mlops-1024.png > /dev/null

window_icons=../src/main/resources/neural/mlops/app/icons
mkdir -p "$window_icons"
cp png/neural-mlops-256.png "$window_icons/neural-mlops-256.png"

echo "icons regenerated from $source_svg: png/ (${sizes[*]}), neural-mlops.ico, neural-mlops.icns, window icon"
