"""The dossier import of another system's file (core.transfer.mapped): `MappedDossiers`, the
ordinary dossier import (core.transfer.dossiers) reading the portal's cells
(core.transfer.portal_cells), keeping the paid-online flag, leaving out a refused personal
detail (KEPT_OUT) rather than the month, and finding rows likely to be dossiers MotCua holds
under another code; `ProvincialSet`, the same into a reconciliation's scratch database.
"""
from __future__ import annotations

from collections import Counter

from core import validation
from core.indicators.evaluate import may_count
from core.moment import CLOSED
from core.privacy import masking
from core.timefmt import vn_number
from core.transfer.base import ABSENT, Column, ImportResult, Record
from core.transfer.day_only import ROWS_NAMED
from core.transfer.dossiers import MASKED_COLUMNS, Dossiers
from core.transfer.portal_cells import PAID_ONLINE_SQL, kept_status, paid_online, portal_columns
from core.transfer.profiles import (
    FIELDS,
)
from db.batches import in_chunks, marks, rows_in

UNPAID_COLUMN = f"cột {FIELDS['paid_online']}"  # named as the file names it by import_mapped


# The columns of another system's file whose refused value is left out, not the file
# (MappedDossiers.check_row): the citizen's personal details MotCua neither needs to count nor
# compares (its ID number, email, phone, address, the authorised person's name: a control
# character pasted into NguoiDuocUyQuyen refused a portal month), how the result is received.
# The applicant's name is not among them: a dossier needs it, the reconciliation matches by it.
KEPT_OUT = ("applicant_id_no", "applicant_email", "applicant_phone", "applicant_address",
            "representative", "result_delivery")


def kept_out_warning(name: str, rows: list[int], reason: str) -> str:
    """The line an import gives for the rows whose `name` was left out (KEPT_OUT)."""
    rows = sorted(rows)
    shown = ", ".join(vn_number(r) for r in rows[:ROWS_NAMED])
    more = f" và {vn_number(len(rows) - ROWS_NAMED)} dòng khác" if len(rows) > ROWS_NAMED else ""
    return (f"{vn_number(len(rows))} dòng có cột {name} không hợp lệ (dòng {shown}{more}; "
            f"{reason}): MotCua không lưu giá trị đó của các dòng này (hồ sơ đã có trong MotCua "
            "giữ giá trị đang có), các cột khác vẫn được nhập; hãy bổ sung trong hồ sơ nếu cần.")


class MappedDossiers(Dossiers):
    """The dossier import, plus the paid-online flag such files carry (kept, not written:
    payments are imported as payments; the reconciliation uses it)."""

    columns = portal_columns(Dossiers.columns)
    MAPPED = True
    extra_columns = Dossiers.extra_columns + (Column("paid_online", paid_online),)
    makes_payments = False  # ProvincialSet: the flag becomes a payment of its scratch database

    # the rows it would add that are likely dossiers MotCua holds under another code
    # (core.reconcile.duplicates): looked for (not in a reconciliation's scratch copy), and
    # what the clerk chose for them (None: nothing written until chosen; `choosing`)
    finds_duplicates = True
    duplicates: str | None = None
    fields: frozenset[str] = frozenset()  # the fields the file holds (MappedTable.sources)

    def __init__(self, db, present, source=""):
        super().__init__(db, present, source)
        self.arrivals: list = []  # the rows checked, as the matching sees them
        self.paid_online: set[str] = set()
        self.unpaid = 0  # dossiers the file says were paid online that MotCua has no payment of
        self._unpaid_warning: int | None = None  # its line in `warnings`
        # KEPT_OUT: the rows whose value was left out, by field, with the first reason
        self.kept_out: dict[str, tuple[list[int], str]] = {}

    def check_row(self, record: Record) -> None:
        """Another system's file: a personal detail or a way of receiving the result that
        MotCua's rule refuses (an 11-digit ID typo, a control character in the authorised
        person's name, the portal's own delivery code; KEPT_OUT) is a cell the
        office cannot correct in the province's export, so it does not refuse the month: that
        value is not stored (a dossier already in MotCua keeps its own), the rest of the row is,
        and `finish` names the rows. A masked value stays an error (export again, whole)."""
        super().check_row(record)
        kept = [e for e in record.errors if e.column in KEPT_OUT
                and not masking.is_masked(record.value(e.column), e.column)]
        if not kept:
            return
        record.errors = [e for e in record.errors if e not in kept]
        for error in kept:
            record[error.column] = ABSENT
            rows, _ = self.kept_out.setdefault(error.column, ([], error.reason))
            if not rows or rows[-1] != record.row:  # a cell with two reasons: its row once
                rows.append(record.row)

    @classmethod
    def choosing(cls, duplicates: str | None, fields: set[str]) -> type[MappedDossiers]:
        return type(cls.__name__, (cls,), {"duplicates": duplicates,
                                           "fields": frozenset(fields)})

    def check_chunk(self, records: list[Record]) -> None:
        super().check_chunk(records)
        if not self.finds_duplicates:
            return
        from core.reconcile.duplicates import arrival
        self.arrivals += [(r.row, arrival(r.value("code"), r.value("procedure_code"),
                                          r.value("applicant_name"), r.value("received_at"),
                                          r.value("unit_code"), r.value("competent_unit_code")))
                          for r in records if not r.errors]

    def withhold(self, result: ImportResult) -> frozenset[str] | None:
        """The rows likely to be dossiers MotCua holds under another code, by the
        reconciliation's rule: listed in the result; left out when the clerk chose to skip
        them, written when she chose to import them, nothing written until she chooses (a
        dry run lists them and goes on counting)."""
        if not self.finds_duplicates or not self.arrivals:
            return frozenset()
        from core.reconcile.duplicates import SKIP, likely_duplicates
        rows = {item.code: row for row, item in self.arrivals}
        pairs = likely_duplicates(self.db, (item for _, item in self.arrivals), set(rows),
                                  set(self.fields))
        result.duplicates, result.duplicates_chosen = pairs, self.duplicates
        result.duplicate_rows = {p.theirs.code: rows[p.theirs.code] for p in pairs}
        if result.awaits_choice:
            return None
        return frozenset(result.duplicate_rows) if self.duplicates == SKIP else frozenset()

    def finish(self) -> list:
        for name in KEPT_OUT:
            if name in self.kept_out:
                self.warnings.append(kept_out_warning(name, *self.kept_out[name]))
        return super().finish()

    def apply_chunk(self, conn, records: list[Record], write: bool) -> Counter:
        _keep_shared_status(conn, records)
        paid = [r["code"] for r in records if r.value("paid_online")]
        self.paid_online.update(paid)
        if paid and not self.makes_payments:
            self._count_unpaid(conn, paid)
        return super().apply_chunk(conn, records, write)

    def _count_unpaid(self, conn, codes: list[str]) -> None:
        """The file's paid-online flag is kept nowhere in the office's data (a payment has an
        amount and a time the file lacks): said once, counted, so that the online-payment
        figure (766 indicator 3.6) is not silently lower than the portal's after an import."""
        having = {row[0] for row in rows_in(conn, f"{PAID_ONLINE_SQL} AND d.code IN ({{marks}})",
                                            codes)}
        self.unpaid += sum(1 for code in codes if code not in having)
        if not self.unpaid:
            return
        line = (f"{vn_number(self.unpaid)} hồ sơ được tệp ghi là đã thanh toán trực tuyến "
                f"({UNPAID_COLUMN}) nhưng MotCua chưa có khoản thanh toán trực tuyến nào "
                "của các hồ sơ đó: MotCua không tự tạo khoản thanh toán (tệp không có số tiền, "
                "ngày nộp); hãy nhập các khoản thanh toán (Nhập dữ liệu → Thanh toán) để chỉ "
                "tiêu thanh toán trực tuyến khớp với Cổng.")
        if self._unpaid_warning is None:
            self._unpaid_warning = len(self.warnings)
            self.warnings.append(line)
        else:
            self.warnings[self._unpaid_warning] = line


def _keep_shared_status(conn, records: list[Record]) -> None:
    """A row giving only the national status code keeps the stored status that code also covers
    (a refusal stays one under 9; core.transfer.portal_cells.kept_status)."""
    coded = [r for r in records if r.national_status and r.value("status") and r.value("code")]
    if not coded:
        return
    stored = dict(rows_in(conn, "SELECT code, status FROM dossiers WHERE code IN ({marks})",
                          [r["code"] for r in coded]))
    for record in coded:
        record["status"] = kept_status(stored.get(record["code"]), record["status"])


class ProvincialSet(MappedDossiers):
    """The import into the reconciliation's scratch database: the file's paid-online flag
    becomes one online payment per dossier (online_payment.paid_online counts dossiers with at
    least one), written before the figures are computed, once, with the dossiers'.

    With a `period` ('YYYY-MM-DD HH:MM:SS' start and end), every row is checked but only those
    that can count in a figure of it are written (core.indicators.evaluate.may_count): a
    province's export of a year compared for one month wrote 200,000 dossiers one by one, their
    history and audit seal too, for 23 minutes, where 15,000 of them matter."""

    period: tuple[str, str] | None = None
    makes_payments = True
    finds_duplicates = False  # the scratch copy holds only the file
    # codes written whatever their moments: MotCua's dossiers of the period, which the province
    # may hold with a reception on another day (entered the next morning, 01/11 for 31/10)
    keep: frozenset[str] = frozenset()
    # the units compared (a unit's reconciliation: it and the units below it), None: all
    scope: frozenset[str] | None = None
    skips_bad_rows = True  # it only reads: a bad row is left out and listed, not the whole file
    names_numbers = False  # nothing stored: no warning of a number in a name (core.transfer.name_digits)
    # {code: the moments its row gives as a day without a time} (core.transfer.day_only), for
    # the comparison to compare those by their day (`within` gives each reconciliation its own)
    day_codes: dict[str, frozenset[str]] | None = None

    def _take_days(self, record: Record) -> None:
        super()._take_days(record)
        days, code = getattr(record, "day_only", None), record.value("code")
        if days and code and self.day_codes is not None:
            self.day_codes[code] = frozenset(days)

    def name_reason(self, name: str | None) -> str | None:
        """Read, not stored: a name the documents could not print (an emoji typed into the
        provincial system) is still compared; the report draws what it cannot print as □."""
        return validation.applicant_name_reason(name, printed=False)

    def _unmask(self, record: Record) -> set[str]:
        """Read, not stored: a phone, ID number or email masked by an export (a national file
        exported without a stated purpose) is no value to compare, not a row left unread; the
        reconciliation compares neither (the masked ID number of every row of MotCua's own
        national export, SoDinhDanh, left the whole file unread)."""
        for column in MASKED_COLUMNS:
            if masking.is_masked(record.value(column), column):
                record[column] = None
        return set()

    @classmethod
    def within(cls, start: str, end: str, keep: frozenset[str] = frozenset(),
               scope: frozenset[str] | None = None) -> type[ProvincialSet]:
        return type(cls.__name__, (cls,), {"period": (start, end), "keep": keep, "scope": scope,
                                           "day_codes": {}})

    def counts_bad(self, record: Record) -> bool:
        """A bad row is listed, and the figures said to lack it, unless what can be read of it
        puts it outside the reconciliation: received at or after the period's end, or at and
        for units outside the units compared. A province's export of a year reconciled for one
        commune's November listed twelve bad rows of other communes' October and said
        November's figures lacked them. A row whose code is one of MotCua's compared, or whose
        reception or unit cannot be read, is always listed."""
        if self.period is None or record.value("code") in self.keep:
            return True
        received = record.value("received_at")
        if isinstance(received, str) and received >= self.period[1]:
            return False
        # closed before the period starts, as its status and finish read (a row returned on
        # 11/04 listed in May's reconciliation, said to be lacking from May's figures); a row
        # whose status or finish is the unreadable cell is listed
        status, finished = record.value("status"), record.value("finished_at")
        if status in CLOSED and isinstance(finished, str) and finished < self.period[0]:
            return False
        units = {record.value("unit_code"), record.value("competent_unit_code")} - {None}
        return self.scope is None or not units or not units.isdisjoint(self.scope)

    def apply_chunk(self, conn, records: list[Record], write: bool) -> Counter:
        if self.period is not None:
            records = [r for r in records if r.value("code") in self.keep or may_count(
                r.value("received_at"), r.value("status"), r.value("finished_at"), *self.period)]
        return super().apply_chunk(conn, records, write)

    def after(self, conn) -> None:
        codes = sorted(self.paid_online)
        for chunk in in_chunks(codes):
            conn.execute(f"""
                INSERT INTO payments (dossier_id, amount, method, paid_at, reference, actor)
                SELECT d.id, MAX(1, COALESCE(d.fee, p.fee, 1)), 'online', d.received_at,
                       'tệp hệ thống tỉnh', 'đối chiếu'
                FROM dossiers d JOIN procedures p ON p.code = d.procedure_code
                WHERE d.code IN ({marks(chunk)})""", chunk)
        super().after(conn)


