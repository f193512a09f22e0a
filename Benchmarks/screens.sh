#!/bin/sh
# Screens across the fleet (issue 9): the screen sampler over 500 fake VNC displays serving real captured guest
# frames (the bed's state guests: panic, GRUB, login, shell, blank, picture, fsck; and the recognition captures):
# a sweep of 500 new displays and the next look at all of them (wall time, our CPU per screen), whether each display
# got its frame's state, and resident memory as the displays grow from 100 to 250 to 500. The displays are served by one Python process
# (Benchmarks/screens/fake_vnc_fleet.py), whose CPU is not ours; it counts key and pointer events (must be 0).
set -e
cd "$(dirname "$0")/.."
swift build -c release --product ScreensBench >/dev/null
bin=$(swift build -c release --show-bin-path)
out=${BENCH_OUT:-/tmp}/screens.txt
ports=$(mktemp /tmp/fleettui-screens-bench.XXXXXX)
python3 Benchmarks/screens/fake_vnc_fleet.py 500 Tests/ConsoleCoreTests/Fixtures/screens/*.ppm.gz \
    Tests/ConsoleCoreTests/Fixtures/recognition-*.ppm.gz >"$ports" &
server=$!
trap 'kill $server 2>/dev/null; rm -f "$ports"' EXIT
for _ in $(seq 300); do grep -q '^ready' "$ports" && break; sleep 0.1; done
grep -q '^ready' "$ports" || { echo "screens: the fake displays did not start" >&2; exit 1; }
# One sweep of 500 new displays (then all 500 again, as every period), then memory as the fleet grows.
"$bin/ScreensBench" --hosts 10 --concurrency 8 --per-host 2 --steps 500 \
    --expect Tests/ConsoleCoreTests/Fixtures/screens <"$ports" | tee "$out"
"$bin/ScreensBench" --hosts 10 --concurrency 8 --per-host 2 --steps 100,250,500 \
    --expect Tests/ConsoleCoreTests/Fixtures/screens <"$ports" | grep resident | tee -a "$out"
kill -TERM $server; wait $server 2>/dev/null || true
events=$(grep '^events' "$ports")
set -- $events
echo "screens: the displays saw $2 key and $3 pointer events over $4 connections" | tee -a "$out"
[ "$2" = 0 ] && [ "$3" = 0 ]
