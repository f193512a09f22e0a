#!/usr/bin/env bash
# Collectors benchmark: wall and CPU time per refresh, libvirt calls per host per refresh, resident memory.
#   1. a TCP fleet of BENCH_HOSTS x BENCH_DOMAINS (default 5 x 500) test-driver domains, each host its own
#      private libvirtd on loopback (started and stopped here, like the test bed's, so the shared bed is
#      left alone) — the per-domain fallback path;
#   2. the test bed's QEMU host (qemu:///system), if it answers — the bulk path (one call per refresh);
#   3. 10,000 domains (5 in-process test:/// hosts x 2000) — resident memory.
# Run by scripts/bench (make bench) or alone; release build; needs root (unshare, mount).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product CollectorsBench >/dev/null
BENCH=$(swift build -c release --show-bin-path)/CollectorsBench
HOSTS=${BENCH_HOSTS:-5}
DOMAINS=${BENCH_DOMAINS:-500}
PORT_BASE=${BENCH_PORT_BASE:-16710}
REFRESHES=${BENCH_REFRESHES:-5}
WORK=$(mktemp -d /tmp/fleettui-bench.XXXXXX)
pids=()
cleanup() {
    local p
    for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

[[ $(id -u) == 0 ]] || { echo "collectors bench: must run as root (private libvirtd daemons)" >&2; exit 1; }
command -v libvirtd >/dev/null || { echo "collectors bench: libvirtd missing (scripts/deps test)" >&2; exit 1; }

echo "== collectors: TCP fleet, $HOSTS hosts x $DOMAINS test-driver domains (per-domain fallback path)"
mkdir -p "$WORK/empty-driver-dir"
uris=()
for ((i = 1; i <= HOSTS; i++)); do
    dir=$WORK/h$i port=$((PORT_BASE + i - 1))
    mkdir -p "$dir/sock"
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "collectors bench: port $port is taken (set BENCH_PORT_BASE)" >&2; exit 1
    fi
    "$BENCH" --write-fleet "$dir/fleet.xml" "$DOMAINS" "$i"
    cat >"$dir/libvirtd.conf" <<CONF
listen_tls = 0
listen_tcp = 1
tcp_port = "$port"
listen_addr = "127.0.0.1"
auth_tcp = "none"
unix_sock_dir = "$dir/sock"
log_outputs = "3:file:$dir/libvirtd.log"
max_clients = 100
CONF
    unshare -m --propagation private -- sh -c '
        for d in /run/libvirt /var/lib/libvirt /var/cache/libvirt; do mkdir -p $d && mount -t tmpfs tmpfs $d || exit 1; done
        export LIBVIRT_DRIVER_DIR="$1"
        exec libvirtd --listen --config "$2" --pid-file "$3"' sh "$WORK/empty-driver-dir" "$dir/libvirtd.conf" "$dir/libvirtd.pid" </dev/null >/dev/null 2>&1 &
    pids+=($!)
    disown $!
    uris+=(-c "test+tcp://127.0.0.1:$port$dir/fleet.xml")
done
for ((i = 1; i <= HOSTS; i++)); do
    port=$((PORT_BASE + i - 1)) ok=
    for _ in $(seq 80); do
        if timeout 5 virsh -c "test+tcp://127.0.0.1:$port$WORK/h$i/fleet.xml" uri >/dev/null 2>&1; then ok=1; break; fi
        sleep 0.25
    done
    [[ -n $ok ]] || { echo "collectors bench: daemon on port $port does not answer" >&2; exit 1; }
done
"$BENCH" -n "$REFRESHES" "${uris[@]}"

echo
echo "== collectors: QEMU host qemu:///system (bulk path)"
if timeout 5 virsh -r -c qemu:///system uri >/dev/null 2>&1; then
    "$BENCH" -n "$REFRESHES" -c qemu:///system
else
    echo "  qemu:///system does not answer: skipped (Tests/Bed/bed up starts it)"
fi

echo
RSS_DOMAINS=$((10000 / HOSTS))
echo "== collectors: resident memory at 10,000 domains (the same $HOSTS daemons, now $RSS_DOMAINS domains each)"
# The test driver re-reads its node file on every new connection: no daemon restart needed.
for ((i = 1; i <= HOSTS; i++)); do "$BENCH" --write-fleet "$WORK/h$i/fleet.xml" "$RSS_DOMAINS" "$i"; done
"$BENCH" -n 2 "${uris[@]}"
