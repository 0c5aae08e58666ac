#!/usr/bin/env bash
# Exercise the built program (not the source tree) the way support and a clerk would:
#   .ci/build_check.sh [dist/MotCua [STEP ...]]   (steps: folder_size selftest demo_and_kpi
#                                                   maintenance gui; default: all, in order)
# selftest; a small demo database and its indicators as JSON; check; backup and restore (plain
# and encrypted); the desktop window (and the kiosk screen) kept open for a few seconds under
# Xvfb without crashing.
# Runs with its own data folder, so nothing of a real user is touched.
set -euo pipefail
cd "$(dirname "$0")/.."
DIST=${1:-dist/MotCua}
CONSOLE="$DIST/MotCua-console"
APP="$DIST/MotCua"
MAX_MB=${MOTCUA_MAX_BUILD_MB:-175}  # Linux folder; Windows has no ICU/X11 copies and is smaller
WORK=$(mktemp -d /tmp/motcua-ci.XXXXXX)
export MOTCUA_DATA_DIR="$WORK/data"
DB=/tmp/ci-demo.db

say() { echo "--- $*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

timed() {
    local name=$1 start=$SECONDS
    shift
    say "$name"
    "$@"
    say "$name: $((SECONDS - start)) s"
}

folder_size() {
    [ -x "$APP" ] && [ -x "$CONSOLE" ] || fail "$APP and $CONSOLE must both exist"
    local mb
    mb=$(du -sm "$DIST" | cut -f1)
    say "build folder $DIST: ${mb} MB"
    [ "$mb" -le "$MAX_MB" ] || fail "build folder is ${mb} MB, more than ${MAX_MB} MB: something big got bundled"
    [ -z "$(find "$DIST" -xtype l)" ] || fail "dangling links in the build: $(find "$DIST" -xtype l)"
    python3 -c "import ast, sys; ast.parse(open(sys.argv[1], encoding='utf-8').read())" \
        build/build/file_version_info.txt  # the Windows version resource is well-formed
}

selftest() {
    "$CONSOLE" selftest
    # the built program names the version and schema the source records (core.version: the
    # installer's name and an old centre's refusal use the same number; docs/updating.md)
    local said wanted
    said=$("$CONSOLE" --version)
    wanted=$(python3 -c 'from core.version import VERSION_TEXT; print(VERSION_TEXT)')
    say "$said"
    [ "$said" = "$wanted" ] || fail "the built program says '$said', the source '$wanted'"
}

demo_and_kpi() {
    rm -f "$DB" "$DB-wal" "$DB-shm"
    "$CONSOLE" --db "$DB" demo --dossiers 3000 --seed 1 --today 2025-06-30
    "$CONSOLE" --db "$DB" kpi --from 2025-01-01 --to 2025-06-30 --json > "$WORK/kpi.json"
    python3 - "$WORK/kpi.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
total = doc["total"]
assert doc["from"] == "2025-01-01" and doc["to"] == "2025-06-30", doc["from"]
assert doc["units"], "no units in the KPI document"
assert total["received"]["total"] > 0, "no dossiers counted"
assert total["received"]["total"] == (total["resolved"]["total"] + total["withdrawn"]
                                      + total["in_progress"]["total"]), "invariant broken"
print(f"kpi: {len(doc['units'])} units, {total['received']['total']} dossiers, "
      f"on-time rate {total['on_time_rate']}")
PY
}

maintenance() {
    "$CONSOLE" --db "$DB" check
    local out
    out=$("$CONSOLE" --db "$DB" backup --to "$WORK/usb")
    echo "$out"
    local copy=${out##* }
    [ -f "$copy" ] || fail "backup did not produce $copy"
    "$CONSOLE" --db "$WORK/restored.db" restore "$copy"
    "$CONSOLE" --db "$WORK/restored.db" check
    local status=0
    echo "not a database" > "$WORK/bad.db"
    "$CONSOLE" --db "$WORK/restored.db" restore "$WORK/bad.db" || status=$?
    [ "$status" -eq 2 ] || fail "restoring a non-database must exit 2, got $status"
    encrypted_round_trip
}

# An encrypted backup (cryptography bundled): made, refused with a wrong passphrase (nothing
# changed), restored with the right one, and the result checked.
encrypted_round_trip() {
    local secret="mật khẩu kiểm thử CI 2026" enc status=0
    MOTCUA_BACKUP_PASSPHRASE="$secret" "$CONSOLE" --db "$DB" backup --to "$WORK/locked" --encrypt
    enc=$(find "$WORK/locked" -name 'motcua-*.db.enc' | head -n 1)
    [ -f "$enc" ] || fail "backup --encrypt did not produce a .db.enc file"
    ! grep -q "SQLite format 3" "$enc" || fail "$enc is not encrypted"
    MOTCUA_BACKUP_PASSPHRASE="wrong passphrase" "$CONSOLE" --db "$WORK/from-enc.db" restore "$enc" \
        || status=$?
    [ "$status" -eq 2 ] || fail "a wrong passphrase must exit 2, got $status"
    [ ! -e "$WORK/from-enc.db" ] || fail "a wrong passphrase left a database behind"
    MOTCUA_BACKUP_PASSPHRASE="$secret" "$CONSOLE" --db "$WORK/from-enc.db" restore "$enc"
    "$CONSOLE" --db "$WORK/from-enc.db" check
}

# Start a window, give it a few seconds, and require that it was still running (timeout's 124).
window() {
    local name=$1
    shift
    local log="$WORK/$name.log" status
    xvfb-run -a -s "-screen 0 1366x768x24" \
        bash -c 'timeout -s TERM 6 "$@"; echo $? > "$0"' "$WORK/$name.rc" "$@" > "$log" 2>&1 || true
    status=$(cat "$WORK/$name.rc" 2>/dev/null || echo missing)
    cat "$log"
    [ "$status" = 124 ] || fail "the $name window exited with $status instead of staying open"
    ! grep -q -e "Traceback" -e "Lỗi không mong muốn" "$log" || fail "the $name window reported an error"
    [ -z "$(ls "$MOTCUA_DATA_DIR/logs" 2>/dev/null)" ] || fail "the $name window wrote a crash log"
}

gui() {
    if [ ! -f gui/app.py ]; then
        say "gui/app.py not present yet: window check skipped"
        return
    fi
    window app "$APP" --db "$DB"
    if [ -f gui/kiosk.py ] || [ -f gui/kiosk/__init__.py ]; then
        local unit
        # a unit at the bottom of the tree, as a commune's kiosk would show
        unit=$(python3 -c "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(
            'SELECT code FROM units WHERE code NOT IN (SELECT parent_code FROM units '
            'WHERE parent_code IS NOT NULL) ORDER BY code LIMIT 1').fetchone()[0])" "$DB")
        window kiosk "$APP" --db "$DB" kiosk --unit "$unit"
    fi
}

STEPS=("${@:2}")
[ ${#STEPS[@]} -gt 0 ] || STEPS=(folder_size selftest demo_and_kpi maintenance gui)
for step in "${STEPS[@]}"; do
    case $step in
        folder_size) timed "folder size and layout" folder_size ;;
        selftest) timed "selftest" selftest ;;
        demo_and_kpi) timed "demo (3000 dossiers) and kpi --json" demo_and_kpi ;;
        maintenance) timed "check, backup, restore" maintenance ;;
        gui) timed "desktop window under Xvfb" gui ;;
        *) fail "unknown step $step" ;;
    esac
done
rm -rf "$WORK"
say "built program OK"
