"""Import and export from the window, through core.transfer, in a worker with progress."""
from __future__ import annotations

from core.errors import InputError
from core.privacy import masking
from core.timefmt import vn_number
from gui import errors, file_dialogs, widgets
from gui.widgets import CANCEL

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
                + (f"\n\n{warnings_heading(result)}\n" + "\n".join(f"• {w}" for w in result.warnings[:30])
                   if result.warnings else ""))
        widgets.inform(parent, "Đã nhập", text)
        if on_done:
            on_done()
    return run_in_background(parent, db_path, f"Đang nhập {KINDS_VI[kind].lower()}…",
                             lambda db, progress: transfer.import_file(db, kind, path, False, progress),
                             done)


def _scope(parent, scope, unit_name: str):
    """The screen's period and unit (`scope`: first, last, unit) for an export of dossiers, or
    None for every dossier; False: cancelled. A commune uploads her month to the provincial
    system, not the centre's whole history (core.transfer.dossier_export.Selection)."""
    if scope is None:
        return None
    first, last, unit = scope
    where = f" của {unit_name} và các đơn vị trực thuộc" if unit else ""
    words = f"hồ sơ tiếp nhận từ {first:%d/%m/%Y} đến {last:%d/%m/%Y}{where}"
    answer = widgets.ask_three(parent, "Xuất hồ sơ", f"Xuất {words} (kỳ và đơn vị đang xem), "
                               "hay mọi hồ sơ?", yes="Chỉ kỳ và đơn vị đang xem",
                               other="Mọi hồ sơ", no=CANCEL)
    return False if answer is None else scope if answer == "yes" else None


def export_dialog(parent, db_path: str, scope=None, unit_name: str = ""):
    """`scope`: the period and unit the screen shows (first, last, unit code or None), offered
    for an export of dossiers."""
    from core import transfer
    from core.transfer.dossier_export import period_selection
    from gui.worker import run_in_background
    kind = _pick_kind(parent, "Xuất")
    if kind is None:
        return None
    chosen = _scope(parent, scope, unit_name) if kind == "dossiers" else None
    if chosen is False:
        return None
    path = file_dialogs.save_path(parent, f"Xuất {KINDS_VI[kind].lower()}", f"{kind}.xlsx", FILTER)
    if not path:
        return None
    try:
        full = ask_full_data(parent, masking.MASKED_VI) if kind in transfer.PERSONAL_KINDS \
            else None
    except InputError as exc:  # a purpose too long: said, nothing exported
        errors.show_error(parent, exc)
        return None
    if full is False:
        return None
    masked = f" {masking.MASKED_VI.capitalize()} đã được che." \
        if kind in transfer.PERSONAL_KINDS and not full else ""
    return run_in_background(
        parent, db_path, f"Đang xuất {KINDS_VI[kind].lower()}…",
        lambda db, progress: transfer.export_file(
            db, kind, path, progress, full=full,
            chosen=period_selection(db, *chosen) if chosen else None),
        lambda count: widgets.inform(parent, "Đã xuất",
                                     f"Đã ghi {vn_number(count)} dòng vào {path}.{masked}"),
        notify=False)


def ask_full_data(parent, what: str = masking.PHONE_VI):
    """None: masked phones (the default); a FullData pass when a user holding personal.full
    asks for whole numbers and states a purpose (Law 91/2025, docs/privacy.md); False: cancelled.
    Every export that may hold phones asks through here (files, lists: gui.list_export); `what`
    names what the file masks (a dossier's phone, ID number, e-mail and address)."""
    from core import accounts
    if not accounts.can(None, "personal.full") or not widgets.confirm(
            parent, "Dữ liệu cá nhân", f"Xuất đầy đủ {what} của người nộp? Cần ghi mục "
            "đích; việc xuất được ghi vào nhật ký truy cập.", yes="Xuất đầy đủ",
            no="Che dữ liệu cá nhân"):
        return None
    purpose = widgets.ask_text(parent, "Dữ liệu cá nhân", "Mục đích sử dụng dữ liệu đầy đủ:")
    if not (purpose or "").strip():
        return False
    return masking.full_data(purpose)
