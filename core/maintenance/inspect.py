"""The whole examination of a database file, shared by `check` and `restore`.

It reads the file read-only and never crashes on what it finds: which program and schema
version it belongs to, every difference from the schema this program's migrations build
(db.structure), SQLite's own `integrity_check` and `foreign_key_check`, and the derived data
(each dossier's stored facts must parse, and a sample must equal a fresh computation).
Each problem is one Vietnamese line naming what is wrong.
"""
from __future__ import annotations

import random
import sqlite3
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from db import facts_codec, ledger, structure
from db.batches import rows_in
from db.connection import APPLICATION_ID, BUSY_TIMEOUT_MS
from db.errors import environment_message, error_kind
from db.readonly import read_connection
from db.schema import SCHEMA_VERSION

EXAMPLES = 5
SAMPLE = 20000  # dossiers whose facts are recomputed (all of them in a smaller database)


@dataclass(frozen=True)
class Finding:
    ok: bool
    text: str  # one Vietnamese line for the clerk or the support person
    # the text says the one action that puts it right (no backup to restore: `check`'s summary)
    repair: bool = False


def examine(path: Path, *, shown_as: Path | None = None) -> list[Finding]:
    """Everything wrong (and right) with the database file at `path`, read-only."""
    name = shown_as or path
    if path.stat().st_size == 0:
        return [Finding(False, f"Tệp {name} rỗng (0 byte), không phải là cơ sở dữ liệu MotCua.")]
    try:
        conn = read_connection(path, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        return [_unreadable(exc, name)]
    try:
        return _examine(conn, name)
    except sqlite3.Error as exc:
        return [_unreadable(exc, name)]
    finally:
        conn.close()


def _unreadable(exc: sqlite3.Error, name: Path) -> Finding:
    kind = error_kind(exc)
    if kind == "damaged":
        return Finding(False, f"Tệp {name} bị hỏng (SQLite báo: {exc})")
    if kind == "notadb":
        return Finding(False, f"Tệp {name} không phải là cơ sở dữ liệu MotCua (không phải tệp SQLite, "
                                "hoặc phần đầu tệp đã bị hỏng)")
    return Finding(False, environment_message(exc, name) or
                   f"Tệp {name} không đọc được như một cơ sở dữ liệu ({exc})")


def _examine(conn: sqlite3.Connection, name: Path) -> list[Finding]:
    identity = _identity(conn, name)
    if not identity.ok:
        return [identity]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    try:
        differences = structure.differences(conn, version)
    except sqlite3.DatabaseError as exc:  # the schema pages themselves are damaged
        differences = [_unreadable(exc, name).text]
    schema = ([Finding(False, text) for text in differences] if differences else
              [Finding(True, "Lược đồ (bảng, cột, chỉ mục, trigger, view) đúng như chương trình tạo ra.")])
    found = [identity] + schema + [_integrity(conn)]
    if differences or not found[-1].ok:
        return found  # the derived data cannot be read safely from such a file
    found.append(_foreign_keys(conn))
    from core.maintenance.settings_check import (  # (it imports Finding from here)
        settings_shapes,
        sign_offs,
    )
    found += [settings_shapes(conn), sign_offs(conn)]
    if version >= 2:  # version 1 had no derived data
        # a dossier's value edited by SQL into bytes that are no UTF-8 (a fee) is that dossier
        # named as differing, as `check`'s later steps name it, not «the file unreadable»
        found += ledger.read_again_lenient(
            conn, lambda: facts_findings(conn, version == SCHEMA_VERSION))
    return found


def _identity(conn: sqlite3.Connection, name: Path) -> Finding:
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if app_id != APPLICATION_ID:
        return Finding(False, f"Tệp {name} không phải là cơ sở dữ liệu MotCua")
    if version > SCHEMA_VERSION:
        return Finding(False, f"Tệp {name} được tạo bởi phiên bản MotCua mới hơn (lược đồ "
                              f"{version}, phiên bản này hiểu tới {SCHEMA_VERSION}). Hãy cập nhật MotCua")
    if version < SCHEMA_VERSION:
        return Finding(True, f"Lược đồ phiên bản {version}: cũ, được nâng cấp lên "
                             f"{SCHEMA_VERSION} khi mở (đã sao lưu trước khi nâng cấp).")
    return Finding(True, f"Lược đồ phiên bản {version}: đúng với chương trình.")


def _integrity(conn: sqlite3.Connection) -> Finding:
    problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    if problems == ["ok"]:
        return Finding(True, "Cấu trúc tệp toàn vẹn (integrity_check).")
    shown = "; ".join(problems[:EXAMPLES])
    return Finding(False, f"Tệp cơ sở dữ liệu bị hỏng ({len(problems)} lỗi, ví dụ: {shown}).")


def _foreign_keys(conn: sqlite3.Connection) -> Finding:
    rows = conn.execute("PRAGMA foreign_key_check").fetchall()
    if not rows:
        return Finding(True, "Liên kết giữa các bảng đầy đủ (foreign_key_check).")
    tables = Counter(row[0] for row in rows)
    shown = ", ".join(f"{table}: {count} dòng" for table, count in sorted(tables.items()))
    return Finding(False, f"Có {len(rows)} dòng trỏ tới dữ liệu không tồn tại ({shown}).")


def facts_findings(conn: sqlite3.Connection, recompute: bool) -> list[Finding]:
    """Stored facts must parse as JSON; a sample must equal what the rules compute now."""
    bad = conn.execute("SELECT code FROM dossiers WHERE facts IS NOT NULL AND NOT json_valid(facts) "
                       "ORDER BY id").fetchall()
    if bad:
        shown = ", ".join(code for (code,) in bad[:EXAMPLES])
        return [Finding(False, f"facts của hồ sơ {shown} không đọc được"
                               + (f" (tổng cộng {len(bad)} hồ sơ)" if len(bad) > 1 else ""))]
    found = [Finding(True, "Dữ liệu tính sẵn (facts) của mọi hồ sơ đọc được.")]
    if recompute:
        found.append(_recomputed(conn))
    return found


# what a row edited outside MotCua raises when read or computed (a moment past the years a
# date holds, a fee of text in its INTEGER column): that dossier differs, named, and `check`
# goes on to the findings that say what is wrong with it (it stopped on a crash log, break34)
_EDITED = (ValueError, TypeError, AttributeError, OverflowError)


def _decoded(text: str, origin) -> dict | None:
    """Stored facts read back (db.facts_codec); None for a text no computation can equal."""
    try:
        return facts_codec.decode(text, *origin)
    except _EDITED:
        return None


def _inputs(db, ids: list[int]) -> tuple[list, list[int]]:
    """The dossiers' inputs (core.facts.load_inputs), and the ids of those that cannot be read:
    looked for one by one only when the whole sample could not be read."""
    from core import facts
    try:
        return list(facts.load_inputs(db, ids)), []
    except _EDITED:
        items: list = []
        unread: list[int] = []
        for one in ids:
            try:
                items += facts.load_inputs(db, [one])
            except _EDITED:
                unread.append(one)
        return items, unread


def _agrees(cal, item, stored: tuple) -> bool:
    from core import facts
    try:
        return facts.compute(cal, item) == stored
    except _EDITED:
        return False


def _recomputed(conn: sqlite3.Connection) -> Finding:
    from core.calendar import load_calendar

    db = sqlite_utils.Database(conn)
    ids = [row[0] for row in conn.execute("SELECT id FROM dossiers WHERE facts IS NOT NULL")]
    sample = ids if len(ids) <= SAMPLE else random.Random(len(ids)).sample(ids, SAMPLE)
    stored = {}
    for dossier_id, code, due, text, *origin in rows_in(
            conn, f"SELECT id, code, calc_due_at, facts, {facts_codec.origin_columns()} "
            "FROM dossiers WHERE id IN ({marks})", sample):
        stored[dossier_id] = (code, due, _decoded(text, origin))
    try:
        cal = load_calendar(db)
    except _EDITED:  # the office hours' setting or a calendar day edited by SQL (a crash log)
        return Finding(False, "Giờ làm việc hoặc lịch làm việc (ngày nghỉ, ngày làm bù) không "
                              "đọc được (bị sửa ngoài MotCua?): không tính lại được hạn và chỉ "
                              "tiêu của hồ sơ để so.")
    items, unread = _inputs(db, sample)
    wrong = [stored[one][0] for one in unread] + [
        stored[item.id][0] for item in items if not _agrees(cal, item, stored[item.id][1:])]
    if not wrong:
        return Finding(True, f"Hạn và chỉ tiêu tính sẵn của {len(sample)} hồ sơ khớp với cách tính hiện tại.")
    return Finding(False, f"Hạn hoặc chỉ tiêu tính sẵn của {len(wrong)} hồ sơ khác với cách tính "
                          f"hiện tại (ví dụ: {', '.join(sorted(wrong)[:EXAMPLES])}).")
