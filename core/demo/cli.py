"""`python main.py [--db PATH] demo [--dossiers N] [--seed S] [--today YYYY-MM-DD]` (spec 6).

Without --db the demo is written to its own file (core.paths.demo_db_path), marked as demo.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from core import limits, paths, stopping
from core.database import open_database
from core.errors import InputError
from core.timefmt import vn_date, vn_number


def parse_today(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"Ngày --today không hợp lệ: {text!r} (cần dạng YYYY-MM-DD, "
                         "ví dụ 2026-05-31).") from None
    limits.check_year(day, "Ngày --today")
    return day


class ProgressPrinter:
    """Prints a short line at every tenth of the work."""

    def __init__(self, out=None):
        self.out, self.shown = out, -1

    def __call__(self, done: int, total: int) -> bool:
        tenth = done * 10 // max(total, 1)
        if tenth > self.shown:
            self.shown = tenth
            print(f"  {tenth * 10}% ({vn_number(min(done, total))}/{vn_number(total)})",
                  file=self.out or sys.stdout, flush=True)
        return True


def run(args: argparse.Namespace) -> int:
    """The demo, Ctrl+C heard as the window's «Huỷ» (core.stopping): asked after every chunk
    and before the COMMIT; stopped there, the demo's transaction rolls back (exit 1)."""
    from core import demo

    today = parse_today(getattr(args, "today", None))
    demo.check_arguments(args.dossiers, args.seed)  # before a database file is created
    # without --db the demo gets its own file, never the office's real database (issue 14)
    path = Path(args.db) if args.db else paths.demo_db_path()
    with stopping.heard_as_cancel(f"dữ liệu mẫu chưa được tạo, không hồ sơ nào được ghi vào "
                                  f"{path}", "dữ liệu mẫu") as ctrl_c:
        db = open_database(path)
        try:
            demo.refuse_if_filled(db)
            print(f"Đang tạo {vn_number(args.dossiers)} hồ sơ mẫu (hạt giống {args.seed}) vào "
                  f"{path} …", flush=True)
            summary = demo.generate(db, dossiers=args.dossiers, seed=args.seed, today=today,
                                    progress=ctrl_c.along(ProgressPrinter()))
        finally:
            db.close()
        print(f"Xong: {summary.units} đơn vị, {summary.procedures} thủ tục, "
              f"{vn_number(summary.dossiers)} hồ sơ từ {vn_date(summary.first_day)} đến "
              f"{vn_date(summary.last_day)}, trong {summary.seconds:.0f} giây.")
    return 0
