"""What stands behind the dashboard's figures: the gap to each target and the dossiers counted.

The gap is exact arithmetic on the period's counts (Fractions, like core.indicators): adding k
dossiers that count in both numerator and denominator moves n/d to (n+k)/(d+k), so reaching
target t needs the least k with (n+k)/(d+k) >= t. The month-end projection extends the
denominator at the pace of the days elapsed so far.
"""
from __future__ import annotations

import datetime as dt
import math
from fractions import Fraction

from PySide6.QtWidgets import QDialog, QVBoxLayout

from core import indicators
from core.periods import Period
from core.timefmt import vn_number, vn_percent
from gui.dashboard.cards import INDICATORS, numbers_of

CAN_DRILL = hasattr(indicators, "dossiers_behind")  # the core function lands separately
WHAT_MORE = {"on_time": "hồ sơ giải quyết đúng hạn", "online_full": "hồ sơ trực tuyến toàn trình",
             "online_payment": "hồ sơ thanh toán trực tuyến", "satisfaction": "phiếu hài lòng"}


def needed(numerator: int, denominator: int, target: float) -> int:
    """Least k >= 0 with (n + k) / (d + k) >= t (k items counting in both)."""
    t = Fraction(str(target))
    if denominator and Fraction(numerator, denominator) >= t:
        return 0
    if t >= 1:
        return 0 if numerator == denominator else -1  # -1: 100% cannot be reached any more
    return max(0, math.ceil((t * denominator - numerator) / (1 - t)))


def gap_sentence(key: str, numerator: int, denominator: int, target: float) -> str:
    k = needed(numerator, denominator, target)
    if denominator == 0:
        return "Chưa có số liệu trong kỳ."
    if k == 0:
        return "Đã đạt chỉ tiêu."
    if k < 0:
        return f"Không thể đạt {vn_percent(target, 0)} trong kỳ này."
    return f"Cần thêm {vn_number(k)} {WHAT_MORE[key]} để đạt {vn_percent(target, 0)}."


def projection_sentence(key: str, numerator: int, denominator: int, target: float,
                        period: Period, today: dt.date) -> str:
    """At the current pace, what the period's end will need (only while the period runs)."""
    if not (period.start <= today <= period.end) or denominator == 0:
        return ""
    elapsed = (today - period.start).days + 1
    length = (period.end - period.start).days + 1
    expected = math.ceil(denominator * length / elapsed)
    wanted = math.ceil(Fraction(str(target)) * expected)
    more = max(0, wanted - numerator)
    return (f"Dự kiến cuối kỳ khoảng {vn_number(expected)} hồ sơ/phiếu; cần tổng "
            f"{vn_number(wanted)} (còn thiếu {vn_number(more)}).")


def gap_sentences(db, result: dict, period: Period, today: dt.date | None = None) -> dict:
    today = today or dt.date.today()
    total, targets = result["total"], result["targets"]
    denominator_kind = result["policy"]["online_denominator"]
    out = {}
    for key in INDICATORS:
        n, d = numbers_of(total, key, denominator_kind)
        out[key] = (gap_sentence(key, n, d, targets[key]),
                    projection_sentence(key, n, d, targets[key], period, today))
    return out


def dossier_ids(db, figure: str, period: Period, unit: str | None) -> list[int]:
    """Dossiers behind a figure; "a+b" joins two figures (early + on time)."""
    ids: list[int] = []
    for part in figure.split("+"):
        ids += indicators.dossiers_behind(db, part, period.start, period.end, unit=unit)
    return sorted(set(ids))


def show_dossiers_behind(parent, db, figure: str, period: Period, unit: str | None) -> QDialog:
    from gui.dossiers.register_view import RegisterScreen
    ids = dossier_ids(db, figure, period, unit)
    dialog = QDialog(parent)
    dialog.setWindowTitle(f"Hồ sơ của chỉ số “{figure}” — {period.label()}")
    dialog.resize(1200, 600)
    screen = RegisterScreen(db, dialog, fixed_ids=ids)
    QVBoxLayout(dialog).addWidget(screen)
    screen.refresh()
    dialog.show()
    return dialog
