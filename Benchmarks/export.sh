#!/usr/bin/env bash
# Benchmark of `fleettui export` and of the Prometheus-fed monitor (issue 6).
#
#   Benchmarks/export.sh            (or: scripts/bench export)
#
# Starts its own loopback libvirtd "hosts" (test driver, BENCH_HOSTS × BENCH_DOMAINS, ports 19610…),
# `fleettui export` on all of them, Debian's prometheus-libvirt-exporter on one of them, and a
# Prometheus scraping our exporter; then measures
#   1. scrape time and size of /metrics: fleettui export (all hosts) vs prometheus-libvirt-exporter (one host)
#   2. time per refresh of `fleettui -b --source prometheus=…` and of its one PromQL round trip.
# Everything it starts is stopped on exit (by pid). Needs root (unshare for the private daemons).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
FLEETTUI=${FLEETTUI:-$ROOT/.build/release/fleettui}
BENCH_OUT=${BENCH_OUT:-$ROOT/bench-out}
HOSTS=${BENCH_HOSTS:-5}
DOMAINS=${BENCH_DOMAINS:-500}
SCRAPES=${BENCH_SCRAPES:-30}
PORT_BASE=${BENCH_PORT_BASE:-19610}
EXPORT_PORT=${BENCH_EXPORT_PORT:-19680}
DEBIAN_PORT=${BENCH_DEBIAN_PORT:-19681}
PROM_PORT=${BENCH_PROM_PORT:-19682}   # and +10 for the ~10k-series run
WORK=$(mktemp -d /var/tmp/fleettui-export-bench.XXXXXX)
mkdir -p "$BENCH_OUT"
OUT=$BENCH_OUT/export.txt
: >"$OUT"
report() { printf '%s\n' "$*" | tee -a "$OUT"; }
PIDS=()

say() { printf 'export-bench: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }
cleanup() {
    local p
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    for f in "$WORK"/host*/libvirtd.pid; do [[ -e $f ]] && kill -9 "$(cat "$f")" 2>/dev/null || true; done
    sleep 0.3
    rm -rf "$WORK"
}
trap cleanup EXIT

[[ -x $FLEETTUI ]] || die "no fleettui binary at $FLEETTUI (swift build -c release)"
for c in libvirtd unshare curl prometheus prometheus-libvirt-exporter python3 virsh; do
    command -v "$c" >/dev/null || die "missing $c (scripts/deps test)"
done
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in $(seq "$PORT_BASE" $((PORT_BASE + HOSTS))) "$EXPORT_PORT" $((EXPORT_PORT + 10)) "$DEBIAN_PORT" "$PROM_PORT" $((PROM_PORT + 10)); do
    port_free "$p" || die "port 127.0.0.1:$p is taken (set BENCH_PORT_BASE / BENCH_*_PORT)"
done

# ---- private libvirtd hosts serving generated test-driver fleets ----------------------------------
gen_fleet() { # HOST DOMAINS > xml
    python3 - "$1" "$2" <<'PY'
import sys
h, n = int(sys.argv[1]), int(sys.argv[2])
print("<node><cpu><mode>32</mode><nodes>2</nodes><sockets>2</sockets><cores>8</cores><threads>2</threads>"
      "<active>32</active><mhz>2600</mhz><model>x86_64</model></cpu><memory>268435456</memory>")
for i in range(n):
    state = 3 if i % 10 == 7 else 5 if i % 10 in (8, 9) else 1
    mem = 512 * (1 + i % 8)
    print(f"""<domain type='kvm' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>
<name>bench{h}-vm-{i:04d}</name><uuid>{h:08x}-be0c-4000-8000-{i:012x}</uuid>
<memory unit='MiB'>{mem}</memory><currentMemory unit='MiB'>{mem * 3 // 4}</currentMemory><vcpu>{1 << (i % 4)}</vcpu>
<os><type arch='x86_64' machine='pc-q35-7.2'>hvm</type></os>
<devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/var/lib/libvirt/images/{i}.qcow2'/><target dev='vda' bus='virtio'/></disk>
<interface type='network'><mac address='52:54:00:{h:02x}:{i // 256:02x}:{i % 256:02x}'/><source network='default'/><model type='virtio'/><target dev='vnet{i}'/></interface></devices>
<test:runstate>{state}</test:runstate></domain>""")
print("</node>")
PY
}
URIS=()
mkdir -p "$WORK/empty-driver-dir"
for ((h = 1; h <= HOSTS; h++)); do
    d=$WORK/host$h; mkdir -p "$d/sock"
    port=$((PORT_BASE + h - 1))
    gen_fleet "$h" "$DOMAINS" >"$d/fleet.xml"
    cat >"$d/libvirtd.conf" <<CONF
listen_tls = 0
listen_tcp = 1
tcp_port = "$port"
listen_addr = "127.0.0.1"
auth_tcp = "none"
auth_unix_ro = "none"
auth_unix_rw = "none"
unix_sock_dir = "$d/sock"
log_outputs = "3:file:$d/libvirtd.log"
max_clients = 500
CONF
    unshare -m --propagation private -- sh -c '
        for m in /run/libvirt /var/lib/libvirt /var/cache/libvirt; do mkdir -p $m && mount -t tmpfs tmpfs $m || exit 1; done
        export LIBVIRT_DRIVER_DIR="$1"
        exec libvirtd --daemon --listen --config "$2" --pid-file "$3"' sh "$WORK/empty-driver-dir" "$d/libvirtd.conf" "$d/libvirtd.pid" \
        </dev/null >/dev/null 2>&1
    URIS+=("test+tcp://127.0.0.1:$port$d/fleet.xml")
done
for u in "${URIS[@]}"; do
    for _ in $(seq 80); do timeout 10 virsh -c "$u" uri >/dev/null 2>&1 && break; sleep 0.25; done
    timeout 10 virsh -c "$u" uri >/dev/null 2>&1 || die "host $u does not answer"
done
say "$HOSTS hosts × $DOMAINS domains up"

wait_http() { # URL GREP-PATTERN COUNT TIMEOUT
    local i
    for i in $(seq $(($4 * 4))); do
        if [[ $(curl -s --max-time 5 "$1" | grep -c "$2" || true) -ge $3 ]]; then return 0; fi
        sleep 0.25
    done
    return 1
}

# scrape URL N → prints "median_ms p95_ms bytes"
scrape_stats() {
    local url=$1 n=$2 i
    for ((i = 0; i < n; i++)); do curl -s -o /dev/null -w '%{time_total} %{size_download}\n' "$url"; done |
        python3 -c '
import sys
rows = [l.split() for l in sys.stdin if l.strip()]
t = sorted(float(r[0]) * 1000 for r in rows); size = int(rows[-1][1])
print(f"{t[len(t)//2]:.2f} {t[min(len(t)-1, int(len(t)*0.95))]:.2f} {size}")'
}

# ---- 1. fleettui export: all hosts ----------------------------------------------------------------
args=(); for u in "${URIS[@]}"; do args+=(-c "$u"); done
"$FLEETTUI" export --listen 127.0.0.1:$EXPORT_PORT -d 5 "${args[@]}" 2>"$WORK/export.err" &
PIDS+=($!)
TOTAL=$((HOSTS * DOMAINS))
wait_http "http://127.0.0.1:$EXPORT_PORT/metrics" '^libvirt_domain_state_code{' "$TOTAL" 120 ||
    die "fleettui export does not serve $TOTAL domains: $(tail -3 "$WORK/export.err")"
read -r ours_med ours_p95 ours_size < <(scrape_stats "http://127.0.0.1:$EXPORT_PORT/metrics" "$SCRAPES")
ours_series=$(curl -s "http://127.0.0.1:$EXPORT_PORT/metrics" | grep -vc '^#')
# Concurrent scrapes: 8 at once, $SCRAPES rounds.
t0=$(date +%s.%N)
for ((i = 0; i < SCRAPES; i++)); do
    curls=()
    for _ in 1 2 3 4 5 6 7 8; do curl -s -o /dev/null "http://127.0.0.1:$EXPORT_PORT/metrics" & curls+=($!); done
    wait "${curls[@]}"
done
t1=$(date +%s.%N)
conc_ms=$(python3 -c "print(f'{($t1 - $t0) * 1000 / ($SCRAPES * 8):.2f}')")
report "export benchmark ($(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"
report "fleet: $HOSTS loopback libvirtd test-driver hosts x $DOMAINS domains = $TOTAL domains"
report "fleettui export    /metrics (all $HOSTS hosts, $TOTAL domains): median ${ours_med} ms, p95 ${ours_p95} ms, ${ours_size} bytes, ${ours_series} samples"
report "fleettui export    8 concurrent scrapers: ${conc_ms} ms per scrape (wall / scrapes)"

# ---- 1b. Debian's prometheus-libvirt-exporter on one host of the same kind ------------------------
prometheus-libvirt-exporter --web.listen-address=127.0.0.1:$DEBIAN_PORT --libvirt.uri="${URIS[0]}" >"$WORK/debian.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$DEBIAN_PORT/metrics" '^libvirt_up 1' 1 30 || die "prometheus-libvirt-exporter does not answer"
DEB_SCRAPES=$(( SCRAPES < 10 ? SCRAPES : 10 ))
read -r deb_med deb_p95 deb_size < <(scrape_stats "http://127.0.0.1:$DEBIAN_PORT/metrics" "$DEB_SCRAPES")
deb_domains=$(curl -s "http://127.0.0.1:$DEBIAN_PORT/metrics" | grep -c '^libvirt_domain_state_code{')
report "prometheus-libvirt-exporter (1 host, $deb_domains active domains): median ${deb_med} ms, p95 ${deb_p95} ms, ${deb_size} bytes"
report "$(python3 -c "print(f'per scrape: fleettui export (5 hosts) is {$deb_med / max($ours_med, 0.001):.0f}x faster than prometheus-libvirt-exporter (1 host)')")"

# ---- 2. the monitor fed by Prometheus -------------------------------------------------------------
# prom_bench NAME EXPORT_PORT PROM_PORT: a Prometheus scraping one exporter, then the batch monitor on it.
prom_bench() {
    local name=$1 eport=$2 pport=$3 dir=$WORK/prom-$1 n t0 t1
    mkdir -p "$dir"
    cat >"$dir/prometheus.yml" <<YML
global: {scrape_interval: 2s, scrape_timeout: 2s}
scrape_configs:
  - job_name: fleettui
    static_configs: [{targets: ['127.0.0.1:$eport']}]
YML
    prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
        --web.listen-address=127.0.0.1:$pport --log.level=warn >"$dir/prom.log" 2>&1 &
    PIDS+=($!)
    wait_http "http://127.0.0.1:$pport/api/v1/query?query=count(rate(libvirt_domain_info_cpu_time_seconds_total%5B1m%5D)%3E0)" '"value"' 1 60 ||
        die "prometheus ($name) has no rates: $(tail -3 "$dir/prom.log")"
    sleep 3
    n=${BENCH_REFRESHES:-10}
    t0=$(date +%s.%N)
    local rc=0
    FLEETTUI_PROMQL_LOG=$dir/promql.log "$FLEETTUI" -b -n "$n" -d 0.1 --source "prometheus=http://127.0.0.1:$pport" --csv "$dir/batch.csv" 2>"$dir/batch.err" || rc=$?
    t1=$(date +%s.%N)
    if ! grep -q series= "$dir/promql.log" 2>/dev/null; then
        report "monitor fed by Prometheus ($name): FAILED (exit $rc): $(tail -1 "$dir/batch.err")"; return 0
    fi
    ((rc == 0)) || report "monitor fed by Prometheus ($name): exit $rc: $(tail -1 "$dir/batch.err")"
    # promql.log: one line per refresh (series, bytes, http/parse/build ms), written by PrometheusSource.
    report "$(python3 - "$dir/promql.log" "$name" "$n" "$t0" "$t1" "$(grep -c . "$dir/batch.csv")" <<'PY'
import sys, statistics
path, name, n, t0, t1, lines = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), sys.argv[6]
rows = [dict(kv.split("=") for kv in l.split()) for l in open(path) if l.strip()]
med = lambda k: statistics.median(float(r[k]) for r in rows)
print(f"monitor fed by Prometheus ({name}): {int(rows[-1]['series'])} series, {int(rows[-1]['bytes'])} bytes per refresh; "
      f"per refresh (median of {len(rows)}): {med('total_ms'):.1f} ms = HTTP+PromQL {med('http_ms'):.1f} + JSON {med('parse_ms'):.1f} + table {med('build_ms'):.1f}; "
      f"fleettui -b -n {n} -d 0.1 --csv: {(t1 - t0):.2f} s wall, {lines} CSV lines")
PY
)"
}

# A fleet of ~10,000 series (about 16 per domain): one more host with PROM_DOMAINS domains, its own exporter.
PROM_DOMAINS=${BENCH_PROM_DOMAINS:-620}
d=$WORK/host$((HOSTS + 1)); mkdir -p "$d/sock"
SMALL_PORT=$((PORT_BASE + HOSTS))
port_free "$SMALL_PORT" || die "port $SMALL_PORT taken"
gen_fleet $((HOSTS + 1)) "$PROM_DOMAINS" >"$d/fleet.xml"
sed "s/^tcp_port = .*/tcp_port = \"$SMALL_PORT\"/; s|^unix_sock_dir = .*|unix_sock_dir = \"$d/sock\"|; s|^log_outputs = .*|log_outputs = \"3:file:$d/libvirtd.log\"|" \
    "$WORK/host1/libvirtd.conf" >"$d/libvirtd.conf"
unshare -m --propagation private -- sh -c '
    for m in /run/libvirt /var/lib/libvirt /var/cache/libvirt; do mkdir -p $m && mount -t tmpfs tmpfs $m || exit 1; done
    export LIBVIRT_DRIVER_DIR="$1"
    exec libvirtd --daemon --listen --config "$2" --pid-file "$3"' sh "$WORK/empty-driver-dir" "$d/libvirtd.conf" "$d/libvirtd.pid" </dev/null >/dev/null 2>&1
SMALL_URI="test+tcp://127.0.0.1:$SMALL_PORT$d/fleet.xml"
for _ in $(seq 80); do timeout 10 virsh -c "$SMALL_URI" uri >/dev/null 2>&1 && break; sleep 0.25; done
SMALL_EXPORT=$((EXPORT_PORT + 10))
"$FLEETTUI" export --listen 127.0.0.1:$SMALL_EXPORT -d 2 -c "$SMALL_URI" 2>"$WORK/export-small.err" &
PIDS+=($!)
wait_http "http://127.0.0.1:$SMALL_EXPORT/metrics" '^libvirt_domain_state_code{' "$PROM_DOMAINS" 60 || die "small export not serving"
# Not in $(…): the Prometheus it starts must be in this shell's PIDS to be stopped on exit.
prom_bench small "$SMALL_EXPORT" $((PROM_PORT + 10))
prom_bench big "$EXPORT_PORT" "$PROM_PORT"

