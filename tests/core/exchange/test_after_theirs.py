"""Issue 16 §3 (round 27; open since round 23): after a conflict was resolved "theirs" (the
sender's version taken), the sender's NEXT package of that dossier came back as a conflict
again and needed --conflicts theirs: the history here (this installation's events, the
package's appended, then the take's `import` event) is not the start of the sender's. The
take now records how many of the sender's events it took and a SHA-256 over them
(core.exchange.taken); a later record whose first events are exactly those goes on from the
version taken: "thay đổi", its later events appended, nothing asked — in the preview, the
import and the command; imported again, nothing changes."""
from __future__ import annotations

import datetime as dt
import json

import pytest

import main
from core import dossiers as D
from core.database import open_database
from core.exchange import export_package, import_package, merge, taken
from core.exchange.merge import import_packages
from tests.core.exchange import test_exchange
from tests.core.exchange.conftest import DAY, copied
from tests.core.exchange.test_exchange import SINCE, ok, snapshot
from tests.core.exchange.test_theirs_replaces_votes import _figures, _two_citizens

pytestmark = pytest.mark.usefixtures("package_format")


def _clash_files(folder) -> tuple:
    """test_exchange's `clash` in `folder` (our database test.db, the other PC's, its
    package), every database closed (files only, for `copied`); our two codes."""
    db = open_database(folder / "test.db")  # the name of conftest's db_path
    _package, other, ours = test_exchange.clash_in(folder, db)
    for database in (db, other):
        database.close()
    return folder, ours


@pytest.fixture
def db(built_once, db_path, package_format):
    """Our database after `clash` (two PCs issued the same codes), made once per module and
    package format: this test's own copy, at db_path, the installation at its place."""
    made, _ours = built_once(("clash", package_format), _clash_files)
    path = copied(made / db_path.name, db_path.parent, issues=True)
    assert path == db_path  # where a test's command opens it
    database = open_database(path)
    yield database
    database.close()


@pytest.fixture
def clash(built_once, db, tmp_path, package_format):
    """test_exchange's `clash` on `db`: the other PC's package and database, our two codes;
    this test's own copies."""
    made, ours = built_once(("clash", package_format), _clash_files)
    other = open_database(copied(made / "other.db", tmp_path, issues=True))
    yield copied(made / "other.zip", tmp_path), other, ours
    other.close()


def _citizens_files(folder) -> tuple:
    """`_two_citizens` in `folder`, every database closed; the code both issued."""
    g, code, _package_a, _package_b = _two_citizens(folder)
    g.close()
    return folder, code


def _two_citizens_copied(built_once, tmp_path, package_format) -> tuple:
    """`_two_citizens` made once per module and package format, this test's own copies (G
    opened; B's database beside, for `open_b`)."""
    made, code = built_once(("two citizens", package_format), _citizens_files)
    package_a, package_b = (copied(made / name, tmp_path) for name in ("a1.zip", "b1.zip"))
    copied(made / "b.db", tmp_path, issues=True)
    g = open_database(copied(made / "g.db", tmp_path, issues=True))
    return g, code, package_a, package_b


def _written(db) -> tuple:
    """Everything an import may write: rows, events, settings (the choices), payments."""
    return (snapshot(db), db.execute("SELECT COUNT(*), MAX(id) FROM events").fetchone(),
            db.execute("SELECT key, value FROM settings ORDER BY key").fetchall(),
            db.execute("SELECT * FROM payments ORDER BY id").fetchall(),
            db.execute("SELECT * FROM kpi_daily ORDER BY 1, 2").fetchall())


def _events(db, code: str) -> list[tuple]:
    return db.execute("SELECT e.action, e.at FROM events e JOIN dossiers d ON d.id = e.dossier_id "
                      "WHERE d.code = ? ORDER BY e.id", [code]).fetchall()


def _goes_on(db, path, other, code: str):
    """The sender returns the result of the dossier taken here, and sends its next package."""
    D.return_result(other, D.find_by_code(other, code), at=DAY + dt.timedelta(hours=2))
    export_package(other, path, SINCE)
    return path


def test_the_take_records_what_of_the_senders_history_it_took(db, clash):
    package, other, ours = clash
    import_package(db, package, conflicts="theirs")
    details = json.loads(db.execute(
        "SELECT e.details FROM events e JOIN dossiers d ON d.id = e.dossier_id WHERE d.code = ? "
        "ORDER BY e.id DESC LIMIT 1", [ours[0]]).fetchone()[0])
    sent = [list(e) for e in other.execute(
        "SELECT at, actor, action, from_status, to_status, reason, details FROM events e "
        "JOIN dossiers d ON d.id = e.dossier_id WHERE d.code = ? ORDER BY e.id", [ours[0]])]
    assert details["taken"] == {"events": len(sent), "sha256": taken.events_digest(sent)}
    assert details["state"]["status"] == "done"  # what core.history replays, as before
    ok(db)


def test_the_senders_next_package_after_theirs_is_a_plain_change(db, clash, tmp_path):
    package, other, ours = clash
    assert import_package(db, package, conflicts="theirs").resolved == {"theirs": 2}
    before = _events(db, ours[0])
    later = _goes_on(db, tmp_path / "later.zip", other, ours[0])

    preview = import_package(db, later, dry_run=True)
    assert not preview.pending and preview.conflict_count == 0, [c.line() for c in
                                                                 preview.conflicts]
    result = import_package(db, later)  # no --conflicts: nothing to choose
    assert result.written and not result.pending and result.conflict_count == 0
    # the dossier taken goes on; the other (nothing new at the sender) was chosen before
    assert result.dossiers == preview.dossiers == {"changed": 1, "decided": 1}
    assert not result.resolved
    # the sender's one new event appended, nothing else (no second take)
    assert _events(db, ours[0]) == before + [("return_result", "2025-10-20 10:00:00")]
    assert db.execute("SELECT status FROM dossiers WHERE code = ?", [ours[0]]).fetchone()[0] == \
        "returned"
    # the payment this installation had, cancelled by the take, stays cancelled (not deleted)
    assert db.execute("SELECT COUNT(*), COUNT(cancelled_at) FROM payments").fetchone() == (1, 1)
    ok(db)

    written = _written(db)
    for path in (later, package):  # again, and the package taken: nothing asked, nothing written
        for dry_run in (True, False):
            again = import_package(db, path, dry_run=dry_run)
            assert not again.pending and again.conflict_count == 0, again.conflicts
            assert set(again.dossiers) <= {"identical", "older", "decided"}, again.dossiers
            assert _written(db) == written
    ok(db)


def test_the_command_imports_the_next_package_without_conflicts_theirs(db, clash, db_path,
                                                                      tmp_path, capsys):
    package, other, ours = clash
    assert import_package(db, package, conflicts="theirs").written
    later = _goes_on(db, tmp_path / "later.zip", other, ours[0])
    db.close()
    capsys.readouterr()
    argv = ["--db", str(db_path), "exchange", "import", str(later)]
    assert main.main(argv) == 0
    said = capsys.readouterr().out
    assert "thay đổi 1," in said and "xung đột 0," in said, said
    assert main.main(argv) == 0  # again: nothing changes


@pytest.mark.parametrize("fast", [True, False])
def test_the_next_package_of_another_citizens_dossier_taken_goes_on_with_its_votes(
        tmp_path, monkeypatch, built_once, package_format, fast):
    """A clash (two citizens, one code) taken "theirs": An's dossier replaced by Cường's, An's
    vote cancelled. Cường's next package (returned) comes in alone as a change: one dossier,
    Cường's vote, An's still cancelled — both copy paths."""
    monkeypatch.setattr(merge.run, "FAST_COPY", fast)
    g, code, package_a, package_b = _two_citizens_copied(built_once, tmp_path, package_format)
    assert import_packages(g, [package_a]).written
    assert import_packages(g, [package_b], clashes="theirs").written
    figures = _figures(g)
    assert figures == ((1, 0), [(code, "Cường", "dissatisfied")])
    b = open_b(tmp_path)
    later = _goes_on(g, tmp_path / "b2.zip", b, code)
    b.close()
    preview = import_packages(g, [later], dry_run=True)
    assert not preview.pending
    done = import_packages(g, [later])
    assert done.written and not done.pending
    assert [r.dossiers for r in done.results] == [r.dossiers for r in preview.results] == \
        [{"changed": 1}]
    assert _figures(g) == figures
    assert g.execute("SELECT status FROM dossiers WHERE code = ?", [code]).fetchone()[0] == \
        "returned"
    ok(g)
    written = _written(g)
    assert not import_packages(g, [later]).pending
    assert _written(g) == written
    g.close()


def open_b(tmp_path):
    return open_database(tmp_path / "b.db")


@pytest.mark.slot_unconfirmed
def test_after_theirs_at_the_end_of_two_packages_the_senders_next_one_is_a_change(
        tmp_path, built_once, package_format):
    """The version taken at the END of B's two month-ends in one operation (merge._Run,
    `--clashes theirs`): B's third month-end comes in alone as a change."""
    from tests.core.exchange.conftest import clock_at
    g, code, package_a, package_b = _two_citizens_copied(built_once, tmp_path, package_format)
    assert import_packages(g, [package_a]).written
    b = open_b(tmp_path)
    D.return_result(b, D.find_by_code(b, code), at=DAY + dt.timedelta(hours=2))
    b2 = tmp_path / "b2.zip"
    with clock_at(5):
        export_package(b, b2, SINCE)
    assert import_packages(g, [b2, package_b], clashes="theirs").written
    D.correct_field(b, D.find_by_code(b, code), "applicant_phone", "0987654321",
                    reason="Người nộp đổi số điện thoại")
    b3 = tmp_path / "b3.zip"
    with clock_at(10):
        export_package(b, b3, SINCE)
    b.close()
    done = import_packages(g, [b3])
    assert done.written and not done.pending
    assert [r.dossiers for r in done.results] == [{"changed": 1}]
    assert g.execute("SELECT applicant_phone FROM dossiers WHERE code = ?",
                     [code]).fetchone()[0] == "0987654321"
    ok(g)
    g.close()
