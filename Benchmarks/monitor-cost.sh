#!/usr/bin/env bash
# Issue 15: what watching a busy QEMU host costs (own CPU + libvirtd CPU per refresh, from /proc/PID/stat),
# against one `virsh domstats` call for every group on the same host, in one run:
#   1. BENCH_GUESTS (62) running guests: the interactive monitor (80x24 tmux, -d 1), virt-top when installed
#      (or VIRT_TOP=BINARY: Debian 12 has none; Debian 13's virt-top 1.1.1 runs here), batch mode with all columns;
#   2. the same with BENCH_GUESTS_BIG (152) guests, the extra ones paused.
# The host is a private libvirtd with the QEMU driver in its own namespaces (Benchmarks/qemu-host), started
# and stopped here: the shared bed's qemu:///system never sees these guests. Needs root, QEMU, libvirtd, tmux.
#   scripts/bench monitor-cost        (or: FLEETTUI=.build/release/fleettui Benchmarks/monitor-cost.sh)
# BENCH_SECONDS (20) per interactive measurement, BENCH_REPEAT (2) rounds of each. FLEETTUI_BEFORE=BINARY measures
# another build (e.g. main before a change) beside it, on the same host in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
FLEETTUI=${FLEETTUI:-$(swift build -c release --show-bin-path)/fleettui}
GUESTS=${BENCH_GUESTS:-62}
GUESTS_BIG=${BENCH_GUESTS_BIG:-152}
SECS=${BENCH_SECONDS:-20}
export BENCH_OUT=${BENCH_OUT:-/tmp}
[[ -x $FLEETTUI ]] || { echo "monitor-cost: no fleettui binary at $FLEETTUI (swift build -c release)" >&2; exit 1; }
for c in tmux python3 virsh; do command -v $c >/dev/null || { echo "monitor-cost: missing $c (scripts/deps test)" >&2; exit 1; }; done
# BENCH_HOST_DIR: a host already started with Benchmarks/qemu-host (its guests are kept, topped up; stopped at the end).
HOST=${BENCH_HOST_DIR:-$(mktemp -d /var/tmp/fleettui-qemu-host.XXXXXX)}
# BENCH_KEEP_HOST=1 leaves it running for the next run (stop it with `Benchmarks/qemu-host stop DIR`).
[[ ${BENCH_KEEP_HOST:-} == 1 ]] || trap 'Benchmarks/qemu-host stop "$HOST"' EXIT
: >"$BENCH_OUT/monitor-cost.txt"

URI=$(Benchmarks/qemu-host start "$HOST")
DAEMON=$(Benchmarks/qemu-host pid "$HOST")
Benchmarks/qemu-host guests "$HOST" "$GUESTS"
sleep 5   # SeaBIOS settles
python3 Benchmarks/monitor-cost.py "$URI" "$DAEMON" "$FLEETTUI" "$GUESTS running QEMU guests (TCG, 48 MiB, disk + NIC + balloon)" "$SECS"
# libvirtd's CPU per call, by call (its threads' own CPU time from /proc/PID/task/*/schedstat): what is costly.
if [[ ${BENCH_CALLS:-1} == 1 ]]; then
    swift build -c release --product CallCostBench >&2
    "$(swift build -c release --show-bin-path)/CallCostBench" "$URI" "$DAEMON" "${BENCH_CALL_REPEAT:-10}" 20 |
        tee -a "$BENCH_OUT/monitor-cost.txt"
fi

Benchmarks/qemu-host guests "$HOST" "$GUESTS_BIG" --paused
python3 Benchmarks/monitor-cost.py "$URI" "$DAEMON" "$FLEETTUI" "$GUESTS_BIG QEMU guests: $GUESTS running, $((GUESTS_BIG - GUESTS)) paused" "$SECS"
