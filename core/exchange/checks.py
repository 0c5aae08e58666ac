"""Checks on the records of a package before any is written: shapes, enums, times, references.

A package is checked as it is read; the first bad record stops the import with its part and
dossier code named, inside the transaction that is then rolled back, so nothing is written.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
from collections.abc import Callable, Set

from core import limits, timefmt, unit_absent, unit_text, validation
from core.exchange import records
from core.exchange.held_absent import said
from core.limits import CONTROL, FIRST_YEAR, LAST_YEAR, TEXT, control_reason
from core.moment import unfinished_closed_reason
from core.timefmt import vn_number
from core.typed_dates import stored_cutoff_reason
from db import vote_origin
from db.schema import CHANNELS, COMPLAINT_CHANNELS, PAYMENT_METHODS, RATINGS, STATUSES

TIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\Z")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
CODE_MAX = 64
TIME_FIELDS = ("received_at", "due_at", "finished_at", "returned_at", "extended_due_at")
CHILD_WIDTHS = {"waits": len(records.WAIT_COLUMNS), "payments": len(records.PAYMENT_COLUMNS),
                "components": len(records.COMPONENT_COLUMNS),
                "complaints": len(records.COMPLAINT_COLUMNS),
                "events": len(records.EVENT_COLUMNS)}


FIELD_SET = frozenset(records.FIELDS)
# The free-text fields of a dossier and the most characters each may hold: the limits every
# entry of this program keeps (core.limits.TEXT), so a package cannot store what the desk, the
# import and the API refuse (a 300-character phone number). Codes are checked against the
# catalogues instead.
FIELD_WIDTHS = {name: TEXT[name] for name in records.FIELDS
                if name in TEXT and not name.endswith("_code")}


class BadRecord(Exception):
    """A record that cannot be written; the message says why, in Vietnamese."""


# The years of every moment a package may carry: the program's own (core.limits), those its
# calendar computes a due time in — a reception in 9999 let through crashed the import's due
# computation ("ngày nằm ngoài phạm vi lịch làm việc") instead of naming the record.
FIRST_MOMENT, LAST_MOMENT = f"{FIRST_YEAR:04d}", f"{LAST_YEAR:04d}-12-31 23:59:59"


def year_reason(value: str) -> str | None:
    """Why a moment of checks.TIME's shape cannot be kept: its year beyond FIRST_YEAR–LAST_YEAR."""
    if FIRST_MOMENT <= value <= LAST_MOMENT:
        return None
    return f"nằm ngoài khoảng năm {FIRST_YEAR}–{LAST_YEAR} mà chương trình tính được"


def _time(value, what: str, required: bool = False) -> None:
    if value is None and not required:
        return
    if not isinstance(value, str) or not TIME.match(value):
        raise BadRecord(f"{what} {value!r} không đúng dạng YYYY-MM-DD HH:MM:SS")
    if reason := year_reason(value):
        raise BadRecord(f"{what} {value!r} {reason}")


def code_of(record: dict) -> str:
    code = record.get("code")
    if not isinstance(code, str) or not code.strip() or len(code) > CODE_MAX:
        raise BadRecord(f"mã hồ sơ {str(code)[:80]!r} không hợp lệ")
    return code


def check_dossier(record: dict, units: set[str], procedures: set[str],
                  line: bytes | None = None) -> None:
    """Raise BadRecord naming what is wrong with one dossier record. `line`: the JSON text it
    was read from, when known: a text without a trace of a control character spares the search
    through every string of the record (`maybe_control`)."""
    fields = record.get("fields")
    if not isinstance(fields, dict) or fields.keys() != FIELD_SET:
        raise BadRecord("thiếu hoặc thừa trường thông tin hồ sơ")
    for key, width in CHILD_WIDTHS.items():
        rows = record.get(key)
        if not isinstance(rows, list) or not all([isinstance(r, list) and len(r) == width
                                                  for r in rows]):
            raise BadRecord(f"phần {key} không đúng cấu trúc")
    extension = record.get("extension")
    if extension is not None and (not isinstance(extension, list)
                                  or len(extension) != len(records.EXTENSION_COLUMNS)):
        raise BadRecord("phần gia hạn không đúng cấu trúc")
    derived = record.get("derived")
    if derived is not None and (not isinstance(derived, list)
                                or len(derived) != len(records.DERIVED_COLUMNS)):
        raise BadRecord("phần số liệu tính sẵn không đúng cấu trúc")
    _check_fields(fields, units, procedures)
    if line is None or maybe_control(line):
        _check_texts(record)
    for wait in record["waits"]:
        _time(wait[0], "thời điểm yêu cầu bổ sung", True)
        _time(wait[1], "thời điểm nhận bổ sung")
    for payment in record["payments"]:
        if not isinstance(payment[0], int) or payment[0] <= 0 or payment[1] not in PAYMENT_METHODS:
            raise BadRecord("một khoản thanh toán có số tiền hoặc hình thức không hợp lệ")
        _time(payment[2], "thời điểm thanh toán", True)
    for complaint in record["complaints"]:
        _check_complaint(complaint, units)
    for event in record["events"]:  # the hot loop of a big package: a few tests per event
        at, action, details = event[0], event[2], event[6]
        if type(at) is not str or not TIME.match(at):
            raise BadRecord(f"thời điểm trong lịch sử xử lý {str(at)[:40]!r} không đúng dạng "
                            "YYYY-MM-DD HH:MM:SS")
        if reason := year_reason(at):
            raise BadRecord(f"thời điểm trong lịch sử xử lý {at!r} {reason}")
        if type(action) is not str or not (details is None or type(details) is str):
            raise BadRecord("một sự kiện trong lịch sử xử lý không hợp lệ")


# What a control character of core.limits.CONTROL can look like in a line of JSON (UTF-8): a
# strict JSON reader refuses them raw inside strings, so only as an escape (\u0000-\u001f, \b,
# \f, \ufffe, \uffff in any case) or, for U+FFFE/U+FFFF, raw. An escaped backslash before such
# letters ("C:\\fo") matches too: then the record's strings are searched, as without this.
# Two patterns, each with a literal start re finds quickly (one alternation of both is 5× slower).
_ESCAPED_CONTROL = re.compile(rb"\\(?:u00[01][0-9a-fA-F]|u[fF]{3}[eEfF]|[bf])")
_RAW_NONCHARACTER = re.compile(b"\xef\xbf[\xbe\xbf]")


def maybe_control(line: bytes) -> bool:
    """Might the record read from this JSON line hold a control character in a string? False
    only when it cannot: UTF-8 text (a NUL byte means UTF-16/32, which json also reads) without
    any trace of one. 2 µs a line against 6 µs for searching the record's strings."""
    return (_ESCAPED_CONTROL.search(line) is not None or b"\x00" in line
            or _RAW_NONCHARACTER.search(line) is not None)


def _check_texts(record: dict) -> None:
    """No control character in any text of the dossier, its history or its complaints: a file
    import refuses them (core.limits.CONTROL) and so does a package — SQLite's C functions stop at
    a NUL, Excel refuses the others. One search over the record's texts joined, the field named
    only when one is found (the common case costs one regex call a dossier)."""
    texts = [v for v in record["fields"].values() if type(v) is str]
    texts += [v for rows in (record["events"], record["complaints"]) for row in rows
              for v in row if type(v) is str]
    if CONTROL.search("\n".join(texts)) is None:
        return
    for name, value in record["fields"].items():
        if type(value) is str and (reason := control_reason(value)):
            raise BadRecord(f"trường {name} {reason}")
    raise BadRecord("lịch sử xử lý hoặc phản ánh của hồ sơ "
                    + (control_reason("\n".join(texts)) or "chứa ký tự điều khiển"))


def _check_complaint(complaint: list, units: set[str]) -> None:
    unit, received, channel, content = complaint[:4]
    if unit not in units:
        raise BadRecord(f"phản ánh của đơn vị {unit!r} không có trong danh mục (cả trong gói)")
    if channel not in COMPLAINT_CHANNELS or not isinstance(content, str) or not content.strip():
        raise BadRecord("một phản ánh, kiến nghị có kênh hoặc nội dung không hợp lệ")
    _time(received, "thời điểm nhận phản ánh", True)
    _time(complaint[5], "thời điểm giải quyết phản ánh")
    _time(complaint[7], "thời điểm huỷ phản ánh")


def _check_fields(fields: dict, units: set[str], procedures: set[str]) -> None:
    if fields["status"] not in STATUSES:
        raise BadRecord(f"trạng thái {fields['status']!r} không hợp lệ")
    if fields["channel"] not in CHANNELS:
        raise BadRecord(f"kênh nộp {fields['channel']!r} không hợp lệ")
    for name in TIME_FIELDS:
        _time(fields[name], name, name == "received_at")
    if reason := unfinished_closed_reason(fields["status"], fields["finished_at"]):
        raise BadRecord(reason)  # the import's words (core.moment): MotCua never writes one
    if not isinstance(fields["applicant_name"], str) or not fields["applicant_name"].strip():
        raise BadRecord("thiếu họ tên người nộp")
    for name, (most, label) in FIELD_WIDTHS.items():
        value = fields[name]
        # too long as the sender's desk counts too (text_length): a note stored NFD by an older
        # version, within its limit in letters, was refused; within it in code points, taken
        # (as fastcopy.conditions' SQL length() lets it through)
        if isinstance(value, str) and len(value) > most and (reason := limits.too_long(name, value)):
            raise BadRecord(f"{label} {reason}")
    for name in ("unit_code", "competent_unit_code"):
        if fields[name] is not None and fields[name] not in units:
            raise BadRecord(f"đơn vị {fields[name]!r} không có trong danh mục (cả trong gói)")
    if fields["procedure_code"] not in procedures:
        raise BadRecord(f"thủ tục {fields['procedure_code']!r} không có trong danh mục "
                        "(cả trong gói)")
    if fields["fee"] is not None and (not isinstance(fields["fee"], int) or fields["fee"] < 0):
        raise BadRecord("lệ phí không hợp lệ")
    if fields["digitised"] not in (None, 0, 1) or fields["result_digitised"] not in (0, 1):
        raise BadRecord("dấu đã số hoá hồ sơ hoặc kết quả không hợp lệ")


# How many codes a warning about moments in the future names (the first, in package order).
FUTURE_SHOWN = 5
# The moments of a dossier a package carries that cannot lie after its sender's now: where each
# is read (a dossier's field, or a payment's column) and how a warning names it.
FUTURE_KINDS = (("received_at", "tiếp nhận"), ("finished_at", "xử lý xong"),
                ("returned_at", "trả kết quả"), ("paid_at", "thanh toán"))


class FutureMoments:
    """The package's dossiers with a reception, finish, return or payment later than this
    PC's now plus the clocks' tolerance (core.validation.latest_time, the one rule of the desk
    and the import). The desk and the import refuse such a moment typed here; a package is
    another PC's record, made with that PC's clock: a wrong clock must not block a commune's
    month, so they are stored as sent and the preview says how many of each, naming the first
    (`warnings`)."""

    def __init__(self, now: dt.datetime | None = None):
        self.now = now or timefmt.now()
        self.latest = validation.latest_time(self.now)
        self.count = dict.fromkeys((name for name, _ in FUTURE_KINDS), 0)
        self.codes: dict[str, list[str]] = {name: [] for name, _ in FUTURE_KINDS}

    def _later(self, name: str, code: str) -> None:
        self.count[name] += 1
        if len(self.codes[name]) < FUTURE_SHOWN:
            self.codes[name].append(code)

    def see(self, code: str, record: dict) -> None:
        """One dossier record (checked: its moments of checks.TIME's shape, or None)."""
        fields, latest = record["fields"], self.latest
        for name in ("received_at", "finished_at", "returned_at"):
            if (fields[name] or "") > latest:
                self._later(name, code)
        if any(payment[2] > latest for payment in record["payments"]):
            self._later("paid_at", code)

    def read(self, part) -> None:
        """Every dossier of a format-3 rows part (a MotCua database) at once, in part order.
        Moments are seconds, or text the checks judge (compared as text). Reception, finish and
        payment go along their indexes (~0 ms a 20,000-dossier part); the return, which has
        none, is a scan (1.5 ms)."""
        later = "{0} > unixepoch(:t) AND (typeof({0}) = 'integer' OR {0} > :t)"
        for name, _words in FUTURE_KINDS:
            sql = (f"SELECT id, code FROM dossier_rows WHERE {later.format(name)}"
                   if name != "paid_at" else
                   "SELECT DISTINCT d.id, d.code FROM payment_rows p JOIN dossier_rows d ON "
                   f"d.id = p.dossier_id WHERE {later.format('p.paid_at')}")
            self._take(name, part.execute(sql, {"t": self.latest}).fetchall())

    def _take(self, name: str, rows: list) -> None:
        rows = sorted(rows)
        self.count[name] += len(rows)
        self.codes[name] += [str(r[1]) for r in rows[:FUTURE_SHOWN - len(self.codes[name])]]

    def warnings(self) -> list[str]:
        """One sentence a kind of moment found in the future, in FUTURE_KINDS order."""
        minutes = int(limits.FUTURE_TOLERANCE.total_seconds() // 60)
        out = []
        for name, words in FUTURE_KINDS:
            count, codes = self.count[name], self.codes[name]
            if not count:
                continue
            more = f" và {vn_number(count - len(codes))} hồ sơ khác" if count > len(codes) else ""
            out.append(
                f"{vn_number(count)} hồ sơ có thời điểm {words} sau giờ hiện tại của máy này "
                f"({timefmt.vn_datetime(self.now)}, đã cho phép đồng hồ lệch {minutes} phút): "
                f"{', '.join(codes)}{more}. Có thể đồng hồ của máy gửi đặt sai giờ: hồ sơ vẫn "
                "được nhập như máy gửi ghi; hãy kiểm tra đồng hồ máy gửi và thời điểm "
                f"{words} của các hồ sơ này.")
        return out


def check_vote(record: dict, units: set[str]) -> None:
    record.setdefault("origin", None)  # a package of an older program says no origin
    if set(record) != set(records.VOTE_COLUMNS):
        raise BadRecord("phiếu đánh giá thiếu hoặc thừa trường")
    origin = record["origin"]
    if origin is not None and not vote_origin.well_formed(origin):
        raise BadRecord(f"nguồn của phiếu đánh giá (trường origin) không hợp lệ: phải có dạng "
                        f"«mã cài đặt:số phiếu», không quá {vote_origin.LIMIT} ký tự"
                        + vote_origin.control_said(origin))
    if record["dossier_code"] is not None and not isinstance(record["dossier_code"], str):
        raise BadRecord("mã hồ sơ của phiếu đánh giá không hợp lệ")
    if record["rating"] not in RATINGS:
        raise BadRecord(f"mức đánh giá {record['rating']!r} không hợp lệ")
    if record["unit_code"] not in units:
        raise BadRecord(f"đơn vị {record['unit_code']!r} không có trong danh mục")
    _time(record["voted_at"], "thời điểm đánh giá", True)
    _time(record["cancelled_at"], "thời điểm huỷ phiếu")


def check_catalogue(record: dict, columns: tuple[str, ...], key: str) -> None:
    missing = [c for c in columns if c not in record]
    if missing:
        raise BadRecord(f"bản ghi danh mục thiếu trường {', '.join(missing)}")
    if not isinstance(record[key], str):  # a JSON number or list where a code is text
        raise BadRecord(f"mã {json.dumps(record[key], ensure_ascii=False)[:80]} không phải "
                        "chuỗi ký tự (mã danh mục trong gói luôn là chữ)")
    if not record[key].strip():  # the desk's rule (core.catalogue.save_unit: a code is needed)
        raise BadRecord("mã danh mục để trống (mỗi đơn vị, thủ tục, ngày của danh mục cần "
                        "một mã)")
    if key == "date" and not DATE.match(record["date"]):
        raise BadRecord(f"ngày {record['date']!r} không đúng dạng YYYY-MM-DD")
    if "same_day_cutoff" in columns:
        _check_cutoffs(record)


_ROW_VI = {"units": "đơn vị", "procedures": "thủ tục", "calendar": "ngày"}


def check_once(seen: dict[str, str], kind: str, key: str, where: str) -> None:
    """A catalogue part lists each code (a day: each date) once; `seen` maps those read so
    far to their place. A second line of a new unit was refused only by the catalogue's
    UNIQUE code, as 'dữ liệu sai kiểu hoặc trái ràng buộc', naming neither the code nor the
    line it repeats."""
    first = seen.setdefault(key, where)
    if first == where:
        return
    shown = unit_text.shown(key)
    if kind == "calendar" and DATE.match(key):
        with contextlib.suppress(ValueError):
            shown = f"{dt.date.fromisoformat(key):%d/%m/%Y}"
    raise BadRecord(f"{_ROW_VI[kind]} {shown} ghi hai lần trong gói (lần đầu ở {first}); mỗi "
                    f"{_ROW_VI[kind]} chỉ một dòng: gói hỏng hoặc đã bị sửa, hãy xin nơi gửi "
                    "xuất lại gói")


_RULE_CUTOFF = records.RULE_COLUMNS.index("same_day_cutoff")


def _check_cutoffs(record: dict) -> None:
    """A procedure's same-day cut-off, and each of its dated rules', by the catalogue's rule of a
    stored cut-off (core.typed_dates.stored_cutoff_reason): "25:99", "abc" or "" refused with
    the procedure and the value named, a "24:00" of an older version kept."""
    name = record.get("name")
    what = f"thủ tục {record['code']!r}" + (f" ({str(name)[:80]})" if isinstance(name, str) else "")
    reason = stored_cutoff_reason(record["same_day_cutoff"])
    if reason:
        raise BadRecord(f"{what}: giờ chốt trả trong ngày {_shown(record['same_day_cutoff'])} "
                        f"{reason}")
    rows = record.get("rules") or []
    if not isinstance(rows, list) or not all(
            [isinstance(r, list) and len(r) == len(records.RULE_COLUMNS) for r in rows]):
        raise BadRecord(f"{what}: phần quy định theo thời kỳ không đúng cấu trúc")
    for row in rows:
        reason = stored_cutoff_reason(row[_RULE_CUTOFF])
        if reason:
            raise BadRecord(f"{what}, quy định áp dụng từ {str(row[0])[:20]}: giờ chốt trả trong "
                            f"ngày {_shown(row[_RULE_CUTOFF])} {reason}")


def _shown(value) -> str:
    return repr(value[:40]) if isinstance(value, str) else repr(value)[:40]


def sender_text(manifest: dict) -> str:
    """The sending installation as every preview names it — its unit (or all), the machine
    (core.actor_names.machine) and its slot when the manifest states one a PC can hold
    (core.exchange.slots.slot_text, the report's rule too): "tất cả — máy 93b4afcc (số hiệu
    2/5)", so a centre's month-end table tells its counters apart as the single preview does."""
    from core.actor_names import machine
    from core.exchange.slots import slot_text
    sender = manifest.get("installation") or {}
    unit = manifest.get("sender_unit") or "tất cả"
    slot = slot_text(sender)
    return f"{str(unit)[:40]} — {machine(sender.get('id'))}" + (f" (số hiệu {slot})" if slot else "")


def absent_refusal(conn, first_new: int, package_of: Callable[[int], int | None],
                   names: list[str], new_units: Set[str] = frozenset()
                   ) -> tuple[int | None, str] | None:
    """The operation's new dossiers (ids from `first_new`: the packages' and those kept both)
    received at, or given to, a unit not in existence on their reception day by this
    installation's catalogue as the operation leaves it (spec 7 units' valid_from/valid_to):
    (the package that brought the first, by `package_of(id)` among `names`; why, in
    Vietnamese: its dossiers, then the other packages' counts), or None. The desk and
    `import dossiers` refuse such a dossier (core.moment.unit_absent_reason); taken from a
    package, it counted in a dissolved unit's row and the centre's export no longer imported
    into a fresh database (spec 7), so the whole operation is refused (spec 9: nothing
    written on any error). One query once every package is merged and the indexes are back
    (core.moment.ABSENT_SQL: index look-ups from the dated units, not a scan), so the
    preview, which runs the same merge, says the same. The held dossiers the operation moves
    out of their unit's dates: core.exchange.held_absent.moved_refusal. `new_units`: the
    units the operation's catalogue step added (held_absent.said: whose dates to fix)."""
    found = unit_absent.units_absent(conn, first_new)
    if not found:
        return None
    return absent_said(conn, found, {r.id: package_of(r.id) for r in found}, names, new_units)


def absent_said(conn, found: list, packages: dict[int, int | None], names: list[str],
                new_units: Set[str] = frozenset()) -> tuple[int | None, str]:
    """absent_refusal's words for the new dossiers `found` (unit_absent.Absent, of the
    packages `packages` names by id): the same once merged and when a package's dossiers are
    judged before any is merged (core.exchange.merge.units_first)."""
    return said(conn, found, packages, names, lambda count, first: (
        f"{count} hồ sơ mới của gói được tiếp nhận tại, hoặc giao giải quyết cho, một đơn vị "
        "vào ngày đơn vị ấy không hoạt động theo danh mục của máy này — quầy và lệnh nhập hồ "
        "sơ (import dossiers) cũng không nhận hồ sơ như thế; nhận vào, hồ sơ được tính ở dòng "
        "của một đơn vị không hoạt động vào ngày tiếp nhận và dữ liệu xuất ra không nhập lại "
        f"được. Hồ sơ {first.code}: "), (
        ". Nếu đơn vị ấy thực sự còn tiếp nhận, giải quyết hồ sơ những ngày đó, sửa ngày hoạt "
        "động của đơn vị trong Danh mục như trên rồi nhập lại gói; nếu không, đừng nhập gói "
        "này: máy gửi còn dùng đơn vị cũ, hãy báo nơi gửi đặt lại đơn vị của máy ấy (Danh "
        "mục, Cài đặt)."), new_units)
