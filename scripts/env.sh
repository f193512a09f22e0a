# shellcheck shell=bash
# Sourced by the scripts: puts the repository root in $ROOT and Swift on the PATH.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if ! command -v swift >/dev/null 2>&1 && [[ -x /opt/swift/usr/bin/swift ]]; then
    PATH=/opt/swift/usr/bin:$PATH
    export PATH
fi
cd "$ROOT" || return 1
