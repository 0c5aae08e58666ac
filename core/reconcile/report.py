"""A reconciliation's result and its report's words (core.reconcile.reconcile makes it): the
Reconciliation with its notes and tables, the report's headings, columns and sections, and the
masking of what a report's reader sees."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from core.indicators.vocabulary import moment_line
from core.privacy.masking import mask_name
from core.reconcile.carried import carried_note
from core.reconcile.matching import Difference, Item, Pair, to_enter_order
from core.reconcile.side import Row, footnotes, lacking, partial_note
from core.timefmt import parse_db_time, vn_date, vn_number
from core.transfer.base import RowError
from core.transfer.layout import trailer_note
from core.transfer.profiles import FIELDS

# What the clerk does again after saving a CSV as UTF-8 (core.transfer.csv_files.utf8_advice), in
# the reconciliation's words: it opens a file, it does not import one ("rồi nhập lại" was shown)
AGAIN_WINDOW = "chọn lại tệp (nút “Chọn tệp…”)"
AGAIN_COMMAND = "chạy lại lệnh đối chiếu"
# Who received a dossier of section II when no clerk is recorded (the PDF's headings, the count)
NO_CLERK = "(không rõ người tiếp nhận)"
# The columns of the list of the provincial file's rows left out (PDF, workbook): `unread_table`.
UNREAD_HEAD = ["STT", "Dòng", "Cột", "Giá trị", "Lý do"]
# The columns of the list of the pairs made without a code (PDF, workbook): `near_table`.
NEAR_HEAD = ["STT", "Mã hồ sơ (MotCua)", "Mã trên hệ thống tỉnh", "Chủ hồ sơ", "Thủ tục",
             "Tiếp nhận (MotCua)", "Tiếp nhận (hệ thống tỉnh)", "Lệch (phút)", "Cách ghép"]
# The columns of the list of every pair (the workbook's last sheet): `pairs_table`.
PAIR_HEAD = NEAR_HEAD + ["Nội dung khác nhau"]
# The report's kind and subject (Decree 30's ô 5: "BÁO CÁO", its trích yếu) on paper and in the
# workbook alike: a leader holding the signed PDF beside the Excel file sees one report, not two.
# A report numbered "Số: …/BC-UBND" is a BÁO CÁO; "KẾT QUẢ ĐỐI CHIẾU HỒ SƠ" in its place was no
# kind of document a leader signs.
REPORT_TITLE = ("Báo cáo", "Kết quả đối chiếu hồ sơ với Hệ thống thông tin giải quyết thủ tục "
                "hành chính của tỉnh")
# The report's parts in its order: the PDF's section headings, the workbook's sheets (their
# names and the line above each table), so a leader finds section V of the paper in the
# workbook's fifth sheet. PAIRS, all the matches, is the workbook's annex (not on paper).
SECTIONS = {
    "indicators": ("Chỉ tiêu", "I. Chỉ tiêu tính trên hai bộ số liệu"),
    "only_ours": ("Thiếu trên hệ thống tỉnh", "II. Hồ sơ có trong MotCua, chưa có trên hệ "
                  "thống tỉnh (cần nhập trước ngày chốt số liệu), theo người tiếp nhận và ngày"),
    "only_theirs": ("Thiếu trong MotCua", "III. Hồ sơ có trên hệ thống tỉnh, chưa có trong "
                    "MotCua"),
    "differences": ("Khác nhau", "IV. Hồ sơ khác nhau giữa hai hệ thống"),
    "near": ("Ghép không theo mã", "V. Hồ sơ ghép không theo mã (cùng thủ tục, chủ hồ sơ, đơn vị; "
             "giờ tiếp nhận gần nhau)"),
    "unread": ("Dòng không đọc được", "VI. Dòng không đọc được của tệp hệ thống tỉnh (không "
               "được đối chiếu)"),
    "pairs": ("Đã ghép", "Phụ lục. Mọi hồ sơ đã ghép được giữa hai bên (các cặp ghép không "
              "theo mã trước)"),
}


def pairs_in_order(pairs: list[Pair]) -> list[Pair]:
    """The pairs as every full list shows them (window, workbook): those made without a code
    first (what a leader must check), each kind in the order of matching."""
    return sorted(pairs, key=lambda pair: pair.by_code)


def reported_name(name: str | None) -> str:
    """An applicant's name where a report's reader sees it (PDF, workbook, command): masked by
    the program's one rule (core.privacy.masking, 'Nguyễn *** An'). The window shows the clerk
    the whole name, as every list of the program does."""
    return mask_name(name)


def reported_error(error: RowError) -> RowError:
    """An unreadable row's error where a report's reader sees it (PDF, workbook, command): a
    personal value that could not be read (a name with a hidden character, an ID number of 11
    digits, an email without its domain) is masked by its field's rule (core.privacy.masking.
    mask_field: name, authorised person, phone, address, ID number, email); they were printed
    whole in section VI. Known by the field the column holds, not by its label (a vendor's
    column named 'Chủ hồ sơ' is labelled without the meaning in brackets)."""
    return error.masked()


@dataclass
class Reconciliation:
    path: str
    date_from: dt.date
    date_to: dt.date
    unit: str | None
    unit_name: str
    profile: str
    tolerance: int
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    refused: bool = False  # the file refused whole: nothing compared
    unread_rows: int = 0  # rows of the file left out with their errors, the rest compared
    unread_codes: set[str] = field(default_factory=set)  # the codes those rows carried, if read
    # MotCua's dossiers whose code is on a row left out: not "missing from the province"
    unread_ours: list[Item] = field(default_factory=list)
    stopped_at: int | None = None
    warnings: list[str] = field(default_factory=list)
    trailer: list[int] = field(default_factory=list)  # the file's rows after the data left out
    file_rows: int = 0
    outside: int = 0  # rows of the file received outside the period or the unit
    # of `pairs`, those whose provincial row is one of `outside`: the province has the dossier
    # (matched by code) but counts it in another period or unit (`outside_pairs_note`)
    paired_outside: int = 0
    paired_other_unit: int = 0  # of those, the rows in the period but of another unit
    paired_outside_differing: int = 0  # of those, the pairs listed among `differences`
    # the other way round: pairs whose provincial row counts in the unit chosen while MotCua
    # counts the dossier for another unit (a file naming the receiving unit only)
    paired_resolved_elsewhere: int = 0
    # and pairs MotCua counts in the unit chosen whose provincial row, received here, names
    # another resolving unit (a file with MaDonViGiaiQuyet): the province counts them there
    paired_resolved_by_other: int = 0
    pairs: list[Pair] = field(default_factory=list)
    only_ours: list[Item] = field(default_factory=list)
    only_theirs: list[Item] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)
    indicators: list[Row] = field(default_factory=list)
    as_of: str = ""
    # the day of the clock reading its figures were taken at: the date the PDF and the workbook
    # are issued under, as the monthly report's (each reading the clock again when written,
    # near midnight "ngày 01 tháng 02" headed figures "tạm tính đến 23 giờ 30 phút, ngày 31/01")
    issued: dt.date | None = None
    fields: set[str] = field(default_factory=set)  # the fields the provincial file holds
    # {provincial code: the moments its row gives as a day only}: compared by their day
    day_only: dict[str, frozenset[str]] = field(default_factory=dict)
    # of `only_ours`, the dossiers received at the unit for a competent unit outside it: the
    # desk enters them, but they count in the other unit's figures (spec 5), not in these
    elsewhere: int = 0
    carried_missing: list = field(default_factory=list)  # core.reconcile.carried
    # the unit chosen was not in being in the period (core.unit_absent.period_note), or ""
    unit_gone: str = ""

    def scope_phrase(self) -> str:
        """'từ ngày 01/10/2026 đến ngày 31/10/2026' (+ ' của UBND xã Yên Phúc' for a unit): the
        period and unit as the report's closing sentence names them."""
        unit = f" của {self.unit_name}" if self.unit else ""
        return f"từ ngày {vn_date(self.date_from)} đến ngày {vn_date(self.date_to)}{unit}"

    def closing_sentence(self) -> str:
        """The report's last sentence before its signature (Decree 30's ô 6)."""
        return (f"Trên đây là kết quả đối chiếu hồ sơ với Hệ thống thông tin giải quyết thủ tục "
                f"hành chính của tỉnh {self.scope_phrase()}./.")

    def moment_line(self) -> str:
        """When the figures were evaluated (spec 2.3), as the dashboard and Biểu 06 say it:
        'Số liệu tạm tính đến 10 giờ 15 phút, ngày 27/11/2026' while the period runs, else
        'Số liệu tính đến hết ngày 30/11/2026'; '' before any comparison. The one line the
        window, the command, the PDF and the workbook show with the figures: a leader reading
        them during the period knows they are today's, not the period's end."""
        if not self.as_of:
            return ""
        return moment_line({"to": self.date_to.isoformat(), "as_of": self.as_of})

    def notes(self) -> list[str]:
        """The notes under the side-by-side figures wherever they are shown (window, command,
        PDF, workbook): core.reconcile.side.footnotes, and `elsewhere_note`."""
        return footnotes(self.indicators) + [n for n in [
            self.elsewhere_note(), carried_note(self.carried_missing, self.date_from)] if n]

    def elsewhere_note(self) -> str | None:
        """Why entering section II's list changes the unit's figures by fewer dossiers than it
        holds: some of them are another unit's to resolve (a leader saw 300 to enter and
        "+279" received, and was told nothing of the 21)."""
        if not self.elsewhere:
            return None
        return (f"{vn_number(self.elsewhere)} trong {vn_number(len(self.only_ours))} hồ sơ "
                f"thiếu trên hệ thống tỉnh được tiếp nhận tại {self.unit_name} cho đơn vị khác "
                "giải quyết: vẫn cần nhập, nhưng được tính vào chỉ tiêu của đơn vị giải quyết, "
                "không vào các số ở đây (cột “Tỉnh khi nhập đủ” và “Thay đổi” không gồm chúng).")

    def missing_note(self) -> str | None:
        """The note on the province's figures counted without columns the file lacks
        (core.reconcile.side.partial_note: CacLanBoSung, NgayHenTraMoi…), or None."""
        return partial_note(lacking(self.indicators))

    @property
    def ok(self) -> bool:
        """Compared (perhaps without some rows: `unread_rows`), not refused."""
        return not self.refused

    def unread_note(self) -> str | None:
        """The sentence every summary (command, window, indicators, PDF, workbook) shows when
        rows of the provincial file could not be read: its figures lack them."""
        if not self.unread_rows:
            return None
        more = (f" ({vn_number(self.error_count)} lỗi, liệt kê {vn_number(len(self.errors))} "
                "lỗi đầu)" if self.error_count > len(self.errors) else "")
        ours = (f"; {vn_number(len(self.unread_ours))} hồ sơ của MotCua có mã ở các dòng này "
                "không bị coi là thiếu trên hệ thống tỉnh" if self.unread_ours else "")
        return (f"{vn_number(self.unread_rows)} dòng của tệp hệ thống tỉnh không đọc được, "
                f"không được đối chiếu{more}: số liệu của hệ thống tỉnh thiếu các dòng này "
                f"(xem mục “Dòng không đọc được”){ours}.")

    def scope_warning(self) -> str | None:
        """The file holds nothing in the period and unit chosen (a header alone, another month
        or commune): every dossier of MotCua would be listed to enter. Said first among the
        warnings (command, window, PDF, workbook); the figures are still shown, since a commune
        that entered nothing on the provincial system has such a file too."""
        name = Path(self.path).name
        if not self.file_rows:
            return (f"Tệp {name} không có dòng dữ liệu nào dưới dòng tiêu đề: mọi hồ sơ của "
                    "MotCua trong kỳ được coi là thiếu trên hệ thống tỉnh; hãy kiểm tra lại đã "
                    "chọn đúng tệp xuất của hệ thống tỉnh trước khi nhập các hồ sơ thiếu.")
        read = self.file_rows - self.unread_rows
        if not read or self.outside != read:
            return None
        if self.paired_outside:  # matched by code: said so, not "nothing in the period"
            return (f"Cả {vn_number(read)} dòng của tệp {name} đều được hệ thống tỉnh ghi tiếp "
                    f"nhận ngoài kỳ {self.scope_phrase()}: hệ thống tỉnh chấm điểm theo ngày "
                    "tiếp nhận và đơn vị của mình, nên không tính dòng nào vào kỳ này. "
                    f"{vn_number(self.paired_outside)} dòng trong số đó cùng mã với hồ sơ của "
                    f"MotCua trong kỳ nên đã được ghép theo mã (hệ thống tỉnh đã có "
                    f"{self._these()}, không nhập lại; {self._differing()} của hai bên khác "
                    "nhau, xem mục hồ sơ khác nhau). Kiểm tra lại kỳ, đơn vị và tệp đã chọn (tệp "
                    "của tháng, năm hoặc đơn vị khác?) trước khi nhập hay sửa hồ sơ trên hệ "
                    "thống tỉnh.")
        if self.unit_gone:  # the merged commune of the same name as its successor
            return (f"Không dòng nào trong {vn_number(read)} dòng của tệp {name} thuộc kỳ "
                    f"{self.scope_phrase()}: đơn vị đã chọn, {self.unit_gone}; hãy chọn đơn vị "
                    "hoạt động trong kỳ rồi đối chiếu lại.")
        return (f"Không dòng nào trong {vn_number(read)} dòng của tệp {name} thuộc kỳ "
                f"{self.scope_phrase()}: kiểm tra lại kỳ, đơn vị và tệp đã chọn (tệp của "
                "tháng hoặc đơn vị khác?) trước khi nhập các hồ sơ thiếu trên hệ thống tỉnh.")

    def outside_pairs_note(self) -> str | None:
        """The pairs of `paired_outside` when the file has rows in the period too (one
        dossier entered on the province the next morning), said with the warnings: the same
        dossiers (matched by code: not to enter again), counted by the province elsewhere —
        outside the period, or of another unit, as the case is (not "ngoài kỳ, đơn vị" of a
        row of the period received by a neighbour, nor "các hồ sơ" of one)."""
        notes = [n for n in [self._outside_note(), self._resolved_elsewhere_note(),
                             self._resolved_by_other_note()] if n]
        return " ".join(notes) or None

    def _outside_note(self) -> str | None:
        if not self.paired_outside:
            return None
        by_unit = self.paired_other_unit
        where = ("có ngày tiếp nhận ngoài kỳ hoặc thuộc đơn vị khác"
                 if by_unit and by_unit < self.paired_outside
                 else "thuộc đơn vị khác" if by_unit else "có ngày tiếp nhận ngoài kỳ")
        counted = "kỳ và đơn vị đã chọn" if by_unit else "kỳ này"
        them = "chúng" if self.paired_outside > 1 else "hồ sơ đó"
        return (f"{vn_number(self.paired_outside)} hồ sơ đã ghép theo mã với dòng của tệp "
                f"{where}: hệ thống tỉnh đã có {self._these()} (không nhập lại) nhưng chấm "
                "điểm theo ngày tiếp nhận và đơn vị của mình, nên không tính vào "
                f"{counted}{self._outside_why(them)}.")

    def _outside_why(self, them: str) -> str:
        """Where the reader sees why the pairs of `paired_outside` count elsewhere: their
        differences when some are listed; else, of a file naming the receiving unit only (a
        vendor's), that the province's side counts them there while MotCua counts them for the
        resolving unit — walk38: "xem các nội dung khác nhau" stood above "Khác nhau (0)"."""
        if self.paired_outside_differing:
            return f" (xem các nội dung khác nhau của {them})"
        if self.paired_other_unit and "competent_unit_code" not in self.fields:
            return (f" (tệp không có cột {FIELDS['competent_unit_code']}: {self._these()} được "
                    "tính cho đơn vị tiếp nhận mà tệp ghi, còn MotCua tính cho đơn vị giải quyết)")
        return ""

    def _resolved_elsewhere_note(self) -> str | None:
        """The pairs of `paired_resolved_elsewhere`: the province's side counts them in the
        figures here, MotCua's for their resolving unit — walk38: «Hồ sơ tiếp nhận» 34 | 27
        with one dossier received at 000.41 for 000.42 explained nowhere."""
        n = self.paired_resolved_elsewhere
        if not n:
            return None
        these = "các hồ sơ này" if n > 1 else "hồ sơ này"
        if "competent_unit_code" in self.fields:
            # (no brackets inside the note's own: "(… khác nhau (xem …))" on the signed paper)
            why = (f"hai bên ghi đơn vị giải quyết khác nhau: xem các nội dung khác nhau của "
                   f"{'chúng' if n > 1 else 'hồ sơ đó'}")
        else:
            why = (f"tệp không có cột {FIELDS['competent_unit_code']}: hệ thống tỉnh tính "
                   f"{these} cho đơn vị tiếp nhận mà tệp ghi")
        return (f"{vn_number(n)} hồ sơ đã ghép với dòng của tệp được hệ thống tỉnh tính vào "
                "đơn vị đã chọn nhưng MotCua tính cho đơn vị giải quyết khác: số liệu của hệ "
                f"thống tỉnh ở đây có {these}, số liệu của MotCua không có ({why}).")

    def _resolved_by_other_note(self) -> str | None:
        """The pairs of `paired_resolved_by_other`: MotCua's figures here count them, the
        province's count them for the resolving unit its row names (review38: «Hồ sơ tiếp
        nhận» one lower on the province's side, the pair's units not even compared)."""
        n = self.paired_resolved_by_other
        if not n:
            return None
        these = "các hồ sơ này" if n > 1 else "hồ sơ này"
        return (f"{vn_number(n)} hồ sơ đã ghép với dòng của tệp ghi đơn vị giải quyết khác: "
                f"MotCua tính {these} vào đơn vị đã chọn, hệ thống tỉnh tính cho đơn vị giải "
                f"quyết mà tệp ghi, nên số liệu của MotCua ở đây có {these}, số liệu của hệ "
                f"thống tỉnh không có (xem các nội dung khác nhau của "
                f"{'chúng' if n > 1 else 'hồ sơ đó'}).")

    def _these(self) -> str:
        return "các hồ sơ này" if self.paired_outside > 1 else "hồ sơ này"

    def _differing(self) -> str:
        """What differs between the two sides of the pairs of `paired_outside`."""
        if not self.paired_other_unit:
            return "ngày tiếp nhận"
        if self.paired_other_unit == self.paired_outside:
            return "đơn vị"
        return "ngày tiếp nhận hoặc đơn vị"

    def differing_phrase(self) -> str:
        """'14 nội dung của 9 hồ sơ': the command's and the PDF's count of section IV, in the
        words of its column "Nội dung" (the command said "trường", the PDF no dossiers)."""
        dossiers = len({id(d.pair) for d in self.differences})
        return f"{vn_number(len(self.differences))} nội dung của {vn_number(dossiers)} hồ sơ"

    def to_enter_line(self) -> str | None:
        """How many dossiers of section II each clerk enters, in the list's order (the PDF
        opens the section with it: the leader shares the list out), or None when none."""
        if not self.only_ours:
            return None
        counts: dict[str, int] = {}
        for item in sorted(self.only_ours, key=to_enter_order):
            counts[item.clerk or NO_CLERK] = counts.get(item.clerk or NO_CLERK, 0) + 1
        each = ", ".join(f"{clerk} {vn_number(n)}" for clerk, n in counts.items())
        return f"Cần nhập {vn_number(len(self.only_ours))} hồ sơ lên hệ thống tỉnh: {each}."

    def unread_table(self) -> list[list]:
        """The rows left out, one line an error listed, under UNREAD_HEAD."""
        return [[n, e.row, e.column, e.value, e.reason]
                for n, e in enumerate(map(reported_error, self.errors), start=1)]

    def unread_heading(self) -> str:
        """What heads the list of the rows left out."""
        return (f"Dòng không đọc được của tệp {Path(self.path).name} "
                f"({vn_number(self.unread_rows)} dòng, không được đối chiếu):")

    @property
    def by_code(self) -> int:
        return sum(1 for p in self.pairs if p.by_code)

    @property
    def near_pairs(self) -> list[Pair]:
        """The pairs made without a code (procedure + applicant + reception time)."""
        return [p for p in self.pairs if not p.by_code]

    def near_table(self) -> list[list]:
        """The pairs made without a code, one line each under NEAR_HEAD: both codes, the
        applicant (reported_name), the procedure, both receptions (datetime), the gap in
        minutes and how the pair was made (with its uncertainty)."""
        return [[n, *_pair_cells(p)] for n, p in enumerate(self.near_pairs, start=1)]

    def pairs_table(self) -> list[list]:
        """Every pair (`pairs_in_order`), one line each under PAIR_HEAD: NEAR_HEAD's columns
        (no gap for a pair by code) and what differs between its two dossiers."""
        fields: dict[int, list[str]] = {}
        for difference in self.differences:
            fields.setdefault(id(difference.pair), []).append(difference.field)
        return [[n, *_pair_cells(p), ", ".join(fields.get(id(p), []))]
                for n, p in enumerate(pairs_in_order(self.pairs), start=1)]

    def near_heading(self) -> str:
        shared = next((p.unit for p in self.near_pairs), "")
        unit = f", cùng {shared}" if shared else ""
        return (f"{vn_number(len(self.near_pairs))} cặp hồ sơ ghép không theo mã mà theo thủ "
                f"tục, chủ hồ sơ và giờ tiếp nhận (lệch không quá {self.tolerance} phút{unit}); "
                "hãy kiểm tra mỗi cặp là cùng một hồ sơ.")

    @property
    def uncertain(self) -> int:
        """Pairs made without a code while another dossier was within the tolerance too."""
        return sum(1 for p in self.pairs if p.rivals)

    def uncertain_note(self) -> str | None:
        """The sentence every summary (command, window, PDF) shows when some match is a choice
        between candidates rather than a certainty."""
        if not self.uncertain:
            return None
        return (f"{vn_number(self.uncertain)} cặp ghép không chắc chắn (còn hồ sơ khác cùng "
                "thủ tục, chủ hồ sơ trong độ lệch; đã ghép cặp gần nhất): hãy kiểm tra.")

    def trailer_note(self) -> str:
        """The file's rows after the data left out (totals, signatures), named; or ''."""
        return trailer_note(self.trailer, "hồ sơ")

    def refusal_heading(self) -> str:
        """What heads the list of a refused file's errors, in the command and the window alike:
        the file by name, how many errors, and that nothing was compared."""
        from core.transfer.base import ImportResult
        from core.transfer.cli import errors_heading
        shown = ImportResult("dossiers", self.path, errors=self.errors,
                             error_count=self.error_count, stopped_at=self.stopped_at)
        heading = errors_heading(shown).replace("chưa ghi gì vào cơ sở dữ liệu", "chưa đối chiếu")
        return heading.replace("rồi nhập lại", "rồi đối chiếu lại")


def _pair_cells(p: Pair) -> list:
    """A pair under NEAR_HEAD's columns after STT: both codes, the applicant (reported_name),
    the procedure, both receptions (datetime), the gap in minutes (None: by code) and how."""
    return [p.ours.code, p.theirs.code, reported_name(p.ours.applicant), p.ours.procedure,
            parse_db_time(p.ours.received), parse_db_time(p.theirs.received), p.gap, p.method]
