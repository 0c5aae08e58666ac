"""Issue 16 §3: a code given to two citizens' dossiers (two PCs in one slot) is kept BOTH from
the import's preview, with real clicks: "Giữ cả hai" is ticked for the clash, "Lấy theo gói"
unticks it and ticking it again unticks that; the import then brings the package's dossier
in under a code this PC issues, its sender's code kept with it."""
from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from core import dossiers as D
from core import installation
from core.exchange import recode
from core.exchange.store import sender_key
from gui import file_dialogs, worker
from gui.packages import PreviewDialog
from tests.gui.clicks import click, menu_pick
from tests.gui.conftest import NOW
from tests.gui.test_packages import counter_package, open_dialog, window  # noqa: F401 (fixtures)


def tick(qtbot, box) -> None:
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def test_keeping_both_dossiers_of_a_clash_by_clicks(window, db, qtbot, monkeypatch,  # noqa: F811
                                                     message_boxes, counter_package):  # noqa: F811
    package, codes = counter_package
    ours = D.create_dossier(db, unit_code="X01", procedure_code="1.004227",
                            applicant_name="Khách Của Máy Này", received_at=NOW)[1]
    assert ours == codes[0]
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: [str(package)])
    menu_pick(qtbot, window, window.exchange_import_action)
    preview = open_dialog(qtbot, PreviewDialog)
    assert not preview.conflicts.isColumnHidden(5)
    assert preview.conflicts.horizontalHeaderItem(5).text() == "Giữ cả hai"
    theirs, both = preview.boxes()[0], preview.both_boxes[0]
    assert both.isChecked() and not theirs.isChecked()  # nobody's dossier left out unasked
    tick(qtbot, theirs)
    assert theirs.isChecked() and not both.isChecked()
    tick(qtbot, both)
    assert both.isChecked() and not theirs.isChecked()
    assert preview.choices()[1] == {ours: recode.BOTH}
    click(qtbot, preview.go)
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=20000)
    worker.wait_all()
    assert message_boxes[-1][1] == "Đã nhập gói", message_boxes[-1]
    assert "giữ cả hai 1" in message_boxes[-1][2]
    names = dict(db.execute("SELECT applicant_name, code FROM dossiers").fetchall())
    assert names["Khách Của Máy Này"] == ours and names["Người Thứ Hai"] == codes[1]
    recoded = names["Khách Quầy Hai"]
    assert recoded not in codes
    assert recode.original_codes(db.conn, [recoded]) == {recoded: ours}
    assert f"{ours} → {recoded}" in message_boxes[-1][2]  # what to tell the sender
    # its window names the sender's code, and its history the re-coding
    from gui.dossiers.detail import DossierDialog
    detail = DossierDialog(db, D.find_by_code(db, recoded))
    qtbot.addWidget(detail)
    assert f"{recoded}</b> &nbsp;(mã ở máy gửi: {ours})" in detail.header_label.text()
    steps = [detail.timeline.item(r, 1).text() for r in range(detail.timeline.rowCount())]
    assert steps[-1] == "Cấp mã mới khi nhập gói"
    # the note names the installations (it travels in later packages): never "máy này"
    here = sender_key(installation.installation_id(db))
    sender = sender_key(db.execute("SELECT sender FROM code_aliases WHERE local_code = ?",
                                   [recoded]).fetchone()[0])
    assert detail.timeline.item(len(steps) - 1, 3).text() == (
        f"Cấp mã mới ở máy {here} khi máy ấy nhập gói quay2.zip: mã {ours} của máy gửi "
        f"{sender} đã là mã của một hồ sơ khác ở máy {here} (giữ cả hai hồ sơ)")


def test_an_ordinary_conflict_has_no_keep_both(window, db, qtbot, monkeypatch,  # noqa: F811
                                               message_boxes, tmp_path, counter_package):  # noqa: F811
    """One dossier changed at two places: one version to keep; the column is not shown."""
    package, codes = counter_package
    from core.exchange.merge import import_packages
    import_packages(db, [package])
    D.start_processing(db, D.find_by_code(db, codes[0]), at=NOW)
    from core.database import open_database
    other = open_database(tmp_path / "counter.db")
    D.request_supplement(other, D.find_by_code(other, codes[0]), reason="Thiếu", at=NOW)
    import datetime as dt

    from core.exchange import export_package
    export_package(other, package, dt.date(2025, 1, 1), replace=True)
    other.close()
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: [str(package)])
    menu_pick(qtbot, window, window.exchange_import_action)
    preview = open_dialog(qtbot, PreviewDialog)
    assert preview.conflicts.rowCount() == 1 and preview.conflicts.isColumnHidden(5)
    assert not preview.both_boxes
    preview.reject()


def test_keeping_this_pcs_dossier_leaves_the_other_citizens_vote_out_and_says_so(
        window, db, qtbot, monkeypatch, message_boxes, tmp_path, frozen_now):  # noqa: F811
    """"Giữ cả hai" unticked: this PC's dossier kept; the vote the counter's citizen gave on
    the package's dossier of that code is not written on this PC's, and the message after the
    import says so (the preview could not: the choice came after it)."""
    import datetime as dt

    from core import votes
    from core.database import open_database
    from core.exchange import export_package
    from tests.gui.test_packages import add_catalogue, untick_keep_both
    other = open_database(tmp_path / "counter.db")
    add_catalogue(other)
    theirs_id, code = D.create_dossier(other, unit_code="X01", procedure_code="1.004227",
                                       applicant_name="Khách Quầy Hai",
                                       received_at=NOW - dt.timedelta(hours=2))
    votes.add_vote(other, unit_code="X01", rating="dissatisfied",
                   voted_at=NOW - dt.timedelta(hours=1), dossier_id=theirs_id)
    package = tmp_path / "quay2.zip"
    export_package(other, package, dt.date(2025, 1, 1))
    other.close()
    ours = D.create_dossier(db, unit_code="X01", procedure_code="1.004227",
                            applicant_name="Khách Của Máy Này", received_at=NOW)[1]
    assert ours == code
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: [str(package)])
    menu_pick(qtbot, window, window.exchange_import_action)
    preview = open_dialog(qtbot, PreviewDialog)
    untick_keep_both(qtbot, preview)
    click(qtbot, preview.go)
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=20000)
    worker.wait_all()
    assert message_boxes[-1][1] == "Đã nhập gói", message_boxes[-1]
    assert f"1 {recode.FOREIGN_VOTES_VI}" in message_boxes[-1][2]
    assert db.execute("SELECT COUNT(*) FROM votes v JOIN dossiers d ON d.id = v.dossier_id "
                      "WHERE d.code = ?", [code]).fetchone()[0] == 0
    assert db.execute("SELECT applicant_name FROM dossiers WHERE code = ?", [code]).fetchall() \
        == [("Khách Của Máy Này",)]
    assert not db.execute("SELECT 1 FROM dossiers WHERE applicant_name = 'Khách Quầy Hai'"
                          ).fetchone()


def test_a_code_of_two_citizens_and_this_pcs_own_versions_is_one_choice(
        window, db, qtbot, monkeypatch, message_boxes, tmp_path):  # noqa: F811
    """Round 21 (review): counter A's later version of a dossier this PC took from A and went
    on with (the same dossier) and counter B's dossier that got the same code (another
    citizen), in one import. The window showed a plain row and a clash row whose "Lấy theo
    gói" ticked together: ticking A's row unticked B's "Giữ cả hai" and the import took B's
    dossier over citizen A's. Now the rows say whose dossier each is; "Lấy theo gói" is for
    A's version only; "Giữ cả hai" stays for B; the one choice is the command's both+theirs."""
    import datetime as dt

    from core.database import open_database
    from core.exchange import export_package
    from core.exchange.merge import import_packages
    from tests.gui.conftest import add_catalogue
    counters = {}
    for who, hours in (("A", 2), ("B", 1)):
        counters[who] = open_database(tmp_path / f"{who}.db")
        add_catalogue(counters[who])
        D.create_dossier(counters[who], unit_code="X01", procedure_code="1.004227",
                         applicant_name=f"Khách {who}", received_at=NOW - dt.timedelta(hours=hours))
    code = counters["A"].execute("SELECT code FROM dossiers").fetchone()[0]
    first = tmp_path / "a0.zip"
    export_package(counters["A"], first, dt.date(2025, 1, 1))
    assert import_packages(db, [first]).written
    D.start_processing(db, D.find_by_code(db, code), at=NOW - dt.timedelta(minutes=50))
    D.request_supplement(counters["A"], D.find_by_code(counters["A"], code), reason="Thiếu",
                         at=NOW - dt.timedelta(minutes=40))
    packages = [tmp_path / "a.zip", tmp_path / "b.zip"]
    for who, package in zip("AB", packages, strict=True):
        export_package(counters[who], package, dt.date(2025, 1, 1))
        counters[who].close()
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: [str(p) for p in packages])
    menu_pick(qtbot, window, window.exchange_import_action)
    preview = open_dialog(qtbot, PreviewDialog)
    rows = {c.clash: r for r, c in enumerate(preview.result.conflicts) if c.code == code}
    assert set(rows) == {False, True}
    same, other = preview.boxes()[rows[False]], preview.boxes()[rows[True]]
    assert preview.conflicts.item(rows[False], 2).text().startswith("CÙNG HỒ SƠ của máy này")
    assert preview.conflicts.item(rows[True], 2).text().startswith("HAI HỒ SƠ KHÁC NHAU")
    assert same.isEnabled() and not other.isEnabled()
    both = preview.both_boxes[rows[True]]
    assert both.isChecked() and preview.choices()[1][code] == recode.BOTH
    tick(qtbot, same)
    assert same.isChecked() and not other.isChecked() and both.isChecked()
    assert preview.choices()[1][code] == recode.BOTH_THEIRS
    click(qtbot, preview.go)
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=20000)
    worker.wait_all()
    assert message_boxes[-1][1] == "Đã nhập gói", message_boxes[-1]
    held = dict(db.execute("SELECT applicant_name, code FROM dossiers").fetchall())
    assert held["Khách A"] == code and held["Khách B"] != code
    assert db.execute("SELECT status FROM dossiers WHERE code = ?", [code]).fetchone()[0] \
        == "supplement"


def test_a_clash_kept_here_earlier_is_chosen_again_in_the_window(
        window, db, qtbot, monkeypatch, message_boxes, counter_package):  # noqa: F811
    """Round 21 (review): reopening an earlier "keep" of a clash was the command's alone
    (`--choose MÃ=both`); the window said "chosen at an earlier import" and nothing more. Now
    its preview lists those codes with a "Giữ cả hai" box, unticked; ticked, the import is the
    command's (the same choice to the same core rule): the other citizen's dossier comes in
    under a new code, the import logged with who and when (setting_changes)."""
    from core.exchange.merge import import_packages
    package, codes = counter_package
    ours = D.create_dossier(db, unit_code="X01", procedure_code="1.004227",
                            applicant_name="Khách Của Máy Này", received_at=NOW)[1]
    assert import_packages(db, [package], clashes="keep").written  # the earlier "keep"
    assert "Khách Quầy Hai" not in dict(db.execute(
        "SELECT applicant_name, code FROM dossiers").fetchall())
    logged = db.execute("SELECT COUNT(*) FROM setting_changes").fetchone()[0]
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: [str(package)])
    menu_pick(qtbot, window, window.exchange_import_action)
    preview = open_dialog(qtbot, PreviewDialog)
    assert [c.code for c in preview.result.reopenable] == [ours]
    box = preview.reopen_boxes[0]
    assert not box.isChecked() and ours not in preview.choices()[1]  # the earlier one holds
    assert preview.reopen_table.item(0, 1).text() == ours
    tick(qtbot, box)
    assert preview.choices()[1] == {ours: recode.BOTH}  # as --choose MÃ=both says it
    assert preview.go.isEnabled()
    click(qtbot, preview.go)
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=20000)
    worker.wait_all()
    assert message_boxes[-1][1] == "Đã nhập gói", message_boxes[-1]
    assert "giữ cả hai 1" in message_boxes[-1][2]
    names = dict(db.execute("SELECT applicant_name, code FROM dossiers").fetchall())
    assert names["Khách Của Máy Này"] == ours and names["Khách Quầy Hai"] not in codes
    assert f"{ours} → {names['Khách Quầy Hai']}" in message_boxes[-1][2]
    assert db.execute("SELECT COUNT(*) FROM setting_changes").fetchone()[0] > logged


def crossed_and_another_citizen(db, tmp_path) -> tuple[str, list]:
    """The code of the test above, and counter D's package too: D took A's first package and
    went on otherwise, so this PC's own versions of the code differ among the packages (a
    version to pick) while B's is another citizen's dossier (merge._Run.other_citizen)."""
    import datetime as dt

    from core.database import open_database
    from core.exchange import export_package
    from core.exchange.merge import import_packages
    from tests.core.exchange.conftest import made_later
    from tests.gui.conftest import add_catalogue
    counters = {}
    for who, hours in (("A", 2), ("B", 1)):
        counters[who] = open_database(tmp_path / f"{who}.db")
        add_catalogue(counters[who])
        D.create_dossier(counters[who], unit_code="X01", procedure_code="1.004227",
                         applicant_name=f"Khách {who}", received_at=NOW - dt.timedelta(hours=hours))
    code = counters["A"].execute("SELECT code FROM dossiers").fetchone()[0]
    first = tmp_path / "a0.zip"
    export_package(counters["A"], first, dt.date(2025, 1, 1))
    assert import_packages(db, [first]).written
    counters["D"] = open_database(tmp_path / "D.db")
    add_catalogue(counters["D"])
    assert import_packages(counters["D"], [first]).written
    D.start_processing(db, D.find_by_code(db, code), at=NOW - dt.timedelta(minutes=50))
    D.request_supplement(counters["A"], D.find_by_code(counters["A"], code), reason="Thiếu",
                         at=NOW - dt.timedelta(minutes=40))
    D.start_processing(counters["D"], D.find_by_code(counters["D"], code),
                       at=NOW - dt.timedelta(minutes=30))
    packages = [tmp_path / "a.zip", tmp_path / "b.zip", tmp_path / "d.zip"]
    for who, package in zip("ABD", packages, strict=True):
        export_package(counters[who], package, dt.date(2025, 1, 1))
        counters[who].close()
    made_later(packages[2])
    return code, packages


def test_the_other_citizens_row_of_a_code_whose_versions_are_picked_is_not_taken(
        window, db, qtbot, monkeypatch, message_boxes, tmp_path):  # noqa: F811
    """Round 22 (d58d35e): B's dossier under a code whose own versions (this PC's, A's, D's)
    are picked in the versions' table. Its clash row's "Lấy theo gói" stayed enabled though
    ticking it kept this PC's dossier (the merge never puts another citizen's over it): now
    disabled with why, as a code's "CÙNG HỒ SƠ" row makes it; "Giữ cả hai" stays B's choice."""
    code, packages = crossed_and_another_citizen(db, tmp_path)
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: [str(p) for p in packages])
    menu_pick(qtbot, window, window.exchange_import_action)
    preview = open_dialog(qtbot, PreviewDialog)
    assert [c.code for c in preview.crossed] == [code]
    [row] = [r for r, c in enumerate(preview.result.conflicts) if c.code == code]
    assert preview.result.conflicts[row].clash
    theirs, both = preview.boxes()[row], preview.both_boxes[row]
    assert not theirs.isEnabled() and "bảng phiên bản" in theirs.toolTip()
    tick(qtbot, theirs)  # a click on a disabled box: nothing
    assert not theirs.isChecked() and both.isChecked()
    click(qtbot, preview.take_all)  # "take all" leaves it too
    assert not theirs.isChecked() and both.isChecked()
    tick(qtbot, both)
    assert not both.isChecked() and preview.choices()[1][code] == recode.KEEP
    tick(qtbot, both)
    assert both.isChecked() and preview.choices()[1][code] == recode.BOTH
    here = preview.version_buttons(code)[0]  # this PC's version
    tick(qtbot, here)
    assert here.isChecked()
    click(qtbot, preview.go)
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=20000)
    worker.wait_all()
    assert message_boxes[-1][1] == "Đã nhập gói", message_boxes[-1]
    held = dict(db.execute("SELECT applicant_name, code FROM dossiers").fetchall())
    assert held["Khách A"] == code and held["Khách B"] != code
