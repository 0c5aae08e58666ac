"""What a document's preview showed, kept after the preview is closed and freed.

A preview is freed once its modal loop ends (gui.widgets.exec_once), so a test cannot read the
dialog afterwards: the fixtures replace `PdfPreviewDialog.exec` with `capture`, which keeps
what the clerk saw — the title, the draft and final documents, the note — and closes at once.
A test that clicks inside the preview does it in `during`, while the dialog is open, as the
clerk would.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from gui import preview


@dataclass(frozen=True)
class Shown:
    title: str
    draft: bytes
    final: bytes
    suggested_name: str
    note: str
    note_shown: bool
    kind: str  # the dialog's class: PdfPreviewDialog, or BookPreviewDialog for a book
    built_once: bool  # one document for draft and final: the draft mark is painted
    draft_mark: bool  # the mark painted over the pages (a BookPreviewDialog's view)
    page_count: int

    def windowTitle(self) -> str:  # noqa: N802 (read as the dialog's own)
        return self.title

    def build(self, draft: bool) -> bytes:
        return self.draft if draft else self.final


def capture(monkeypatch, during: Callable | None = None) -> list[Shown]:
    """Every preview opened from now on, as `Shown`; `during(dialog)` runs while it is open."""
    shown: list[Shown] = []

    def fake_exec(dialog) -> int:
        if during is not None:
            during(dialog)
        view = getattr(dialog, "view", None)
        shown.append(Shown(dialog.windowTitle(), dialog.draft, dialog.final,
                           dialog.suggested_name, dialog.note.text(),
                           not dialog.note.isHidden(), type(dialog).__name__,
                           dialog.draft is dialog.final, bool(view and view.draft_mark),
                           dialog.page_count))
        return 0
    monkeypatch.setattr(preview.PdfPreviewDialog, "exec", fake_exec)
    return shown
