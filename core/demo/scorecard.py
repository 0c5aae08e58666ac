"""What the demo records for the 766 scorecard (spec 5.1): digitised documents and results,
and complaints (phản ánh, kiến nghị) tied to dossiers.

Drawn from a generator of their own (seeded by the run and the chunk), so adding them leaves
every other demo value as it was. Shares follow what provinces report in 2025–2026: documents
handed in on paper are scanned more and more through the period, online ones are born digital;
a result issued electronically is digital, a paper one is scanned most of the time; a few
complaints a month per unit, more often about late dossiers, most answered within days.
"""
from __future__ import annotations

import datetime as dt
import random

from core.moment import RESOLVED

CHANNELS = ("direct", "phone", "written", "online", "email")
CHANNEL_WEIGHTS = (30, 25, 10, 30, 5)
TEXTS = (
    "Phản ánh chậm trả kết quả so với giấy hẹn",
    "Kiến nghị hướng dẫn rõ thành phần hồ sơ ngay từ lần đầu",
    "Phản ánh phải bổ sung hồ sơ nhiều lần",
    "Phản ánh thái độ tiếp đón chưa niềm nở",
    "Kiến nghị bố trí thêm quầy tiếp nhận buổi sáng",
    "Phản ánh không nhận được tin nhắn báo kết quả",
)
ANSWERS = (
    "Đã xin lỗi công dân và trả kết quả ngay trong ngày",
    "Đã hướng dẫn lại thành phần hồ sơ, công dân đồng ý",
    "Đã nhắc nhở công chức tiếp nhận, rút kinh nghiệm",
    "Đã giải thích quy trình, công dân chấp nhận",
)
COMPLAINT_SQL = ("INSERT INTO complaints(dossier_id, unit_code, received_at, channel, content, "
                 "resolution, resolved_at, actor) VALUES (?,?,?,?,?,?,?,?)")


def documents_digitised(rng: random.Random, channel: str, progress: float) -> int:
    """1 when the documents handed in were digitised (the dossier's own flag: the demo keeps
    no document list). From about 70% to 92% on paper through the period; online: 98%."""
    chance = 0.98 if channel == "online" else 0.70 + 0.22 * progress
    return int(rng.random() < chance)


def result_digitised(rng: random.Random, status: str, e_result: int) -> int:
    """1 when a resolved dossier's result was digitised (an electronic one always is)."""
    if status not in RESOLVED:
        return 0
    return int(bool(e_result) or rng.random() < 0.80)


def complaint(rng: random.Random, dossier_id: int, unit_code: str, status: str,
              finished: dt.datetime | None, late: bool, now: dt.datetime,
              clerk: str) -> tuple | None:
    """A complaint about a resolved dossier, some days after it closed (or None): about 1 in
    60 of late dossiers and 1 in 400 of the others; most answered, a few still open."""
    if status not in RESOLVED or finished is None:
        return None
    if rng.random() >= (1 / 60 if late else 1 / 400):
        return None
    received = finished + dt.timedelta(hours=rng.randint(2, 24 * 6))
    if received > now:
        return None
    channel = rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0]
    answered = received + dt.timedelta(hours=rng.randint(4, 24 * 10))
    if answered > now or rng.random() < 0.15:
        return (dossier_id, unit_code, str(received), channel, rng.choice(TEXTS), None, None,
                clerk)
    return (dossier_id, unit_code, str(received), channel, rng.choice(TEXTS),
            rng.choice(ANSWERS), str(answered), clerk)
