"""The texts of the dossier window: times, one history cell, the competent unit, and the room a
wrapped value needs (gui.dossiers.detail lays them out)."""
from __future__ import annotations

from PySide6.QtWidgets import QLabel

from core import complaints, components, kiosk, timefmt
from core.dossiers import CORRECTABLE
from core.labels import COMPLAINT_CHANNEL_VI, UnitLabel
from core.limits import clip
from db import stored_json
from gui import shown
from gui.dossiers import actions


def when(text: str | None) -> str:
    return timefmt.vn_datetime(timefmt.parse_db_time(text)) if text else ""


DIGITISED_VI = {"digitised": "Thành phần hồ sơ", "result_digitised": "Kết quả"}


def event_details(action: str, reason: str | None, details: str | None) -> str:
    parts = [reason] if reason else []
    data = stored_json.object_of(details)  # (edited by SQL into no object: shown without)
    if action == "correct" and data:
        label = CORRECTABLE.get(data.get("field"), data.get("field"))
        parts.append(f"{label}: “{data.get('old') or ''}” → “{data.get('new') or ''}”")
    elif action == "payment" and data:
        parts.append(f"{timefmt.vn_money(data.get('amount', 0))}, "
                     f"{actions.METHOD_VI.get(data.get('method'), data.get('method'))}")
    elif action == "cancel_payment" and data:
        parts.append(f"{timefmt.vn_money(data.get('amount', 0))}, "
                     f"{actions.METHOD_VI.get(data.get('method'), data.get('method'))}, "
                     f"thu lúc {when(data.get('paid_at'))}")
    elif action == "cancel_vote" and data:
        parts.append(f"{kiosk.RATING_LABELS.get(data.get('rating'), '')}, "
                     f"đánh giá lúc {when(data.get('voted_at'))}")
    elif action == "request_supplement" and data.get("components"):
        parts.append("; ".join(f"{c['name']} ({components.PROBLEM_VI[c['problem']].lower()}"
                               + (f": {c['note']}" if c.get("note") else "") + ")"
                               for c in data["components"]))
    elif action == "digitise" and data:
        marks = [(d["name"], d["digitised"]) for d in data.get("documents", [])]
        marks += [(DIGITISED_VI[k], data[k]) for k in DIGITISED_VI if k in data]
        parts.append("; ".join(f"{name}: {'đã số hóa' if flag else 'chưa số hóa'}"
                               for name, flag in marks))
    elif action in COMPLAINT_ACTIONS and data:
        parts += complaint_details(action, data)
    elif action == "extend" and data:
        parts.append(f"hẹn mới {when(data.get('new_due_at'))}")
    return " — ".join(p for p in parts if p)


COMPLAINT_ACTIONS = (complaints.RECORDED, complaints.RESOLVED, complaints.CANCELLED)


def complaint_details(action: str, data: dict) -> list[str]:
    """A complaint's change as its history line tells it, and the file it came by, if any."""
    if action == complaints.RECORDED:
        parts = [f"{COMPLAINT_CHANNEL_VI.get(data.get('channel'), '')}, nhận lúc "
                 f"{when(data.get('received_at'))}"]
    elif action == complaints.RESOLVED:
        parts = [f"giải quyết lúc {when(data.get('resolved_at'))}" if data.get("resolved_at")
                 else ""]
    else:
        parts = [data.get("reason") or ""]
    if data.get("source"):
        parts.append(f"theo tệp {data['source']}")
    return parts


def clear_layout(layout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item.widget():
            item.widget().deleteLater()
        elif item.layout():
            clear_layout(item.layout())


WIDE_FIELDS = ("Thủ tục", "Đơn vị", "Địa chỉ", "Đánh giá", "Ghi chú")
PER_LINE = 3  # short fields on one line
MAX_LINES = 3


def reserve_lines(label: QLabel, width: float) -> None:
    """Keep the lines a wrapped value needs at about `width` px: a dialog squeezed to a 728-px
    screen gave a two-line procedure name one line's height and cut both lines (and the unit's
    code) in half; Qt's layouts do not ask a label's height for its width in a dialog. Past
    MAX_LINES the value is cut; its tooltip holds it whole."""
    metrics = label.fontMetrics()
    lines = max(1, -(-metrics.horizontalAdvance(label.text()) * 11 // 10 // max(int(width), 1)))
    if lines > 1:
        label.setMinimumHeight(metrics.lineSpacing() * min(lines, MAX_LINES) + 2)
    if lines > MAX_LINES:
        label.setToolTip(shown.tip(label.text()))


def unit_text(d: dict) -> str:
    """The receiving unit and, when another resolves the dossier (spec 1), that unit, with
    their codes: the register's words (core.labels.UnitLabel)."""
    return UnitLabel.coded(clip(d["unit_name"], "name"), d["unit_code"],
                           clip(d["competent_name"], "name"), d["competent_unit_code"]).text
