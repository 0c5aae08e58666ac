"""A package's text that looks like HTML shows as typed in its preview (gui.shown): its
heading (the sending unit), its warnings and the tooltips of its conflicts and packages. A
package is another installation's word: `<b>X</b><img src=x>` as an applicant's name or a
unit showed a bold X and a broken picture, the tags gone."""
from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QLabel

from core import dossiers as D
from core.database import open_database
from core.exchange import export_package
from core.exchange.merge import import_packages
from db.connection import transaction
from gui.packages import PreviewDialog
from tests.gui.conftest import NOW, add_catalogue
from tests.gui.drawn import drawn, label_drawn
from tests.gui.test_packages import window  # noqa: F401 (fixture)

MARKUP = "<b>X</b><img src=x>"


def _package(tmp_path):
    other = open_database(tmp_path / "counter.db")
    add_catalogue(other)
    dossier, code = D.create_dossier(other, unit_code="X01", procedure_code="1.004227",
                                     applicant_name="Khách Quầy Hai",
                                     received_at=NOW - dt.timedelta(hours=2))
    with transaction(other) as conn:  # as an older version stored it, no rule on the way
        conn.execute("UPDATE dossiers SET applicant_name = ? WHERE id = ?", [MARKUP, dossier])
    package = tmp_path / "quay2.zip"
    export_package(other, package, dt.date(2025, 1, 1))
    other.close()
    return package, code


def _preview(qtbot, db, window, package, several: bool = False):  # noqa: F811
    batch = import_packages(db, [str(package)], dry_run=True)
    for result in batch.results:
        result.manifest["sender_unit"] = MARKUP
    result = batch.combined()
    result.manifest["sender_unit"] = MARKUP
    result.warnings.append(f"Hồ sơ của {MARKUP}: thử")
    preview = PreviewDialog(result, window, batch.results if several else None, batch.crossed)
    qtbot.addWidget(preview)
    preview.show()
    qtbot.waitExposed(preview)
    return preview


def test_the_preview_shows_the_packages_markup_as_typed(window, db, qtbot, tmp_path,  # noqa: F811
                                                        frozen_now):
    package, code = _package(tmp_path)
    D.create_dossier(db, unit_code="X01", procedure_code="1.004227",
                     applicant_name="Khách Của Máy Này", received_at=NOW - dt.timedelta(hours=1))
    preview = _preview(qtbot, db, window, package)
    seen = [label_drawn(label) for label in preview.findChildren(QLabel)]
    heading = [text for text in seen if text.startswith("quay2.zip")]
    assert heading and f"Đơn vị: {MARKUP}" in heading[0], seen
    assert f"⚠ Hồ sơ của {MARKUP}: thử" in seen
    table = preview.conflicts
    tips = [drawn(table.item(r, c).toolTip()) for r in range(table.rowCount())
            for c in range(1, table.columnCount()) if table.item(r, c) is not None]
    assert any(tip.startswith(MARKUP) or MARKUP in tip.splitlines()[0] for tip in tips), tips
    assert all(tip == table.item(r, c).text() for (r, c), tip in zip(
        [(r, c) for r in range(table.rowCount()) for c in range(1, table.columnCount())
         if table.item(r, c) is not None], tips, strict=True))


def test_the_packages_table_tooltip_shows_the_sender_as_typed(window, db, qtbot,  # noqa: F811
                                                              tmp_path, frozen_now):
    package, _code = _package(tmp_path)
    preview = _preview(qtbot, db, window, package, several=True)
    table = preview.packages
    sender = table.item(1, 1)
    assert sender.text().startswith(MARKUP)
    assert drawn(sender.toolTip()) == sender.text()
