"""Which forms a dossier is printed with, and which forms its status allows: one place.

A dossier is printed with the forms in force when it was received: received from 01/07/2025
on (the day Decree 118/2025/NĐ-CP took effect), the forms of Circular 03/2025/TT-VPCP
Annex I; received before, the forms of Circular 01/2018/TT-VPCP (a reprint of an old slip
reads as it did). The two sets differ in the receipt (the 2025 receipt names the applicant's
identifier, email and authorised representative), the title and wording of Mẫu 04, and the
number of the control slip (Mẫu 05 in 2018, Mẫu 06 in 2025; Mẫu 05 is now the stop notice).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core.errors import InputError

NEW_FORMS_FROM = dt.datetime(2025, 7, 1)
KINDS = ("receipt", "supplement", "refusal", "apology", "stop", "control")


@dataclass(frozen=True)
class FormSet:
    edition: str  # "2025" | "2018"
    basis: str  # the text whose Annex the forms come from
    numbers: dict  # kind -> "Mẫu số …"
    titles: dict  # kind -> the form's title in capitals
    names_identifier: bool  # the receipt names the identifier, email and representative

    def label(self, kind: str) -> str:
        """'Mẫu 01 – Giấy tiếp nhận hồ sơ và hẹn trả kết quả' for a menu or a message."""
        title = self.titles[kind]
        return f"Mẫu {self.numbers[kind]} – {title[:1]}{title[1:].lower()}"


COMMON_TITLES = {
    "receipt": "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    "supplement": "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
    "refusal": "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
    "stop": "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
    "control": "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
}
FORMS_2025 = FormSet(
    "2025", "Thông tư 03/2025/TT-VPCP, Phụ lục I",
    {"receipt": "01", "supplement": "02", "refusal": "03", "apology": "04", "stop": "05",
     "control": "06"},
    {**COMMON_TITLES, "apology": "PHIẾU XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT"},
    True)
# Circular 01/2018 had no stop notice: a stop recorded on an old dossier is notified on
# today's form (the notice is dated the day it is issued, under the rules then in force).
FORMS_2018 = FormSet(
    "2018", "Thông tư 01/2018/TT-VPCP (thay bằng Thông tư 03/2025/TT-VPCP)",
    {"receipt": "01", "supplement": "02", "refusal": "03", "apology": "04", "stop": "05",
     "control": "05"},
    {**COMMON_TITLES, "apology": "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"},
    False)


def form_set(received_at: dt.datetime | None) -> FormSet:
    """The forms of a dossier received at `received_at` (None: refused at the desk, today)."""
    if received_at is not None and received_at < NEW_FORMS_FROM:
        return FORMS_2018
    return FORMS_2025


# A5 for the citizen's slips, A4 for the control slip that travels with the file
# (Circular 01/2018 Art. 9.2, kept by the 2025 forms).
PAGE = {"receipt": "A5", "supplement": "A5", "refusal": "A5", "apology": "A5", "stop": "A5",
        "control": "A4"}


# The file name a save of each form suggests: Vietnamese without diacritics, as clerks name
# files (a name in English, "receipt-….pdf", was not theirs; walk35), the same for both sets.
FILE_STEMS = {"receipt": "giay-tiep-nhan", "supplement": "yeu-cau-bo-sung",
              "refusal": "tu-choi-tiep-nhan", "apology": "xin-loi-gia-han",
              "stop": "dung-giai-quyet", "control": "kiem-soat-giai-quyet"}


def file_name(kind: str, code: str | None = None) -> str:
    """'giay-tiep-nhan-X01-250611-0001.pdf' for a dossier's form; without a code (a request
    refused or guided at the desk, never a dossier) the form's name alone."""
    from core.paths import file_name_part
    stem = FILE_STEMS[kind]
    return f"{stem}-{file_name_part(code)}.pdf" if code else f"{stem}.pdf"


def forms_for(status: str, *, extended: bool, supplements: bool, missing: bool) -> list[str]:
    """The forms a dossier in `status` can be printed with, in the menu's order.

    The receipt and the control slip exist for every received dossier; a supplement request
    once a wait was recorded or a document is marked missing; a refusal after appraisal for
    `rejected` (a refusal at the desk has no dossier: it is printed from the intake window);
    the apology once extended; the stop notice for `stopped`.
    """
    kinds = ["receipt"]
    if supplements or missing:
        kinds.append("supplement")
    if status == "rejected":
        kinds.append("refusal")
    if extended:
        kinds.append("apology")
    if status == "stopped":
        kinds.append("stop")
    kinds.append("control")
    return kinds


def check_kind(kind: str, code: str, status_vi: str, allowed: list[str],
               forms: FormSet) -> None:
    """InputError (exit 2) naming why this dossier has no such form."""
    if kind in allowed:
        return
    why = {"supplement": "chưa có yêu cầu bổ sung nào và không thiếu giấy tờ nào",
           "refusal": "không ở trạng thái Từ chối giải quyết (hồ sơ bị từ chối tại bộ phận "
                      "một cửa không có mã, phiếu in từ cửa sổ tiếp nhận)",
           "apology": "chưa được gia hạn",
           "stop": "không ở trạng thái Dừng xử lý"}.get(kind, "không có mẫu này")
    raise InputError(f"Hồ sơ {code} (trạng thái: {status_vi}) {why}, nên không có "
                     f"{forms.label(kind)}.")
