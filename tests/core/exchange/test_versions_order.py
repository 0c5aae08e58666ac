"""Issue 16 §3 (spec 9), round 18 review: the result of importing several packages together
does not depend on the order of the files. The packages' versions of one code are compared
with each other: a counter that took another's package and went on supersedes it (no choice
of versions); a choice is asked only when the versions truly diverge. An earlier "keep this
installation's" is honoured when the code is set aside too."""
from __future__ import annotations

import datetime as dt
import itertools
import json
import zipfile
from functools import partial
from pathlib import Path

import pytest

from core import dossiers as D
from core.database import open_database
from core.errors import InputError
from core.exchange import compare, export_package
from core.exchange.cli import stop_text
from core.exchange.merge import import_packages
from core.exchange.package import MANIFEST
from core.maintenance import audit
from db import chain
from tests.core.exchange.conftest import DAY, clock_at, office, receive, repack
from tests.core.exchange.test_versions import (  # noqa: F401 (two_edits: a fixture)
    SINCE,
    _closed,
    _two_edits,
    built,
    built_centre,
    clone,
    ok,
    state,
    two_edits,
    written,
)
from tests.core.factories import add_procedures, add_units

pytestmark = pytest.mark.usefixtures("package_format")


def everything(db) -> tuple:
    """What an import leaves that must not depend on the order of its packages: every
    dossier's state and history, the chain's head, the votes and the day's figures."""
    codes = [c for c, in db.execute("SELECT code FROM dossiers ORDER BY code")]
    return ([state(db, c) for c in codes],
            db.execute("SELECT COUNT(*), hex(hash) FROM events WHERE id = "
                       "(SELECT MAX(id) FROM events)").fetchone(),
            db.execute("SELECT * FROM kpi_daily ORDER BY 1, 2, 3").fetchall()
            if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'kpi_daily'").fetchone()
            else None)


@pytest.fixture
def db(request, built_once, db_path, package_format):
    """A new database, or this test's copy of the centre `two_edits`, `three` or `three_z` made
    once per module and package format (test_versions.built_centre)."""
    database = built_centre(request, built_once, db_path, package_format, BUILDS)
    yield database
    database.close()


@pytest.fixture
def three(tmp_path, db, built_once, package_format):
    x, y, _, pa, pb, pc, pcs = _three_copied(tmp_path, built_once, package_format, "three")
    yield x, y, pa, pb, pc, pcs
    for pc_db in pcs.values():
        pc_db.close()


@pytest.fixture
def three_z(tmp_path, db, built_once, package_format):
    made = _three_copied(tmp_path, built_once, package_format, "three_z")
    yield made
    for pc_db in made[-1].values():
        pc_db.close()


def _three_files(folder: Path, db, with_z: bool) -> tuple:
    """`_three` in `folder`, the counters closed: the codes x, y and z."""
    x, y, z, _pa, _pb, _pc, pcs = _three(folder, db, with_z)
    for pc_db in pcs.values():
        pc_db.close()
    return x, y, z


BUILDS = {"two_edits": _two_edits, "three": partial(_three_files, with_z=False),
          "three_z": partial(_three_files, with_z=True)}


def _three_copied(tmp_path, built_once, package_format, name: str) -> tuple:
    """`_three` (`name`: without Z or with it) made once per module and package format (`db`
    is this test's copy of its centre): this test's own counters and packages."""
    folder, (x, y, z) = built_once((name, package_format), partial(_closed, build=BUILDS[name]))
    pa, pb, pc, *paths = built(folder, tmp_path, "quay-a.zip", "quay-b.zip", "quay-c.zip",
                               "a.db", "b.db", "c.db")
    pcs = {name: open_database(path) for name, path in zip("abc", paths, strict=True)}
    return x, y, z, pa, pb, pc, pcs


def _three(tmp_path, db, with_z: bool) -> tuple:
    """The centre sent X and Y to three counters. A went on with both; B took A's package and
    went on with X (B's X goes on from A's, its Y is A's); C went on with X from the centre's
    (a true conflict with A's and B's). `with_z`: A received Z, new to the centre, which B went
    on with (one line of history, not set aside)."""
    add_units(db)
    add_procedures(db)
    _, x = receive(db, "Nguyễn Văn Ta")
    _, y = receive(db, "Trần Văn Yên", minutes=5)
    start = tmp_path / "start.zip"
    export_package(db, start, SINCE)
    pcs = {}
    for name, slot in (("a", (1, 4)), ("b", (2, 4)), ("c", (3, 4))):
        pcs[name] = office(tmp_path / f"{name}.db", slot, catalogue=False)
        import_packages(pcs[name], [start])
    a, b, c = pcs["a"], pcs["b"], pcs["c"]
    D.start_processing(a, D.find_by_code(a, x), at=DAY + dt.timedelta(hours=1))
    D.start_processing(a, D.find_by_code(a, y), at=DAY + dt.timedelta(hours=1))
    z = receive(a, "Lê Thị Dung", minutes=30)[1] if with_z else None
    pa = tmp_path / "quay-a.zip"
    export_package(a, pa, SINCE)
    import_packages(b, [pa])
    if with_z:
        D.start_processing(b, D.find_by_code(b, z), at=DAY + dt.timedelta(hours=2))
    D.request_supplement(b, D.find_by_code(b, x), reason="Thiếu bản sao",
                         at=DAY + dt.timedelta(hours=2))
    D.extend(c, D.find_by_code(c, x), new_due_at=DAY + dt.timedelta(days=9),
             reason="Cần xác minh", at=DAY + dt.timedelta(hours=3))
    pb, pc = tmp_path / "quay-b.zip", tmp_path / "quay-c.zip"
    with clock_at(1):  # B's made after A's, whose package it took; C's after both
        export_package(b, pb, SINCE)
    with clock_at(2):
        export_package(c, pc, SINCE)
    return x, y, z, pa, pb, pc, pcs


def test_a_counter_going_on_from_anothers_package_supersedes_it_in_any_order(tmp_path, db):
    """Round 18 review: B took A's package and went on; the centre had changed X itself.
    Given [A, B] with --conflicts theirs the import asked for a choice of versions; given
    [B, A] it took B's. Now: one conflict between this installation's and B's (A's is the
    start of B's), decided by keep/theirs, in either order, with the same result."""
    add_units(db)
    add_procedures(db)
    did, x = receive(db, "Nguyễn Văn Ta")
    start = tmp_path / "start.zip"
    export_package(db, start, SINCE)
    a = office(tmp_path / "a.db", (1, 3), catalogue=False)
    b = office(tmp_path / "b.db", (2, 3), catalogue=False)
    import_packages(a, [start])
    D.start_processing(a, D.find_by_code(a, x), at=DAY + dt.timedelta(hours=1))
    pa = tmp_path / "quay-a.zip"
    export_package(a, pa, SINCE)
    import_packages(b, [pa])
    D.request_supplement(b, D.find_by_code(b, x), reason="Thiếu ảnh",
                         at=DAY + dt.timedelta(hours=2))
    pb = tmp_path / "quay-b.zip"
    export_package(b, pb, SINCE)
    D.extend(db, did, new_due_at=DAY + dt.timedelta(days=9), reason="Cần xác minh",
             at=DAY + dt.timedelta(hours=3))
    seen = {}
    for number, order in enumerate(([pa, pb], [pb, pa])):
        preview = import_packages(db, order, dry_run=True)
        assert not preview.crossed, order
        assert {c.code for c in preview.combined().conflicts} == {x}
        # one dossier to decide (each package's record listed), as `--dry-run` says it
        assert "- 1 hồ sơ xung đột chưa chọn" in stop_text(preview)
        # A's line says that taking "the package's" takes B's, which goes on from it
        said = {c.package: c.line() for c in preview.combined().conflicts}
        assert said["quay-a.zip"].endswith("(gói quay-b.zip đi tiếp bản này: lấy theo gói là "
                                           "lấy bản của gói quay-b.zip)"), said
        assert "đi tiếp" not in said["quay-b.zip"]
        for default in ("theirs", "keep"):
            centre = clone(db, tmp_path / f"c{number}{default}.db")
            done = import_packages(centre, order, conflicts=default)
            assert done.written and not done.crossed, (order, default)
            seen[(number, default)] = everything(centre)
            if default == "theirs":
                assert state(centre, x)[0] == state(b, x)[0]
                assert {r.path.rsplit("/", 1)[-1]: dict(r.resolved) for r in done.results} == \
                    {"quay-a.zip": {}, "quay-b.zip": {"theirs": 1}}
            else:
                assert state(centre, x) == state(db, x)
            ok(centre)
            before = written(centre)  # again, in any order or alone: nothing asked or written
            for again in ([pa, pb], [pb, pa], [pa], [pb]):
                assert not import_packages(centre, again).pending, (again, default)
            assert written(centre) == before
            centre.close()
    assert seen[(0, "theirs")] == seen[(1, "theirs")]
    assert seen[(0, "keep")] == seen[(1, "keep")]
    a.close()
    b.close()


def test_three_packages_in_every_order_give_one_database(three, db, tmp_path):
    """A fast-forward chain (A then B on X and Y) and a true conflict (C on X): the preview
    lists X with this installation's, B's (going on from A's) and C's, never A's; Y goes on
    to A's without a question; every order of the three files gives the same database, chain
    head and figures, for each choice."""
    x, y, pa, pb, pc, pcs = three
    for order in itertools.permutations([pa, pb, pc]):
        preview = import_packages(db, list(order), dry_run=True)
        [crossed] = preview.crossed
        assert crossed.code == x, order
        titles = [v.title for v in crossed.versions]
        assert titles[0] == compare.HERE_VI and sorted(titles[1:]) == ["quay-b.zip", "quay-c.zip"]
        [b_version] = [v for v in crossed.versions if v.title == "quay-b.zip"]
        assert b_version.continues == ["quay-a.zip"]
        assert "(đi tiếp bản của gói quay-a.zip)" in crossed.line()
        with pytest.raises(InputError, match="quay-a.zip đã được gói quay-b.zip nhận rồi xử lý"):
            import_packages(db, list(order), versions={x: "quay-a.zip"})
    for pick, expected in (("quay-b.zip", pcs["b"]), ("quay-c.zip", pcs["c"]),
                           (compare.HERE, db)):
        results = set()
        for number, order in enumerate(itertools.permutations([pa, pb, pc])):
            centre = clone(db, tmp_path / f"p{number}.db")
            done = import_packages(centre, list(order), versions={x: pick})
            assert done.written and not done.pending, (pick, order)
            assert state(centre, x)[0] == state(expected, x)[0]
            assert state(centre, y)[0] == state(pcs["a"], y)[0]
            results.add(repr(everything(centre)))
            if number == 0:
                ok(centre)
                before = written(centre)
                for again in itertools.permutations([pa, pb, pc]):
                    assert not import_packages(centre, list(again)).pending, again
                assert written(centre) == before
            centre.close()
        assert len(results) == 1, pick


def test_the_preview_says_the_same_in_every_order_and_what_the_import_writes(three_z, db,
                                                                            db_path, tmp_path,
                                                                            capsys):
    """Issue 16 §3, round 19: the counts of codes on one line of history merged in turn (Y:
    A's goes on from here, B brings A's, C this installation's; Z: new, B goes on from A's)
    depended on the order of the files (given [B, A], A's Z was "older", given [A, B] B's
    "changed" beside A's "new"), while the database did not. Now each package's record is
    counted against this installation's version and the end of its line, as a code set aside
    is: the same preview in every order, the core's (the window's) and the command's, and its
    totals are what the import writes (new dossiers made, dossiers moved on)."""
    import main
    x, y, z, pa, pb, pc, pcs = three_z
    choice = {x: "quay-b.zip"}
    counts, lines = set(), set()
    for number, order in enumerate(itertools.permutations([pa, pb, pc])):
        preview = import_packages(db, list(order), dry_run=True, versions=choice)
        each = sorted((r.path, sorted(r.dossiers.items()), sorted(r.votes.items()))
                      for r in preview.results)
        counts.add(repr((each, sorted(preview.combined().dossiers.items()))))
        capsys.readouterr()
        assert main.main(["--db", str(db_path), "exchange", "import", "--dry-run",
                          *map(str, order), "--choose", f"{x}=quay-b.zip"]) == 0
        out, err = capsys.readouterr()
        lines.add((tuple(sorted(out.splitlines())), tuple(sorted(err.splitlines()))))
        centre = clone(db, tmp_path / f"w{number}.db")
        codes = {c for c, in centre.execute("SELECT code FROM dossiers")}
        before = {c: state(centre, c) for c in codes}
        done = import_packages(centre, list(order), versions=choice)
        assert [dict(r.dossiers) for r in done.results] == \
            [dict(r.dossiers) for r in preview.results], order
        made = {c for c, in centre.execute("SELECT code FROM dossiers")} - codes
        moved = {c for c in codes if state(centre, c) != before[c]}
        total = done.combined().dossiers
        assert made == {z} and total["new"] == len(made), (order, total)
        assert moved - {x} == {y} and total["changed"] == len(moved - {x}), (order, total)
        assert state(centre, z)[0] == state(pcs["b"], z)[0]
        centre.close()
    assert len(counts) == 1, counts
    assert len(lines) == 1, lines


def merged_whole(db) -> tuple:
    """Beyond `everything`: each event in the chain's order (by id) with its dossier's code,
    each dossier's id, each vote's, the chain's head as the audit shows and prints it (its
    full hash too), and the choices remembered."""
    head = audit.chain_head(db)
    return (everything(db),
            db.execute("SELECT e.id, d.code, e.at, e.action, e.to_status, e.reason, e.details, "
                       "hex(e.hash) FROM events e JOIN dossiers d ON d.id = e.dossier_id "
                       "ORDER BY e.id").fetchall(),
            db.execute("SELECT id, code FROM dossiers ORDER BY id").fetchall(),
            db.execute("SELECT v.id, d.code, v.voted_at, v.rating FROM votes v LEFT JOIN "
                       "dossiers d ON d.id = v.dossier_id ORDER BY v.id").fetchall(),
            (head.event_id, head.fingerprint) if head else None, chain.head(db.conn),
            db.execute("SELECT key, value FROM settings WHERE key LIKE 'exchange_choice%' "
                       "ORDER BY key").fetchall())


def _one_moment(paths: list) -> None:
    """The packages as if all made at the same second (their manifests' created_at): the
    operation's order then falls to the installations that made them."""
    for path in paths:
        with zipfile.ZipFile(path) as archive:
            members = {i.filename: archive.read(i.filename) for i in archive.infolist()}
        manifest = json.loads(members[MANIFEST])
        manifest["created_at"] = "2025-10-20 16:00:00"
        members[MANIFEST] = json.dumps(manifest).encode()
        repack(members, path)


@pytest.mark.parametrize("moments", ["as made", "one moment"])
def test_a_new_dossier_a_later_package_goes_on_from_is_written_alike_in_every_order(
        three_z, db, tmp_path, moments):
    """Issue 16 §3, round 20: Z is new to the centre, A received it and B took A's package and
    went on with it. Format 3 copied a new dossier by SQL in its package's turn: given [A, B]
    Z's receipt went in with A's part and its next step with B's records after Y's, given
    [B, A] both with B's part before Y's — the events in another order, another chain head
    (the audit's fingerprint), though every dossier read the same; and two independent
    packages' new dossiers took their ids in the order of the files. Now the packages are
    merged in an order of their own (merge.merge_order: the moment made, then the
    installation): in all 6 orders the same rows with the same ids, the events in the same
    order, the same chain head and figures, the same counts and notes for each package (listed
    as given). `moments`: as made (B after A: A's merged first), or all at one second."""
    x, y, z, pa, pb, pc, pcs = three_z
    if moments == "one moment":
        _one_moment([pa, pb, pc])
    choice = {x: "quay-b.zip"}
    seen, said = set(), set()
    for number, order in enumerate(itertools.permutations([pa, pb, pc])):
        centre = clone(db, tmp_path / f"o{number}.db")
        done = import_packages(centre, list(order), versions=choice)
        assert done.written and not done.pending, order
        assert [r.path for r in done.results] == [str(p) for p in order]  # listed as given
        assert state(centre, z)[0] == state(pcs["b"], z)[0]
        seen.add(repr(merged_whole(centre)))
        said.add(repr(sorted((Path(r.path).name, sorted(r.dossiers.items()),
                              sorted(r.votes.items()), r.warnings,
                              [c.code for c in r.conflicts], r.new_ids)
                             for r in done.results)))
        ok(centre)
        centre.close()
    assert len(seen) == 1, seen
    assert len(said) == 1, said


def test_an_earlier_keep_is_honoured_for_a_code_set_aside(two_edits_kept, tmp_path):
    """Round 18 review: `kept_from` was not applied to a code set aside. The clerk kept this
    installation's over counter A's; A went on twice and both its packages come in one
    import (the second goes on from the first). Each alone asks again; together, set aside,
    the later one was fast-forwarded silently over the clerk's choice."""
    db, code, a, later = two_edits_kept
    before = state(db, code)
    for order in (later, later[::-1]):
        again = import_packages(db, order)
        assert again.pending and not again.crossed, order
        assert [c.code for c in again.combined().conflicts] == [code, code]
        assert state(db, code) == before
        with pytest.raises(InputError, match="quay-a-2.zip đã được gói quay-a-3.zip nhận"):
            import_packages(db, order, versions={code: "quay-a-2.zip"})
    kept = clone(db, tmp_path / "kept.db")  # this PC's again: both of A's records remembered
    assert import_packages(kept, later[::-1], conflicts="keep").written
    held = written(kept)
    for again in (later, later[::-1], later[:1], later[1:]):
        assert not import_packages(kept, again).pending, again
    assert written(kept) == held and state(kept, code) == before
    kept.close()
    taken = import_packages(db, later, versions={code: "quay-a-3.zip"})
    assert taken.written and state(db, code)[0] == state(a, code)[0]
    ok(db)


@pytest.fixture
def two_edits_kept(two_edits, db, tmp_path):  # noqa: F811 (the fixture imported)
    code, pa, pb, a, _ = two_edits
    assert import_packages(db, [pa, pb], versions={code: compare.HERE}).written
    D.finish(a, D.find_by_code(a, code), at=DAY + dt.timedelta(hours=5))
    second = tmp_path / "quay-a-2.zip"
    export_package(a, second, SINCE)
    D.return_result(a, D.find_by_code(a, code), at=DAY + dt.timedelta(hours=6))
    third = tmp_path / "quay-a-3.zip"
    export_package(a, third, SINCE)
    yield db, code, a, [second, third]



def test_the_choices_of_an_operation_are_one_record_a_sender(tmp_path, db):
    """Round 18 review: one settings row (and one line of the log) was written per code chosen:
    thousands at a month-end. Now one a sender and operation, with every code, record and
    choice, who made it (the log) and when; the same packages again ask and write nothing."""
    add_units(db)
    add_procedures(db)
    codes = [receive(db, f"Người nộp {n}", minutes=n)[1] for n in range(12)]
    start = tmp_path / "start.zip"
    export_package(db, start, SINCE)
    a = office(tmp_path / "a.db", (1, 3), catalogue=False)
    b = office(tmp_path / "b.db", (2, 3), catalogue=False)
    for pc in (a, b):
        import_packages(pc, [start])
    for code in codes:
        D.start_processing(a, D.find_by_code(a, code), at=DAY + dt.timedelta(hours=1))
        D.request_supplement(b, D.find_by_code(b, code), reason="Thiếu ảnh",
                             at=DAY + dt.timedelta(hours=2))
    pa, pb = tmp_path / "quay-a.zip", tmp_path / "quay-b.zip"
    export_package(a, pa, SINCE)
    export_package(b, pb, SINCE)
    before = db.execute("SELECT COUNT(*) FROM setting_changes").fetchone()[0]
    picks = {code: ("quay-a.zip" if n % 2 else compare.HERE) for n, code in enumerate(codes)}
    assert import_packages(db, [pa, pb], versions=picks).written
    rows = db.execute("SELECT key, value FROM settings WHERE key LIKE 'exchange_choice%'"
                      ).fetchall()
    assert len(rows) == 2, [k for k, _ in rows]  # one per sender (A's taken or kept; B's kept)
    logged = db.execute("SELECT key, actor FROM setting_changes WHERE id > ? AND area = "
                        "'exchange' AND key LIKE 'exchange_choice%'", [before]).fetchall()
    assert len(logged) == 2 and all(actor for _, actor in logged)
    from core.exchange.store import stored_choices
    for code, pick in picks.items():
        said = {e["package"].split(" ")[0]: e["choice"] for e in stored_choices(db.conn, code
                                                                               ).values()}
        assert said == {"quay-a.zip": "theirs" if pick != compare.HERE else "keep",
                        "quay-b.zip": "keep"}, code
    held = written(db)
    assert not import_packages(db, [pb, pa]).pending and written(db) == held
    ok(db)
    a.close()
    b.close()


def test_a_version_not_taken_before_chosen_again_is_taken_and_logged(two_edits, db):  # noqa: F811
    """A clerk ran the import choosing this PC's version, then again naming counter A's. Round
    18 wrote nothing and said the first choice holds, with no way out. Issue 16 §3, round 19:
    what a clerk expects — an explicit new choice for that code overrides the earlier one,
    and is recorded as every choice is (setting_changes: who, when); without one (the same
    packages again, or --choose here) the earlier choice holds and nothing is asked."""
    code, pa, pb, a, _ = two_edits
    assert import_packages(db, [pa, pb], versions={code: compare.HERE}).written
    here = state(db, code)
    for default in (None, "keep", "theirs"):  # no explicit choice: nothing asked or written
        before = written(db)
        again = import_packages(db, [pa, pb], conflicts=default)
        assert again.written and not again.pending and written(db) == before, default
        assert state(db, code) == here
    logged = db.execute("SELECT COUNT(*) FROM setting_changes").fetchone()[0]
    taken = import_packages(db, [pb, pa], versions={code: "quay-a.zip"})
    assert taken.written and not taken.pending
    assert state(db, code)[0] == state(a, code)[0]
    assert not [w for w in taken.combined().warnings if "lần nhập trước" in w]
    rows = db.execute("SELECT key, actor, at FROM setting_changes WHERE id > ? AND area = "
                      "'exchange'", [logged]).fetchall()
    assert rows and all(actor and at for _, actor, at in rows), rows
    from core.exchange.store import stored_choices
    said = {e["package"].split(" ")[0]: e["choice"] for e in stored_choices(db.conn, code
                                                                           ).values()}
    assert said == {"quay-a.zip": "theirs", "quay-b.zip": "keep"}
    held = written(db), state(db, code)
    for again in ([pa, pb], [pb, pa], [pa], [pb]):  # the new choice holds in its turn
        assert not import_packages(db, again).pending, again
    assert import_packages(db, [pa, pb], versions={code: "quay-a.zip"}).written
    assert (written(db), state(db, code)) == held
    ok(db)


def test_the_command_says_how_to_change_an_earlier_choice_and_one_package_can(two_edits, db,  # noqa: F811
                                                                              db_path, capsys):
    """Issue 16 §3, round 19: conflicts chosen before are not asked again; the command names
    how to change one (--choose, recorded), and it works for one package alone too."""
    import main
    from core.exchange.decide import CHANGE_EARLIER_VI
    code, pa, pb, a, _ = two_edits
    assert import_packages(db, [pa, pb], versions={code: compare.HERE}).written
    capsys.readouterr()
    assert main.main(["--db", str(db_path), "exchange", "import", "--dry-run", str(pa)]) == 0
    assert f"Lưu ý: {CHANGE_EARLIER_VI}" in capsys.readouterr().err
    assert main.main(["--db", str(db_path), "exchange", "import", str(pa), "--choose",
                      f"{code}=quay-a.zip"]) == 0
    assert state(db, code)[0] == state(a, code)[0]
    capsys.readouterr()
    assert main.main(["--db", str(db_path), "exchange", "import", str(pa)]) == 0
    assert CHANGE_EARLIER_VI not in capsys.readouterr().err  # A's is here: nothing chosen
    ok(db)


def test_choosing_a_version_older_than_this_pcs_says_so_and_writes_nothing(two_edits, db,  # noqa: F811
                                                                           db_path, capsys):
    """Issue 16 §3, round 19 review: `--choose MÃ=GÓI` naming a package whose record this PC
    already went on from (taken plainly at an earlier import, no choice recorded) did nothing
    and said nothing. A clerk's explicit choice is never ignored silently: the command (and
    its preview) says, for that code, that the version is older than this PC's, as for one not
    taken before (a warning: exit 0, nothing written for that code)."""
    import main
    from core.exchange.decide import older_choice_text
    code, pa, _, a, _ = two_edits
    assert import_packages(db, [pa]).written  # A's taken in turn: nothing chosen
    D.finish(db, D.find_by_code(db, code), at=DAY + dt.timedelta(hours=5))  # this PC goes on
    before = written(db), state(db, code)
    said = older_choice_text(code, "quay-a.zip", kept_before=False)
    for dry in ([], ["--dry-run"]):
        capsys.readouterr()
        assert main.main(["--db", str(db_path), "exchange", "import", *dry, str(pa),
                          "--choose", f"{code}=quay-a.zip"]) == 0, dry
        err = capsys.readouterr().err
        assert f"Lưu ý: {said}" in err, (dry, err)
        assert f"Hồ sơ {code}:" in said and "cũ hơn bản máy này" in said
        assert (written(db), state(db, code)) == before, dry
    again = import_packages(db, [pa]).combined().warnings  # no choice: nothing to say
    assert not [w for w in again if "cũ hơn bản máy này" in w], again
    ok(db)
