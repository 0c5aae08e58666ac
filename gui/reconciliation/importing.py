"""Importing a provincial or national-portal file into MotCua through a column mapping, from
the reconciliation window (core.transfer.mapped: the checks of `import dossiers`)."""
from __future__ import annotations

from pathlib import Path

from core.reconcile.duplicates import IMPORT, SKIP, skipped_words, told
from core.timefmt import vn_number
from core.transfer.cli import errors_heading, warnings_heading
from core.transfer.files import Table, open_table
from core.transfer.mapped import import_mapped
from core.transfer.profiles import Profile
from gui import errors, widgets

DUPLICATES_TITLE = "Có thể trùng hồ sơ đã có"
IMPORTING = "Đang nhập hồ sơ từ tệp…"  # the job's line; its refusals' title (errors.failure_title)


def _done(parent, result) -> None:
    if result.errors:  # nothing was written: every bad row is listed
        widgets.warn(parent, errors.failure_title(IMPORTING), errors_heading(result) + "\n"
                     + "\n".join(str(e) for e in result.errors[:30]))
        return
    said = told(result, str)  # the clerk's own screen: whole names, as every list shows them
    text = (f"Thêm {vn_number(result.added)}, cập nhật {vn_number(result.updated)}, không đổi "
            f"{vn_number(result.unchanged)} hồ sơ{skipped_words(result)}."
            + (f"\n\n{result.trailer_note()}" if result.trailer else "")
            + ("\n\n" + "\n".join(said) if said else "")
            + (f"\n\n{warnings_heading(result)}\n" + "\n".join(f"• {w}"
                                                                 for w in result.warnings[:30])
               if result.warnings else ""))
    widgets.inform(parent, "Đã nhập", text)


def _choice(parent, result) -> str | None:
    """The clerk's choice for the rows likely to be dossiers MotCua holds under another code
    (nothing was written): skip them (the default), import them anyway, or neither."""
    count = vn_number(len(result.duplicates))
    answer = widgets.ask_three(
        parent, DUPLICATES_TITLE,
        "\n".join(told(result, str)) + "\n\nChưa ghi gì vào MotCua. Hãy xem từng cặp rồi chọn.",
        yes=f"Bỏ qua {count} hồ sơ này, nhập phần còn lại",
        other=f"Vẫn nhập cả {count} hồ sơ", no="Không nhập")
    return {"yes": SKIP, "other": IMPORT}.get(answer or "")


def import_mapped_file(parent, db_path: str, path: str, profile: Profile,
                       duplicates: str | None = None, opened: Table | None = None):
    """Import the file in a worker; rows likely to be dossiers MotCua holds ask the clerk, and
    the import then runs again with the answer on the file as the first run read it (`opened`:
    kept between the question and the import, closed at the end: an .xlsx is parsed once)."""
    from gui.worker import run_in_background
    if duplicates is None and not widgets.confirm(
            parent, "Nhập tệp vào MotCua",
            f"Nhập các hồ sơ của tệp {Path(path).name} vào MotCua? Hồ sơ cùng mã sẽ được cập "
            "nhật theo tệp. Tệp có dòng sai thì không ghi gì. Hồ sơ có thể đã có trong MotCua "
            "với mã khác sẽ được hỏi trước khi ghi.", yes="Nhập", no="Không nhập"):
        return None

    kept: list[Table] = [opened] if opened is not None else []

    def work(db, progress):
        if not kept:  # the file read once, its rows kept for the run after the question
            kept.append(open_table(path, profile.expected(), profile.header_row))
        return import_mapped(db, path, profile, progress=progress, duplicates=duplicates,
                             opened=kept[0], keep_open=True)

    def let_go(*_args) -> None:
        for table in kept:
            table.close()

    def finished(result) -> None:
        if not result.awaits_choice:
            let_go()
            _done(parent, result)
            return
        chosen = _choice(parent, result)
        if chosen is None:
            let_go()
            return
        parent.worker = import_mapped_file(parent, db_path, path, profile, chosen, kept[0])
    worker = run_in_background(parent, db_path, IMPORTING, work, finished,
                               on_failure=let_go)
    worker.cancelled.connect(let_go)
    return worker
