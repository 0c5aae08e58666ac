"""What a package's dossier is to this installation: new, changed, identical, older, conflict.

Events are append-only at both ends, so histories compare like branches:
- identical: the same content and the same history;
- older: every event of the package is already here (this installation went on since);
- changed: the history here is the start of the package's (the sender went on): the package's
  later events are appended and its content taken — a fast-forward, never a loss;
- conflict: the histories diverged (the same code for two different dossiers, or both ends
  changed the same dossier). Never overwritten silently: the clerk chooses, per dossier or for
  all, to keep this installation's or take the package's (spec 9);
- decided: a conflict (or, once taken, an older one) whose choice was made at an earlier import
  of this very record (core.exchange.store remembers each choice in the settings, by code and
  the record's `digest`): importing the same package again asks nothing and changes nothing.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from core import labels, timefmt
from core.exchange import records
from core.timefmt import vn_number

NEW, CHANGED, IDENTICAL, OLDER, CONFLICT = "new", "changed", "identical", "older", "conflict"
DECIDED = "decided"
OUTCOME_VI = {NEW: "mới", CHANGED: "thay đổi", IDENTICAL: "giống hệt",
              OLDER: "máy này mới hơn", CONFLICT: "xung đột",
              DECIDED: "xung đột đã chọn ở lần nhập trước"}

PART_VI = {"waits": "yêu cầu bổ sung", "extension": "gia hạn", "payments": "thanh toán",
           "components": "thành phần hồ sơ", "complaints": "phản ánh, kiến nghị",
           "events": "lịch sử xử lý"}


@dataclass
class Conflict:
    code: str
    ours: str        # a short description of this installation's dossier
    theirs: str      # and of the package's
    differs: list[str]
    clash: bool = False  # two different dossiers that got the same code (not one, changed twice)
    package: str = ""    # the package's file name, when several are merged in one operation

    def differs_text(self) -> str:
        return (f"{CLASH_VI} — " if self.clash else "") + ", ".join(self.differs)

    def line(self) -> str:
        head = f"{CLASH_VI}, khác" if self.clash else "khác"
        return (f"{self.code}: {head} {', '.join(self.differs)} — máy này: {self.ours}; "
                f"gói: {self.theirs}")


CLASH_VI = "HAI HỒ SƠ KHÁC NHAU cùng mã"


def clash_warning(count: int) -> str | None:
    """What the clerk must know before choosing for a code given to two different dossiers:
    whichever side is kept, the other citizen's dossier does not come in (spec 4: installations
    must never issue the same code; one of them is in the wrong slot)."""
    if not count:
        return None
    return (f"{vn_number(count)} mã hồ sơ được cấp cho hai hồ sơ khác nhau (khác người nộp, thủ "
            "tục hoặc đơn vị): máy gửi và máy đã cấp mã ấy dùng cùng một số hiệu cấp mã. Giữ bên "
            "nào thì hồ sơ bên kia không vào được máy này — hãy ghi lại các mã ấy, báo máy gửi, "
            "và cho mỗi máy một số hiệu riêng (Dữ liệu → Máy này trong nhóm trao đổi…).")


def is_subsequence(short: list, long: list) -> bool:
    it = iter(long)
    return all(any(item == other for other in it) for item in short)


def payments_follow(ours: list, theirs: list) -> bool:
    """Our payments are the start of theirs, a cancellation there being the only change."""
    if len(ours) > len(theirs):
        return False
    for mine, other in zip(ours, theirs, strict=False):
        if mine[:5] != other[:5] or (mine[5] is not None and mine[5:] != other[5:]):
            return False
    return True


# Who the dossier is: no event but a correction changes these, so two histories that agree
# while these differ belong to two different dossiers that got the same code.
IDENTITY = ("unit_code", "procedure_code", "applicant_name", "applicant_id_no",
            "competent_unit_code")


def _corrected(events: list) -> set[str]:
    out = set()
    for event in events:
        if event[2] == "correct" and event[6]:
            try:
                out.add(json.loads(event[6]).get("field"))
            except (ValueError, AttributeError):
                continue
    return out


def same_dossier(local: dict, package: dict) -> bool:
    differ = {f for f in IDENTITY if local["fields"][f] != package["fields"][f]}
    return not differ or differ <= _corrected(local["events"]) | _corrected(package["events"])


def classify(local: dict | None, package: dict) -> str:
    if local is None:
        return NEW
    ours, theirs = local["events"], package["events"]
    if records.state(local) == records.state(package) and ours == theirs:
        return IDENTICAL
    if not same_dossier(local, package) or ours == theirs:
        return CONFLICT
    if len(theirs) < len(ours) and is_subsequence(theirs, ours):
        return OLDER
    if ours == theirs[:len(ours)] and payments_follow(local["payments"], package["payments"]):
        return CHANGED
    return CONFLICT


def digest(record: dict) -> str:
    """A package record's content and history, hashed: the same record in the same package, or
    sent again unchanged in a later one, has the same digest."""
    text = records.state(record) + "\n" + json.dumps(record["events"], ensure_ascii=False,
                                                      separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def describe(record: dict) -> str:
    fields = record["fields"]
    status = labels.STATUS_VI.get(fields["status"], fields["status"])
    return (f"{fields['applicant_name']}, {fields['procedure_code']}, tiếp nhận "
            f"{_moment(fields['received_at'])}, {status.lower()}")


def _moment(text: str) -> str:
    """A stored moment as the clerk reads it everywhere else (08:03 01/04/2025); a package's
    text that is no moment is shown as it is."""
    try:
        return timefmt.vn_datetime(timefmt.parse_db_time(text))
    except (TypeError, ValueError):
        return str(text)[:16]


# Shown by describe() already (or a login, named only by core.actor_names); every other
# field that differs is shown with its value.
_DESCRIBED = ("applicant_name", "procedure_code", "received_at", "status", "received_by")
_MOMENTS = ("received_at", "due_at", "finished_at", "returned_at", "extended_due_at")
_YES_NO = ("e_result", "digitised", "result_digitised")
VALUES_SHOWN = 4  # differing fields shown with their values, at most (a line stays readable)


def shown_value(name: str, value) -> str:
    """A field's value as the clerk reads it on both sides of a conflict."""
    if value is None or value == "":
        return "(trống)"
    if name in _MOMENTS:
        return _moment(value)
    if name in _YES_NO:
        return "có" if value else "không"
    if name == "channel":
        return labels.CHANNEL_VI.get(value, str(value)).lower()
    if name == "fee" and isinstance(value, int):
        return f"{vn_number(value)} đồng"
    return str(value)[:60]


def conflict_of(local: dict, package: dict) -> Conflict:
    """What differs, and each side with the VALUES that differ ("thời điểm xử lý xong 10:00
    18/11/2026" here, "10:00 23/11/2026" in the package): the clerk's explicit choice (spec 9)
    is made knowing what each choice keeps, not only that something differs."""
    names = [name for name in records.FIELDS if local["fields"][name] != package["fields"][name]]
    differs = [labels.DOSSIER_FIELD_VI.get(name, name) for name in names]
    differs += [PART_VI[part] for part in PART_VI if local[part] != package[part]]
    shown = [name for name in names if name not in _DESCRIBED][:VALUES_SHOWN]

    def side(record: dict) -> str:
        values = "".join(f"; {labels.DOSSIER_FIELD_VI.get(name, name)} "
                         f"{shown_value(name, record['fields'][name])}" for name in shown)
        return describe(record) + values
    return Conflict(package["code"], side(local), side(package), differs or ["nội dung"],
                    clash=not same_dossier(local, package))
