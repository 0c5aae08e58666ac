"""What stands behind the dashboard's figures: the gap to each target (core.indicators.gaps),
the projection to the period's end at the current pace, and the dossiers or votes counted."""
from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QVBoxLayout

from core import empty_lists, timefmt
from core.calendar import load_calendar
from core.indicators import gaps as core_gaps
from core.indicators import gaps766, i766
from core.indicators.drill import VOTE_FIGURES, dossiers_behind, votes_behind
from core.indicators.i766_drill import dossiers_behind_766
from core.indicators.vocabulary import FIGURE_NAMES, is_final
from core.periods import Period
from gui import list_export, widgets


def title(figure: str, count: int, period: Period) -> str:
    """'62 hồ sơ giải quyết quá hạn — 01/11/2026 – 30/11/2026'."""
    what = FIGURE_NAMES.get(figure) or i766.FIGURE_NAMES.get(figure) or (
        "phiếu đánh giá" if figure in VOTE_FIGURES else "hồ sơ")
    return f"{timefmt.vn_number(count)} {what} — {period.label()}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:] + "." if text else ""


def gap_sentences(db, result: dict, period: Period, today: dt.date | None = None) -> dict:
    """{indicator: (gap sentence, projection sentence)}. The projection only while the period
    runs (its moment of evaluation is now, inside it); a period that is over shows its final
    result instead, since nobody can act on it any more."""
    found = core_gaps.gaps(result)
    if is_final(result):
        return {key: ("Kết quả cuối kỳ: " + gap.sentence + ".", "") for key, gap in found.items()}
    moment = timefmt.parse_db_time(result["as_of"]).date()
    projected = {}
    if period.start <= moment <= period.end:
        projected = core_gaps.project(result, load_calendar(db), moment, period.end)
    return {key: (_capital(gap.sentence),
                  _capital(projected[key].sentence) if key in projected else "")
            for key, gap in found.items()}


def gap_sentences_766(db, result: dict, targets: dict, period: Period,
                      today: dt.date | None = None) -> dict[str, tuple[str, str]]:
    """{766 figure: (gap sentence, projection sentence)}, as gap_sentences for Biểu 06."""
    found = gaps766.gaps(result, targets)
    if is_final(result):
        return {key: ("Kết quả cuối kỳ: " + gap + ".", "") for key, gap in found.items()}
    moment = timefmt.parse_db_time(result["as_of"]).date()
    projected = {}
    if period.start <= moment <= period.end:
        projected = gaps766.projections(result, targets, load_calendar(db), moment, period.end)
    return {key: (_capital(gap), _capital(projected.get(key, ""))) for key, gap in found.items()}


LIST_SIZE = (1600, 700)  # px, less where the screen is smaller (gui.screen_fit)


def dossier_ids(db, figure: str, period: Period, unit: str | None,
                moment: dt.datetime | None = None) -> list[int]:
    """Dossiers behind a figure; "a+b" joins two figures (early + on time). `moment`: the
    moment of evaluation of the figure shown."""
    ids: list[int] = []
    for part in figure.split("+"):
        if part.startswith("i766."):
            ids += dossiers_behind_766(db, part, period.start, period.end, unit=unit,
                                       moment=moment)
        else:
            ids += dossiers_behind(db, part, period.start, period.end, unit=unit, moment=moment)
    return sorted(set(ids))


def show_dossiers_behind(parent, db, figure: str, period: Period, unit: str | None,
                         moment: dt.datetime | None = None) -> QDialog:
    dialog = QDialog(parent)
    # the register's columns need the screen's whole width: at 1200 px on a 1366-px screen
    # every procedure, applicant and unit in the list read "Chứng thực …", "Lành Thị Huy…"
    widgets.fit_to_screen(dialog, LIST_SIZE[0], LIST_SIZE[1])
    if figure in VOTE_FIGURES:
        from gui.votes import VotesModel
        ids = votes_behind(db, figure, period.start, period.end, unit=unit)
        model = VotesModel(db, dialog)
        model.set_where(["v.id IN (SELECT value FROM json_each(?))"], [str(ids)])
        model.reload()
        view = widgets.table_view()
        view.setModel(model)
        view.empty_text = lambda: empty_lists.VOTES_BEHIND
        for column, width in enumerate((130, 200, 110, 170, 300, 100)):
            view.setColumnWidth(column, width)
        from gui.dossiers.register_view import code_width
        view.setColumnWidth(3, code_width(view))  # the dossier code read whole (issue 14 §5)
        layout = QVBoxLayout(dialog)
        layout.addWidget(view)
        dialog.export_button = _vote_export(dialog, db, model, title(figure, len(ids), period),
                                            _scope(db, unit, period))
        # the count under the list, as the dossier lists say theirs ("76 hồ sơ."): without it
        # the leader comparing the card's 86 with the list had only the window's title
        foot = QHBoxLayout()
        dialog.count_label = QLabel(f"{timefmt.vn_number(model.rowCount())} phiếu.")
        foot.addWidget(dialog.count_label, 1)
        foot.addWidget(dialog.export_button)
        layout.addLayout(foot)
    else:
        from gui.dossiers.register_view import RegisterScreen
        ids = dossier_ids(db, figure, period, unit, moment)
        screen = RegisterScreen(db, dialog, fixed_ids=ids)
        screen.export_title = title(figure, len(ids), period)
        screen.export_scope = _scope(db, unit, period)
        QVBoxLayout(dialog).addWidget(screen)
        screen.refresh()
    dialog.setWindowTitle(title(figure, len(ids), period))
    dialog.show()
    return dialog


def _scope(db, unit: str | None, period: Period) -> str:
    from core.workbook.lists import scope
    return scope(db, unit, period.start, period.end)


def _vote_export(dialog, db, model, heading: str, scope: str):
    from core.workbook.lists import VOTES
    button = list_export.button()
    button.clicked.connect(lambda: list_export.export(dialog, db, VOTES, model.all_ids(), scope,
                                                      title=heading))
    return button
