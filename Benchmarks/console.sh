#!/bin/sh
# Console: key -> echo latency through `fleettui console` on the bed's guests, and bytes written to the
# terminal (idle guest, one echoed key, one new line). Needs the test bed (Tests/Bed/bed up).
set -e
cd "$(dirname "$0")/.."
FLEETTUI=${FLEETTUI:-$(swift build -c release --show-bin-path)/fleettui}
BED=${FLEETTUI_BED_STATE:-/var/tmp/fleettui-bed}/bed.json
[ -r "$BED" ] || { echo "console bench: test bed is not up (no $BED); run Tests/Bed/bed up" >&2; exit 1; }
URI=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["qemu_uri"])' "$BED")
# The guest's keyboard lock (the one the tests take, Tests/TestSupport/TestBed.swift withGuest): a test run
# at the same time never gets these keys in its command line, nor this bench the test's.
LOCKS=$(dirname "$BED")
for guest in $(python3 -c 'import json,sys; print(" ".join(g["name"] for g in json.load(open(sys.argv[1]))["guests"]))' "$BED"); do
    flock "$LOCKS/keyboard-$guest.lock" python3 Benchmarks/console-latency.py "$FLEETTUI" "$URI" "$guest" 40
done
