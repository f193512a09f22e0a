#!/usr/bin/env bash
# Monitor UI benchmark (issue 4): frame work for a 10,000-domain fleet, and bytes written to the terminal
# by a refresh that changes nothing. Run via `scripts/bench ui` (sets $FLEETTUI to the release binary) or
# directly: FLEETTUI=.build/release/fleettui Benchmarks/ui.sh
set -euo pipefail
FLEETTUI=${FLEETTUI:?set FLEETTUI to the release fleettui binary}
OUT=${BENCH_OUT:-/tmp}
DOMAINS=${UI_BENCH_DOMAINS:-10000}

echo "== UI frame timings (target: < 5 ms a frame with $DOMAINS domains)"
"$FLEETTUI" bench-ui --domains "$DOMAINS" --iterations 50 | tee "$OUT/ui-frames.txt"

echo "== Bytes written to the terminal (200x60, real curses Terminal under script(1))"
bytes() {  # $1 = unchanged refreshes after the first frame
    local f="$OUT/ui-tty-$1.typescript"
    rm -f "$f"
    LINES=60 COLUMNS=200 TERM=xterm-256color script -q -O "$f" \
        -c "$FLEETTUI bench-ui --tty $1 --domains $DOMAINS" </dev/null >/dev/null
    stat -c %s "$f"
}
first=$(bytes 0)
more=$(bytes 20)
per=$(( (more - first) / 20 ))
echo "first frame + setup/teardown: $first bytes"
echo "unchanged refresh: $per bytes each (20 refreshes added $((more - first)) bytes, incl. script(1) timestamp noise)"
echo "ui-bytes-unchanged-refresh $per" > "$OUT/ui-bytes.txt"
