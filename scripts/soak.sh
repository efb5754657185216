#!/usr/bin/env bash
# Crash soak (docs/security.md): CrashTest with many more cycles than the regular suite's 20. Each
# cycle starts a worker JVM that registers, promotes, deploys, activates, rolls back and appends
# audit events through the real Workspace, kills it with SIGKILL a random few tens of ms in, and
# checks every store. About 1.5 s a cycle on two idle cores.
#
#   scripts/soak.sh [CYCLES] [SEED]     defaults: 500 cycles, a fresh random seed
#
# A failure names its seed and cycle; run again with that SEED to replay the same kills.
set -euo pipefail
cd "$(dirname "$0")/.."

cycles=${1:-500}
args=(-B test -Dtest=CrashTest -Dsurefire.failIfNoSpecifiedTests=false "-Dsoak.cycles=$cycles")
if [ -n "${2:-}" ]; then
    args+=("-Dcrash.seed=$2")
fi
mvn "${args[@]}"
