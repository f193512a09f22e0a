#!/bin/sh
# Framebuffer -> text: accuracy (cells exact / total, cursor aside) on every captured frame, and cost
# (font table build, geometry detection, full 1024x768 frame, dirty rectangles, pictures). Release build.
set -e
cd "$(dirname "$0")/.."
swift build -c release --product RecognitionBench >/dev/null
dirs="Tests/ConsoleBridgeTests/Fixtures"
[ -d ../shared/frames ] && dirs="$dirs ../shared/frames"
exec .build/release/RecognitionBench $dirs "$@"
