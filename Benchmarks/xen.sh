#!/usr/bin/env bash
# The bed's real Xen host (Tests/Bed/xen): what it costs to bring up, and what a refresh of it costs.
#   1. per-refresh cost on the Xen host (libxl: no bulk stats, per-domain calls): xen+tcp:// and xen+ssh://
#      (CollectorsBench: wall time per refresh, libvirt calls per refresh, per domain);
#   2. what virt-top 1.0.9 does there (if installed: it is not a dependency; `apt-get install virt-top` to see);
#   3. BENCH_XEN_BOOT=1 (default): a warm start — `bed xen-down`, then `bed xen-up` with the image cached
#      (Xen + dom0 boot, libvirtd answering, both PV guests at their READY marker). Takes the Xen host down for it;
#   4. BENCH_XEN_COLD=1: a cold image build (debootstrap + kernel + mkfs) into a scratch cache (the bed's cache
#      and its running Xen host are left alone). Minutes of CPU and a few hundred MB of downloads.
# Run by scripts/bench xen (make bench), as root, with the bed up.
set -euo pipefail
cd "$(dirname "$0")/.."
bed=Tests/Bed/bed
state=${FLEETTUI_BED_STATE:-/var/tmp/fleettui-bed}
ms() { echo $(( ($2 - $1) / 1000000 )); }
load() { cut -d' ' -f1 /proc/loadavg; }

[[ $(id -u) == 0 ]] || { echo "xen bench: must run as root" >&2; exit 1; }
json=$state/xen/host.json
[[ $(cat "$state/xen/status" 2>/dev/null) == ready && -s $json ]] ||
    { echo "xen bench: the bed's Xen host is not up (Tests/Bed/bed up, or bed xen-up)" >&2; exit 1; }
uri=$(jq -r .uri "$json")
ssh_uri=$(jq -r .ssh_uri "$json")

swift build -c release --product CollectorsBench >/dev/null
BENCH=$(swift build -c release --show-bin-path)/CollectorsBench
REFRESHES=${BENCH_REFRESHES:-5}

for u in "$uri" "$ssh_uri"; do
    echo "== xen: one refresh of the Xen host, ${u%%\?*} (per-domain calls; load $(load))"
    out=$("$BENCH" -n "$REFRESHES" -c "$u")
    echo "$out" | sed 's/^/  /'
    doms=$(echo "$out" | sed -n 's/.*, \([0-9]*\) domains, domain calls\/refresh \([0-9]*\), host calls\/refresh \([0-9]*\).*/\1 \2 \3/p' | head -1)
    if [[ -n $doms ]]; then
        read -r n calls hcalls <<<"$doms"
        echo "xen: ${u%%:*}: $n domains, $calls domain calls per refresh ($(awk -v c="$calls" -v n="$n" 'BEGIN { printf "%.1f", c / n }') per domain) + $hcalls host calls"
    fi
done

echo "== xen: virt-top 1.0.9 against $uri"
if command -v virt-top >/dev/null; then
    set +e
    vt=$(timeout 60 virt-top -c "$uri" --stream -n 2 -d 2 2>&1 </dev/null)
    rc=$?
    set -e
    echo "$vt" | head -8 | sed 's/^/  /'
    echo "xen: virt-top exit status $rc against the Xen host"
else
    echo "  virt-top is not installed (not a dependency: apt-get install virt-top to compare)"
fi

if [[ ${BENCH_XEN_BOOT:-1} != 0 ]]; then
    echo "== xen: warm start (image cached): bed xen-down, bed xen-up (load $(load))"
    $bed xen-down >/dev/null 2>&1
    t0=$(date +%s%N)
    $bed xen-up >"$BENCH_OUT/xen-up.log" 2>&1 || { tail -20 "$BENCH_OUT/xen-up.log"; echo "xen bench: xen-up failed" >&2; exit 1; }
    t1=$(date +%s%N)
    grep -E "libvirtd answers|guests ready" "$BENCH_OUT/xen-up.log" "$state/xen/job.log" 2>/dev/null | tail -2 | sed 's/^[^:]*:/  /'
    echo "xen: warm start to ready (Xen + dom0 + libvirtd + 2 PV guests at READY): $(ms "$t0" "$t1") ms (load $(load))"
fi

if [[ ${BENCH_XEN_COLD:-0} != 0 ]]; then
    scratch=$(mktemp -d /var/tmp/fleettui-xen-cold.XXXXXX)
    trap 'rm -rf "$scratch"' EXIT
    echo "== xen: cold dom0 image build into $scratch (load $(load))"
    t0=$(date +%s%N)
    FLEETTUI_BED_CACHE=$scratch $bed xen-image >"$BENCH_OUT/xen-image.log" 2>&1 || { tail -20 "$BENCH_OUT/xen-image.log"; exit 1; }
    t1=$(date +%s%N)
    echo "xen: cold dom0 image build (debootstrap, packages, kernel, mkfs): $(ms "$t0" "$t1") ms, $(du -sm "$scratch" | cut -f1) MB cached (load $(load))"
fi
