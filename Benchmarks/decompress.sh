#!/bin/sh
# The pure decoders (ConsoleCore/Compression: inflate, LZMA, xz): a gzip'd console font, a gzip'd 2560x1600
# frame, OVMF's LZMA-compressed volumes (what reading the EDK2 font costs, once: it is cached) and a kernel's .xz,
# in the release build and in the debug build the tests use; gzip/xz themselves (zlib, liblzma) for scale.
set -e
cd "$(dirname "$0")/.."
out=${BENCH_OUT:-/tmp}/decompress.txt
: > "$out"
for conf in release debug; do
    swift build -c $conf --product DecompressBench >/dev/null
    "$(swift build -c $conf --show-bin-path)/DecompressBench" "$@" | tee -a "$out"
done
ms() { s=$(date +%s%N); "$@" >/dev/null; echo $(( ($(date +%s%N) - s) / 1000000 )); }
font=/usr/share/consolefonts/Lat15-Terminus32x16.psf.gz
frame=Tests/ConsoleCoreTests/Fixtures/fleet-fb1600.ppm.gz
[ -f $font ] && echo "for scale: gzip -dc $font: $(ms gzip -dc $font) ms (whole process)" | tee -a "$out"
echo "for scale: gzip -dc $frame: $(ms gzip -dc $frame) ms (whole process)" | tee -a "$out"
