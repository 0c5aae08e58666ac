"""Importing a provincial or national-portal file into MotCua through a column mapping, from
the reconciliation window (core.transfer.mapped: the checks of `import dossiers`)."""
from __future__ import annotations

from pathlib import Path

from core.timefmt import vn_number
from core.transfer.cli import errors_heading, warnings_heading
from core.transfer.mapped import import_mapped
from core.transfer.profiles import Profile
from gui import widgets


def _done(parent, result) -> None:
    if result.errors:  # nothing was written: every bad row is listed
        widgets.warn(parent, "Không nhập được", errors_heading(result) + "\n"
                     + "\n".join(str(e) for e in result.errors[:30]))
        return
    text = (f"Thêm {vn_number(result.added)}, cập nhật {vn_number(result.updated)}, không đổi "
            f"{vn_number(result.unchanged)} hồ sơ."
            + (f"\n\n{result.trailer_note()}" if result.trailer else "")
            + (f"\n\n{warnings_heading(result)}\n" + "\n".join(f"• {w}"
                                                                 for w in result.warnings[:30])
               if result.warnings else ""))
    widgets.inform(parent, "Đã nhập", text)


def import_mapped_file(parent, db_path: str, path: str, profile: Profile):
    from gui.worker import run_in_background
    if not widgets.confirm(parent, "Nhập tệp vào MotCua",
                           f"Nhập các hồ sơ của tệp {Path(path).name} vào MotCua? Hồ sơ cùng mã "
                           "sẽ được cập nhật theo tệp. Tệp có dòng sai thì không ghi gì.",
                           yes="Nhập", no="Không nhập"):
        return None
    return run_in_background(parent, db_path, "Đang nhập hồ sơ từ tệp…",
                             lambda db, progress: import_mapped(db, path, profile,
                                                                progress=progress),
                             lambda result: _done(parent, result))
