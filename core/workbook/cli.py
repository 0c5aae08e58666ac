"""The readable workbooks from the command line (issue 19):

    export register --from DATE --to DATE [--unit CODE] FILE.xlsx
    export bieu06   --from DATE --to DATE [--unit CODE] [--by unit|field] FILE.xlsx
    export i766     --from DATE --to DATE [--unit CODE] FILE.xlsx

The interchange `export dossiers` etc. of spec 7 stay as they are, for round trips."""
from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from core import stopping
from core.errors import InputError
from core.timefmt import vn_number

FORM_KINDS = {"bieu06": "Biểu 06/VPCP/KSTT", "i766": "bảng chỉ số 766"}
# the kinds of `export` that take a period and a unit (--from/--to/--unit): the readable
# workbooks, and the interchange dossiers (core.transfer.dossier_export.Selection, round 20).
# The one list: the refusal below and the help of `export` (main.py) both read it.
PERIOD_KINDS = ("dossiers", "register", "bieu06", "i766")


def _period(args: argparse.Namespace) -> tuple[dt.date, dt.date]:
    """The period of a readable workbook, checked: both dates, in order, a .xlsx file."""
    from core.pdf.cli import parse_date
    if not (args.date_from and args.date_to):
        raise InputError(f"export {args.kind} cần kỳ: --from NGÀY --to NGÀY "
                         "(YYYY-MM-DD hoặc DD/MM/YYYY).")
    first, last = parse_date(args.date_from, "--from"), parse_date(args.date_to, "--to")
    if first > last:
        raise InputError(f"Ngày bắt đầu {first:%d/%m/%Y} sau ngày kết thúc {last:%d/%m/%Y}.")
    if Path(args.file).suffix.lower() != ".xlsx":
        raise InputError(f"Tệp “{args.file}” phải có đuôi .xlsx.")
    # options of the interchange export that these workbooks have nothing to apply to (no phone
    # or ID column, one layout): refused rather than silently ignored
    unused = [option for option, key in (("--full-data", "full_data"), ("--purpose", "purpose"),
                                         ("--profile", "profile")) if getattr(args, key, None)]
    if unused:
        raise InputError(f"{', '.join(unused)} không dùng với export {args.kind} (tệp không có "
                         "số điện thoại, số định danh và chỉ có một mẫu cột).")
    return first, last


def export_register(args: argparse.Namespace) -> int:
    from core.database import open_database, require_units, resolve_path
    from core.pdf.document import check_writable
    from core.workbook.register import write_register

    start, end = _period(args)
    if getattr(args, "by", None) not in (None, "unit"):
        raise InputError("--by chỉ dùng với export bieu06.")
    check_writable(args.file)
    with heard(args) as ctrl_c:
        db = open_database(resolve_path(args.db), create=False, mode="read")
        try:
            require_units(db)
            count = write_register(db, args.file, start, end, unit=args.unit,
                                   progress=ctrl_c.progress)
        finally:
            db.close()
        print(f"Đã xuất {vn_number(count)} hồ sơ (danh sách hồ sơ tiếp nhận) ra tệp "
              f"{args.file}.")
    return 0


def heard(args: argparse.Namespace):
    """Ctrl+C heard as the window's «Huỷ» (core.stopping): asked between the rows' chunks
    (the forms' steps) and before the finished workbook takes its name; stopped, the file
    written beside it goes (exit 1)."""
    return stopping.heard_as_cancel(f"tệp {args.file} chưa được ghi (tệp cũ cùng tên, nếu "
                                    "có, vẫn như trước)", f"tệp {args.file}")


def export_form(args: argparse.Namespace) -> int:
    from core.database import open_database, require_units, resolve_path
    from core.pdf.document import check_writable
    from core.report_header import header_for
    from core.workbook.bieu06 import save_bieu06
    from core.workbook.i766 import save_i766

    first, last = _period(args)
    by = getattr(args, "by", None) or "unit"
    if args.kind == "i766" and by != "unit":
        raise InputError("Bảng chỉ số 766 chỉ lập theo đơn vị; bỏ --by field.")
    check_writable(args.file)
    with heard(args) as ctrl_c:
        db = open_database(resolve_path(args.db), create=False, mode="read")
        try:
            require_units(db)
            if args.kind == "bieu06":
                path = save_bieu06(db, args.file, first, last, args.unit, by, ctrl_c.progress)
            else:
                path = save_i766(db, args.file, first, last, args.unit, ctrl_c.progress)
            issued = header_for(db, args.unit).note
        finally:
            db.close()
        print(f"Đã xuất {FORM_KINDS[args.kind]} từ {first:%d/%m/%Y} đến {last:%d/%m/%Y} ra tệp "
              f"{path}.")
        print(issued)
    return 0


def refuse_period_options(args: argparse.Namespace) -> None:
    """The interchange export writes every row (dossiers: of a period and a unit, when given;
    core.transfer.dossier_export.Selection): a period, unit or grouping it would silently
    ignore is refused instead."""
    given = [option for option, key in (("--from", "date_from"), ("--to", "date_to"),
                                        ("--unit", "unit"))
             if getattr(args, key, None) and args.kind not in PERIOD_KINDS]
    if getattr(args, "by", None) not in (None, "unit"):
        given.append("--by")
    if given:
        kinds = [kind for kind in PERIOD_KINDS if kind in FORM_KINDS or kind == "register"]
        where = "|".join(kinds if "--by" in given else PERIOD_KINDS)
        raise InputError(f"{', '.join(given)} chỉ dùng với export {where}; export "
                         f"{args.kind} ghi mọi dòng (tệp trao đổi, spec 7).")
