"""Import and export from the window, through core.transfer, in a worker with progress."""
from __future__ import annotations

from core.errors import InputError
from core.timefmt import vn_number
from gui import errors, file_dialogs, widgets

KINDS_VI = {"units": "Đơn vị", "procedures": "Thủ tục", "components": "Thành phần hồ sơ",
            "calendar": "Lịch làm việc",
            "dossiers": "Hồ sơ", "payments": "Thanh toán", "votes": "Phiếu đánh giá",
            "complaints": "Phản ánh, kiến nghị"}
FILTER = "Bảng tính (*.csv *.xlsx)"


def _pick_kind(parent, verb: str) -> str | None:
    labels = list(KINDS_VI.values())
    label = widgets.choose(parent, f"{verb} dữ liệu", "Loại dữ liệu:", labels)
    if label is None:
        return None
    return list(KINDS_VI)[labels.index(label)]


def import_dialog(parent, db_path: str, on_done=None):
    """Choose a kind and a file; check it whole, then import it in a worker (spec 7)."""
    from core import transfer
    from gui.worker import run_in_background
    kind = _pick_kind(parent, "Nhập")
    if kind is None:
        return None
    path = file_dialogs.open_file_name(parent, f"Nhập {KINDS_VI[kind].lower()}", "", FILTER)
    if not path:
        return None

    def done(result) -> None:
        if result.errors:  # nothing was written: every bad row is listed
            from core.transfer.cli import errors_heading
            widgets.warn(parent, "Không nhập được", errors_heading(result) + "\n"
                         + "\n".join(str(e) for e in result.errors[:30]))
            return
        from core.transfer.cli import warnings_heading
        text = (f"Thêm {vn_number(result.added)}, cập nhật {vn_number(result.updated)}, "
                f"không đổi {vn_number(result.unchanged)} dòng."
                + (f"\n\n{result.trailer_note()}" if result.trailer else "")
                + "".join(f"\n\n{line}" for line in result.notes)
                + (f"\n\n{warnings_heading(result)}\n" + "\n".join(result.warnings[:30])
                   if result.warnings else ""))
        widgets.inform(parent, "Đã nhập", text)
        if on_done:
            on_done()
    return run_in_background(parent, db_path, f"Đang nhập {KINDS_VI[kind].lower()}…",
                             lambda db, progress: transfer.import_file(db, kind, path, False, progress),
                             done)


def export_dialog(parent, db_path: str):
    from core import transfer
    from gui.worker import run_in_background
    kind = _pick_kind(parent, "Xuất")
    if kind is None:
        return None
    path = file_dialogs.save_path(parent, f"Xuất {KINDS_VI[kind].lower()}", f"{kind}.xlsx", FILTER)
    if not path:
        return None
    try:
        full = ask_full_data(parent) if kind in transfer.PERSONAL_KINDS else None
    except InputError as exc:  # a purpose too long: said, nothing exported
        errors.show_error(parent, exc)
        return None
    if full is False:
        return None
    masked = " Số điện thoại đã được che." if kind in transfer.PERSONAL_KINDS and not full else ""
    return run_in_background(
        parent, db_path, f"Đang xuất {KINDS_VI[kind].lower()}…",
        lambda db, progress: transfer.export_file(db, kind, path, progress, full=full),
        lambda count: widgets.inform(parent, "Đã xuất",
                                     f"Đã ghi {vn_number(count)} dòng vào {path}.{masked}"),
        notify=False)


def ask_full_data(parent):
    """None: masked phones (the default); a FullData pass when a user holding personal.full
    asks for whole numbers and states a purpose (Law 91/2025, docs/privacy.md); False: cancelled.
    Every export that may hold phones asks through here (files, lists: gui.list_export)."""
    from core import accounts
    from core.privacy import masking
    if not accounts.can(None, "personal.full") or not widgets.confirm(
            parent, "Dữ liệu cá nhân", "Xuất đầy đủ số điện thoại của người nộp? Cần ghi mục "
            "đích; việc xuất được ghi vào nhật ký truy cập.", yes="Xuất đầy đủ",
            no="Che số điện thoại"):
        return None
    purpose = widgets.ask_text(parent, "Dữ liệu cá nhân", "Mục đích sử dụng dữ liệu đầy đủ:")
    if not (purpose or "").strip():
        return False
    return masking.full_data(purpose)
