#!/usr/bin/env bash
# Desktop soak (issue 23 item 4): the application's resident memory after a long session of use.
#
# Starts target/neural-mlops.jar on WORKSPACE with the installed launcher's JVM options
# (packaging/app-image.txt) under a private X server (Xvfb, display :92 unless SOAK_DISPLAY says
# otherwise), then for DURATION seconds goes round every tab and its main actions with xdotool:
# Ctrl+1..4, a search on each tab, a model selected and two versions compared (the comparison
# window opened and closed), Load more on the Audit tab, the Compliance Report window opened and
# closed (not generated: a generated report is recorded in the audit trail). Every 30 s it appends the process's resident set size
# (ps -o rss=) and the load average to a CSV, and at the end prints the maximum and the last RSS.
# It makes no change of its own (no promotion, no registration, no report generated), but while the
# Deployments tab shows, the application probes every active deployment's endpoint every 30 s and
# records each result in the deployment's document, as it does for any user. Preferences go to a
# temporary NEURAL_MLOPS_HOME. Needs Xvfb, xdotool and java.
# Build first: mvn -o -q -DskipTests package.
#
#   scripts/desktop-soak.sh /data/bench1m              # one hour
#   scripts/desktop-soak.sh /data/bench1m 1200         # twenty minutes
#   SOAK_CSV=/tmp/soak.csv scripts/desktop-soak.sh WS  # where the samples go (default target/desktop-soak.csv)
#   SOAK_SEARCH=fraud ...                              # the text searched for on the Registry tab
#   SOAK_JAR=/tmp/copy/neural-mlops.jar ...            # a copy of the build (with its lib/), to rebuild meanwhile
#   SOAK_DIAGNOSE=/tmp/soak-diag ...                    # after each round, the live objects by class (jcmd
#                                                      # GC.class_histogram, which collects first) and the JVM's
#                                                      # native memory by area (NativeMemoryTracking): what grows
#   SOAK_JAVA_OPTIONS="-XX:StartFlightRecording=..." ... # more JVM options, after the installed ones
#
# The clicks (Load more) are at fixed places of a 1280x800 window; the rest is the keyboard paths
# of the user guide, so a layout change moves at most that one click.
set -euo pipefail

cd "$(dirname "$0")/.."
WORKSPACE=${1:?usage: scripts/desktop-soak.sh WORKSPACE [DURATION_SECONDS]}
DURATION=${2:-${DURATION:-3600}}
DISPLAY_ID=${SOAK_DISPLAY:-:92}
CSV=${SOAK_CSV:-target/desktop-soak.csv}
SEARCH=${SOAK_SEARCH:-predictor}
JAR=${SOAK_JAR:-target/neural-mlops.jar}
# As the installed launcher runs it (packaging/app-image.txt), the ratios for a burst of reading
# included (the desktop takes them while it lists its first registry: LoadingHeap).
JAVA_OPTIONS=(-Xms64m -Xmn24m -XX:+UseSerialGC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:SoftRefLRUPolicyMSPerMB=10
    -Dneural.mlops.commandHeapFreeRatios=40,70)
# Word-split on purpose: options with spaces in them are not supported.
# shellcheck disable=SC2206
JAVA_OPTIONS+=(${SOAK_JAVA_OPTIONS:-})
DIAGNOSE=${SOAK_DIAGNOSE:-}
if [ -n "$DIAGNOSE" ]; then
    command -v jcmd >/dev/null || { echo "desktop-soak.sh: SOAK_DIAGNOSE needs jcmd (a JDK)" >&2; exit 1; }
    mkdir -p "$DIAGNOSE"
    JAVA_OPTIONS+=(-XX:NativeMemoryTracking=summary)
fi

for tool in Xvfb xdotool java ps; do
    command -v "$tool" >/dev/null || { echo "desktop-soak.sh: $tool is needed" >&2; exit 1; }
done
[ -f "$JAR" ] || { echo "desktop-soak.sh: $JAR is missing; run mvn -o -q -DskipTests package first" >&2; exit 1; }
[ -f "$WORKSPACE/workspace.yaml" ] || { echo "desktop-soak.sh: $WORKSPACE is not a workspace (no workspace.yaml)" >&2; exit 1; }
[[ "$DURATION" =~ ^[0-9]+$ ]] || { echo "desktop-soak.sh: DURATION must be whole seconds, not '$DURATION'" >&2; exit 1; }

WORK=$(mktemp -d)
XVFB_PID=""
APP_PID=""
SAMPLER_PID=""
cleanup() {
    [ -n "$SAMPLER_PID" ] && kill "$SAMPLER_PID" 2>/dev/null || true
    [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null || true
    [ -n "$XVFB_PID" ] && kill "$XVFB_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

export NEURAL_MLOPS_HOME="$WORK/home"
mkdir -p "$NEURAL_MLOPS_HOME" "$(dirname "$CSV")"
cat >"$NEURAL_MLOPS_HOME/preferences.json" <<EOF
{"theme": "light", "selected_tab": 0,
 "window": {"x": 0, "y": 0, "width": 1280, "height": 800, "maximized": false}}
EOF

Xvfb "$DISPLAY_ID" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
XVFB_PID=$!
export DISPLAY=$DISPLAY_ID
sleep 1

START=$(date +%s)
java "${JAVA_OPTIONS[@]}" -jar "$JAR" --workspace "$WORKSPACE" >"$WORK/app.log" 2>&1 &
APP_PID=$!

echo "utc,seconds,rss_kb,load1" >"$CSV"
(
    while kill -0 "$APP_PID" 2>/dev/null; do
        rss=$(ps -o rss= -p "$APP_PID" | tr -d ' ')
        [ -n "$rss" ] && echo "$(date -u +%FT%TZ),$(( $(date +%s) - START )),$rss,$(cut -d' ' -f1 /proc/loadavg)" >>"$CSV"
        sleep 30
    done
) &
SAMPLER_PID=$!

xdotool search --sync --onlyvisible --name "Neural MLOps" >/dev/null
sleep 20   # the registry loads and the audit trail is verified in the background
# The pointer stays in a corner, so that it never highlights a menu item the keys go through.
xdotool mousemove 1279 799

keys() { xdotool key --clearmodifiers "$@"; sleep 2; }
typed() { xdotool type --delay 60 "$1"; sleep 3; }
# Esc closes a secondary window once it has the keyboard focus (no window manager gives it one here).
close() {
    local window
    window=$(xdotool search --onlyvisible --name "$1" 2>/dev/null | head -1 || true)
    if [ -n "$window" ]; then
        xdotool windowfocus --sync "$window" 2>/dev/null || true
        keys Escape
    else
        return 1
    fi
}

# A key that goes astray on a loaded machine could open a confirmation (a stage move, a deletion):
# any window other than the main one, a comparison and the report is cancelled with Esc before the
# next key that could confirm something, so that the soak never changes the workspace.
dismiss_strays() {
    local window name
    for window in $(xdotool search --onlyvisible --name '.' 2>/dev/null || true); do
        name=$(xdotool getwindowname "$window" 2>/dev/null || true)
        case "$name" in
            "Neural MLOps"* | "Compare "* | "Compliance Report") ;;
            *) echo "desktop-soak.sh: cancelling the stray window '$name'" >&2
               xdotool windowfocus --sync "$window" 2>/dev/null || true
               keys Escape ;;
        esac
    done
}

ROUNDS=0
COMPARED=0
while [ $(( $(date +%s) - START )) -lt "$DURATION" ]; do
    kill -0 "$APP_PID" 2>/dev/null || { echo "desktop-soak.sh: the application ended; its log:" >&2; cat "$WORK/app.log" >&2; exit 1; }
    # Registry: search, select the first model, open and close the row menu, compare two versions (Ctrl+Shift+C).
    keys ctrl+1
    keys ctrl+f; typed "$SEARCH"
    keys Tab Tab Tab Tab; keys Down; sleep 3
    keys Tab Tab Tab Tab Tab; keys shift+Up
    keys shift+F10; sleep 1; keys Escape; dismiss_strays; keys ctrl+shift+c; sleep 6
    if close "^Compare "; then COMPARED=$((COMPARED + 1)); fi
    keys ctrl+1; keys ctrl+f; keys ctrl+a; keys BackSpace
    # Deployments: a search, cleared.
    keys ctrl+2; keys ctrl+f; typed "v1.0"; keys ctrl+a; keys BackSpace
    # Audit: a search, cleared; Load more twice; the Compliance Report window.
    keys ctrl+3; keys ctrl+f; typed "alice"; keys ctrl+a; keys BackSpace; sleep 5
    xdotool mousemove "${LOAD_MORE_X:-150}" "${LOAD_MORE_Y:-758}" click 1; sleep 6
    xdotool mousemove "${LOAD_MORE_X:-150}" "${LOAD_MORE_Y:-758}" click 1; sleep 6
    xdotool mousemove 1279 799
    keys ctrl+f; for _ in 1 2 3 4 5 6 7 8 9; do xdotool key shift+Tab; sleep 0.3; done
    dismiss_strays; keys space; sleep 10
    close "^Compliance Report$" || true
    # CI Templates.
    dismiss_strays; keys ctrl+4
    ROUNDS=$((ROUNDS + 1))
    if [ -n "$DIAGNOSE" ]; then
        jcmd "$APP_PID" GC.class_histogram >"$DIAGNOSE/histogram-$ROUNDS.txt" 2>&1 || true
        jcmd "$APP_PID" VM.native_memory summary >"$DIAGNOSE/native-$ROUNDS.txt" 2>&1 || true
        echo "$ROUNDS,$(ps -o rss= -p "$APP_PID" | tr -d ' ')" >>"$DIAGNOSE/rss-by-round.csv"
    fi
done

kill "$SAMPLER_PID" 2>/dev/null || true
SAMPLER_PID=""
rss=$(ps -o rss= -p "$APP_PID" | tr -d ' ')
echo "$(date -u +%FT%TZ),$(( $(date +%s) - START )),$rss,$(cut -d' ' -f1 /proc/loadavg)" >>"$CSV"
echo "desktop-soak.sh: $ROUNDS rounds in $(( $(date +%s) - START )) s on $WORKSPACE ($COMPARED comparisons opened); samples in $CSV"
awk -F, 'NR > 1 { if ($3 > max) max = $3; last = $3; n++ }
    END { printf "RSS: max %d MB, last %d MB (%d samples)\n", max / 1024, last / 1024, n }' "$CSV"
