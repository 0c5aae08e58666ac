"""Dossiers (spec 7): columns, the checks of one row, and the export.

Our export adds one column the spec does not have, `supplement_waits`, listing every wait as
"requested>completed" separated by "; " (completed empty while open), so a dossier with several
waits comes back whole; the spec columns supplement_requested_at/completed_at carry the last
wait. Files from elsewhere without that column work as the spec says (one wait).
"""
from __future__ import annotations

import datetime as dt
from collections import Counter

from core import validation
from core.moment import CLOSED, RESOLVED, unfinished_closed_reason
from core.privacy import masking
from core.timefmt import parse_db_time, vn_datetime, vn_number
from core.transfer import day_only
from core.transfer.base import ABSENT, Column, FileCells, Kind, Record
from core.transfer.cells import (
    CellError,
    bounded,
    digitised_flag,
    enum,
    flag,
    money,
    person_name,
    phone,
    text,
    time_value,
)
from core.transfer.dossier_references import References
from core.transfer.dossier_writer import DossierWriter
from core.transfer.name_digits import NumberedNames
from db.schema import CHANNELS, RESULT_DELIVERIES, STATUSES

WAITS = "supplement_waits"
REQUESTED, COMPLETED = "supplement_requested_at", "supplement_completed_at"
# Times that record what happened, so never later than now (due times may be in the future).
EVENT_TIMES = ("received_at", "finished_at", "returned_at", "supplement_requested_at",
               "supplement_completed_at")


def waits_value(raw) -> list[tuple[str, str | None]] | None:
    """'2025-01-02 08:00:00>2025-01-03 09:00:00; 2025-01-05 08:00:00>' -> [(req, done), …]."""
    value = text(raw)
    if value is None:
        return None
    out: list = []
    for part in (p.strip() for p in value.split(";")):
        if not part:
            continue
        requested, sep, completed = part.partition(">")
        if not sep:
            raise CellError("mỗi lần chờ bổ sung ghi 'yêu cầu>hoàn thành', cách nhau bằng ';'")
        try:
            out.append((time_value(requested), time_value(completed)))
        except CellError as exc:
            raise CellError(f"lần chờ '{part}': {exc.reason}") from None
        if out[-1][0] is None:
            raise CellError(f"lần chờ '{part}' thiếu thời điểm yêu cầu bổ sung")
    return out


# Columns an export masks without a stated purpose (core.privacy.masking), and their words.
_MASKED_WORDS = {"applicant_phone": "số điện thoại", "applicant_address": "địa chỉ",
                 "applicant_id_no": "số định danh", "applicant_email": "địa chỉ thư điện tử"}
MASKED_COLUMNS = {column: (masking.MASK_BY_FIELD[column], _MASKED_WORDS[column])
                  for column in masking.EXPORT_MASKED}


def other_column(name: str, value) -> str:
    """'(received_at là 08:00 20/10/2025)': the other cell a reason compares with, named as
    this file names it (a mapped file renames it: core.transfer.mapped.file_words), its moment
    as the window writes it: the stored '2025-10-20 08:00:00' was read by a clerk whose file
    says 20251020080000 or 20/10/2025 08:00 as a third form of it."""
    if isinstance(value, str):
        try:
            value = vn_datetime(parse_db_time(value))
        except ValueError:
            pass
    return f"({name} là {value})"


class Dossiers(References, Kind):
    name = "dossiers"
    MAPPED = False  # read through a column profile (the day-only warning's advice)
    names_numbers = True  # a name with 9+ digits in a row: written, with a warning (name_digits)
    label = "hồ sơ"
    columns: tuple[Column, ...] = (
        Column("code", bounded("dossier_code"), True), Column("unit_code", bounded("unit_code"), True),
        Column("procedure_code", bounded("procedure_code"), True),
        Column("applicant_name", person_name("applicant_name"), True, cleans=True),
        Column("applicant_phone", phone("applicant_phone")),
        Column("applicant_address", bounded("applicant_address")),
        Column("channel", enum(CHANNELS), True), Column("received_at", time_value, True),
        Column("status", enum(STATUSES), True), Column("due_at", time_value),
        Column("finished_at", time_value), Column("returned_at", time_value),
        Column("supplement_requested_at", time_value), Column("supplement_completed_at", time_value),
        Column("extended_due_at", time_value), Column("fee", money("fee")), Column("e_result", flag),
        Column("competent_unit_code", bounded("competent_unit_code")),
    )
    # MotCua's own, after the spec's: the waits, then Mẫu 01's details and the 766 flags
    # (issue 17), all optional on import (an absent column keeps what is stored)
    extra_columns: tuple[Column, ...] = (
        Column(WAITS, waits_value), Column("applicant_id_no", bounded("applicant_id_no")),
        Column("applicant_email", bounded("applicant_email")),
        Column("representative", person_name("representative"), cleans=True),
        Column("result_delivery", enum(RESULT_DELIVERIES)),
        Column("digitised", digitised_flag), Column("result_digitised", digitised_flag))

    def __init__(self, db, present, source=""):
        super().__init__(db, present, source)
        self.load_references(db)
        self.seen: dict[str, int] = {}
        self.writer = DossierWriter(db, source)
        self.latest = validation.latest_time()
        self.hours = day_only.DayHours(db)
        # the rows whose moment was a day without a time, by field, with the first such day
        self.day_only: dict[str, tuple[set[int], dt.date]] = {}
        self.kept_line = ""
        self.kept_time_line = ""
        self.numbered = NumberedNames()  # names with a number run: written, with a warning

    def check_row(self, record: Record) -> None:
        self._take_days(record)
        self._check_code(record)
        self._check_references(record)
        self._check_status(record)
        self._check_order(record)
        self._check_waits(record)
        self._check_rules(record)
        if self.names_numbers:
            self.numbered.note(record)

    def name_reason(self, name: str | None) -> str | None:
        """The applicant's name's rule: the desk's (core.validation)."""
        return validation.applicant_name_reason(name)

    def _unmask(self, record: Record) -> set[str]:
        """A phone, ID number, email or address masked by an export ('0382****28', '***, xã An
        Sơn') never overwrites the real one: it stands for what this database holds for the same dossier, and is refused
        otherwise (docs/privacy.md: a masked export imports back unchanged, not into another
        database). Returns the columns refused."""
        refused = set()
        for column, (mask, words) in MASKED_COLUMNS.items():
            value = record.value(column)
            if not masking.is_masked(value, column):
                continue
            row = self.db.execute(f"SELECT {column} FROM dossiers WHERE code = ?",
                                  [record.value("code")]).fetchone()
            if row and row[0] and mask(row[0]) == value:
                record[column] = row[0]
            else:
                refused.add(column)
                record.error(column, f"{words} đã bị che khi xuất (không có giá trị thật của hồ "
                                     "sơ này để giữ lại); hãy xuất lại kèm dữ liệu đầy đủ")
        return refused

    def _check_rules(self, record: Record) -> None:
        """The rules the window applies too (core.validation): name, phone, nothing in the future."""
        failed = self._unmask(record)
        for column, rule in (("applicant_name", self.name_reason),
                             ("representative", validation.representative_reason),
                             ("applicant_phone", validation.phone_reason),
                             ("applicant_id_no", validation.identifier_reason),
                             ("applicant_email", validation.email_reason)):
            if column not in failed and (reason := rule(record.value(column))):
                record.error(column, reason)
        status = record.value("status")  # an unreadable one is refused on its own
        if record.value("result_digitised") == 1 and status is not None and status not in RESOLVED:
            record.error("result_digitised", f"hồ sơ chưa có kết quả (trạng thái "
                                             f"'{record.value('status')}') không thể có kết quả "
                                             "đã số hóa (1)")
        for column in EVENT_TIMES:
            if record.has(column) and record[column] > self.latest:
                record.error(column, validation.future_reason(record[column]) or "ở tương lai")
        for requested, completed in record.value(WAITS, ()):
            last = max(requested, completed or "")
            if last > self.latest:
                record.error(WAITS, f"lần chờ {requested}: {validation.future_reason(last)}")

    def _take_days(self, record: Record) -> None:
        """A moment given as a day only takes the time of core.transfer.day_only's rule (the
        start or the end of that day's office hours, in the row's order), counted for the
        warning; the supplement waits too (a wait '2025-06-02>2025-06-04' is asked at 07:00,
        done at 07:00, neither after a finish given with its time that day)."""
        raw = record.raw
        moments, days = {}, set()
        record.wait_days = set()  # type: ignore[attr-defined]  # the writer keeps a stored 00:00
        for name in day_only.FIELDS:
            if not record.has(name):
                continue
            moments[name] = record[name]
            if day_only.is_day_only(raw.shown(name) if isinstance(raw, FileCells)
                                    else raw.get(name)):
                days.add(name)
                rows, _ = self.day_only.setdefault(
                    name, (set(), dt.date.fromisoformat(record[name][:10])))
                rows.add(record.row)
        wait_days = self._wait_days(record)
        timed = tuple(value for (requested, completed), ends in zip(
            record.value(WAITS, ()), wait_days, strict=True)
            for value, name in ((requested, REQUESTED), (completed, COMPLETED))
            if value is not None and name not in ends)
        record.update(day_only.settle(moments, days, self.hours, timed))
        record.day_only = days  # type: ignore[attr-defined]  # the writer keeps a stored 00:00
        record.wait_days.update(record[name] for name in days  # type: ignore[attr-defined]
                                if name in (REQUESTED, COMPLETED))
        if any(wait_days):
            self._settle_waits(record, wait_days)

    def _wait_days(self, record: Record) -> list[set[str]]:
        """For each wait, which of its ends the file gives as a day alone (counted for the
        warning); none when the cell's parts cannot be told apart."""
        if not record.has(WAITS):
            return []
        cell = record.raw.shown(WAITS) if isinstance(record.raw, FileCells) \
            else record.raw.get(WAITS)
        parts = [p.strip() for p in str(cell).split(";") if p.strip()]
        if len(parts) != len(record[WAITS]):
            return [set() for _ in record[WAITS]]
        out = []
        for part, (requested, completed) in zip(parts, record[WAITS], strict=True):
            written = part.partition(">")
            ends = {name for text_, value, name in ((written[0], requested, REQUESTED),
                                                    (written[2], completed, COMPLETED))
                    if value is not None and day_only.is_day_only(text_.strip())}
            if ends:
                rows, _ = self.day_only.setdefault(
                    WAITS, (set(), dt.date.fromisoformat(requested[:10])))
                rows.add(record.row)
            out.append(ends)
        return out

    def _settle_waits(self, record: Record, wait_days: list[set[str]]) -> None:
        """The waits' ends given as days, by the rule among the row's moments as taken."""
        row = {name: record[name] for name in day_only.FIELDS if record.has(name)}
        waits = []
        for wait, ends in zip(record[WAITS], wait_days, strict=True):
            if ends:
                wait = day_only.settle_wait(wait, ends, row, self.hours)
                record.wait_days.update(  # type: ignore[attr-defined]
                    value for value, name in zip(wait, (REQUESTED, COMPLETED), strict=True)
                    if name in ends)
            waits.append(wait)
        record[WAITS] = waits

    def finish(self) -> list:
        for name in day_only.FIELDS + (WAITS,):  # the reception first, as the file reads
            if name in self.day_only:
                rows, day = self.day_only[name]
                self.warnings.append(day_only.warning(name, name, list(rows), self.hours, day,
                                                      self.MAPPED))
        self.warnings += self.numbered.lines()
        return super().finish()

    def _check_code(self, record: Record) -> None:
        code = record.value("code")
        if code is None:
            return
        if code in self.seen:
            record.error("code", f"mã hồ sơ trùng với dòng {self.seen[code]}")
        else:
            self.seen[code] = record.row

    def _check_status(self, record: Record) -> None:
        status = record.value("status")
        if status is None:
            return
        finished = record.get("finished_at")
        if reason := unfinished_closed_reason(status, None if finished is ABSENT else finished):
            record.error("finished_at", reason)
        elif status not in CLOSED and record.has("finished_at"):
            record.error("finished_at", f"hồ sơ đang xử lý (trạng thái '{status}') không được "
                                        "có finished_at; hãy để trống hoặc sửa trạng thái")

    def _check_order(self, record: Record) -> None:
        pairs = (("received_at", "finished_at", "xử lý xong trước khi tiếp nhận"),
                 ("finished_at", "returned_at", "trả kết quả trước khi xử lý xong"),
                 ("received_at", "returned_at", "trả kết quả trước khi tiếp nhận"),
                 ("received_at", "due_at", "hạn trả kết quả trước thời điểm tiếp nhận"),
                 ("received_at", "extended_due_at", "hạn gia hạn trước thời điểm tiếp nhận"),
                 ("received_at", "supplement_requested_at", "yêu cầu bổ sung trước khi tiếp nhận"),
                 ("supplement_requested_at", "supplement_completed_at",
                  "hoàn thành bổ sung trước khi yêu cầu bổ sung"))
        for earlier, later, reason in pairs:
            if record.has(earlier, later) and record[later] < record[earlier]:
                record.error(later, f"{reason} {other_column(earlier, record[earlier])}")
        if record.has("supplement_completed_at") and record.get("supplement_requested_at") is None:
            record.error("supplement_completed_at", "có thời điểm hoàn thành bổ sung nhưng thiếu "
                                                    "supplement_requested_at")

    def _check_waits(self, record: Record) -> None:
        if not record.has(WAITS):
            return
        for requested, completed in record[WAITS]:
            if completed is not None and completed < requested:
                record.error(WAITS, f"lần chờ {requested}: hoàn thành bổ sung trước khi yêu cầu")
            if record.has("received_at") and requested < record["received_at"]:
                record.error(WAITS, f"lần chờ {requested}: yêu cầu bổ sung trước khi tiếp nhận")

    def apply_chunk(self, conn, records: list[Record], write: bool) -> Counter:
        counts = self.writer.apply(conn, records, write)
        self._say_kept()
        return counts

    def _say_kept(self) -> None:
        """Says how many stored dossiers keep the 00:00 an older version stored for a day
        given without a time (core.transfer.dossier_writer: not moved, not written)."""
        if self.kept_line in self.warnings:
            self.warnings.remove(self.kept_line)
        if kept := len(self.writer.kept_midnight):
            self.kept_line = (
                f"{vn_number(kept)} hồ sơ đã có trong cơ sở dữ liệu được một phiên bản trước "
                "của MotCua lưu lúc 00:00 của ngày mà tệp ghi không có giờ: giữ nguyên giờ đã "
                "lưu, không cập nhật (không làm đổi số liệu của các kỳ đã báo cáo); muốn đổi, "
                "hãy sửa giờ trên từng hồ sơ.")
            self.warnings.append(self.kept_line)
        if self.kept_time_line in self.warnings:
            self.warnings.remove(self.kept_time_line)
        if kept := len(self.writer.kept_time):
            self.kept_time_line = (
                f"{vn_number(kept)} hồ sơ đã có trong cơ sở dữ liệu có giờ đã lưu trong đúng "
                "ngày mà tệp ghi không có giờ: giữ nguyên giờ đã lưu (tệp chỉ cho biết ngày); "
                "muốn đổi, hãy sửa giờ trên từng hồ sơ.")
            self.warnings.append(self.kept_time_line)

    def after(self, conn) -> None:
        self.writer.refresh()

    def export_count(self) -> int:
        from core.transfer.dossier_export import dossier_count
        return dossier_count(self.db, self.selection)

    def export_rows(self):
        from core.transfer.dossier_export import dossier_rows
        masked = [(i, name) for i, name in enumerate(self.header)
                  if name in masking.EXPORT_MASKED]
        for row in dossier_rows(self.db, self.selection):
            for i, name in masked:  # whole only with a stated purpose
                row[i] = masking.exported(name, row[i], self.full)
            yield row
