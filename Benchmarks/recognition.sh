#!/bin/sh
# Framebuffer -> text: accuracy (cells exact / total, cursor cell aside) on every captured frame (shared frames,
# real bed guests), and cost (font table build and cache, geometry detection, a full frame, dirty rectangles,
# pictures), release build; then `fleettui render` end to end.
set -e
cd "$(dirname "$0")/.."
swift build -c release --product RecognitionBench >/dev/null
bin=$(swift build -c release --show-bin-path)
dirs="Tests/ConsoleCoreTests/Fixtures"
[ -d ../shared/frames ] && dirs="$dirs ../shared/frames"
out=${BENCH_OUT:-/tmp}/recognition.txt
"$bin/RecognitionBench" $dirs "$@" | tee "$out"
if [ -x "${FLEETTUI:-$bin/fleettui}" ]; then
    f=Tests/ConsoleCoreTests/Fixtures/fbcon-1024x768.ppm.gz
    "${FLEETTUI:-$bin/fleettui}" render "$f" --text >/dev/null   # warm the glyph cache
    t0=$(date +%s%N)
    for _ in 1 2 3 4 5; do "${FLEETTUI:-$bin/fleettui}" render "$f" --text >/dev/null; done
    t1=$(date +%s%N)
    echo "fleettui render 1024x768 --text, whole process (glyph cache warm): $(( (t1 - t0) / 5000000 )) ms" | tee -a "$out"
fi
