#!/bin/sh
# Console: key -> echo latency through `fleettui console` on the bed's guests, and bytes written to the
# terminal (idle guest, one echoed key, one new line). Needs the test bed (Tests/Bed/bed up).
set -e
cd "$(dirname "$0")/.."
FLEETTUI=${FLEETTUI:-$(swift build -c release --show-bin-path)/fleettui}
BED=${FLEETTUI_BED_STATE:-/var/tmp/fleettui-bed}/bed.json
[ -r "$BED" ] || { echo "console bench: test bed is not up (no $BED); run Tests/Bed/bed up" >&2; exit 1; }
URI=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["qemu_uri"])' "$BED")
for guest in $(python3 -c 'import json,sys; print(" ".join(g["name"] for g in json.load(open(sys.argv[1]))["guests"]))' "$BED"); do
    python3 Benchmarks/console-latency.py "$FLEETTUI" "$URI" "$guest" 40
done
