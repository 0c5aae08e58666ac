"""The dossier window's «Đánh giá» words come from core (core.dossier_votes): how a vote was
taken in the app's words — a votes file's vote said "import", the code, on the dossier."""
from __future__ import annotations

import datetime as dt

from core import dossier_votes, votes
from tests.core.test_votes import NOW, office  # noqa: F401 - the fixture


def test_a_vote_from_a_votes_file_is_said_in_words(office):  # noqa: F811
    db, dossier_id = office
    votes.store_vote(db, unit_code="U1", rating="satisfied", voted_at=dt.datetime(2025, 3, 1, 9),
                     dossier_id=dossier_id, comment=None, reasons=["time"], source="import",
                     actor="")
    assert dossier_votes.window_line(db, dossier_id, NOW) == (
        "Hài lòng (nhập từ tệp, 09:00 01/03/2025) — lý do: Thời gian giải quyết", False)
    (vote,) = dossier_votes.live_votes(db, dossier_id)
    assert vote.text == ("Phiếu số 1: Hài lòng — 09:00 01/03/2025 — nhập từ tệp — ghi tại máy "
                         "này — lý do: Thời gian giải quyết")


def test_a_dossier_without_a_vote_says_so(office):  # noqa: F811
    db, dossier_id = office
    assert dossier_votes.window_line(db, dossier_id, NOW) == ("Chưa có", False)
