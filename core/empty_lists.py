"""What an empty list says in its own area (gui.empty_list): that there is nothing at all yet —
and how to add one, to an account that may — or that nothing is in the period, unit, filter or
search chosen, or, for a list of problems, that there is none (good news, said as such).

One place for the sentences and the rule choosing between them; the screens only ask. A plain
white table read as broken, or as "the data is lost" when only the period was wrong."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.reconcile import Reconciliation
    from core.register import RegisterFilter

SCOPE = "trong kỳ và đơn vị đã chọn"

# Hồ sơ: the register, and the dossiers behind a dashboard figure
DOSSIERS_YET = "Chưa có hồ sơ nào."
RECEIVE_HINT = " Tiếp nhận hồ sơ mới: Ctrl+N."
DOSSIERS_NONE_MATCH = "Không có hồ sơ nào khớp với bộ lọc/tìm kiếm."
SEARCHING = "Đang tìm hồ sơ khớp…"  # a walked search with no hit in its first steps yet
DOSSIERS_BEHIND = f"Không có hồ sơ nào được tính vào chỉ tiêu này {SCOPE}."

# Thanh toán
PAYMENTS_YET = "Chưa có khoản thu nào."
RECORD_HINT = " Ghi nhận khoản thu: nút “Ghi nhận thanh toán…”."
PAYMENTS_HERE = f"Không có khoản thu nào {SCOPE}."
FOLLOW_UP_NONE = f"Không có hồ sơ có phí nào chưa thanh toán trực tuyến {SCOPE}."

# Đánh giá: the screen's list, and the votes behind a dashboard figure
VOTES_YET = "Chưa có phiếu đánh giá nào."
VOTES_HINT = " Nhập phiếu giấy ở khung “Nhập phiếu đánh giá giấy” bên trái rồi bấm “Lưu phiếu”."
VOTES_HERE = f"Không có phiếu đánh giá nào {SCOPE}."
VOTES_BEHIND = f"Không có phiếu nào được tính vào chỉ tiêu này {SCOPE}."

# Tổng quan: the late lists are problems; empty is the good news
OVERDUE_NONE = "Không có hồ sơ nào đang quá hạn"
SOON_NONE = "Không có hồ sơ nào đến hạn trong 2 ngày làm việc tới"
IN_UNIT = " trong đơn vị đã chọn"

# Đối chiếu: before a comparison, then each result tab
NOT_COMPARED = "Chưa đối chiếu: chọn tệp, kiểm tra ánh xạ cột rồi bấm “Đối chiếu”."
ONLY_OURS_NONE = (f"Không thiếu hồ sơ nào trên hệ thống tỉnh: mọi hồ sơ của MotCua {SCOPE} "
                  "đều có trong tệp.")
ONLY_THEIRS_NONE = (f"Không thiếu hồ sơ nào trong MotCua: mọi hồ sơ của tệp {SCOPE} đều có "
                    "trong MotCua.")
DIFFERENCES_NONE = ("Không có hồ sơ nào khác nhau: mọi hồ sơ đã ghép đều khớp ở mọi nội dung mà cả "
                    "hai bên cùng ghi.")
NOTHING_PAIRED = (f"Không có hồ sơ nào để so: tệp và MotCua không có hồ sơ chung {SCOPE} "
                  "(xem hai danh sách hồ sơ thiếu).")
PAIRS_NONE = f"Không ghép được hồ sơ nào: tệp và MotCua không có hồ sơ chung {SCOPE}."
NEAR_NONE = ("Không có hồ sơ nào ghép không theo mã: mọi hồ sơ đã ghép đều ghép theo mã hồ "
             "sơ.")
NO_FILE_ROWS = "Chưa chọn tệp: bấm “Chọn tệp…” để xem các dòng đầu của tệp theo ánh xạ cột."
FILE_EMPTY = "Tệp không có dòng dữ liệu nào dưới dòng tiêu đề."

# Bảo vệ dữ liệu cá nhân
LOG_ASK = "Chọn khoảng ngày (và tài khoản, mã hồ sơ nếu cần) rồi bấm “Xem”."
LOG_NONE = "Không có lượt truy cập dữ liệu cá nhân nào trong khoảng ngày đã chọn"
SUBJECT_ASK = ("Chọn cách tìm, gõ số định danh, số điện thoại hoặc họ tên đầy đủ rồi bấm “Tìm” "
               "(hoặc Enter).")
SUBJECT_NONE = "Không có hồ sơ nào của người có {by} đã gõ."

# Danh mục
PROCEDURES_YET = "Chưa có thủ tục nào trong danh mục."
PROCEDURES_HINT = " Thêm: điền khung bên phải rồi bấm “Lưu thủ tục”."
PROCEDURES_NONE = "Không có thủ tục nào khớp với bộ lọc (mã hoặc tên đã gõ)."
UNITS_YET = "Chưa có đơn vị nào trong danh mục."
UNITS_HINT = " Thêm: điền khung bên phải rồi bấm “Lưu đơn vị”."
CALENDAR_NONE = "Chưa có ngày nghỉ, ngày làm bù nào của cơ quan trong năm {year}."
CALENDAR_HINT = " Thêm: nhấp một ngày trên lịch hoặc gõ ngày ở khung dưới rồi bấm “Lưu ngày”."
COMPONENTS_NONE = "Thủ tục này chưa có giấy tờ nào người nộp cần nộp."
COMPONENTS_HINT = " Thêm: nút “Thêm giấy tờ”."

# Một hồ sơ
PAYMENTS_NONE = "Hồ sơ này chưa có khoản thu nào."
PAYMENTS_HINT = " Ghi nhận: nút “Thu phí…”."
COMPLAINTS_NONE = "Hồ sơ này chưa có phản ánh, kiến nghị nào."
COMPLAINTS_HINT = " Ghi nhận: nút “Thêm…” bên phải."


def yet_or_here(any_at_all: bool, yet: str, here: str, hint: str = "") -> str:
    """`here` when rows exist but none in what was chosen, else `yet` with how to add one
    (`hint`, given only to an account that may)."""
    return here if any_at_all else yet + hint


def register(chosen: RegisterFilter, searching: bool, may_receive: bool) -> str:
    """`searching`: a walked search still stepping (not "none" before it is known)."""
    if searching:
        return SEARCHING
    if chosen.only_fixed():
        return DOSSIERS_BEHIND
    if chosen.narrows():  # a tab, a search, a filter: the register may hold dossiers
        return DOSSIERS_NONE_MATCH
    return DOSSIERS_YET + (RECEIVE_HINT if may_receive else "")


def payments(any_payment: bool, may_record: bool) -> str:
    return yet_or_here(any_payment, PAYMENTS_YET, PAYMENTS_HERE, RECORD_HINT if may_record else "")


def votes(any_vote: bool, may_record: bool) -> str:
    return yet_or_here(any_vote, VOTES_YET, VOTES_HERE, VOTES_HINT if may_record else "")


def late(tab: str, unit_chosen: bool) -> str:
    """The dashboard's late lists: "overdue" or "soon"."""
    return (OVERDUE_NONE if tab == "overdue" else SOON_NONE) + (IN_UNIT if unit_chosen else "") + "."


def reconciled(result: Reconciliation | None, tab: str) -> str:
    """A result tab's sentence: "only_ours", "only_theirs", "differences", "pairs", and the
    printed report's "near" (pairs made without a code: the window's "pairs" tab holds them);
    the indicators and the unread rows are never empty once compared. The window's tabs, the
    PDF's sections and the workbook's sheets all say these."""
    if result is None:
        return NOT_COMPARED
    if tab == "differences":
        return DIFFERENCES_NONE if result.pairs else NOTHING_PAIRED
    if tab == "near":
        return NEAR_NONE if result.pairs else PAIRS_NONE
    return {"only_ours": ONLY_OURS_NONE, "only_theirs": ONLY_THEIRS_NONE,
            "pairs": PAIRS_NONE}.get(tab, "")


def access_log(asked: bool, account: bool = False, code: bool = False) -> str:
    """`account`, `code`: whether the list shown was narrowed to a typed account, code."""
    if not asked:
        return LOG_ASK
    typed = " và ".join(name for name, given in (("tài khoản", account), ("mã hồ sơ", code))
                        if given)
    return LOG_NONE + (f" với {typed} đã gõ" if typed else "") + "."


def subject(by: str | None) -> str:
    """`by`: what was searched by ("số định danh"…), None before a search."""
    return SUBJECT_ASK if by is None else SUBJECT_NONE.format(by=by.lower())


def procedures(any_procedure: bool, may_edit: bool) -> str:
    return yet_or_here(any_procedure, PROCEDURES_YET, PROCEDURES_NONE,
                       PROCEDURES_HINT if may_edit else "")


def calendar(year: int, may_edit: bool) -> str:
    return CALENDAR_NONE.format(year=year) + (CALENDAR_HINT if may_edit else "")


def components(may_edit: bool) -> str:
    return COMPONENTS_NONE + (COMPONENTS_HINT if may_edit else "")


def complaints(may_record: bool) -> str:
    return COMPLAINTS_NONE + (COMPLAINTS_HINT if may_record else "")


def file_preview(chosen: bool) -> str:
    return FILE_EMPTY if chosen else NO_FILE_ROWS


def dossier_payments(may_record: bool) -> str:
    return PAYMENTS_NONE + (PAYMENTS_HINT if may_record else "")


def units(may_edit: bool) -> str:
    return UNITS_YET + (UNITS_HINT if may_edit else "")
