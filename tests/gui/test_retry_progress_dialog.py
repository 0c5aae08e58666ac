"""The import's progress dialog when the operation begins again (round 23, issue 16 §3): a
later package's aliases name the sender of a package merged before it (core.exchange.merge
._Taught), and the bar went back to 0 halfway through. The clerk now sees the bar stay where it
was and move on, and a line under the title saying why."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QProgressBar, QProgressDialog

from core.exchange import passes, phases, recode
from core.exchange.merge import import_packages
from gui import worker
from tests.core.exchange.conftest import made_later
from tests.core.exchange.test_aliases_travel import centre_kept_both

pytestmark = pytest.mark.slot_unconfirmed


def test_the_dialog_says_it_begins_again_and_its_bar_never_goes_back(qtbot, tmp_path):
    a, b, centre, back = centre_kept_both(tmp_path)
    made_later(back)  # B's package merged first, taught by the centre's: a second pass
    from_b = tmp_path / "b.zip"
    path = a.path
    for db in (a, b, centre):
        db.close()
    done: list = []
    title = "Đang nhập 2 gói trao đổi…"
    job = worker.run_in_background(
        None, str(path), title,
        lambda db, progress: import_packages(db, [back, from_b], clashes=recode.BOTH,
                                             progress=progress, told=progress.tell),
        done.append, notify=False)
    [dialog] = [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog)
                and w.labelText() == title]
    bar = dialog.findChild(QProgressBar)
    filled: list[float] = []
    bar.valueChanged.connect(lambda value: filled.append(value / max(bar.maximum(), 1)))
    labels: list[str] = []
    job.told.connect(lambda _text: labels.append(dialog.labelText()))
    qtbot.waitUntil(lambda: bool(done), timeout=60000)
    worker.wait_all()
    assert done[0].written
    # why it began again, above each phase of the pass again (core.exchange.phases)
    assert f"{title}\n{passes.TAUGHT_VI}\n{phases.TEXTS[phases.ROWS]}" in labels, labels
    assert labels[-1] == f"{title}\n{passes.TAUGHT_VI}\n{phases.TEXTS[phases.END]}", labels
    assert filled == sorted(filled) and filled[-1] == 1.0, filled
