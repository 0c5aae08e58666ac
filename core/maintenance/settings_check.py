"""`check`'s step over the settings MotCua acts on with a shape: each read as the program reads it.

A setting json cannot read, or one of a shape MotCua never writes (edited in by SQL), stops
every command and the window's start with «thiết lập «key» không đọc được … Hãy chạy lệnh
check» (db.settings.damaged): `check` must then name it too, not say the file is good
(review37), and must not itself stop on it (the installation's home)."""
from __future__ import annotations

import sqlite3

from core import installation
from core.limits import clip
from core.maintenance.inspect import EXAMPLES, Finding
from core.timefmt import vn_date, vn_number
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

NONE_SIGNED = "Chưa có bản ghi duyệt số liệu nào."


def sign_offs(conn: sqlite3.Connection) -> Finding:
    """One finding: the last sign-off of every period and unit (the record its report reads)
    read as the report reads it (core.signoff.recorded), or which are not (review37: one of a
    wrong shape was named only when its report was printed). Read as a cursor, each record no
    further than core.signoff.RECORD_MAX: bounded on a file with thousands of them."""
    from core import signoff
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                        "name = 'setting_changes'").fetchone():
        return Finding(True, NONE_SIGNED)  # an older schema's file, upgraded when opened
    read = bad = 0
    named: list[str] = []
    for key, text in signoff.last_records(conn):
        read += 1
        if signoff.recorded(text) is None:
            bad += 1
            if len(named) < EXAMPLES:
                named.append(_scope_phrase(conn, key))
    if not bad:
        return Finding(True, f"Bản ghi duyệt số liệu của {vn_number(read)} kỳ đọc được, đúng dạng."
                       if read else NONE_SIGNED)
    more = f" (tổng cộng {vn_number(bad)} bản ghi)" if bad > len(named) else ""
    return Finding(False, f"Bản ghi duyệt số liệu không đọc được (bị sửa bên ngoài MotCua?): "
                          f"{'; '.join(named)}{more}. Báo cáo của kỳ và đơn vị đó không in "
                          "được; hãy khôi phục từ bản sao lưu (lệnh restore).")


def _scope_phrase(conn: sqlite3.Connection, key: str) -> str:
    """'kỳ 01/10/2026 – 31/10/2026, UBND xã Văn An (X01)' of a record's key, or the key itself
    (cut short) when it is of another shape."""
    from core import signoff
    key = key if isinstance(key, str) else str(key)  # (a key edited into a number)
    scope = signoff.scope_of(key)
    if scope is None:
        return f"khoá «{clip(key, '', 60)}»"
    first, last, unit = scope
    if unit is None:
        whom = "mọi đơn vị"
    else:
        row = conn.execute("SELECT name FROM units WHERE code = ?", [unit]).fetchone()
        whom = f"{row[0]} ({unit})" if row else f"đơn vị {unit} (không có trong danh mục)"
    return f"kỳ {vn_date(first)} – {vn_date(last)}, {whom}"
