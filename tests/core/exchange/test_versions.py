"""Issue 16 §3 (spec 9): the same dossier edited differently at two installations, both
packages imported together at a third: the clerk picks WHICH version (this installation's or
exactly one package's), whatever the order the packages are given in; nothing is written until
every such code has a choice; the same packages again write nothing; who chose is logged."""
from __future__ import annotations

import datetime as dt
import sqlite3
from collections import Counter
from functools import partial
from pathlib import Path

import pytest

from core import dossiers as D
from core import votes
from core.database import open_database
from core.errors import InputError
from core.exchange import compare, export_package, records
from core.exchange.merge import import_packages
from core.exchange.store import stored_choices
from core.labels import STATUS_VI
from core.maintenance.audit import audit_findings
from tests.core.exchange.conftest import DAY, clock_at, copied, office, receive
from tests.core.factories import add_procedures, add_units

pytestmark = pytest.mark.usefixtures("package_format")
SINCE = dt.date(2025, 10, 1)


def state(db, code):
    rec = next(records.dossier_records(db.conn, [D.find_by_code(db, code)], derived=False))
    return records.state(rec), [e[2:] for e in rec["events"]]


def written(db) -> tuple:
    """Everything an import could write: events, settings and their log."""
    return (db.execute("SELECT COUNT(*), MAX(id) FROM events").fetchone(),
            db.execute("SELECT key, value FROM settings ORDER BY key").fetchall(),
            db.execute("SELECT COUNT(*) FROM setting_changes").fetchone())


def clone(db, path):
    target = sqlite3.connect(path)
    db.conn.backup(target)
    target.close()
    return open_database(path)


def ok(db) -> None:
    assert all(f.ok for f in audit_findings(db)), [f.text for f in audit_findings(db)]


def _two_edits(folder: Path, db) -> tuple:
    """The centre received X and sent it to two counters; each went on differently."""
    add_units(db)
    add_procedures(db)
    _, code = receive(db, "Nguyễn Văn Ta")
    start = folder / "start.zip"
    export_package(db, start, SINCE)
    made = []
    for name, slot in (("a", (1, 3)), ("b", (2, 3))):
        pc = office(folder / f"{name}.db", slot, catalogue=False)
        import_packages(pc, [start])
        made.append(pc)
    a, b = made
    D.start_processing(a, D.find_by_code(a, code), at=DAY + dt.timedelta(hours=1))
    D.request_supplement(b, D.find_by_code(b, code), reason="Thiếu bản sao",
                         at=DAY + dt.timedelta(hours=2))
    receive(a, "Lò Văn Sử", minutes=30)  # and each its own new dossier, copied as ever
    receive(b, "Hà Thị Mai", minutes=40)
    pa, pb = folder / "quay-a.zip", folder / "quay-b.zip"
    export_package(a, pa, SINCE)
    with clock_at(1):  # made after A's: merged after it, whatever the order given
        export_package(b, pb, SINCE)
    a.close()
    b.close()
    return (code,)


def built_centre(request, built_once, db_path: Path, package_format: int, builds: dict):
    """The test's `db`: when it takes one of the fixtures named in `builds` (name -> build of
    the centre, test.db as db_path names it, and the rest in a folder, every database closed),
    its own copy at db_path of that centre, made once per module and package format (the
    installation at its place: it may issue codes); else a new database."""
    for name, build in builds.items():
        if name in request.fixturenames:
            folder = built_once((name, package_format), partial(_closed, build=build))[0]
            path = copied(folder / db_path.name, db_path.parent, issues=True)
            assert path == db_path  # where a test's command opens it
            return open_database(path)
    return open_database(db_path)


def _closed(folder: Path, *, build) -> tuple:
    """`build(folder, centre)` on a new centre at folder/test.db, closed after: (folder, what
    the build gave)."""
    centre = open_database(folder / "test.db")
    try:
        return folder, build(folder, centre)
    finally:
        centre.close()


def built(folder: Path, tmp_path: Path, *names: str) -> list[Path]:
    """This test's own copies of a build's files (databases that may issue codes)."""
    return [copied(folder / name, tmp_path, issues=name.endswith(".db")) for name in names]


@pytest.fixture
def db(request, built_once, db_path, package_format):
    database = built_centre(request, built_once, db_path, package_format,
                            {"two_edits": _two_edits})
    yield database
    database.close()


@pytest.fixture
def two_edits(db, built_once, tmp_path, package_format):
    """`_two_edits`, made once per module and package format (`db` is this test's copy of its
    centre): this test's own counters A and B and their packages."""
    folder, (code,) = built_once(("two_edits", package_format), partial(_closed, build=_two_edits))
    pa, pb, a_path, b_path = built(folder, tmp_path, "quay-a.zip", "quay-b.zip", "a.db", "b.db")
    a, b = open_database(a_path), open_database(b_path)
    yield code, pa, pb, a, b
    a.close()
    b.close()


def test_neither_keep_nor_theirs_lets_the_order_decide(two_edits, db):
    """Taken in turn, "theirs" let the last package given win and "keep" the first (the first
    was a fast-forward, the second a conflict with it, shown as "máy này")."""
    code, pa, pb, _, _ = two_edits
    before = state(db, code), written(db)
    for order in ([pa, pb], [pb, pa]):
        for default in ("theirs", "keep", None):
            batch = import_packages(db, order, conflicts=default)
            assert batch.pending and not batch.written, (order, default)
            assert (state(db, code), written(db)) == before
            [crossed] = batch.crossed
            assert crossed.code == code and crossed.chosen is None
            # listed in the operation's order (the moment each was made), the same in both
            assert [v.title for v in crossed.versions] == ["Máy này", "quay-a.zip", "quay-b.zip"]
            here, first, second = crossed.versions
            assert "Nguyễn Văn Ta" in here.description and not here.changes
            said = {v.packages[0]: compare.changes_text(v.changes) for v in (first, second)}
            assert f"trạng thái: {STATUS_VI['received']} → {STATUS_VI['processing']}" in said["quay-a.zip"]
            assert f"trạng thái: {STATUS_VI['received']} → {STATUS_VI['supplement']}" in said["quay-b.zip"]
            assert "lịch sử xử lý: 1 dòng → 2 dòng" in said["quay-a.zip"]
            assert sum(r.conflict_count for r in batch.results) == 2


@pytest.mark.parametrize("pick", ["quay-a.zip", "quay-b.zip", compare.HERE])
def test_the_chosen_version_is_taken_whatever_the_order(two_edits, db, tmp_path, pick):
    code, pa, pb, a, b = two_edits
    first, second = clone(db, tmp_path / "c1.db"), clone(db, tmp_path / "c2.db")
    try:
        one = import_packages(first, [pa, pb], versions={code: pick})
        two = import_packages(second, [pb, pa], versions={code: pick})
        assert one.written and two.written and not one.pending
        assert state(first, code) == state(second, code)
        expected = {"quay-a.zip": a, "quay-b.zip": b, compare.HERE: db}[pick]
        assert state(first, code)[0] == state(expected, code)[0]
        if pick != compare.HERE:  # a fast-forward of the centre's: its history, nothing more
            assert state(first, code)[1] == state(expected, code)[1]
        else:
            assert state(first, code) == state(db, code)
        assert first.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 3
        assert {r.path.rsplit("/", 1)[-1]: dict(r.resolved) for r in one.results} == {
            "quay-a.zip": {"theirs" if pick == "quay-a.zip" else "keep": 1},
            "quay-b.zip": {"theirs" if pick == "quay-b.zip" else "keep": 1}}
        ok(first)
        ok(second)
        # the same packages again, together or each alone, in any order: nothing asked, nothing
        # written
        before = written(first), state(first, code)
        for order in ([pa, pb], [pb, pa], [pa], [pb]):
            again = import_packages(first, order)
            assert not again.pending and not again.crossed, order
            assert (written(first), state(first, code)) == before, order
        again = import_packages(first, [pb, pa], versions={code: pick})  # the same command
        assert not again.pending and (written(first), state(first, code)) == before
        # who chose what: the log of changes names the importer and the package chosen
        logged = first.execute("SELECT actor, new_value FROM setting_changes WHERE key LIKE "
                               "'exchange_choices:%'").fetchall()
        assert logged and all(actor and code in value for actor, value in logged)
        choices = {e["package"].split(" ")[0]: e["choice"]
                   for e in stored_choices(first.conn, code).values()}
        assert choices == {"quay-a.zip": "theirs" if pick == "quay-a.zip" else "keep",
                           "quay-b.zip": "theirs" if pick == "quay-b.zip" else "keep"}
    finally:
        first.close()
        second.close()


def test_a_wrong_choice_is_refused_in_vietnamese_and_writes_nothing(two_edits, db):
    code, pa, pb, _, _ = two_edits
    before = state(db, code), written(db)
    with pytest.raises(InputError, match="'khong-co.zip' không phải gói nào đang nhập"):
        import_packages(db, [pa, pb], versions={code: "khong-co.zip"})
    with pytest.raises(InputError, match="X-000: không gói nào đang nhập có hồ sơ này"):
        import_packages(db, [pa, pb], versions={code: "here", "X-000": "quay-a.zip"})
    assert (state(db, code), written(db)) == before
    assert db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 1


def test_a_code_not_in_conflict_cannot_be_chosen(two_edits, db, tmp_path):
    code, pa, pb, a, _ = two_edits
    lone = next(c for c, in a.execute("SELECT code FROM dossiers") if c != code)
    before = written(db)
    with pytest.raises(InputError, match=f"Hồ sơ {lone}: .*không có phiên bản nào xung đột"):
        import_packages(db, [pa, pb], versions={code: "here", lone: "quay-a.zip"})
    with pytest.raises(InputError, match="gói quay-b.zip không có hồ sơ này"):
        import_packages(db, [pa, pb], versions={code: "here", lone: "quay-b.zip"})
    assert written(db) == before


def test_a_code_the_centre_lacks_is_chosen_among_the_packages(tmp_path, db):
    """Two counters both had X (one sent it to the other) and went on differently; the
    centre never had it: 'this installation's version' is no choice."""
    add_units(db)
    add_procedures(db)
    a = office(tmp_path / "a.db", (1, 3))
    b = office(tmp_path / "b.db", (2, 3), catalogue=False)
    try:
        _, code = receive(a, "Vi Văn Khác")
        start = tmp_path / "start.zip"
        export_package(a, start, SINCE)
        import_packages(b, [start])
        D.start_processing(a, D.find_by_code(a, code), at=DAY + dt.timedelta(hours=1))
        votes.add_vote(a, unit_code="U1", voted_at=DAY + dt.timedelta(hours=1),  # waits for X
                       rating="satisfied", dossier_id=D.find_by_code(a, code))
        D.request_supplement(b, D.find_by_code(b, code), reason="Thiếu ảnh",
                             at=DAY + dt.timedelta(hours=2))
        pa, pb = tmp_path / "quay-a.zip", tmp_path / "quay-b.zip"
        export_package(a, pa, SINCE)
        with clock_at(1):  # made after A's: A's version listed first, whatever the order given
            export_package(b, pb, SINCE)
        preview = import_packages(db, [pb, pa], dry_run=True)
        [crossed] = preview.crossed
        assert [v.title for v in crossed.versions] == ["quay-a.zip", "quay-b.zip"]
        # what differs, against the first package's version (there is none here)
        assert crossed.versions[1].differs_text().startswith(
            f"khác quay-a.zip: trạng thái: {STATUS_VI['processing']} → "
            f"{STATUS_VI['supplement']}")
        with pytest.raises(InputError, match="máy này chưa có hồ sơ này"):
            import_packages(db, [pa, pb], versions={code: "here"})
        assert db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 0
        done = import_packages(db, [pb, pa], versions={code: "quay-b.zip"})
        assert done.written and state(db, code)[0] == state(b, code)[0]
        assert db.execute("SELECT d.code FROM votes v JOIN dossiers d ON d.id = v.dossier_id"
                          ).fetchall() == [(code,)]
        ok(db)
        before = written(db)
        assert not import_packages(db, [pa, pb]).pending and written(db) == before
    finally:
        a.close()
        b.close()


def test_a_package_that_leaves_the_dossier_as_it_is_here_makes_no_choice_of_versions(
        tmp_path, db):
    """One counter sends X unchanged (identical to this PC's), another changed it while this
    PC did too: a conflict between this PC and ONE package, decided by keep/theirs as ever,
    the same in either order."""
    add_units(db)
    add_procedures(db)
    dossier_id, code = receive(db, "Nguyễn Văn Ta")
    start = tmp_path / "start.zip"
    export_package(db, start, SINCE)
    a = office(tmp_path / "a.db", (1, 3), catalogue=False)
    b = office(tmp_path / "b.db", (2, 3), catalogue=False)
    try:
        for pc in (a, b):
            import_packages(pc, [start])
        D.start_processing(b, D.find_by_code(b, code), at=DAY + dt.timedelta(hours=1))
        D.extend(db, dossier_id, new_due_at=DAY + dt.timedelta(days=9), reason="Cần xác minh",
                 at=DAY + dt.timedelta(hours=2))
        pa, pb = tmp_path / "quay-a.zip", tmp_path / "quay-b.zip"
        export_package(a, pa, SINCE)
        export_package(b, pb, SINCE)
        for order in ([pa, pb], [pb, pa]):
            preview = import_packages(db, order, dry_run=True)
            assert not preview.crossed and [c.code for c in preview.combined().conflicts] == [code]
        first, second = clone(db, tmp_path / "c1.db"), clone(db, tmp_path / "c2.db")
        try:
            assert import_packages(first, [pa, pb], conflicts="theirs").written
            assert import_packages(second, [pb, pa], conflicts="theirs").written
            assert state(first, code)[0] == state(second, code)[0] == state(b, code)[0]
        finally:
            first.close()
            second.close()
    finally:
        a.close()
        b.close()


def test_a_line_not_taken_is_asked_again_when_its_sender_goes_on(two_edits, db, tmp_path):
    """This PC's version was chosen over both counters'; counter A's was a plain continuation
    of this PC's. When A goes on with the dossier, its next package would have fast-forwarded
    it silently over the clerk's choice: it is asked again, as a conflict."""
    code, pa, pb, a, _ = two_edits
    assert import_packages(db, [pa, pb], versions={code: compare.HERE}).written
    before = state(db, code)
    D.finish(a, D.find_by_code(a, code), at=DAY + dt.timedelta(hours=5))
    later = tmp_path / "quay-a-sau.zip"
    export_package(a, later, SINCE)
    again = import_packages(db, [later])
    assert again.pending and [c.code for c in again.results[0].conflicts] == [code]
    assert state(db, code) == before
    taken = import_packages(db, [later], conflicts="theirs")
    assert taken.written and state(db, code)[0] == state(a, code)[0]
    ok(db)


@pytest.mark.parametrize("pick", ["quay-a.zip", "quay-b.zip"])
def test_a_vote_both_packages_carry_is_one_vote(tmp_path, db, pick):
    """Round 17 review: a code the centre lacks went from counter A to counter B with a vote on
    it; both edited the dossier differently. Chosen among the versions, the centre stored the
    vote twice (each package's set-aside votes matched only against the votes before it), and
    `check` said nothing; in turn, one."""
    add_units(db)
    add_procedures(db)
    a = office(tmp_path / "a.db", (1, 3))
    b = office(tmp_path / "b.db", (2, 3), catalogue=False)
    _, code = receive(a, "Vi Văn Khác")
    votes.add_vote(a, unit_code="U1", voted_at=DAY + dt.timedelta(minutes=30),
                   rating="satisfied", dossier_id=D.find_by_code(a, code))
    start = tmp_path / "start.zip"
    export_package(a, start, SINCE)
    import_packages(b, [start])
    D.start_processing(a, D.find_by_code(a, code), at=DAY + dt.timedelta(hours=1))
    D.request_supplement(b, D.find_by_code(b, code), reason="Thiếu ảnh",
                         at=DAY + dt.timedelta(hours=2))
    pa, pb = tmp_path / "quay-a.zip", tmp_path / "quay-b.zip"
    export_package(a, pa, SINCE)
    export_package(b, pb, SINCE)
    assert import_packages(db, [pa, pb], versions={code: pick}).written
    assert db.execute("SELECT COUNT(*) FROM votes").fetchone()[0] == 1
    before = written(db)
    import_packages(db, [pa, pb])
    assert written(db) == before
    assert db.execute("SELECT COUNT(*) FROM votes").fetchone()[0] == 1
    ok(db)
    a.close()
    b.close()


def test_a_package_going_on_from_here_beside_one_in_conflict_is_seen_in_either_order(
        tmp_path, db):
    """Round 17 review: this PC extended a dossier after counter A took it; counter B took the
    extended one and went on, A went on from the older one. Given [A, B], the preview showed a
    plain conflict (B only moves this PC's version on); given [B, A], a choice among versions.
    Three versions are not one line of history, whatever the order."""
    add_units(db)
    add_procedures(db)
    did, code = receive(db, "Nguyễn Văn Ta")
    s0 = tmp_path / "s0.zip"
    export_package(db, s0, SINCE)
    a = office(tmp_path / "a.db", (2, 3), catalogue=False)
    import_packages(a, [s0])
    D.extend(db, did, new_due_at=DAY + dt.timedelta(days=9), reason="Cần xác minh",
             at=DAY + dt.timedelta(hours=2))
    s1 = tmp_path / "s1.zip"
    export_package(db, s1, SINCE)
    b = office(tmp_path / "b.db", (3, 3), catalogue=False)
    import_packages(b, [s1])
    D.start_processing(a, D.find_by_code(a, code), at=DAY + dt.timedelta(hours=1))
    D.start_processing(b, D.find_by_code(b, code), at=DAY + dt.timedelta(hours=3))
    pa, pb = tmp_path / "quay-a.zip", tmp_path / "quay-b.zip"
    export_package(a, pa, SINCE)
    export_package(b, pb, SINCE)
    seen = []
    for number, order in enumerate(([pa, pb], [pb, pa])):
        centre = clone(db, tmp_path / f"c{number}.db")
        preview = import_packages(centre, order, dry_run=True)
        kept = import_packages(centre, order, conflicts="keep")
        seen.append(([c.code for c in preview.crossed], kept.written, kept.pending))
        centre.close()
    assert seen[0] == seen[1] and seen[0][0] == [code] and not seen[0][1]
    a.close()
    b.close()


@pytest.mark.parametrize("pick", ["quay-a.zip", "quay-b.zip"])
def test_the_preview_counts_the_votes_on_a_code_awaiting_a_choice_as_the_import_writes_them(
        tmp_path, db, pick):
    """Round 20: a preview said 356 new votes, the import with the choice made wrote 362. The
    votes on a code this centre lacks wait for its dossier (set aside: _Run.deferred_votes);
    while its version is still to choose, nothing is written and those votes were left out of
    the counts. Whatever version is chosen, the dossier comes with that code and every one of
    those votes attaches to it: the preview counts them as the import then does (new, the same
    vote in both packages once, a cancellation a change)."""
    add_units(db)
    add_procedures(db)
    a = office(tmp_path / "a.db", (1, 3))
    b = office(tmp_path / "b.db", (2, 3), catalogue=False)
    try:
        _, code = receive(a, "Vi Văn Khác")
        votes.add_vote(a, unit_code="U1", voted_at=DAY + dt.timedelta(minutes=30),
                       rating="satisfied", dossier_id=D.find_by_code(a, code))
        start = tmp_path / "start.zip"
        export_package(a, start, SINCE)
        import_packages(b, [start])
        D.start_processing(a, D.find_by_code(a, code), at=DAY + dt.timedelta(hours=1))
        D.request_supplement(b, D.find_by_code(b, code), reason="Thiếu ảnh",
                             at=DAY + dt.timedelta(hours=2))
        shared = b.execute("SELECT id FROM votes").fetchone()[0]
        votes.cancel_vote(b, shared, reason="Phiếu ghi nhầm")
        votes.add_vote(b, unit_code="U1", voted_at=DAY + dt.timedelta(hours=2),
                       rating="satisfied", dossier_id=D.find_by_code(b, code))
        pa, pb = tmp_path / "quay-a.zip", tmp_path / "quay-b.zip"
        export_package(a, pa, SINCE)
        with clock_at(1):
            export_package(b, pb, SINCE)
        for order in ([pa, pb], [pb, pa]):
            preview = import_packages(db, order, dry_run=True)
            assert preview.pending and [c.code for c in preview.crossed] == [code]
            said = [dict(r.votes) for r in preview.results]
            chosen = import_packages(db, order, dry_run=True, versions={code: pick})
            assert [dict(r.votes) for r in chosen.results] == said, order
            # merged in the operation's order (A's package made first): A's copy of the
            # shared vote new, B's its cancellation, B's own vote new
            assert preview.total("votes") == Counter({compare.NEW: 2, compare.CHANGED: 1})
        done = import_packages(db, [pb, pa], versions={code: pick})
        assert done.total("votes") == preview.total("votes")
        assert db.execute("SELECT COUNT(*), COUNT(cancelled_at) FROM votes").fetchone() == (2, 1)
        ok(db)
    finally:
        a.close()
        b.close()
