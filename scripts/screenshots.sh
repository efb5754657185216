#!/usr/bin/env bash
# Retakes the screenshots docs/user-guide.md shows, at 1280x800, in the light and the dark theme:
# docs/images/<name>.png and docs/images/<name>-dark.png.
#
# It builds nothing: run `mvn -q -DskipTests package` first (it compiles the test classes too,
# which the remote workspace needs). It starts a private X server (Xvfb, display :95 unless
# SCREENSHOT_DISPLAY says otherwise), creates a fresh demo workspace with the command line, and
# drives target/neural-mlops.jar with the keyboard shortcuts of the user guide (xdotool), so the
# pictures show what a user gets, down to the Audit tab's Compliance Report window with a generated
# report. Only the details pane's artifact section is reached with the mouse wheel (a scroll pane
# takes no keys). The comparison, the stage board and a stage-move confirmation are reached with the
# mouse, at the places a fresh demo workspace puts them at 1280x800: through the row menu
# (Shift+F10) the item the menu focuses as it opens depends on timing on a loaded machine, so
# counted Down keys land on different items from run to run. Needs Xvfb, xdotool and ImageMagick
# (import). Preferences go to a temporary NEURAL_MLOPS_HOME: yours are not touched.
#
# The remote workspace is a copy of the demo in a bucket of S3Mock (com.adobe.testing:s3mock, a test
# dependency), started from the test class path (neural.mlops.store.storage.S3MockForScripts; the
# class path comes from `mvn -o -q dependency:build-classpath`) and reached through
# AWS_ENDPOINT_URL_S3 with test credentials.
#
#   scripts/screenshots.sh            # all shots, both themes
#   SETTLE=6 scripts/screenshots.sh   # seconds to wait for a view to load (default 4; more on a slow machine)
#   SCREENSHOT_CLASSPATH_FILE=cp.txt scripts/screenshots.sh   # the test class path, already written by
#                                     # mvn -o -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=cp.txt
set -euo pipefail

cd "$(dirname "$0")/.."
JAR=target/neural-mlops.jar
OUT=docs/images
DISPLAY_ID=${SCREENSHOT_DISPLAY:-:95}
SETTLE=${SETTLE:-4}

for tool in Xvfb xdotool import java; do
    command -v "$tool" >/dev/null || { echo "screenshots.sh: $tool is needed" >&2; exit 1; }
done
[ -f "$JAR" ] || { echo "screenshots.sh: $JAR is missing; run mvn -q -DskipTests package first" >&2; exit 1; }

[ -f target/test-classes/neural/mlops/store/storage/S3MockForScripts.class ] \
    || { echo "screenshots.sh: the test classes are missing; run mvn -q -DskipTests package first" >&2; exit 1; }

WORK=$(mktemp -d)
XVFB_PID=""
APP_PID=""
S3_PID=""
cleanup() {
    [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null || true
    [ -n "$S3_PID" ] && kill "$S3_PID" 2>/dev/null || true
    [ -n "$XVFB_PID" ] && kill "$XVFB_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

export NEURAL_MLOPS_HOME="$WORK/home"
mkdir -p "$NEURAL_MLOPS_HOME" "$OUT"
java -jar "$JAR" demo create "$WORK/demo" >/dev/null

# The demo again, in a bucket: S3Mock copies it there and says where it listens. It starts in the
# background (Spring Boot takes a while); the remote shots wait for it.
java -jar "$JAR" demo create "$WORK/remote-demo" >/dev/null 2>&1
CLASSPATH_FILE=${SCREENSHOT_CLASSPATH_FILE:-$WORK/classpath.txt}
[ -s "$CLASSPATH_FILE" ] || mvn -o -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$CLASSPATH_FILE" >/dev/null
java -cp "target/test-classes:target/classes:$(cat "$CLASSPATH_FILE")" neural.mlops.store.storage.S3MockForScripts \
    "$WORK/s3" "$WORK/remote-demo" teams/demo >"$WORK/s3.log" 2>&1 &
S3_PID=$!
s3_endpoint() {
    for _ in $(seq 900); do
        grep -q '^endpoint ' "$WORK/s3.log" && break
        kill -0 "$S3_PID" 2>/dev/null || break
        sleep 1
    done
    S3_ENDPOINT=$(sed -n 's/^endpoint //p' "$WORK/s3.log")
    [ -n "$S3_ENDPOINT" ] || { echo "screenshots.sh: S3Mock did not start, no remote-workspace shot; its log:" >&2; cat "$WORK/s3.log" >&2; return 1; }
}

Xvfb "$DISPLAY_ID" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
XVFB_PID=$!
export DISPLAY=$DISPLAY_ID
sleep 1

keys() { xdotool key --clearmodifiers "$@"; sleep "$SETTLE"; }
click() { xdotool mousemove "$1" "$2" click 1; sleep "$SETTLE"; }
# A first start's preferences: the theme, the Registry tab, a 1280x800 window at the corner.
preferences() {
    cat >"$NEURAL_MLOPS_HOME/preferences.json" <<EOF
{"theme": "$1", "selected_tab": 0,
 "window": {"x": 0, "y": 0, "width": 1280, "height": 800, "maximized": false}}
EOF
}
typed() { xdotool type --delay 60 "$1"; sleep "$SETTLE"; }
shot() { import -window root "$OUT/$1$SUFFIX.png"; echo "  $OUT/$1$SUFFIX.png"; }
# Esc closes a secondary window once it has the keyboard focus (there is no window manager to give it).
close() {
    local window
    window=$(xdotool search --onlyvisible --name "$1" | head -1 || true)
    if [ -z "$window" ]; then
        echo "screenshots.sh: no window '$1' to close: the shot before shows what was there instead" >&2
        return
    fi
    xdotool windowfocus --sync "$window"
    keys Escape
}
start() {
    xdotool search --sync --onlyvisible --name "Neural MLOps" >/dev/null
    sleep $((SETTLE * 2))   # the registry loads and the audit trail is verified in the background
    xdotool mousemove 1279 799   # the pointer would highlight the menu items the keys go through
}
stop() {
    kill "$APP_PID" 2>/dev/null || true
    wait "$APP_PID" 2>/dev/null || true
    APP_PID=""
}

for theme in light dark; do
    SUFFIX=$([ "$theme" = dark ] && echo "-dark" || echo "")
    echo "$theme theme:"
    # The whole screen, the Registry tab, the theme: a first start as the user guide shows it.
    preferences "$theme"
    java -jar "$JAR" --workspace "$WORK/demo" >"$WORK/app-$theme.log" 2>&1 &
    APP_PID=$!
    start

    keys ctrl+1;        shot registry
    keys ctrl+n;        shot register-dialog;        keys Escape
    keys ctrl+2;        shot deployments
    keys ctrl+3;        shot audit
    keys ctrl+shift+e;  shot export-dialog;          keys Escape
    keys ctrl+4;        shot ci-templates
    keys ctrl+shift+o;  shot open-remote-workspace;  keys Escape
    keys F1;            shot user-guide;             keys Escape

    # fraud_detector selected (with it its latest version, v2.1.0), by the keyboard.
    keys ctrl+1; keys ctrl+f; typed fraud
    keys Tab Tab Tab Tab; keys Down            # the model list
    # The details pane scrolled to the artifact section: the pickle's inspection.
    xdotool mousemove 1060 450 click --repeat 9 --delay 150 5; sleep "$SETTLE"
    shot registry-artifact
    xdotool mousemove 1279 799
    # Audit: Shift+Tab from the search field to Compliance Report..., then Generate (Last 30 days).
    keys ctrl+3; keys ctrl+f; keys shift+Tab shift+Tab shift+Tab shift+Tab shift+Tab shift+Tab shift+Tab shift+Tab shift+Tab
    keys space; keys Tab Tab Tab Tab Tab; keys space
    sleep $((SETTLE * 3)); shot compliance-report; close "^Compliance Report$"
    stop

    # A fresh start (the preferences would restore fraud_detector and the tab), then the mouse.
    preferences "$theme"
    java -jar "$JAR" --workspace "$WORK/demo" >"$WORK/app-board-$theme.log" 2>&1 &
    APP_PID=$!
    start
    click 76 376                                             # fraud_detector in the model list
    click 360 266; xdotool keydown shift; click 360 349; xdotool keyup shift   # v1.1.0 to v2.1.0
    click 350 141;      shot compare;                keys Escape   # Compare
    click 811 141; click 378 296; shot stage-board             # the board, the v2.1.0 card
    click 552 101; click 552 174                             # Move to Stage > Promote to Staging
    typed "Passed the offline evaluation; shadow traffic next"
    shot confirmation;  keys Escape                          # Cancel: nothing is promoted
    stop

    # The same demo in a bucket: the status bar says s3://..., the registry reads the same.
    if s3_endpoint; then
        AWS_ENDPOINT_URL_S3="$S3_ENDPOINT" AWS_REGION=eu-central-1 AWS_ACCESS_KEY_ID=test-key \
            AWS_SECRET_ACCESS_KEY=test-secret java -jar "$JAR" --workspace s3://workspace/teams/demo \
            >"$WORK/app-remote-$theme.log" 2>&1 &
        APP_PID=$!
        start
        keys ctrl+1; keys ctrl+f; keys Tab Tab Tab Tab; keys Down   # the first model, churn_predictor
        shot remote-workspace
        stop
    fi
done
echo "Done."
