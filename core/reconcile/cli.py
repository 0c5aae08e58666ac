"""`reconcile FILE --from --to [--unit] [--profile] [--tolerance] [--out report.pdf|.xlsx]`."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from core import stopping
from core.database import open_database, resolve_path
from core.errors import InputError
from core.pdf.cli import parse_date
from core.pdf.document import check_writable
from core.reconcile import AGAIN_COMMAND, Reconciliation, reconcile, reported_error
from core.timefmt import vn_date, vn_number
from core.transfer.csv_files import told_for
from core.transfer.files import open_table
from core.transfer.mapped import MissingColumns
from core.transfer.profiles import list_profiles, profile_words

OUT_KINDS = (".pdf", ".xlsx")
NEAR_SHOWN = 200  # pairs made without a code listed on the terminal (all of them: --out)


def command(args: argparse.Namespace) -> int:
    first, last = parse_date(args.date_from, "--from"), parse_date(args.date_to, "--to")
    # `--out ""` is refused by the parser (core.cli.guard_paths), with every empty path
    out = Path(args.out) if args.out else None
    if out is not None and out.suffix.lower() not in OUT_KINDS:
        raise InputError(f"Tệp kết quả {out.name} phải có đuôi .pdf hoặc .xlsx.")
    if out is not None:  # a missing folder is said now, not after minutes of matching
        check_writable(out)
    # a missing or unreadable file is reported before the database opens; the file opened here
    # is the one compared (an .xlsx checked and parsed once: core.transfer.files)
    try:
        table = open_table(args.file)
    except InputError as exc:  # the advice of a CSV saved in another encoding, in its words
        raise told_for(exc, AGAIN_COMMAND) from None
    # Ctrl+C heard as the window's «Huỷ» (core.stopping): the comparison writes nothing (its
    # scratch database is in memory), so a Ctrl+C there stops it at once; the report is then
    # written beside its name and Ctrl+C asked once more before it takes the name (stopped
    # there, no file is left, exit 1)
    with stopping.heard_as_cancel(
            "việc đối chiếu dừng giữa chừng" if out is None else
            f"tệp kết quả {out} chưa được ghi (tệp cũ cùng tên, nếu có, vẫn như trước)",
            None if out is None else f"tệp {out}", reading=True) as ctrl_c:
        db = open_database(resolve_path(args.db), create=False, mode="read")
        try:
            return _compared(args, db, table, first, last, out, ctrl_c)
        finally:
            db.close()
            table.close()


def _compared(args: argparse.Namespace, db, table, first, last, out: Path | None,
              ctrl_c: stopping.CtrlC) -> int:
    try:
        result = reconcile(db, args.file, first, last, unit=args.unit, profile=args.profile,
                           tolerance_minutes=args.tolerance, opened=table)
    except MissingColumns as exc:  # a vendor's file read by the national names
        raise MissingColumns(exc.message + _profile_hint(db, args.profile)) from None
    if not result.ok:
        return _refused(result)
    print(summary(result))
    if result.unread_rows:  # compared without them: said where a script's log sees it too
        print(f"Lưu ý: {result.unread_note()}", file=sys.stderr)
    if note := result.missing_note():  # the province's figures without columns they need
        print(f"Lưu ý: {note}", file=sys.stderr)
    if out is not None:
        ctrl_c.writing()
        issued = save(db, result, out, ctrl_c.progress)
        print(f"Đã ghi kết quả đối chiếu ra tệp {out}.")
        print(issued)  # whose header and signer, as `report monthly` says it
    return 0


def save(db, result: Reconciliation, out: Path, progress=None) -> str:
    """The report as PDF or workbook, both under the header and signer of the unit reconciled
    (core.report_header.header_for, the monthly report's rule); returns the sentence saying
    whose they are (UnitHeader.note: a commune's made from its name, its signer left blank, is
    said, as the monthly report's command and window say it)."""
    from core.report_header import header_for
    if out.suffix.lower() == ".pdf":
        from core.pdf.reconcile import save_reconciliation
        save_reconciliation(db, result, out, progress)
    else:
        from core.reconcile.workbook import save_workbook
        save_workbook(result, out, header_for(db, result.unit).header, progress=progress)
    return header_for(db, result.unit).note


def _profile_hint(db, chosen: str | None) -> str:
    """Without --profile the command reads the national names: which saved profiles there are
    to name instead, or where one is made (walk33: "Hãy chọn lại cột" alone, at a terminal)."""
    if chosen is not None:
        return ""
    saved = [f"'{p.name}'" for p in list_profiles(db) if not p.builtin]
    said = " Không có --profile, lệnh đọc tệp theo mẫu cột 'national' (tên cột của Cổng DVC)"
    if saved:
        return (f"{said}; mẫu cột đã lưu: {', '.join(saved)}: chạy lại với --profile TÊN "
                "(python main.py profile show TÊN để xem các cột của mẫu).")
    return (f"{said}; tệp của nhà cung cấp đặt tên cột khác thì chọn cột và «Lưu mẫu cột…» ở "
            "cửa sổ Dữ liệu → Đối chiếu với hệ thống tỉnh…, rồi chạy lại với --profile TÊN.")


def _refused(result: Reconciliation) -> int:
    print(result.refusal_heading(), file=sys.stderr)
    for error in result.errors:  # a personal value masked, as the report's section VI
        print(f"  {reported_error(error)}", file=sys.stderr)
    return 2


def summary(result: Reconciliation) -> str:
    scope = f" — {result.unit_name}" if result.unit else ""
    lines = [f"Đối chiếu {Path(result.path).name} ({profile_words(result.profile)}) với MotCua, "
             f"kỳ {vn_date(result.date_from)}–{vn_date(result.date_to)}{scope} "
             f"({result.moment_line()[:1].lower()}{result.moment_line()[1:]}):",
             f"  Khớp: {vn_number(len(result.pairs))} hồ sơ ({vn_number(result.by_code)} theo mã, "
             f"{vn_number(len(result.pairs) - result.by_code)} theo thủ tục + chủ hồ sơ + giờ "
             f"tiếp nhận, lệch tối đa {result.tolerance} phút)",
             f"  Có trong MotCua, thiếu trên hệ thống tỉnh: {vn_number(len(result.only_ours))}",
             f"  Có trên hệ thống tỉnh, thiếu trong MotCua: {vn_number(len(result.only_theirs))}",
             f"  Khác nhau: {result.differing_phrase()}",
             f"  Dòng của tệp ngoài kỳ hoặc ngoài đơn vị: {vn_number(result.outside)}",
             "Chỉ tiêu (MotCua | hệ thống tỉnh | tỉnh khi nhập đủ | thay đổi):"]
    for row in result.indicators:
        label = f"[{row.source}] " if row.source else ""
        cells = " | ".join(row.texts)
        lines.append(f"  {label}{row.name}: {cells} | {row.change}")
    lines += [f"  {note}" for note in result.notes()]
    lines += [f"Lưu ý: {w}" for w in result.warnings]
    if result.trailer:
        lines.append(f"Lưu ý: {result.trailer_note()}")
    note = result.uncertain_note()
    if note:
        lines.insert(2, f"  {note}")
    lines += near_lines(result)
    unread = result.unread_note()
    if unread:  # the figures lack these rows: said before them, and the rows listed after
        lines.insert(1, f"  {unread}")
        lines += [result.unread_heading()] + [f"  {reported_error(error)}"
                                              for error in result.errors]
        if result.error_count > len(result.errors):
            lines.append(f"  … và {vn_number(result.error_count - len(result.errors))} lỗi khác")
    return "\n".join(lines)


def near_lines(result: Reconciliation) -> list[str]:
    """The pairs made without a code, each with how it was made and the gap (the applicant
    masked, as in the report), the first NEAR_SHOWN of them."""
    table = result.near_table()
    if not table:
        return []
    lines = [f"{result.near_heading()[:-1]}:"]
    for n, ours, theirs, name, procedure, _mine, _other, gap, method in table[:NEAR_SHOWN]:
        lines.append(f"  {n}. {ours} ↔ {theirs} ({name}, thủ tục {procedure}): lệch "
                     f"{vn_number(gap)} phút; {method}")
    if len(table) > NEAR_SHOWN:
        lines.append(f"  … và {vn_number(len(table) - NEAR_SHOWN)} cặp khác (đủ cả trong tệp "
                     "--out .pdf hoặc .xlsx)")
    return lines
