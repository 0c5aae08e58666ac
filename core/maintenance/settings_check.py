"""`check`'s step over the settings MotCua acts on: each read the way the program reads it.

A setting json cannot read, or one of a shape MotCua never writes (edited in by SQL), stops
every command and the window's start with «thiết lập «key» không đọc được … Hãy chạy lệnh
check» (db.settings.damaged): `check` must then name it too, not say the file is good
(review37), and must not itself stop on it (the installation's home)."""
from __future__ import annotations

import sqlite3

from core import installation
from core.maintenance.inspect import Finding
from db import settings, stored_json
from db.errors import DatabaseDamagedError


def _unreadable(conn: sqlite3.Connection) -> list[str]:
    """Settings whose stored text json cannot read (any key: each may be read somewhere)."""
    named = []
    for key, value in conn.execute("SELECT key, value FROM settings ORDER BY key"):
        try:
            stored_json.loads(value)
        except (TypeError, ValueError):
            named.append(f"thiết lập «{key}» không đọc được")
    return named


# the settings read with a shape: the targets weighed and written back whole, the installation's
# id, slot and home by which codes and origins are issued
SHAPED = (lambda c: settings.targets_per_year(c, "targets"),
          lambda c: settings.targets_per_year(c, "targets_766"),
          installation.stored_id, installation.slot, installation.home)


def settings_shapes(conn: sqlite3.Connection) -> Finding:
    """One finding: every setting readable and of its shape, or which are not."""
    named = _unreadable(conn)
    for read in SHAPED:
        try:
            read(conn)
        except DatabaseDamagedError as exc:
            named += [problem for problem in exc.problems if problem not in named]
    if not named:
        return Finding(True, "Các thiết lập (chỉ tiêu, mã cài đặt, lượt cấp mã, nơi lập tệp) "
                             "đọc được và đúng dạng.")
    said = "; ".join(named)
    return Finding(False, f"{said[0].upper()}{said[1:]} (bị sửa bên ngoài MotCua?): MotCua "
                          "không dùng tệp này.")
