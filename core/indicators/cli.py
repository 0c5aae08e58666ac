"""`kpi`: the indicators as a readable Vietnamese table, or the exact JSON of spec 8."""
from __future__ import annotations

import json
import sys

from core.database import open_database, resolve_path
from core.indicators import check_as_of, compute, gaps766, i766, spec_document
from core.indicators.gaps import gaps
from core.indicators.vocabulary import INDICATORS, KEYS, moment_line, rate_of, target_text
from core.labels import DUE_BASIS_VI, ONLINE_DENOMINATOR_VI, SUPPLEMENT_POLICY_VI
from core.periods import checked_period, parse_moment
from core.timefmt import vn_number, vn_percent
from db import settings

COLUMNS = (
    ("Đơn vị", 28), ("Nhận", 7), ("Tr.tuyến", 8), ("Kỳ trước", 8), ("Đã GQ", 7),
    ("Đúng hạn %", 10), ("Quá hạn", 7), ("Đang GQ", 7), ("Đang QH", 7),
    ("Toàn trình %", 12), ("TT tr.tuyến %", 13), ("Hài lòng %", 10),
)


def command(args) -> int:
    period = checked_period(args.date_from, args.date_to)
    as_of = parse_moment(args.as_of, "Thời điểm --as-of") if getattr(args, "as_of", None) else None
    check_as_of(period, as_of)
    db = open_database(resolve_path(args.db), create=False, mode="read")
    try:
        overrides = {"supplement": args.supplement, "due_basis": args.due_basis,
                     "online_denominator": args.online_denominator}
        doc = compute(db, period.start, period.end, unit=args.unit, policy=overrides, as_of=as_of)
        targets_766 = settings.targets_766_for_year(db, period.end.year)
        given = spec_document(db, doc) if args.json else doc
    finally:
        db.close()
    if args.json:
        json.dump(given, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render_table(doc) + render_766(doc, targets_766))
    return 0


def _cells(name: str, f: dict) -> list[str]:
    return [name, vn_number(f["received"]["total"]), vn_number(f["received"]["online"]),
            vn_number(f["received"]["carried_over"]), vn_number(f["resolved"]["total"]),
            vn_percent(f["on_time_rate"]), vn_number(f["resolved"]["late"]),
            vn_number(f["in_progress"]["total"]), vn_number(f["in_progress"]["overdue"]),
            vn_percent(f["online_full"]["rate"]), vn_percent(f["online_payment"]["rate"]),
            vn_percent(f["satisfaction"]["rate"])]


def _line(cells: list[str], widths: list[int]) -> str:
    """One row of a table: the unit's name left-aligned, every figure right-aligned in its
    column, whole (`widths`: each column as wide as its widest cell, `column_widths`)."""
    parts = [cells[0].ljust(widths[0])]
    parts += [cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True)]
    return " ".join(parts) + "\n"


def column_widths(rows: list[list[str]], columns=COLUMNS) -> list[int]:
    """Each column as wide as its widest cell (or its title, or its usual width): a figure is
    never cut. Cut at the title's width, 1.234.567 dossiers received read
    "1.2345…" and a leader copied a wrong number; a long unit name widens its column the same
    way (a commune merged on 01/07/2025 and named with its history, core.indicators.
    history_names, read "UBND xã Tú Xuyên (đến 30/06…", neither the day nor its successor)."""
    return [max([width, len(title), *(len(row[c]) for row in rows)])
            for c, (title, width) in enumerate(columns)]


def _mark(met) -> str:
    return {True: "đạt", False: "CHƯA ĐẠT", None: "—"}[met]


def _policy(words: dict, code: str) -> str:
    """The settings screen's words, lower case inside the line (core.labels)."""
    word = words.get(code, code)
    return word[:1].lower() + word[1:]


def render_table(doc: dict) -> str:
    p, t = doc["policy"], doc["targets"]
    rows = [_cells(u["name"], u) for u in doc["units"]] + [_cells("TỔNG CỘNG", doc["total"])]
    widths = column_widths(rows)
    rule = _line(["-" * width for width in widths], widths)
    out = [f"CHỈ TIÊU GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH ({i766.FIRST_SET_NAME}) từ {_vn(doc['from'])} "
           f"đến {_vn(doc['to'])}\n",
           _moment_line(doc),
           f"Cách tính: bổ sung: {_policy(SUPPLEMENT_POLICY_VI, p['supplement'])}; hạn: "
           f"{_policy(DUE_BASIS_VI, p['due_basis'])}; mẫu số toàn trình: "
           f"{_policy(ONLINE_DENOMINATOR_VI, p['online_denominator'])}\n\n",
           _line([title for title, _ in COLUMNS], widths),
           rule]
    out += [_line(row, widths) for row in rows[:-1]]
    out.append(rule)
    out.append(_line(rows[-1], widths))
    total = doc["total"]
    out.append(f"\nSo với chỉ tiêu {i766.FIRST_SET_NAME} (toàn phạm vi):\n")
    found = gaps(doc)
    for key in KEYS:
        out.append(f"  {INDICATORS[key].short + ' (' + i766.FIRST_SET_NAME + ')':<33} "
                   f"{vn_percent(rate_of(total, key)):>8}  "
                   f"(chỉ tiêu ≥ {target_text(t[key])})  {_mark(total['meets'][key])}"
                   f"{'' if total['meets'][key] is not False else ': ' + found[key].sentence}\n")
    return "".join(out)


def _moment_line(doc: dict) -> str:
    """When the figures were evaluated; a period not yet over is provisional (spec 5)."""
    return moment_line(doc) + "\n"


def _vn(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{d}/{m}/{y}"


COLUMNS_766 = (("Đơn vị", 28), *((f"{i766.FIGURES[k].code} {i766.COLUMN_TITLES[k]} %", 17)
                                 for k in i766.KEYS))


def render_766(doc: dict, targets: dict[str, float]) -> str:
    """The second set (spec 5.1): one row per unit, then the total against its targets."""
    units = [*doc["units"], {"name": "TỔNG CỘNG", "i766": doc["total"]["i766"]}]
    rows = [[unit["name"]] + [vn_percent(unit["i766"][k]["rate"]) for k in i766.KEYS]
            for unit in units]
    widths = column_widths(rows, COLUMNS_766)
    rule = _line(["-" * width for width in widths], widths)
    out = [f"\n{i766.SET_NAME.upper()} (Quyết định 766/QĐ-TTg; tạm dừng khi chờ bổ sung, "
           f"hạn ban đầu)\n\n", _line([title for title, _ in COLUMNS_766], widths), rule]
    out += [_line(row, widths) for row in rows[:-1]] + [rule, _line(rows[-1], widths)]
    out.append(f"\nSo với chỉ tiêu {i766.SET_NAME} (toàn phạm vi):\n")
    found = gaps766.gaps(doc, targets)  # the words of the dashboard and the monthly report
    for key in i766.KEYS:
        part, figure = doc["total"]["i766"][key], i766.FIGURES[key]
        met = i766.meets(part, targets[key])
        out.append(f"  {figure.code + ' ' + figure.short:<33} {vn_percent(part['rate']):>8}  "
                   f"({vn_number(part['num'])}/{vn_number(part['den'])}; chỉ tiêu ≥ "
                   f"{target_text(targets[key])})  {_mark(met)}"
                   f"{'' if met is not False else ': ' + found[key]}\n")
    return "".join(out)
