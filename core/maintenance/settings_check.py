"""`check`'s step over the settings MotCua acts on with a shape: each read as the program reads it.

A setting json cannot read, or one of a shape MotCua never writes (edited in by SQL), stops
every command and the window's start with «thiết lập «key» không đọc được … Hãy chạy lệnh
check» (db.settings.damaged): `check` must then name it too, not say the file is good
(review37), and must not itself stop on it (the installation's home)."""
from __future__ import annotations

import sqlite3

from core import installation
from core.maintenance.inspect import Finding
from db import settings
from db.errors import DatabaseDamagedError

# the settings read with a shape (json unreadable, nested too deep, or of another shape: damage):
# the targets weighed and written back whole, the slot and home by which codes are issued. (The
# installation's id: `vote_origins` names it; records a package left are read as none, on purpose.)
SHAPED = (lambda c: settings.targets_per_year(c, "targets"),
          lambda c: settings.targets_per_year(c, "targets_766"),
          installation.slot, installation.home)


def settings_shapes(conn: sqlite3.Connection) -> Finding:
    """One finding: every setting readable and of its shape, or which are not."""
    named: list[str] = []
    for read in SHAPED:
        try:
            read(conn)
        except DatabaseDamagedError as exc:
            named += [problem for problem in exc.problems if problem not in named]
    if not named:
        return Finding(True, "Các thiết lập chỉ tiêu, lượt cấp mã và nơi lập tệp đọc được, "
                             "đúng dạng.")
    said = "; ".join(named)
    return Finding(False, f"{said[0].upper()}{said[1:]} (bị sửa bên ngoài MotCua?): MotCua "
                          "không dùng tệp này.")
