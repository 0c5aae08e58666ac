"""The dossier window's history names who did each step: a commune's clerk merged at the centre
by the commune's name, as the slips and the reconciliation name them (core.actor_names)."""
from __future__ import annotations

from core import timefmt
from core.exchange import export_package, import_package
from core.pdf.slip_data import dossier_events, load_dossier
from gui.dossiers.detail import DossierDialog
from tests.core.exchange.conftest import NOW
from tests.core.exchange.test_actor_names import AN, CUONG, clerk_day, staffed
from tests.core.exchange.test_exchange import SINCE

WHO = 4  # the history's column "Người thực hiện"


def test_the_history_names_the_communes_clerk_and_the_centres_own(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(timefmt, "now", lambda: NOW)
    commune = staffed(tmp_path / "a.db", (1, 2), AN)
    centre = staffed(tmp_path / "centre.db", (2, 2), CUONG)
    merged = clerk_day(commune, "Khách xã A", 0)
    own = clerk_day(centre, "Khách trung tâm", 20)
    export_package(commune, tmp_path / "a.zip", SINCE)
    commune.close()
    import_package(centre, tmp_path / "a.zip")
    for code, person in ((merged, AN), (own, CUONG)):
        item = load_dossier(centre, code)
        window = DossierDialog(centre, item.id)
        qtbot.addWidget(window)
        table = window.timeline
        assert table.horizontalHeaderItem(WHO).text() == "Người thực hiện"
        shown = [table.item(r, WHO).text() for r in range(table.rowCount())]
        # the window and the printed history (Mẫu 06) say the same, by one rule
        assert shown == [e.actor for e in dossier_events(centre, item)] == [person] * 3
        window.close()
    centre.close()
