"""The PDF commands of spec 6: `report monthly`, `report book`, `slip KIND CODE` (Annex I forms).

Each checks its input first (exit 2 with a Vietnamese message), checks that the output can be
written before any long work (exit 1), then writes the file atomically.
"""
from __future__ import annotations

import argparse
import datetime as dt

from core import stopping
from core.errors import InputError
from core.pdf.document import check_writable, write_atomic


def parse_date(text: str, option: str) -> dt.date:
    """YYYY-MM-DD or DD/MM/YYYY, as the import files accept (spec 7), by the one rule of typed
    days (core.typed_dates)."""
    from core.typed_dates import parse_day

    return parse_day(text, f"Ngày ở tham số {option}", quote=True)


def _open(args: argparse.Namespace):
    from core.database import open_database, require_units, resolve_path

    db = open_database(resolve_path(args.db), create=False, mode="read")
    require_units(db)
    return db


def check_pdf_out(path: str, hint: str = "") -> None:
    """A PDF command writes a PDF: `--out bao-cao.xlsx` wrote PDF bytes under a workbook's name
    and said "Đã ghi … vào bao-cao.xlsx" (a leader sent it on; Excel would not open it). Refused
    before any work (exit 2), once it is known writable (exit 1 otherwise)."""
    target = check_writable(path)  # a folder or a missing one: said as such first
    if target.suffix.lower() != ".pdf":
        raise InputError(f"Tệp “{path}” phải có đuôi .pdf (lệnh này ghi tệp PDF).{hint}")


def _finish(args: argparse.Namespace, data: bytes, what: str, ctrl_c: stopping.CtrlC) -> int:
    ctrl_c.writing()
    path = write_atomic(args.out, data, ctrl_c.progress)
    print(f"Đã ghi {what} vào {path}.")
    return 0


def heard(args: argparse.Namespace):
    """Ctrl+C heard as the window's «Huỷ» (core.stopping): while the PDF is drawn in memory
    (reading only, asking nothing) it stops at once; then the PDF is written beside its name
    and Ctrl+C asked once more before it takes the name; stopped, no file is left (exit 1)."""
    return stopping.heard_as_cancel(f"tệp {args.out} chưa được ghi (tệp cũ cùng tên, nếu có, "
                                    "vẫn như trước)", f"tệp {args.out}", reading=True)


def report_monthly(args: argparse.Namespace) -> int:
    from core.indicators import check_as_of
    from core.pdf.monthly import build_monthly
    from core.periods import month_period, parse_moment
    from core.report_header import header_for

    period = month_period(args.month, getattr(args, "period", None) or "calendar")
    text = getattr(args, "as_of", None)
    as_of = parse_moment(text, "Thời điểm --as-of") if text else None
    check_as_of(period, as_of)
    check_pdf_out(args.out, " Biểu 06 dạng Excel: export bieu06 --from NGÀY --to NGÀY TỆP.xlsx.")
    with heard(args) as ctrl_c:
        db = _open(args)
        try:
            data = build_monthly(db, period, unit=args.unit, as_of=as_of,
                                 by=getattr(args, "by", None) or "unit")
            issued = header_for(db, args.unit).note
        finally:
            db.close()
        done = _finish(args, data, f"báo cáo {period.phrase()}", ctrl_c)
        print(issued)  # whose header and signer: the office's, the unit's, or made from its name
    return done


def report_book(args: argparse.Namespace) -> int:
    from core.pdf.book import gather, save_book
    from core.privacy.masking import full_pass
    from core.report_header import header_for

    start, end = parse_date(args.date_from, "--from"), parse_date(args.date_to, "--to")
    if start > end:
        raise InputError(f"Ngày bắt đầu {start:%d/%m/%Y} sau ngày kết thúc {end:%d/%m/%Y}.")
    check_pdf_out(args.out, " Danh sách hồ sơ dạng Excel: export register --from NGÀY --to NGÀY "
                            "TỆP.xlsx.")
    full = full_pass(args)
    with heard(args) as ctrl_c:
        db = _open(args)
        try:
            # drawn page by page straight into the file (a month may hold 20,000 dossiers),
            # Ctrl+C asked after every page
            ctrl_c.writing()
            path = save_book(db, gather(db, start, end, unit=args.unit, full=full), args.out,
                             progress=ctrl_c.progress)
            issued = header_for(db, args.unit).note
        finally:
            db.close()
        print(f"Đã ghi sổ theo dõi hồ sơ vào {path}.")
        print(issued)
    return 0


SLIP_WHAT = {"receipt": "giấy tiếp nhận", "supplement": "phiếu yêu cầu bổ sung",
             "refusal": "phiếu từ chối", "apology": "phiếu xin lỗi và đề nghị gia hạn",
             "stop": "thông báo dừng giải quyết", "control": "phiếu kiểm soát"}


def slip(args: argparse.Namespace) -> int:
    """One form of Annex I for one dossier; exit 2 when the dossier's status has no such form."""
    import sys

    from core.pdf import dossier_forms

    check_pdf_out(args.out)
    with heard(args) as ctrl_c:
        db = _open(args)
        try:
            dossier_forms.check(db, args.slip_kind, args.code)
            notes = dossier_forms.warnings(db, args.slip_kind, args.code)
            data = dossier_forms.build(db, args.slip_kind, args.code)
        finally:
            db.close()
        for note in notes:
            print(note, file=sys.stderr)
        return _finish(args, data, f"{SLIP_WHAT[args.slip_kind]} của hồ sơ {args.code.strip()}",
                       ctrl_c)
