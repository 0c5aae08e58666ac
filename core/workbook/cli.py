"""`export register --from --to [--unit] FILE.xlsx`: the register as a workbook people read
(the interchange `export dossiers` of spec 7 stays as it is, for round trips)."""
from __future__ import annotations

import argparse

from core.errors import InputError
from core.timefmt import vn_number


def export_register(args: argparse.Namespace) -> int:
    from core.database import open_database, require_units, resolve_path
    from core.pdf.cli import parse_date
    from core.pdf.document import check_writable
    from core.workbook.register import write_register

    if not (args.date_from and args.date_to):
        raise InputError("export register cần --from NGÀY và --to NGÀY (YYYY-MM-DD).")
    start, end = parse_date(args.date_from, "--from"), parse_date(args.date_to, "--to")
    if not args.file.lower().endswith(".xlsx"):
        raise InputError(f"Tệp “{args.file}” phải có đuôi .xlsx.")
    check_writable(args.file)
    db = open_database(resolve_path(args.db), create=False, mode="read")
    try:
        require_units(db)
        count = write_register(db, args.file, start, end, unit=args.unit)
    finally:
        db.close()
    print(f"Đã xuất {vn_number(count)} hồ sơ (danh sách hồ sơ tiếp nhận) ra tệp {args.file}.")
    return 0


def refuse_period_options(args: argparse.Namespace) -> None:
    """The interchange export writes every row: a period or unit given to it would be silently
    ignored, so it is refused instead."""
    given = [option for option, key in (("--from", "date_from"), ("--to", "date_to"),
                                        ("--unit", "unit")) if getattr(args, key, None)]
    if given:
        raise InputError(f"{', '.join(given)} chỉ dùng với export register; export {args.kind} "
                         "ghi mọi dòng (tệp trao đổi, spec 7).")
