"""Mẫu 06 of Circular 03/2025/TT-VPCP Annex I (Mẫu 05 of Circular 01/2018): the control slip
(phiếu kiểm soát quá trình giải quyết hồ sơ) on A4, which travels with the paper file.

Each hand-over is read from the dossier's history (events): who handed the file to whom, when,
and whether that step came before, at or after the dossier's due time. The database keeps no
time share per internal step of a procedure, so every step is judged against the dossier's
effective due time (core.live_due, the one the window shows: the extension and the waits of
the clerk's policy included).
"""
from __future__ import annotations

import datetime as dt

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table

from core import live_due, timefmt
from core.due import classify_finished
from core.labels import CLASS_VI
from core.pdf import blocks
from core.pdf.document import A4_PORTRAIT, render
from core.pdf.form_set import form_set
from core.pdf.slip_data import (
    Event,
    SlipDossier,
    desk_at,
    desk_phrase,
    dossier_events,
    load_dossier,
)
from core.pdf.slip_parts import code_line
from core.pdf.slips import settings_header
from core.pdf.vnformat import clock_date, place_date

SIZE = 12
WIDTH = A4_PORTRAIT.frame_width
DESK, BODY, CITIZEN = "desk", "body", "citizen"
# action -> (who hands the file over, who receives it, what the step is)
HAND_OVERS = {
    "receive": (CITIZEN, DESK, "Tiếp nhận hồ sơ"),
    "start_processing": (DESK, BODY, "Chuyển hồ sơ đến cơ quan giải quyết"),
    "request_supplement": (BODY, DESK, "Yêu cầu bổ sung, hoàn thiện hồ sơ"),
    "receive_supplement": (DESK, BODY, "Chuyển hồ sơ đã bổ sung"),
    "finish": (BODY, DESK, "Chuyển kết quả giải quyết"),
    "reject": (BODY, DESK, "Từ chối giải quyết, trả hồ sơ"),
    "stop": (BODY, DESK, "Dừng giải quyết hồ sơ"),
    "withdraw": (DESK, CITIZEN, "Trả lại hồ sơ do công dân rút"),
    "return_result": (DESK, CITIZEN, "Trả kết quả cho người nộp"),
}


def due_for_steps(db, item: SlipDossier) -> dt.datetime | None:
    """The dossier's due time as the dossier window shows it (None while the clock stops)."""
    return live_due.due_of_dossier(db, item.id, timefmt.now())[1]


def _party(role: str, item: SlipDossier, office: str) -> str:
    return {DESK: desk_at(office, item.unit_name), BODY: item.competent_name or item.unit_name,
            CITIZEN: f"Ông/Bà {item.applicant_name}"}[role]


def _verdict(event: Event, due: dt.datetime | None) -> str:
    if event.action == "receive" or due is None:
        return ""
    return CLASS_VI[classify_finished(event.at, due)]


def _step_rows(n: int, event: Event, item: SlipDossier, office: str, due) -> list[list]:
    giver, taker, what = HAND_OVERS[event.action]
    note = what + (f": {event.reason}" if event.reason else "")
    if event.actor:
        note += f" (ghi nhận: {event.actor})"
    when = f"{event.at:%H} giờ {event.at:%M} phút, ngày {event.at:%d/%m/%Y}"
    return [[f"{n}. Giao: {_party(giver, item, office)}\nNhận: {_party(taker, item, office)}",
             when, _verdict(event, due), note],
            [_signer("Người giao"), _signer("Người nhận"), "", ""]]


def _signer(title: str) -> list:
    """A signature space in a cell: the party, '(Ký, ghi rõ họ tên)', room to sign."""
    return [blocks.para(title, blocks.style(SIZE - 2, bold=True, align="center")),
            blocks.para("(Ký, ghi rõ họ tên)", blocks.style(SIZE - 3, italic=True,
                                                             align="center")),
            Spacer(1, 12 * mm)]


def steps_table(item: SlipDossier, events: list[Event], office: str, due) -> Table:
    widths = [WIDTH * 0.34, WIDTH * 0.2, WIDTH * 0.17, WIDTH * 0.29]
    rows = [["Tên đơn vị", "Thời gian giao, nhận hồ sơ",
             "Kết quả giải quyết hồ sơ (trước hạn/ đúng hạn/ quá hạn)", "Ghi chú"]]
    spans = []
    steps = [e for e in events if e.action in HAND_OVERS]
    for n, event in enumerate(steps, start=1):
        first = len(rows)
        rows += _step_rows(n, event, item, office, due)
        spans.append(((2, first + 1), (3, first + 1)))
    table = blocks.grid(rows, widths, size=SIZE - 2, spans=spans, left_cols=(0, 3))
    table.setStyle(blocks.table_style(
        [("VALIGN", (0, r), (1, r), "TOP") for r in range(2, len(rows), 2)]
        + [("LINEBELOW", (0, r), (-1, r), 1.2, colors.black) for r in range(2, len(rows), 2)]))
    return table


def control_story(item: SlipDossier, header: dict, events: list[Event], due, issued,
                  extended: dt.datetime | None = None) -> list:
    office = desk_phrase(header)
    forms = form_set(item.received_at)
    lines = [f"Cơ quan (bộ phận) giải quyết hồ sơ: {item.competent_name or item.unit_name}",
             "Cơ quan phối hợp giải quyết hồ sơ: ",
             f"Ngày nhận: {clock_date(item.received_at)}",
             f"Hẹn trả kết quả vào {clock_date(item.due_at)}"]
    if extended is not None:
        lines.append(f"Hẹn lại ngày trả kết quả (gia hạn): {clock_date(extended)}")
    if due is not None and due not in (item.due_at, extended):
        lines.append(f"Hạn dùng để đánh giá từng bước (theo cách tính hạn đã cài đặt): "
                     f"{clock_date(due)}")
    st = blocks.style(SIZE, after=2)
    return [blocks.header_block(header.get("agency", ""), header.get("office", ""), None,
                                place_date(header.get("place", ""), issued), WIDTH),
            *blocks.title_block(forms.titles["control"], None, WIDTH, size=13),
            code_line(item.code, WIDTH, SIZE + 1, label="Mã số hồ sơ: ", align="left"),
            *[blocks.para(text, st) for text in lines], Spacer(1, 2 * mm),
            steps_table(item, events, office, due),
            blocks.para("Ghi chú: Kết quả giải quyết hồ sơ do bên nhận ghi khi nhận bàn giao hồ sơ; "
                        "mỗi bước được so với hạn giải quyết của hồ sơ.",
                        blocks.style(SIZE - 2, italic=True))]


def build_control(db, code: str, draft: bool = False) -> bytes:
    """Mẫu 06 for dossier `code` (InputError when there is no such dossier)."""
    item = load_dossier(db, code)
    events = dossier_events(db, item)
    row = db.execute("SELECT new_due_at FROM extensions WHERE dossier_id = ?",
                     [item.id]).fetchone()
    story = control_story(item, settings_header(db, item.unit_code), events,
                          due_for_steps(db, item), item.received_at.date(),
                          timefmt.parse_db_time(row[0]) if row else None)
    title = form_set(item.received_at).titles["control"]
    return render(story, A4_PORTRAIT, title=f"{title} {item.code}", draft=draft)
