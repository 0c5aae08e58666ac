"""The Vietnamese word for each stored enum value: one table per enum, for every screen,
document, command and import message (a status reads the same in the register and the PDF).

The codes themselves are db.schema's; tests/core/test_labels.py checks each table covers its
enum exactly. `UnitLabel`: a dossier's receiving and resolving units as its lists say them.
"""
from __future__ import annotations

from dataclasses import dataclass

from core.limits import clip
from core.textnorm import fold
from db.schema import (
    CALENDAR_KINDS,
    CHANNELS,
    COMPLAINT_CHANNELS,
    DOCUMENT_FORMS,
    LIMIT_UNITS,
    ONLINE_LEVELS,
    PAYMENT_METHODS,
    RATINGS,
    RESULT_DELIVERIES,
    ROLES,
    STATUSES,
    UNIT_LEVELS,
)

STATUS_VI = {
    "received": "Đã tiếp nhận", "processing": "Đang xử lý", "supplement": "Chờ bổ sung",
    "done": "Đã xử lý xong", "returned": "Đã trả kết quả", "rejected": "Từ chối giải quyết",
    "withdrawn": "Công dân rút hồ sơ", "stopped": "Dừng xử lý",
}
CHANNEL_VI = {"direct": "Trực tiếp", "postal": "Bưu chính", "online": "Trực tuyến"}
METHOD_VI = {"online": "Trực tuyến", "transfer": "Chuyển khoản", "cash": "Tiền mặt",
             "postal": "Qua bưu chính"}
# Where a vote came from (votes.source); "import": a votes file (`import votes`, core.transfer).
VOTE_SOURCE_VI = {"paper": "Phiếu giấy", "kiosk": "Máy đánh giá", "online": "Trực tuyến",
                  "import": "Nhập từ tệp"}
# In the kiosk's order (keys 1–4 on its screen) and the monthly report's columns.
RATING_VI = {"very_satisfied": "Rất hài lòng", "satisfied": "Hài lòng",
             "neutral": "Bình thường", "dissatisfied": "Không hài lòng"}
# Lower case: they are read inside sentences ("mức độ trực tuyến toàn trình").
ONLINE_LEVEL_VI = {"full": "toàn trình", "partial": "một phần", "none": "không"}
LIMIT_UNIT_VI = {"working_days": "ngày làm việc", "working_hours": "giờ làm việc",
                 "calendar_days": "ngày (theo lịch)", "same_day": "trong ngày"}
UNIT_LEVEL_VI = {"province": "Tỉnh", "district": "Huyện", "commune": "Xã/phường",
                 "department": "Phòng, ban", "centre": "Trung tâm",
                 "branch": "Chi nhánh", "reception_point": "Điểm tiếp nhận"}
# How a document of a dossier was handed in (Circular 03/2025 Mẫu 01's list of documents).
DOCUMENT_FORM_VI = {"original": "Bản chính", "copy": "Bản sao", "certified_copy": "Bản sao chứng thực"}
# A dossier's columns as a sentence names them ("khác: hạn trả kết quả, lệ phí"): what `check`
# finds edited outside MotCua, what differs between two installations' copies of a dossier.
DOSSIER_FIELD_VI = {
    "unit_code": "đơn vị tiếp nhận", "procedure_code": "thủ tục", "applicant_name": "người nộp",
    "applicant_phone": "số điện thoại", "applicant_address": "địa chỉ",
    "applicant_id_no": "số định danh", "channel": "kênh nộp", "received_at": "thời điểm tiếp nhận",
    "status": "trạng thái", "due_at": "hạn trả kết quả", "finished_at": "thời điểm xử lý xong",
    "returned_at": "thời điểm trả kết quả", "extended_due_at": "hạn sau gia hạn", "fee": "lệ phí",
    "competent_unit_code": "đơn vị giải quyết", "e_result": "kết quả điện tử",
    "copies": "số bộ hồ sơ", "received_by": "người tiếp nhận", "note": "ghi chú",
    "applicant_email": "thư điện tử", "representative": "người được ủy quyền",
    "result_delivery": "cách nhận kết quả", "digitised": "đã số hoá thành phần",
    "result_digitised": "đã số hoá kết quả"}
# How the citizen receives the result (Mẫu 07's column).
RESULT_DELIVERY_VI = {"desk": "Trực tiếp tại bộ phận một cửa", "post": "Qua dịch vụ bưu chính",
                      "online": "Trực tuyến"}
# Accounts' roles (spec 10) and the channels a complaint (phản ánh, kiến nghị) arrives by.
ROLE_VI = {"clerk": "Cán bộ tiếp nhận", "leader": "Lãnh đạo", "admin": "Quản trị"}
COMPLAINT_CHANNEL_VI = {"direct": "Trực tiếp", "phone": "Điện thoại", "written": "Văn bản",
                        "online": "Trực tuyến (Cổng DVC, hệ thống phản ánh)", "email": "Thư điện tử"}
CALENDAR_KIND_VI = {"holiday": "Ngày nghỉ", "workday": "Ngày làm việc (làm bù)"}
# The classification of a finished dossier (spec 2.4); .lower() inside a sentence.
CLASS_VI = {"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Quá hạn"}

# The counting policies (settings; spec 2.3, 5), as the settings screen offers them.
SUPPLEMENT_POLICY_VI = {"pause": "Tạm dừng tính thời gian (như Bộ chỉ số 766)",
                        "restart": "Tính lại từ đầu khi nhận đủ (NĐ 297/2025; có từ NĐ 61/2018)"}
DUE_BASIS_VI = {"original": "Hạn ban đầu", "extended": "Hạn đã gia hạn (Mẫu 04)"}
ONLINE_DENOMINATOR_VI = {"eligible": "Hồ sơ của thủ tục đủ điều kiện toàn trình",
                         "all": "Tất cả hồ sơ tiếp nhận"}

BY_ENUM: dict[tuple[str, ...], dict[str, str]] = {
    STATUSES: STATUS_VI, CHANNELS: CHANNEL_VI, PAYMENT_METHODS: METHOD_VI, RATINGS: RATING_VI,
    ONLINE_LEVELS: ONLINE_LEVEL_VI, LIMIT_UNITS: LIMIT_UNIT_VI, UNIT_LEVELS: UNIT_LEVEL_VI,
    CALENDAR_KINDS: CALENDAR_KIND_VI, DOCUMENT_FORMS: DOCUMENT_FORM_VI,
    RESULT_DELIVERIES: RESULT_DELIVERY_VI, ROLES: ROLE_VI, COMPLAINT_CHANNELS: COMPLAINT_CHANNEL_VI,
}


def choices_text(choices: tuple[str, ...]) -> str:
    """`direct (Trực tiếp), postal (Bưu chính), …` for a message about a wrong enum value:
    the file holds the code, the clerk knows the word."""
    words = BY_ENUM.get(tuple(choices), {})
    return ", ".join(f"{c} ({words[c]})" if c in words else c for c in choices)


def _spellings(word: str) -> set[str]:
    """The folded ways a clerk may write a label: whole, without its "(…)" note when what is
    left still says something ("ngày làm việc", not a bare "ngày"), and each side of a "/"
    ("Xã/phường" → "xa/phuong", "xa", "phuong")."""
    whole = fold(word)
    short = fold(whole.split("(")[0])
    if len(short.split()) < 2:
        short = whole
    return {whole, short, *(fold(part) for part in short.split("/"))} - {""}


def _reverse(words: dict[str, str]) -> dict[str, str]:
    """{folded spelling: code} for one enum; a spelling two codes share is left out."""
    seen: dict[str, set[str]] = {}
    for code, word in words.items():
        for spelling in _spellings(word) | {fold(code)}:
            seen.setdefault(spelling, set()).add(code)
    return {spelling: codes.pop() for spelling, codes in seen.items() if len(codes) == 1}


_REVERSE = {choices: _reverse(words) for choices, words in BY_ENUM.items()}


def enum_code(choices: tuple[str, ...], raw: str) -> str | None:
    """The code a cell means — the code itself or the Vietnamese word the window shows
    ("ngày làm việc", "Trực tuyến", "ĐÃ TRẢ KẾT QUẢ"), any case, with or without diacritics —
    or None when it is neither."""
    value = raw.strip()
    if value.lower() in choices:
        return value.lower()
    return _REVERSE.get(tuple(choices), {}).get(fold(value))


def unit_text(name: str, code: str) -> str:
    """A unit as every screen names it with its code: "UBND xã Đồng Giáp (X01)" — the unit
    pickers, the report's rows and its receiving desks, the dashboard chart's tip, the dossier
    window. The name is cut to its limit with "…" (one stored by an older version may be far
    longer), never the code: the code is what tells two like names apart."""
    return f"{clip(name, 'name')} ({code})"


@dataclass(frozen=True)
class UnitLabel:
    """A dossier's unit as its lists say it: the receiving unit, and the unit that resolves it
    when another ("UBND xã Đồng Giáp (giải quyết: UBND xã Tràng Các)", `text`: the register's
    cell, its tooltip and its Excel file; with the codes where a window names them, "UBND xã
    Đồng Giáp (X01) (giải quyết: UBND xã Tràng Các (X02))": the dossier window).

    A narrow column cuts names at their start (their ends tell units apart). Cut so, the whole
    lost its "(giải quyết: " and kept a stray ")" ("… Yên Phúc)"): where the resolving part
    cannot be shown whole the column says `brief` instead, the resolving unit behind a mark
    ("→ UBND xã Tràng Các", cut at the name's start and never at the mark)."""
    unit: str
    competent: str | None = None  # None: resolved where received
    unit_code: str | None = None  # given: `text` names each unit with its code
    competent_code: str | None = None

    MARK = "→ "

    @classmethod
    def coded(cls, unit: str, unit_code: str, competent: str | None,
              competent_code: str | None) -> UnitLabel:
        """The label with the units' codes; a dossier whose competent unit is its receiving
        unit (or none) is resolved where received."""
        elsewhere = bool(competent_code) and competent_code != unit_code
        return cls(unit, (competent or competent_code) if elsewhere else None, unit_code,
                   competent_code if elsewhere else None)

    @staticmethod
    def _named(name: str, code: str | None) -> str:
        return unit_text(name, code) if code else name

    @property
    def tail(self) -> str:
        """What follows the receiving unit's name in `text`."""
        if not self.competent:
            return ""
        return f" (giải quyết: {self._named(self.competent, self.competent_code)})"

    @property
    def text(self) -> str:
        return self._named(self.unit, self.unit_code) + self.tail

    @property
    def brief(self) -> tuple[str, str]:
        """(mark, name) a narrow column keeps: the unit that resolves the dossier."""
        return (self.MARK, self.competent) if self.competent else ("", self.unit)
