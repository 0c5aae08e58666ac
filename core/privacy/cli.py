"""`privacy log|retention|find|export|breach` on the command line (docs/privacy.md). The command
line acts for the operating-system user (every right); what it reads is logged the same way."""
from __future__ import annotations

import argparse
import datetime as dt
import sys

from core import stopping, timefmt
from core.database import open_database, resolve_path
from core.errors import InputError
from core.periods import parse_date
from core.privacy import access, subject
from core.privacy import breach as breaches
from core.privacy import retention as keeping
from core.privacy.masking import full_pass


def _open(args: argparse.Namespace):
    return open_database(resolve_path(args.db), create=False)


def _period(args: argparse.Namespace):
    return parse_date(args.date_from, "--from"), parse_date(args.date_to, "--to")


def log(args: argparse.Namespace) -> int:
    start, end = _period(args)
    db = _open(args)
    try:
        entries = access.read(db, start, end, args.account, args.code)
    finally:
        db.close()
    for e in entries:
        print("\t".join([timefmt.vn_datetime(timefmt.parse_db_time(e.at)), e.actor, e.action_vi,
                         e.dossier_code or "", e.purpose or "", access.details_vi(e.details)]))
    print(f"{timefmt.vn_number(len(entries))} lượt truy cập.", file=sys.stderr)
    return 0


def retention(args: argparse.Namespace) -> int:
    db = _open(args)
    try:
        plan = keeping.plan(db)
        if args.dry_run or not plan.due:
            state = "đang bật" if plan.enabled else "chưa bật"
            print(f"Thời hạn lưu giữ {plan.years} năm ({state}): {timefmt.vn_number(plan.due)} hồ "
                  f"sơ trả trước ngày {timefmt.vn_date(plan.cutoff)} cần ẩn danh.")
            print(f"Căn cứ: {keeping.BASIS_VI}")
            return 0
        done = keeping.anonymise(db)
    finally:
        db.close()
    print(f"Đã ẩn danh dữ liệu cá nhân của {timefmt.vn_number(done)} hồ sơ.")
    return 0


def _found(db, args: argparse.Namespace):
    return subject.find(db, id_no=args.id_no, phone=args.phone, name=args.name)


def find(args: argparse.Namespace) -> int:
    db = _open(args)
    try:
        found = _found(db, args)
    finally:
        db.close()
    for item in found:  # the administrator's own screen: masked like any list
        print("\t".join("" if v is None else str(v) for v in item.cells(None)[:8]))
    print(f"{timefmt.vn_number(len(found))} hồ sơ.", file=sys.stderr)
    return 0


def _heard(args: argparse.Namespace):
    """Ctrl+C heard as the window's «Huỷ» (core.stopping): while the people are looked up and
    the file drawn it stops at once; once the file is written it is asked before the COMMIT of
    its access rows (documents.write_logged); stopped, neither the file nor a row is left."""
    return stopping.heard_as_cancel(f"tệp {args.out} chưa được ghi, nhật ký truy cập không đổi",
                                    f"tệp {args.out} và nhật ký truy cập của nó", reading=True)


def _before_commit(ctrl_c: stopping.CtrlC):
    """From the written file on, Ctrl+C is only a flag, asked once before the COMMIT."""
    def asked(done: int, total: int) -> bool:
        ctrl_c.writing()
        return ctrl_c.progress(done, total)
    return asked


def export(args: argparse.Namespace) -> int:
    full = full_pass(args)
    with _heard(args) as ctrl_c:
        db = _open(args)
        try:
            found = _found(db, args)
            if not found:
                raise InputError("Không có hồ sơ nào của người này: không ghi tệp.")
            path = subject.export(db, found, args.out, full, _before_commit(ctrl_c))
        finally:
            db.close()
        print(f"Đã ghi {timefmt.vn_number(len(found))} hồ sơ vào {path}.")
    return 0


def _moment(text: str):
    try:
        return dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"--discovered không hợp lệ: {text!r} (cần YYYY-MM-DD HH:MM).") from None


def breach(args: argparse.Namespace) -> int:
    start, end = _period(args)
    full = full_pass(args)
    discovered = _moment(args.discovered) if args.discovered else timefmt.now()
    with _heard(args) as ctrl_c:
        db = _open(args)
        try:
            found = breaches.census(db, start, end, args.unit)
            path = breaches.write_kit(db, found, args.out, discovered, full,
                                      _before_commit(ctrl_c))
        finally:
            db.close()
        print(f"{timefmt.vn_number(len(found.people))} người, "
              f"{timefmt.vn_number(found.dossiers)} hồ sơ. Đã ghi dự thảo thông báo và danh "
              f"sách vào {path}.")
    return 0
