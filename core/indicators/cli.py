"""`kpi`: the indicators as a readable Vietnamese table, or the exact JSON of spec 8."""
from __future__ import annotations

import json
import sys

from core.database import open_database, resolve_path
from core.indicators import compute
from core.periods import checked_period
from core.timefmt import vn_number, vn_percent

COLUMNS = (
    ("Đơn vị", 28), ("Nhận", 7), ("Tr.tuyến", 8), ("Kỳ trước", 8), ("Đã GQ", 7),
    ("Đúng hạn %", 10), ("Quá hạn", 7), ("Đang GQ", 7), ("Đang QH", 7),
    ("Toàn trình %", 12), ("TT tr.tuyến %", 13), ("Hài lòng %", 10),
)


def command(args) -> int:
    period = checked_period(args.date_from, args.date_to)
    db = open_database(resolve_path(args.db), create=False, mode="read")
    try:
        overrides = {"supplement": args.supplement, "due_basis": args.due_basis,
                     "online_denominator": args.online_denominator}
        doc = compute(db, period.start, period.end, unit=args.unit, policy=overrides)
    finally:
        db.close()
    if args.json:
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render_table(doc))
    return 0


def _cells(name: str, f: dict) -> list[str]:
    return [name, vn_number(f["received"]["total"]), vn_number(f["received"]["online"]),
            vn_number(f["received"]["carried_over"]), vn_number(f["resolved"]["total"]),
            vn_percent(f["on_time_rate"]), vn_number(f["resolved"]["late"]),
            vn_number(f["in_progress"]["total"]), vn_number(f["in_progress"]["overdue"]),
            vn_percent(f["online_full"]["rate"]), vn_percent(f["online_payment"]["rate"]),
            vn_percent(f["satisfaction"]["rate"])]


def _line(cells: list[str]) -> str:
    parts = []
    for (title, width), cell in zip(COLUMNS, cells):
        cell = cell if len(cell) <= width else cell[:width - 1] + "…"
        parts.append(cell.ljust(width) if title == "Đơn vị" else cell.rjust(width))
    return " ".join(parts) + "\n"


def _mark(met) -> str:
    return {True: "đạt", False: "CHƯA ĐẠT", None: "—"}[met]


def render_table(doc: dict) -> str:
    p, t = doc["policy"], doc["targets"]
    out = [f"CHỈ TIÊU GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH từ {_vn(doc['from'])} đến {_vn(doc['to'])}\n",
           f"Cách tính: bổ sung = {p['supplement']}, hạn = {p['due_basis']}, "
           f"mẫu số toàn trình = {p['online_denominator']}\n\n",
           _line([title for title, _ in COLUMNS]),
           _line(["-" * width for _, width in COLUMNS])]
    out += [_line(_cells(u["name"], u)) for u in doc["units"]]
    out.append(_line(["-" * width for _, width in COLUMNS]))
    out.append(_line(_cells("TỔNG CỘNG", doc["total"])))
    total = doc["total"]
    out.append("\nSo với chỉ tiêu (toàn phạm vi):\n")
    for key, label, value in (
            ("on_time", "Trước hạn và đúng hạn", total["on_time_rate"]),
            ("online_full", "Hồ sơ trực tuyến toàn trình", total["online_full"]["rate"]),
            ("online_payment", "Thanh toán trực tuyến", total["online_payment"]["rate"]),
            ("satisfaction", "Hài lòng", total["satisfaction"]["rate"])):
        out.append(f"  {label:<30} {vn_percent(value):>8}  (chỉ tiêu ≥ {vn_percent(t[key], 0)})"
                   f"  {_mark(total['meets'][key])}\n")
    return "".join(out)


def _vn(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{d}/{m}/{y}"
