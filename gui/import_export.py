"""Import and export from the window, through core.transfer, in a worker with progress."""
from __future__ import annotations

from pathlib import Path

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
TO_MAPPING = "Chọn cột cho từng trường…"
MAPPING_OFFER = ("Nếu đây là tệp xuất của hệ thống tỉnh hoặc Cổng DVC quốc gia (tên cột khác "
                 "với MotCua), bấm «" + TO_MAPPING + "»: cửa sổ Đối chiếu với hệ thống tỉnh mở "
                 "tệp này để chọn cột nào là trường nào, xem trước, lưu mẫu cột, rồi bấm «Nhập "
                 "tệp vào MotCua…».")


class OtherColumns:
    """A dossier file refused because its header is not MotCua's (a provincial system's or the
    national portal's export): the refusal, and the way to its column mapping."""

    def __init__(self, refusal: InputError):
        self.refusal = refusal


def _other_columns(path: str) -> bool:
    """The file's header row has none of MotCua's required dossier columns (read after the
    import refused it: which way to offer the clerk, not a check of the file). MotCua's own
    file lacking one or two is not another system's: its refusal names what is missing."""
    from core.transfer import expected_columns, kind_class
    from core.transfer.files import open_table
    expected = expected_columns(kind_class("dossiers"))
    table = open_table(path, expected)
    try:
        return not set(expected.required) & set(table.header)
    finally:
        table.close()


def _import(kind: str, path: str):
    """The worker's job: the import, or OtherColumns when a dossier file has another system's
    column names (said with the way to the mapping, not as a bare refusal)."""
    from core import transfer

    def work(db, progress):
        try:
            return transfer.import_file(db, kind, path, False, progress)
        except InputError as exc:
            if kind == "dossiers" and _other_columns(path):
                return OtherColumns(exc)
            raise
    return work


def _doing(kind: str) -> str:
    return f"Đang nhập {KINDS_VI[kind].lower()}…"


def _exporting(kind: str) -> str:
    return f"Đang xuất {KINDS_VI[kind].lower()}…"


def refused_title(kind: str) -> str:
    """One title for an import refused, whatever refused it (the file, its rows, its columns
    offered the mapping): "Không thể nhập hồ sơ", as a job's failure is titled (gui.errors);
    the provincial file's offer said "Không nhập được" beside it."""
    return errors.failure_title(_doing(kind))


def _offer_mapping(parent, path: str, refused: OtherColumns) -> None:
    """The refusal, and (for an account that may reconcile and import) one click to the
    column-mapping step with the file already open in it."""
    window = parent.window() if parent is not None else None
    action = getattr(window, "reconcile_action", None)
    if action is None or not (action.isVisible() and action.isEnabled()):
        widgets.warn(parent, refused_title("dossiers"), str(refused.refusal))
        return
    # the way forward first; core's refusal (MotCua's own column names) after it
    name = Path(path).name
    if not widgets.confirm(parent, refused_title("dossiers"), f"Tệp {name} không có tên cột của tệp hồ "
                           f"sơ MotCua; chưa ghi gì. {MAPPING_OFFER}\n\nChi tiết: "
                           f"{refused.refusal}", yes=TO_MAPPING, no="Đóng"):
        return
    window.open_reconciliation()
    if window.reconcile_dialog is not None:
        window.reconcile_dialog.open_file(path)


def _pick_kind(parent, verb: str) -> str | None:
    labels = list(KINDS_VI.values())
    label = widgets.choose(parent, f"{verb} dữ liệu", "Loại dữ liệu:", labels)
    if label is None:
        return None
    return list(KINDS_VI)[labels.index(label)]


def import_dialog(parent, db_path: str, on_done=None):
    """Choose a kind and a file; check it whole, then import it in a worker (spec 7)."""
    from gui.worker import run_in_background
    kind = _pick_kind(parent, "Nhập")
    if kind is None:
        return None
    path = file_dialogs.open_file_name(parent, f"Nhập {KINDS_VI[kind].lower()}", "", FILTER)
    if not path:
        return None

    def done(result) -> None:
        if isinstance(result, OtherColumns):
            _offer_mapping(parent, path, result)
            return
        if result.errors:  # nothing was written: every bad row is listed
            from core.transfer.cli import errors_heading
            widgets.warn(parent, refused_title(kind), errors_heading(result) + "\n"
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
    return run_in_background(parent, db_path, _doing(kind),
                             _import(kind, path), done)


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
        errors.show_error(parent, exc, errors.failure_title(_exporting(kind)))
        return None
    if full is False:
        return None
    masked = f" {masking.MASKED_VI.capitalize()} đã được che." \
        if kind in transfer.PERSONAL_KINDS and not full else ""
    return run_in_background(
        parent, db_path, _exporting(kind),
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
