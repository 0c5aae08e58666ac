"""`export bieu06|i766 --from DATE --to DATE [--unit CODE] [--by unit|field] FILE.xlsx`: the
printable form workbooks (core.workbook.bieu06, core.workbook.i766) from the command line."""
from __future__ import annotations

import argparse
from pathlib import Path

from core.errors import InputError

FORM_KINDS = {"bieu06": "Biểu 06/VPCP/KSTT", "i766": "bảng chỉ số 766"}


def _dates(args: argparse.Namespace):
    from core.pdf.cli import parse_date
    if not args.date_from or not args.date_to:
        raise InputError(f"Xuất {FORM_KINDS[args.kind]} cần kỳ báo cáo: --from NGÀY --to NGÀY "
                         "(YYYY-MM-DD hoặc DD/MM/YYYY).")
    first, last = parse_date(args.date_from, "--from"), parse_date(args.date_to, "--to")
    if first > last:
        raise InputError(f"Ngày bắt đầu {first:%d/%m/%Y} sau ngày kết thúc {last:%d/%m/%Y}.")
    return first, last


def export_form(args: argparse.Namespace) -> int:
    from core.database import open_database, require_units, resolve_path
    from core.pdf.document import check_writable
    from core.workbook.bieu06 import save_bieu06
    from core.workbook.i766 import save_i766

    if Path(args.file).suffix.lower() != ".xlsx":
        raise InputError(f"Tệp {Path(args.file).name} phải có đuôi .xlsx.")
    first, last = _dates(args)
    by = getattr(args, "by", None) or "unit"
    if args.kind == "i766" and by != "unit":
        raise InputError("Bảng chỉ số 766 chỉ lập theo đơn vị; bỏ --by field.")
    check_writable(args.file)
    db = open_database(resolve_path(args.db), create=False, mode="read")
    try:
        require_units(db)
        if args.kind == "bieu06":
            path = save_bieu06(db, args.file, first, last, args.unit, by)
        else:
            path = save_i766(db, args.file, first, last, args.unit)
    finally:
        db.close()
    print(f"Đã xuất {FORM_KINDS[args.kind]} từ {first:%d/%m/%Y} đến {last:%d/%m/%Y} ra tệp {path}.")
    return 0
