#!/usr/bin/env bash
# Put the plotly.js bundles into static/vendor/plotly/ (git-ignored, never committed) and,
# when npm is available, axe-core into tests/vendor/axe.min.js (git-ignored) for the browser tests.
#
#   scripts/fetch_plotly.sh            # from anywhere; works relative to the repository root
#   PYTHON=/path/to/python scripts/fetch_plotly.sh
#
# With npm: installs the pinned partial bundles plotly.js-basic-dist-min and
# plotly.js-geo-dist-min (about 0.4 MB gzipped each) into the cache dir var/npm and copies
#   static/vendor/plotly/plotly-basic.min.js   (scatter, bar, pie, ...)
#   static/vendor/plotly/plotly-geo.min.js     (scattergeo, choropleth)
# Without npm (or if npm fails): copies the full plotly.min.js that ships inside the Python
# plotly package (same plotly.js version, 4.8 MB / 1.5 MB gzipped) to BOTH file names; the
# full bundle draws every trace type, so templates need no change.
# static/vendor/plotly/BUNDLE records which one is in place: "partial" or "full".
#
# The plotly.js version is pinned to the one the Python plotly package bundles (the header
# of plotly/package_data/plotly.min.js); if the venv's plotly ever bundles another version,
# that version wins so both paths serve the same plotly.js.
# Idempotent: a second run only compares versions and exits.
set -eu

PLOTLY_JS_VERSION="4.1.1"   # = header of plotly 7.1.0's plotly/package_data/plotly.min.js
AXE_CORE_VERSION="4.14.1"   # axe-core, current 4.x

ROOT=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
cd "$ROOT"

PYTHON="${PYTHON:-.venv/bin/python}"
NPM_PREFIX="var/npm"
DEST="static/vendor/plotly"
AXE_DEST="tests/vendor/axe.min.js"

log() { printf 'fetch_plotly: %s\n' "$*" >&2; }

# Version from a bundle's banner ("plotly.js (geo - minified) v4.1.1", "axe v4.14.1"); empty if none.
banner_version() {
    [ -f "$1" ] || return 0
    head -n 3 "$1" | sed -n 's/.* v\([0-9][0-9a-z.+-]*\).*/\1/p' | head -n 1
}

# Copy via a temp file in the destination dir, so an interrupted run leaves no half file.
install_file() {
    mkdir -p "$(dirname -- "$2")"
    cp -- "$1" "$2.tmp.$$"
    mv -f -- "$2.tmp.$$" "$2"
}

python_bundle() {
    "$PYTHON" -c 'import os, plotly; print(os.path.join(os.path.dirname(plotly.__file__), "package_data", "plotly.min.js"))' 2>/dev/null || true
}

PY_BUNDLE=$(python_bundle)
PY_VERSION=""
if [ -n "$PY_BUNDLE" ] && [ -f "$PY_BUNDLE" ]; then
    PY_VERSION=$(banner_version "$PY_BUNDLE")
    if [ -n "$PY_VERSION" ] && [ "$PY_VERSION" != "$PLOTLY_JS_VERSION" ]; then
        log "python plotly bundles plotly.js $PY_VERSION, pin says $PLOTLY_JS_VERSION: using $PY_VERSION"
        PLOTLY_JS_VERSION="$PY_VERSION"
    fi
else
    PY_BUNDLE=""
    log "no python plotly package found via $PYTHON (set PYTHON=...); npm is the only source"
fi

# NO_NPM=1 behaves as on a machine without npm (CI uses it to test the full-bundle fallback).
HAVE_NPM=0
if [ "${NO_NPM:-0}" != 1 ] && command -v npm >/dev/null 2>&1; then HAVE_NPM=1; fi

current_bundle=$(cat "$DEST/BUNDLE" 2>/dev/null || true)
plotly_ok=0
if [ "$(banner_version "$DEST/plotly-basic.min.js")" = "$PLOTLY_JS_VERSION" ] \
    && [ "$(banner_version "$DEST/plotly-geo.min.js")" = "$PLOTLY_JS_VERSION" ]; then
    # A full-bundle fallback is upgraded to the partial bundles once npm is available.
    if [ "$current_bundle" = "partial" ] || { [ "$current_bundle" = "full" ] && [ "$HAVE_NPM" = 0 ]; }; then
        plotly_ok=1
    fi
fi
axe_ok=1
if [ "$HAVE_NPM" = 1 ] && [ "$(banner_version "$AXE_DEST")" != "$AXE_CORE_VERSION" ]; then axe_ok=0; fi

if [ "$plotly_ok" = 1 ] && [ "$axe_ok" = 1 ]; then
    msg="up to date: plotly.js $PLOTLY_JS_VERSION ($current_bundle)"
    if [ "$HAVE_NPM" = 1 ]; then msg="$msg, axe-core $AXE_CORE_VERSION"; fi
    log "$msg"
    exit 0
fi

NM="$NPM_PREFIX/node_modules"
npm_ok=0
if [ "$HAVE_NPM" = 1 ]; then
    if [ "$(banner_version "$NM/plotly.js-basic-dist-min/plotly-basic.min.js")" = "$PLOTLY_JS_VERSION" ] \
        && [ "$(banner_version "$NM/plotly.js-geo-dist-min/plotly-geo.min.js")" = "$PLOTLY_JS_VERSION" ] \
        && [ "$(banner_version "$NM/axe-core/axe.min.js")" = "$AXE_CORE_VERSION" ]; then
        npm_ok=1   # already in the npm cache dir
    else
        log "npm install plotly.js-{basic,geo}-dist-min@$PLOTLY_JS_VERSION axe-core@$AXE_CORE_VERSION into $NPM_PREFIX"
        mkdir -p "$NPM_PREFIX"
        if npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$NPM_PREFIX" \
            "plotly.js-basic-dist-min@$PLOTLY_JS_VERSION" \
            "plotly.js-geo-dist-min@$PLOTLY_JS_VERSION" \
            "axe-core@$AXE_CORE_VERSION" >&2; then
            npm_ok=1
        else
            log "npm install failed; falling back to the python package's full bundle"
        fi
    fi
fi

if [ "$npm_ok" = 1 ]; then
    if [ "$plotly_ok" = 0 ]; then
        install_file "$NM/plotly.js-basic-dist-min/plotly-basic.min.js" "$DEST/plotly-basic.min.js"
        install_file "$NM/plotly.js-geo-dist-min/plotly-geo.min.js" "$DEST/plotly-geo.min.js"
        printf 'partial\n' > "$DEST/BUNDLE"
        log "installed partial bundles plotly.js $PLOTLY_JS_VERSION into $DEST"
    fi
    if [ "$axe_ok" = 0 ]; then
        install_file "$NM/axe-core/axe.min.js" "$AXE_DEST"
        log "installed axe-core $AXE_CORE_VERSION into $AXE_DEST"
    fi
    exit 0
fi

# Fallback: the full bundle from the python package, under both names.
if [ "$plotly_ok" = 1 ]; then
    log "keeping the existing full bundle (plotly.js $PLOTLY_JS_VERSION); axe-core needs npm"
    exit 0
fi
if [ -z "$PY_BUNDLE" ]; then
    log "error: neither npm nor the python plotly package is available"
    exit 1
fi
install_file "$PY_BUNDLE" "$DEST/plotly-basic.min.js"
install_file "$PY_BUNDLE" "$DEST/plotly-geo.min.js"
printf 'full\n' > "$DEST/BUNDLE"
log "installed the full bundle plotly.js ${PY_VERSION:-?} (from $PY_BUNDLE) as both files in $DEST"
if [ "$axe_ok" = 0 ] || [ "$HAVE_NPM" = 0 ]; then
    log "no npm: $AXE_DEST not installed (the browser a11y tests need it)"
fi
exit 0
