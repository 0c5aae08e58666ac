"""A rows part of an older schema: proven what the program at its schema made, then brought
forward in its file by the program's own migrations (core.exchange.part)."""
from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from core.exchange.part.checking import (
    CHECK_SECONDS_PER_GB,
    LIMITS,
    PartRefused,
    _master,
    _quick_check,
    expected_master,
    short,
)
from db import searchtext
from db.schema import SCHEMA_VERSION, run_migration

# MotCua writes format 3 since schema 23 (01/12/2026). A part of an older schema, down to
# OLDEST_SCHEMA, is brought forward by the program's own migrations (db.schema, the code that
# upgrades a database when it is opened) and then checked as a part of this schema: a commune
# not yet updated still sends what the centre merges. 22 is read too (a part as the program at
# 22 would have made it: its payments and votes in the tables of their texts; the upgrade is
# schema 23's migration), the oldest whose upgrade is SQL on the part's own tables alone
# (21's rebuilds the dossiers with the foreign keys off, 20's fills the search index); no
# MotCua wrote a part older than 23, so this lets the path be tested against a real migration
# before schema 24 exists. Parts older than OLDEST_SCHEMA are refused.
FIRST_SCHEMA = 23
OLDEST_SCHEMA = 22


class OlderPart(Exception):
    """The part is MotCua's, of an older schema this program brings forward (`_upgraded`)."""

    def __init__(self, version: int):
        super().__init__(f"rows part of schema {version}")
        self.version = version


def _other_version(version: int) -> Exception:
    """What a part whose user_version is not this schema's is: older and upgradable
    (OlderPart), newer (the centre must update), or older than any this program upgrades."""
    from core.version import VERSION
    if OLDEST_SCHEMA <= version < SCHEMA_VERSION:
        return OlderPart(version)
    if version > SCHEMA_VERSION:
        return PartRefused(f"theo lược đồ phiên bản {version}, mới hơn lược đồ {SCHEMA_VERSION} "
                           f"của MotCua {VERSION} ở máy này: máy này không đọc đúng được gói.",
                           "Hãy cập nhật MotCua ở máy này, rồi nhập lại gói.")
    return PartRefused(f"theo lược đồ phiên bản {version}, cũ hơn lược đồ {OLDEST_SCHEMA} là lược "
                       f"đồ cũ nhất MotCua {VERSION} ở máy này nâng cấp được (MotCua ghi gói "
                       f"định dạng 3 từ lược đồ {FIRST_SCHEMA}).",
                       "Hãy xin máy gửi xuất lại gói, hoặc xuất theo định dạng 2 (exchange "
                       "export --format 2).")


def _checks_at(version: int, conn: sqlite3.Connection, size: int,
               stop: threading.Event | None) -> None:
    """Before a migration runs on it: sqlite_master row for row what creation at `version`
    makes (the pages its tables start on too: no trigger, view or function call of the
    part's own is run by the upgrade, which trusts the schema as a database's opening does),
    and the file whole (quick_check). The other checks come after the upgrade (`_checks`)."""
    if conn.execute("PRAGMA user_version").fetchone()[0] != version:
        raise PartRefused("đã đổi trong khi kiểm tra.")
    if _master(conn) != expected_master(version):
        raise PartRefused(f"theo lược đồ phiên bản {version} nhưng có cấu trúc (bảng, chỉ mục, "
                          "view, trigger) khác với cấu trúc MotCua tạo ra ở lược đồ ấy: tệp đã "
                          "bị sửa.")
    _quick_check(conn, size, stop)


JOURNAL = b"\x01\x01"  # the header's write and read versions of a rollback-journal file


def _migrate(path: Path, version: int, stop: threading.Event | None) -> None:
    """The migrations from `version` to SCHEMA_VERSION run on the part's file, in one
    transaction, as creation runs them (db.schema.run_migration), the lengths SQLite accepts
    limited as for reading, the time bounded as quick_check's. The file is ours and thrown
    away whatever happens: no journal on disk, no sync. PartRefused when they fail (the
    part's rows are not what they accept, a damaged page, too long)."""
    size = path.stat().st_size
    with path.open("rb") as file:
        if file.read(20)[18:20] != JOURNAL:  # a WAL file opened to write gets a -wal beside it
            raise PartRefused("không ở chế độ ghi nhật ký (journal) mà MotCua tạo ra.")
    deadline = time.monotonic() + 10 + CHECK_SECONDS_PER_GB * size / 1e9
    stopped = stop.is_set if stop is not None else lambda: False
    if stopped():  # (a small part's upgrade may end before SQLite's first progress call)
        raise InterruptedError("part upgrade stopped")
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    try:
        for limit, value in LIMITS:
            conn.setlimit(limit, value)
        # proven the program's schema at `version` (_checks_at): its views and triggers are
        # ours, trusted as in any MotCua database the migrations upgrade
        for pragma in ("trusted_schema = ON", "cell_size_check = ON", "mmap_size = 0",
                       "journal_mode = MEMORY", "synchronous = OFF", "foreign_keys = OFF"):
            conn.execute(f"PRAGMA {pragma}")
        searchtext.register(conn)
        conn.set_progress_handler(lambda: stopped() or time.monotonic() > deadline, 100_000)
        conn.execute("BEGIN")
        for index in range(version, SCHEMA_VERSION):
            run_migration(conn, index)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except Exception as exc:  # whatever the part's rows made a migration raise: refused
        conn.set_progress_handler(None, 0)
        if conn.in_transaction:
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:  # the file is thrown away all the same
                pass
        if stopped():
            raise InterruptedError("part upgrade stopped") from None
        if time.monotonic() > deadline:
            raise PartRefused(f"theo lược đồ phiên bản {version}: không nâng cấp xong lên lược "
                              f"đồ {SCHEMA_VERSION} trong thời gian cho phép.") from None
        raise PartRefused(f"theo lược đồ phiên bản {version}: không nâng cấp được lên lược đồ "
                          f"{SCHEMA_VERSION} ({short(exc)}).") from None
    finally:
        conn.close()
