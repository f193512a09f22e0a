#!/usr/bin/env bash
# Test-bed figures: warm `bed up` (everything already up), one RPC round trip to a 200-domain TCP host,
# and a guest's boot to its READY marker (a throw-away guest; BENCH_BED_BOOT=0 skips it, it costs CPU).
set -euo pipefail
bed=Tests/Bed/bed
ms() { echo $(( ($2 - $1) / 1000000 )); }

t0=$(date +%s%N); $bed up 2>/dev/null; t1=$(date +%s%N)
echo "testbed: warm 'bed up' (all up already): $(ms "$t0" "$t1") ms"

state=${FLEETTUI_BED_STATE:-/var/tmp/fleettui-bed}
uri=$(jq -r '.tcp_hosts[0].uri' "$state/bed.json")
n=$(jq -r '.tcp_hosts[0].domains' "$state/bed.json")
times=()
for _ in 1 2 3 4 5; do
    t0=$(date +%s%N); virsh -r -c "$uri" list --all --name >/dev/null; t1=$(date +%s%N)
    times+=("$(ms "$t0" "$t1")")
done
echo "testbed: virsh connect + list --all on a $n-domain TCP host: median $(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p) ms (of 5)"

if [[ ${BENCH_BED_BOOT:-1} != 0 ]]; then
    name=bedbench-boot
    t0=$(date +%s%N); $bed guest-add "$name" >/dev/null 2>&1; t1=$(date +%s%N)
    $bed guest-del "$name" >/dev/null 2>&1
    echo "testbed: 'bed guest-add' (TCG guest boot to READY, load $(cut -d' ' -f1 /proc/loadavg)): $(ms "$t0" "$t1") ms"
fi
