#!/usr/bin/env bash
# Retakes the screenshots docs/user-guide.md shows, at 1280x800, in the light and the dark theme:
# docs/images/<name>.png and docs/images/<name>-dark.png.
#
# It builds nothing: run `mvn -q -DskipTests package` first. It starts a private X server (Xvfb,
# display :95 unless SCREENSHOT_DISPLAY says otherwise), creates a fresh demo workspace with the
# command line, and drives target/neural-mlops.jar with the keyboard shortcuts of the user guide
# (xdotool), so the pictures show what a user gets. Needs Xvfb, xdotool and ImageMagick (import).
# Preferences go to a temporary NEURAL_MLOPS_HOME: yours are not touched.
#
#   scripts/screenshots.sh            # all shots, both themes
#   SETTLE=6 scripts/screenshots.sh   # seconds to wait for a view to load (default 4; more on a slow machine)
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

WORK=$(mktemp -d)
XVFB_PID=""
APP_PID=""
cleanup() {
    [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null || true
    [ -n "$XVFB_PID" ] && kill "$XVFB_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

export NEURAL_MLOPS_HOME="$WORK/home"
mkdir -p "$NEURAL_MLOPS_HOME" "$OUT"
java -jar "$JAR" demo create "$WORK/demo" >/dev/null

Xvfb "$DISPLAY_ID" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
XVFB_PID=$!
export DISPLAY=$DISPLAY_ID
sleep 1

keys() { xdotool key --clearmodifiers "$@"; sleep "$SETTLE"; }
shot() { import -window root "$OUT/$1$SUFFIX.png"; echo "  $OUT/$1$SUFFIX.png"; }

for theme in light dark; do
    SUFFIX=$([ "$theme" = dark ] && echo "-dark" || echo "")
    echo "$theme theme:"
    # The whole screen, the Registry tab, the theme: a first start as the user guide shows it.
    cat >"$NEURAL_MLOPS_HOME/preferences.json" <<EOF
{"theme": "$theme", "selected_tab": 0,
 "window": {"x": 0, "y": 0, "width": 1280, "height": 800, "maximized": false}}
EOF
    java -jar "$JAR" --workspace "$WORK/demo" >"$WORK/app-$theme.log" 2>&1 &
    APP_PID=$!
    xdotool search --sync --onlyvisible --name "Neural MLOps" >/dev/null
    sleep $((SETTLE * 2))   # the registry loads and the audit trail is verified in the background

    keys ctrl+1;        shot registry
    keys ctrl+n;        shot register-dialog;        keys Escape
    keys ctrl+2;        shot deployments
    keys ctrl+3;        shot audit
    keys ctrl+shift+e;  shot export-dialog;          keys Escape
    keys ctrl+4;        shot ci-templates
    keys ctrl+shift+o;  shot open-remote-workspace;  keys Escape
    keys F1;            shot user-guide;             keys Escape

    kill "$APP_PID" 2>/dev/null || true
    wait "$APP_PID" 2>/dev/null || true
    APP_PID=""
done
echo "Done. Shots that need a selection or a drag (compare, stage-board, confirmation, registry-artifact,"
echo "compliance-report, remote-workspace) are kept from the last manual capture."
