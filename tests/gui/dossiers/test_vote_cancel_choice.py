"""A dossier an older program's exchange left with two live votes (issue 16): its window says
so, and «Huỷ phiếu đánh giá…» cancels the vote the clerk picks — never the one the SQL returned
first, which could be the citizen's own — after which `check` is clean.
"""
from __future__ import annotations

import datetime as dt
import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from core import actor_names, facts, votes
from core.indicators import compute
from core.maintenance import check
from db import ledger
from db.connection import transaction
from gui.dossiers.detail import DossierDialog
from tests.gui.clicks import click
from tests.gui.conftest import NOW

JUNE = (dt.date(2025, 6, 1), dt.date(2025, 6, 30))
SENDER = "c3cd08e7-5a1b-4f7e-9d1e-2b8f6a4c0d11"
PACKAGE = "X01-20250610-c3cd08e7.motcua"


def two_live_votes(db, dossier_id: int) -> tuple[int, int]:
    """The citizen's vote taken at the desk, then another citizen's as an older program's
    `--clashes theirs` + reopen wrote it: straight into the table, by a package's merge."""
    own = votes.add_vote(db, unit_code="X01", rating="satisfied", dossier_id=dossier_id,
                         voted_at=dt.datetime(2025, 6, 4, 8, 10))
    with transaction(db) as conn:
        before = actor_names.maxima(conn)
        conn.execute("INSERT INTO votes(unit_code, voted_at, rating, dossier_id, comment, source, "
                     "actor) VALUES ('X01', '2025-06-04 09:20:00', 'dissatisfied', ?, "
                     "'Chờ lâu quá', 'kiosk', 'canbo1')", [dossier_id])
        other = conn.execute("SELECT MAX(id) FROM votes").fetchone()[0]
        ledger.added(conn, "votes", "id = ?", [other])
        facts.count_vote(conn, "X01", "2025-06-04 09:20:00", "dissatisfied")
        actor_names.record_origin(conn, {"installation": {"id": SENDER},
                                         "actor_names": {"canbo1": "Lê Thị Hoa"}},
                                  PACKAGE, before, [], "2025-06-10 16:00:00",
                                  {"status": "unsigned"})
    facts.refresh(db, [dossier_id])  # as the merge computed its facts again
    return own, other


def open_detail(qtbot, db, dossier_id):
    dialog = DossierDialog(db, dossier_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def satisfaction(db) -> tuple[int, int]:
    figures = compute(db, *JUNE)["total"]["satisfaction"]
    return figures["votes"], figures["satisfied"]


def pick_row(qtbot, table, row: int) -> None:
    rect = table.visualRect(table.model().index(row, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_the_clerk_cancels_the_second_of_two_live_votes(qtbot, db, office, answer_dialogs,
                                                         message_boxes):
    message_boxes.answer = QMessageBox.StandardButton.Yes  # "Có" to the question naming it
    dossier_id = office["Phạm Minh Đức"]
    own, other = two_live_votes(db, dossier_id)
    assert not check.one_vote_a_dossier(db).ok
    assert satisfaction(db) == (2, 1)  # a vote counted that is not this citizen's
    detail = open_detail(qtbot, db, dossier_id)
    # the dossier itself shows the problem, both votes named
    line = detail.vote_label.text().replace("\u00a0", " ")  # a time is not cut across lines
    assert line.startswith("2 phiếu đánh giá còn hiệu lực — cần huỷ phiếu thừa")
    assert "Hài lòng (phiếu giấy, 08:10 04/06/2025)" in line
    assert "Không hài lòng (máy đánh giá, 09:20 04/06/2025) — “Chờ lâu quá”" in line
    seen = {}

    def ok_without_choosing(dialog):  # the clerk types a reason and presses OK at once
        dialog.show()
        qtbot.waitExposed(dialog)
        table = dialog.form.fields["vote"]
        seen["rows"] = [[table.item(r, c).text() for c in range(table.columnCount())]
                        for r in range(table.rowCount())]
        assert not table.selectionModel().selectedRows()  # nothing chosen for the clerk
        seen["note"] = dialog.form.form.itemAt(0, dialog.form.form.ItemRole.FieldRole) \
            .widget().text()
        qtbot.keyClicks(dialog.reason_edit, "Phieu cua cong dan khac")

    def choose_the_second(dialog):
        seen["error"] = dialog.form.errors["vote"].text()
        pick_row(qtbot, dialog.form.fields["vote"], 1)
    answer_dialogs += [ok_without_choosing, choose_the_second]
    click(qtbot, detail.action_buttons["cancel_vote"])
    # each vote as the clerk tells them apart: time, rating, how taken, who, where from
    clerk = actor_names.local_name(db, db.execute("SELECT actor FROM votes WHERE id = ?",
                                                  [own]).fetchone()[0])  # who runs the tests
    assert seen["rows"] == [
        [str(own), "08:10 04/06/2025", "Hài lòng", "phiếu giấy", clerk, "ghi tại máy này", ""],
        [str(other), "09:20 04/06/2025", "Không hài lòng", "máy đánh giá", "Lê Thị Hoa",
         f"nhập từ gói {PACKAGE} (máy c3cd08e7)", "“Chờ lâu quá”"]]
    assert seen["error"] == "Hãy bấm chọn trong bảng phiếu cần huỷ (phiếu thừa)."
    # why one is to go, in words that do not deny the two shown (review23 L5)
    assert seen["note"].startswith(f"Hồ sơ {detail.d['code']} có 2 phiếu đánh giá còn hiệu lực, "
                                   "nhưng mỗi hồ sơ chỉ được tính một phiếu.")
    # exactly the chosen one is cancelled, with the reason; the citizen's own stays
    state = dict(db.execute("SELECT id, cancel_reason FROM votes WHERE dossier_id = ?",
                            [dossier_id]).fetchall())
    assert state == {own: None, other: "Phieu cua cong dan khac"}
    assert satisfaction(db) == (1, 1)
    assert all(finding.ok for finding in check.derived_data(db)), \
        [f.text for f in check.derived_data(db) if not f.ok]
    assert detail.vote_label.text() == "Hài lòng (phiếu giấy, 08:10 04/06/2025)"
    last = detail.timeline.rowCount() - 1
    assert detail.timeline.item(last, 1).text() == "Huỷ phiếu đánh giá"
    assert detail.timeline.item(last, 3).text() == ("Phieu cua cong dan khac — Không hài lòng, "
                                                    "đánh giá lúc 09:20 04/06/2025")
    event = db.execute("SELECT details FROM events WHERE dossier_id = ? AND action = "
                       "'cancel_vote'", [dossier_id]).fetchone()[0]
    assert json.loads(event)["vote_id"] == other


def test_one_live_vote_is_cancelled_without_a_choice(qtbot, db, office, answer_dialogs):
    dossier_id = office["Phạm Minh Đức"]
    vote = votes.add_vote(db, unit_code="X01", rating="dissatisfied", dossier_id=dossier_id,
                          voted_at=NOW)
    detail = open_detail(qtbot, db, dossier_id)
    assert detail.vote_label.text() == "Không hài lòng (phiếu giấy, 09:30 11/06/2025)"
    seen = {}

    def fill(dialog):
        dialog.show()
        seen["fields"] = set(dialog.form.fields)
        seen["note"] = dialog.form.form.itemAt(0, dialog.form.form.ItemRole.FieldRole) \
            .widget().text()
        qtbot.keyClicks(dialog.reason_edit, "Chon nham muc")
    answer_dialogs.append(fill)
    click(qtbot, detail.action_buttons["cancel_vote"])
    assert seen["fields"] == {"reason"}  # no table to pick from
    code = detail.d["code"]
    assert seen["note"].startswith(f"Huỷ phiếu đánh giá “Không hài lòng (phiếu giấy, "
                                   f"09:30 11/06/2025)” của hồ sơ {code}.")
    assert db.execute("SELECT cancel_reason FROM votes WHERE id = ?",
                      [vote]).fetchone()[0] == "Chon nham muc"
    assert satisfaction(db) == (0, 0)
    assert detail.vote_label.text() == "Chưa có"
