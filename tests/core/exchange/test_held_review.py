"""Review of round 33's per-unit `held_before` (review33c): cases where «Đủ» would be false."""
from __future__ import annotations

import datetime as dt

import pytest

from core.pdf.monthly_sources import cells
from db.connection import transaction
from tests.core.exchange.conftest import office, receive
from tests.core.exchange.test_held_units import (
    EARLY,
    EARLY_MADE,
    LATER,
    LATER_MADE,
    report,
    settled,
)
from tests.core.exchange.test_sources import send, take

MISSING = "Thiếu (xem cảnh báo)"


@pytest.fixture
def offices(tmp_path):
    """The centre, commune A (slot 2/3) holding a dossier of U1 received 20/10/2025 08:00."""
    centre = office(tmp_path / "centre.db", (1, 3))
    xa_a = office(tmp_path / "a.db", (2, 3))
    receive(xa_a, "Trần Thị Hoa", unit="U1")
    yield centre, xa_a
    for db in (centre, xa_a):
        db.close()


def move(db, code: str, parent: str | None) -> None:
    with transaction(db) as conn:
        conn.execute("UPDATE units SET parent_code = ? WHERE code = ?", [parent, code])


def test_a_unit_moved_under_another_after_its_package_is_not_brought_by_it(offices, tmp_path):
    """Commune A sent U2 from 01/10 (made 01/11), when U1 was no unit of U2's; U1's dossier of
    20/10 travelled in no package. U1 then moved under U2 (communes merged), and A sent all
    units from 01/11: the U2 package did not bring U1's October — «Thiếu», naming it."""
    centre, xa_a = offices
    settled(xa_a)
    take(centre, send(xa_a, tmp_path / "a-u2.zip", EARLY, EARLY_MADE, "U2"),
         EARLY_MADE + dt.timedelta(hours=1))
    for db in (centre, xa_a):
        move(db, "U1", "U2")
    take(centre, send(xa_a, tmp_path / "a-all.zip", LATER, LATER_MADE, None),
         LATER_MADE + dt.timedelta(hours=17))
    found = report(centre)
    assert [row[-1] for row in cells(found.rows)][0] == MISSING, found.warnings


def test_what_a_commune_got_from_its_counter_and_never_relayed_is_missing(tmp_path):
    """Counter K of commune S received a U1 dossier on 20/10 and sent it to S (a package from
    01/10, made 22/10); K never sends to the centre. S's package of all units from 01/11 does
    not carry it (nothing changed since) — the centre never got it: October «Thiếu»."""
    centre, server = office(tmp_path / "centre.db", (1, 3)), office(tmp_path / "s.db", (2, 3))
    counter = office(tmp_path / "k.db", (3, 3))
    receive(counter, "Trần Thị Hoa", unit="U1")
    settled(counter)
    take(server, send(counter, tmp_path / "k.zip", EARLY, dt.datetime(2025, 10, 22, 16), None),
         dt.datetime(2025, 10, 22, 17))
    take(centre, send(server, tmp_path / "s.zip", LATER, LATER_MADE, None),
         LATER_MADE + dt.timedelta(hours=17))
    found = report(centre)
    assert [row[-1] for row in cells(found.rows)] == [MISSING], found.warnings
    for db in (centre, server, counter):
        db.close()
