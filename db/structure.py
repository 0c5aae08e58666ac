"""Is the file's schema exactly the one this program's migrations build?

The expected schema of each version is built by running the program's own migrations on a fresh
database in memory, then both are described the same way (tables with their columns, types,
NOT NULL, defaults, primary keys and foreign keys; indexes with their columns; triggers; views)
and compared. Every difference is named in Vietnamese. It reads only sqlite_master and a few
pragmas, so it is cheap enough to run every time a database is opened.
"""
from __future__ import annotations

import functools
import re
import sqlite3

from db import searchtext
from db.schema import SCHEMA_VERSION, run_migration

Description = dict[str, dict]


@functools.cache
def _expected(version: int) -> Description:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    searchtext.register(conn)  # schema 21's view and triggers call its functions
    try:
        for index in range(version):
            run_migration(conn, index)
        return describe(conn)
    finally:
        conn.close()


def expected(version: int = SCHEMA_VERSION) -> Description:
    return _expected(version)


def _squash(sql: str | None) -> str:
    return re.sub(r"\s+", " ", sql or "").strip().lower()


def _columns(conn: sqlite3.Connection, table: str) -> dict[str, tuple]:
    rows = conn.execute(f'PRAGMA table_info("{table}")').fetchall()
    return {name: ((kind or "").upper(), bool(notnull), default, pk)
            for _cid, name, kind, notnull, default, pk in rows}


def _foreign_keys(conn: sqlite3.Connection, table: str) -> set[tuple]:
    return {(row[3], row[2], row[4], row[5], row[6])
            for row in conn.execute(f'PRAGMA foreign_key_list("{table}")')}


def _table_indexes(conn: sqlite3.Connection, table: str) -> set[tuple]:
    """Indexes SQLite made itself (PRIMARY KEY, UNIQUE), by their columns."""
    out = set()
    for _seq, name, unique, origin, _partial in conn.execute(f'PRAGMA index_list("{table}")'):
        if origin in ("u", "pk"):
            columns = tuple(r[2] for r in conn.execute(f'PRAGMA index_info("{name}")'))
            out.add((origin, bool(unique), columns))
    return out


def describe(conn: sqlite3.Connection) -> Description:
    """The schema of `conn`, in a form two databases can be compared by."""
    out: Description = {"table": {}, "index": {}, "trigger": {}, "view": {}}
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master "
                        "WHERE name NOT LIKE 'sqlite_%'").fetchall()
    for kind, name, table, sql in rows:
        if kind == "table":
            out["table"][name] = {"columns": _columns(conn, name),
                                  "foreign": _foreign_keys(conn, name),
                                  "implicit": _table_indexes(conn, name)}
        elif kind == "index":
            columns = tuple(r[2] for r in conn.execute(f'PRAGMA index_info("{name}")'))
            out["index"][name] = (table, columns, _squash(sql))
        elif kind in ("trigger", "view"):
            out[kind][name] = (table, _squash(sql))
    return out


def differences(conn: sqlite3.Connection, version: int = SCHEMA_VERSION) -> list[str]:
    """Every way the schema of `conn` differs from what `version` of the program builds."""
    actual, wanted = describe(conn), expected(version)
    found = _table_differences(actual["table"], wanted["table"])
    found += _named_differences(actual["index"], wanted["index"], "chỉ mục", "Chỉ mục")
    found += _named_differences(actual["trigger"], wanted["trigger"], "trigger", "Trigger")
    found += _named_differences(actual["view"], wanted["view"], "view", "View")
    return found


def _table_differences(actual: dict, wanted: dict) -> list[str]:
    found = [f"Thiếu bảng {name}" for name in sorted(wanted) if name not in actual]
    found += [f"Bảng lạ: {name}" for name in sorted(actual) if name not in wanted]
    for name in sorted(set(actual) & set(wanted)):
        found += _column_differences(name, actual[name]["columns"], wanted[name]["columns"])
        if actual[name]["foreign"] != wanted[name]["foreign"]:
            found.append(f"Khoá ngoại của bảng {name} khác với thiết kế")
        if actual[name]["implicit"] != wanted[name]["implicit"]:
            found.append(f"Khoá chính/ràng buộc UNIQUE của bảng {name} khác với thiết kế")
    return found


def _column_differences(table: str, actual: dict, wanted: dict) -> list[str]:
    found = [f"Cột {table}.{name} bị đổi tên/thiếu" for name in wanted if name not in actual]
    found += [f"Cột lạ: {table}.{name}" for name in actual if name not in wanted]
    for name in wanted:
        if name in actual and actual[name] != wanted[name]:
            have, want = actual[name], wanted[name]
            if have[0] != want[0]:
                found.append(f"Cột {table}.{name} có kiểu {have[0] or 'trống'} thay vì {want[0]}")
            else:
                found.append(f"Cột {table}.{name} có ràng buộc (NOT NULL/mặc định/khoá) khác thiết kế")
    return found


def _named_differences(actual: dict, wanted: dict, noun: str, title: str) -> list[str]:
    found = [f"Thiếu {noun} {name}" for name in sorted(wanted) if name not in actual]
    found += [f"{title} lạ: {name}" for name in sorted(actual) if name not in wanted]
    found += [f"{title} {name} đã bị sửa" for name in sorted(set(actual) & set(wanted))
              if actual[name] != wanted[name]]
    return found
