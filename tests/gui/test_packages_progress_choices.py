"""Round 24's review, finding 3, with real clicks: after the preview's «Bỏ đánh dấu mọi "Giữ
cả hai"» the import's bar was still planned for giving codes to every clash the preview kept
both. No code was issued, so the rows, most of the wait, filled a tenth of the bar; it stood
there, then leapt to the end: it looked stuck, and a clerk may cancel an import going fine.
Now the bar follows what the clerk chose (core.exchange.phases.settle_expected)."""
from __future__ import annotations

from core import dossiers as D
from core.exchange import phases
from gui import worker
from tests.gui.clicks import click
from tests.gui.test_package_ready import preview_on_a_copy
from tests.gui.test_packages import counter_package  # noqa: F401 (fixture)


def recorded(monkeypatch) -> list[tuple[object, object]]:
    """Every report (done, total) and every line a job gives its dialog, in order, with the
    job's worker: what the clerk's progress dialog is handed."""
    seen: list[tuple[object, object]] = []
    real_progress, real_tell = worker.Worker._progress, worker.Progress.tell

    def progress(self, done: int, total: int) -> bool:
        seen.append((self, (done, total)))
        return real_progress(self, done, total)

    def tell(self, text: str) -> None:
        seen.append((self.worker, text))
        real_tell(self, text)
    monkeypatch.setattr(worker.Worker, "_progress", progress)
    monkeypatch.setattr(worker.Progress, "tell", tell)
    return seen


def test_after_unticking_keep_both_the_rows_fill_the_bar_as_their_part_of_the_work(
        db, db_path, office, qtbot, monkeypatch, message_boxes, counter_package,  # noqa: F811
        window_font):
    preview, ours = preview_on_a_copy(qtbot, db, db_path, monkeypatch, counter_package)
    assert all(box.isChecked() for box in preview.both_boxes.values())  # as previewed
    seen = recorded(monkeypatch)
    click(qtbot, preview.ready_panel.untick)  # «Bỏ đánh dấu mọi "Giữ cả hai"»
    assert preview.go.isEnabled()
    click(qtbot, preview.go)
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=20000)
    worker.wait_all()
    assert message_boxes[-1][1] == "Đã nhập gói", message_boxes[-1]
    assert D.find_by_code(db, ours) is not None
    job = seen[-1][0]  # the import (the preview's job ran before it)
    said = [item for who, item in seen if who is job]
    fills = [done / total for done, total in (i for i in said if isinstance(i, tuple)) if total]
    assert fills == sorted(fills), fills  # never backwards
    assert fills[-1] == 1.0 and all(fill < 1.0 for fill in fills[:-1]), fills  # full at the end
    # no code to issue: the clerk is told so (no "Đang cấp mã mới…"), and when the rows are
    # done the bar stands where their share of the work puts it, most of it — not a tenth,
    # then a leap over a share kept for codes never issued
    texts = [item for item in said if isinstance(item, str)]
    assert not [text for text in texts if "Giữ cả hai" in text], texts
    settle = said.index(phases.TEXTS[phases.SETTLE])
    done, total = next(i for i in said[settle:] if isinstance(i, tuple))
    assert done / total > 0.5, (done / total, said)
