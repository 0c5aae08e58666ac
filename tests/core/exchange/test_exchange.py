"""Packages between installations (spec 9): round trip, idempotence, dry run, conflicts."""
from __future__ import annotations

import datetime as dt

import pytest

from core import dossiers as D
from core import payments
from core.exchange import export_package, import_package, phases, records
from core.exchange.merge import import_packages
from core.indicators import compute
from core.maintenance.audit import audit_findings
from tests.core.exchange.conftest import DAY, busy_day, office, receive
from tests.core.factories import add_procedures, add_units

# every test on packages of both formats the program writes (format 3: the rows part)
pytestmark = pytest.mark.usefixtures("package_format")

SINCE = dt.date(2025, 10, 1)


def snapshot(db) -> dict:
    """Every dossier as a package record (content and history), by code, and the votes."""
    ids = [r[0] for r in db.execute("SELECT id FROM dossiers ORDER BY id")]
    dossiers = {r["code"]: (records.state(r), r["events"])
                for r in records.dossier_records(db.conn, ids, derived=False)}
    votes = sorted(records.vote_key(records.vote_record(r)) + str(r[7])
                   for r in db.execute(records.VOTES_SQL))
    return {"dossiers": dossiers, "votes": votes}


def totals(db) -> dict:
    doc = compute(db, dt.date(2025, 10, 1), dt.date(2025, 10, 31), as_of=dt.datetime(2025, 10, 20, 16))
    return doc["total"]


def ok(db) -> None:
    assert all(f.ok for f in audit_findings(db)), [f.text for f in audit_findings(db)]


def test_a_package_round_trips_into_an_empty_installation(counter, db, tmp_path):
    busy_day(counter)
    package = tmp_path / "quay1.zip"
    made = export_package(counter, package, SINCE)
    assert made["counts"]["dossiers"] == 3 and made["counts"]["votes"] == 2
    result = import_package(db, package)
    assert result.written and result.dossiers == {"new": 3} and result.votes == {"new": 2}
    assert result.fast  # same rules here: the sender's due times and facts are kept
    assert snapshot(db) == snapshot(counter)
    assert totals(db) == totals(counter)
    ok(db)


def test_importing_the_same_package_twice_changes_nothing(counter, db, tmp_path):
    busy_day(counter)
    package = tmp_path / "quay1.zip"
    export_package(counter, package, SINCE)
    import_package(db, package)
    before = snapshot(db), db.execute("SELECT COUNT(*), MAX(id) FROM events").fetchone()
    again = import_package(db, package)
    assert again.dossiers == {"identical": 3} and again.votes == {"identical": 2}
    assert (snapshot(db), db.execute("SELECT COUNT(*), MAX(id) FROM events").fetchone()) == before


def test_a_dry_run_previews_and_writes_nothing(counter, db, tmp_path):
    busy_day(counter)
    package = tmp_path / "quay1.zip"
    export_package(counter, package, SINCE)
    settings_before = db.execute("SELECT key, value FROM settings ORDER BY key").fetchall()
    preview = import_package(db, package, dry_run=True)
    assert preview.dossiers == {"new": 3} and not preview.written
    assert preview.catalogue["units_new"] == 2 and preview.catalogue["procedures_new"] == 5
    for table in ("units", "procedures", "dossiers", "events", "votes", "payments", "kpi_daily"):
        assert db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0, table
    # the id is made with the file now (core.installation.remember_home): still nothing written
    assert db.execute("SELECT key, value FROM settings ORDER BY key").fetchall() == settings_before


def test_work_done_later_at_the_counter_comes_in_as_changed(counter, db, tmp_path):
    codes = busy_day(counter)
    first = tmp_path / "a.zip"
    export_package(counter, first, SINCE)
    import_package(db, first)
    D.finish(counter, D.find_by_code(counter, codes[1]), at=DAY + dt.timedelta(hours=6))
    second = tmp_path / "b.zip"
    export_package(counter, second, dt.date(2025, 10, 20))
    result = import_package(db, second)
    assert result.dossiers["changed"] == 1 and result.dossiers["identical"] == 2
    assert snapshot(db) == snapshot(counter)
    assert import_package(db, first).dossiers == {"older": 1, "identical": 2}  # nothing undone
    assert snapshot(db) == snapshot(counter)
    ok(db)


def test_an_import_changing_names_keeps_the_search_index_exact(counter, db, tmp_path):
    """The index's triggers on the dossiers already here stay on during an import (the new
    ones are indexed at its end, db.fulltext.deferred): a corrected name, a new dossier."""
    from core import searchkey
    from core.textnorm import search_words
    from db import fulltext
    codes = busy_day(counter)
    first = tmp_path / "a.zip"
    export_package(counter, first, SINCE)
    import_package(db, first)
    D.correct_field(counter, D.find_by_code(counter, codes[1]), "applicant_name", "Ma Seo Chứ",
                    reason="Gõ nhầm tên")
    receive(counter, "Vàng Thị Dung", minutes=50)
    second = tmp_path / "b.zip"
    export_package(counter, second, dt.date(2025, 10, 20))
    result = import_package(db, second)
    assert result.dossiers["changed"] == 1 and result.dossiers["new"] == 1
    assert fulltext.is_intact(db)

    def found(text):
        clauses, params = searchkey.match(search_words(text))
        return [r[0] for r in db.execute(f"SELECT d.code FROM dossiers d WHERE "
                                         f"{' AND '.join(clauses)}", params)]
    assert found("ma seo chu") == [codes[1]] and found("lo van su") == []
    assert len(found("vang thi dung")) == 1


@pytest.fixture
def clash(tmp_path, db):
    """The same code issued for two different dossiers (two PCs both left in slot 1 of 1)."""
    package, other, ours = clash_in(tmp_path, db)
    yield package, other, ours
    other.close()


def clash_in(folder, db) -> tuple:
    """`clash` made on `db` (new) with the other PC in `folder`: its package, the other PC's
    database (open), our two codes."""
    add_units(db)
    add_procedures(db)
    other = office(folder / "other.db", (1, 1))
    ours = [receive(db, "Nguyễn Văn Ta", procedure="P.SD")[1], receive(db, "Lê Văn Hai")[1]]
    dossier_id, _ = receive(other, "Phạm Thị Khách", procedure="P.SD")
    receive(other, "Đỗ Văn Bốn")
    payments.add_payment(db, D.find_by_code(db, ours[0]), amount=10000, method="cash",
                         paid_at=DAY + dt.timedelta(minutes=5))
    D.finish(other, dossier_id, at=DAY + dt.timedelta(hours=1))
    package = folder / "other.zip"
    export_package(other, package, SINCE)
    return package, other, ours


def test_conflicts_are_listed_and_nothing_is_written_without_a_choice(db, clash):
    package, _, ours = clash
    before = snapshot(db)
    result = import_package(db, package)
    assert result.pending and not result.written and result.conflict_count == 2
    first = result.conflicts[0]
    assert first.code == ours[0] and "người nộp" in first.differs and "Nguyễn Văn Ta" in first.ours
    assert "Phạm Thị Khách" in first.theirs
    # moments as the clerk reads them everywhere else, not as stored
    assert f"tiếp nhận {DAY:%H:%M %d/%m/%Y}" in first.ours and "tiếp nhận 20" not in first.line()
    assert snapshot(db) == before


def test_keep_ours_keeps_every_conflicting_dossier(db, clash):
    package, _, _ = clash
    before = snapshot(db)
    result = import_package(db, package, conflicts="keep")
    assert result.written and result.resolved == {"keep": 2}
    assert snapshot(db)["dossiers"] == before["dossiers"]


def test_take_theirs_replaces_content_keeps_history_and_cancels_our_payment(db, clash):
    package, other, ours = clash
    events_before = db.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    result = import_package(db, package, conflicts="theirs")
    assert result.resolved == {"theirs": 2}
    mine, theirs = snapshot(db)["dossiers"], snapshot(other)["dossiers"]
    for code in ours:
        state_here = records.state(next(records.dossier_records(db.conn, [D.find_by_code(db, code)],
                                                                derived=False)))
        assert '"Phạm Thị Khách"' in state_here or '"Đỗ Văn Bốn"' in state_here
        assert mine[code][1][-1][2] == "import"  # the history says what was taken
    assert db.execute("SELECT COUNT(*) FROM events").fetchone()[0] > events_before  # appended
    cancelled = db.execute("SELECT cancel_reason FROM payments").fetchone()[0]
    assert "Không có trong gói" in cancelled  # never deleted
    ok(db)
    assert set(theirs) == set(ours)
    again = import_package(db, package)  # taken once: nothing left to choose, nothing written
    assert again.dossiers == {"decided": 2} and not again.pending


def test_a_choice_per_dossier_overrides_the_default(db, clash):
    package, _, ours = clash
    result = import_package(db, package, conflicts="keep", choices={ours[1]: "theirs"})
    assert result.resolved == {"keep": 1, "theirs": 1}
    names = dict(db.execute("SELECT code, applicant_name FROM dossiers").fetchall())
    assert names == {ours[0]: "Nguyễn Văn Ta", ours[1]: "Đỗ Văn Bốn"}
    ok(db)


def test_the_choices_are_remembered_when_the_same_package_comes_again(db, clash, tmp_path):
    """Issue 16 §3 (spec 9: importing the same package twice changes nothing): a kept conflict
    came back as a conflict, to be chosen again (`exchange import` exited 2 without
    --conflicts). Now both choices are remembered by the record: nothing asked, nothing written;
    who chose is in the log of changes; a later record of the same dossier is asked again."""
    package, other, ours = clash
    first = import_package(db, package, conflicts="keep", choices={ours[1]: "theirs"})
    assert first.resolved == {"keep": 1, "theirs": 1}
    before = snapshot(db), db.execute("SELECT COUNT(*), MAX(id) FROM events").fetchone(), \
        db.execute("SELECT key, value FROM settings ORDER BY key").fetchall()
    again = import_package(db, package)  # no choice given: none needed
    assert again.dossiers == {"decided": 2} and not again.pending and again.written
    assert again.conflict_count == 0 and not again.conflicts
    assert (snapshot(db), db.execute("SELECT COUNT(*), MAX(id) FROM events").fetchone(),
            db.execute("SELECT key, value FROM settings ORDER BY key").fetchall()) == before
    assert import_package(db, package, dry_run=True).dossiers == {"decided": 2}
    logged = db.execute("SELECT area, key, actor FROM setting_changes WHERE area = 'exchange' "
                        "ORDER BY key").fetchall()
    # the choices, and where the rows taken from the package came from (core.actor_names)
    # (one row for the operation's choices of one sender, not one a code: store.ChoiceBook),
    # and the package's span for the reports (core.exchange.sources)
    assert [r[1].split(":")[0] for r in logged] == ["exchange_choices", "exchange_origin",
                                                     "exchange_source"]
    assert all(c in db.execute("SELECT new_value FROM setting_changes WHERE key = ?",
                               [logged[0][1]]).fetchone()[0] for c in ours)
    assert all(r[2] for r in logged)
    # the dossier kept here goes on at the other PC: a new record, a new choice
    D.return_result(other, D.find_by_code(other, ours[0]), at=DAY + dt.timedelta(hours=2))
    later = tmp_path / "later.zip"
    export_package(other, later, SINCE)
    result = import_package(db, later, dry_run=True)
    assert result.dossiers["conflict"] == 1 and result.conflicts[0].code == ours[0]
    ok(db)


def test_only_what_changed_since_the_date_and_the_unit_goes_out(counter, tmp_path):
    busy_day(counter)
    receive(counter, "Vi Văn Khác", unit="U2")
    package = tmp_path / "u2.zip"
    assert export_package(counter, package, SINCE, unit="U2")["counts"]["dossiers"] == 1
    # (the row's created/updated time is the real clock's: the database sets it)
    assert export_package(counter, package, dt.date(2099, 1, 1),
                          replace=True)["counts"]["dossiers"] == 0


def test_two_equal_paper_votes_both_come_in_once(counter, db, tmp_path):
    from core import votes
    busy_day(counter)
    votes.add_vote(counter, unit_code="U1", voted_at=DAY + dt.timedelta(hours=3), rating="neutral")
    package = tmp_path / "v.zip"
    export_package(counter, package, SINCE)
    assert import_package(db, package).votes == {"new": 3}
    assert import_package(db, package).votes == {"identical": 3}
    assert totals(db)["satisfaction"] == totals(counter)["satisfaction"]


def test_a_cancelled_import_writes_nothing(counter, db, tmp_path, package_format):
    busy_day(counter)
    package = tmp_path / "quay1.zip"
    export_package(counter, package, SINCE)
    seen = []
    with pytest.raises(InterruptedError):
        import_package(db, package,
                       progress=lambda done, total: seen.append((done, total)) or False)
    # format 3: the SQL fast path asks after its first step, before a row is copied; format 2
    # after its batch of rows: the rows' part of the bar, not the bar's end (core.exchange.phases)
    assert len(seen) == 1
    fill = seen[0][0] / seen[0][1]
    assert 0.5 < fill < 1.0 if package_format == 2 else fill == 0.0
    assert db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM units").fetchone()[0] == 0


def test_a_cancel_clicked_after_the_last_dossier_still_writes_nothing(counter, db, tmp_path):
    """The work after the rows takes seconds for a big package (core.exchange.phases); the
    clerk clicks Huỷ then. The job must not end 'cancelled' with everything written: the
    import asks again at each phase, the last before it commits."""
    busy_day(counter)
    package = tmp_path / "quay1.zip"
    export_package(counter, package, SINCE)
    reached: list[str] = []

    def progress(done, total):
        return not reached  # Huỷ clicked once the last dossier is in

    def told(text):
        if text != phases.TEXTS[phases.ROWS]:
            reached.append(text)
    with pytest.raises(InterruptedError):
        import_packages(db, [package], progress=progress, told=told)
    assert reached
    assert db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM units").fetchone()[0] == 0


def test_every_field_a_conflict_can_name_is_named_in_vietnamese():
    """A clerk read 'khác …, e_result, thanh toán' in a conflict: each field of the package's
    dossier has its Vietnamese words."""
    from core.exchange import compare
    local = {"code": "X-1", "fields": {name: None for name in records.FIELDS},
             **{part: [] for part in compare.PART_VI}}
    local["fields"].update(applicant_name="A", procedure_code="P", received_at="2025-01-02 08:00",
                           status="received")
    package = {**local, "fields": {name: f"khác {name}" for name in records.FIELDS}}
    package["fields"].update(status="received", received_at="2025-01-02 09:00")
    differs = compare.conflict_of(local, package).differs
    assert len(differs) == len(records.FIELDS) - 1  # all but the status
    assert not [words for words in differs if "_" in words or words in records.FIELDS]


def test_a_package_written_is_in_the_access_log(counter, tmp_path):
    """A package carries every citizen's phone and ID number unmasked: the administrator reads
    who wrote one, when, of which unit and how many dossiers (issue 15 §3)."""
    from core.privacy import access
    receive(counter)
    export_package(counter, tmp_path / "goi.zip", SINCE, unit="U1")
    entry = access.read(counter, dt.date(2000, 1, 1), dt.date(2099, 12, 31))[0]
    assert entry.action == "export.package" and entry.actor.startswith("os:")
    assert entry.details == {"rows": 1, "file": "goi.zip", "full": True,
                             "from": SINCE.isoformat(), "units": "U1"}


def test_a_vote_on_an_older_dossier_brings_its_dossier_along(counter, db, tmp_path, monkeypatch):
    """A citizen votes today on a dossier finished last week: the package must hold that dossier
    too, or an installation without it refuses the whole package."""
    from core import timefmt, votes
    before = dt.datetime(2025, 10, 10, 8, 0)
    monkeypatch.setattr(timefmt, "now", lambda: before + dt.timedelta(hours=3))
    dossier_id, code = D.create_dossier(counter, unit_code="U1", procedure_code="P.WD2",
                                        applicant_name="Lò Văn Sử", received_at=before)
    D.finish(counter, dossier_id, at=before + dt.timedelta(hours=1))
    D.return_result(counter, dossier_id, at=before + dt.timedelta(hours=2))
    monkeypatch.setattr(timefmt, "now", lambda: DAY + dt.timedelta(hours=8))
    votes.add_vote(counter, unit_code="U1", voted_at=DAY, rating="satisfied",
                   dossier_id=dossier_id)
    package = tmp_path / "quay1.zip"
    made = export_package(counter, package, dt.date(2025, 10, 15))
    assert made["counts"]["votes"] == 1 and made["counts"]["dossiers"] == 1
    result = import_package(db, package)
    assert result.written and result.dossiers == {"new": 1} and result.votes == {"new": 1}
    assert db.execute("SELECT d.code FROM votes v JOIN dossiers d ON d.id = v.dossier_id"
                      ).fetchone()[0] == code


def stored_choices(db, code: str) -> dict:
    from core.exchange.store import stored_choices as held
    return held(db.conn, code)


@pytest.mark.parametrize("choice", ["keep", "theirs"])
def test_only_the_latest_choice_of_a_dossier_is_kept(db, clash, tmp_path, choice):
    """Lead's review (ninth round): a choice per record of a dossier was kept for ever, one more
    each time a centre merged a later record of it. Now the latest choice replaces the earlier
    one (core.exchange.store.remember_choice); the latest package again asks nothing and
    writes nothing."""
    from core.exchange import compare
    package, other, ours = clash
    import_package(db, package, conflicts=choice)
    assert len(stored_choices(db, ours[0])) == 1
    D.return_result(other, D.find_by_code(other, ours[0]), at=DAY + dt.timedelta(hours=2))
    later = tmp_path / "later.zip"
    export_package(other, later, SINCE)
    second = import_package(db, later, conflicts=choice)
    made = stored_choices(db, ours[0])
    assert len(made) == 1, made
    (said,) = made.values()
    if choice == "theirs":  # the sender's line taken goes on: a change, no choice (round 27)
        assert not second.resolved and second.dossiers == {"changed": 1, "decided": 1}
        assert said["choice"] == choice and said["package"].startswith("other.zip")
    else:
        assert second.resolved == {choice: 1} and second.dossiers["decided"] == 1
        assert said["choice"] == choice and said["package"].startswith("later.zip")
        sent = next(r for r in records.dossier_records(
            other.conn, [D.find_by_code(other, ours[0])], derived=False))
        assert list(made) == [compare.digest(sent)]  # the later record's
    before = snapshot(db), db.execute("SELECT key, value FROM settings ORDER BY key").fetchall(), \
        db.execute("SELECT COUNT(*) FROM setting_changes").fetchone()
    again = import_package(db, later)  # the latest package again: nothing asked or written
    assert again.dossiers == ({"decided": 2} if choice == "keep" else
                              {"decided": 1, "older": 1}) and not again.pending
    assert (snapshot(db), db.execute("SELECT key, value FROM settings ORDER BY key").fetchall(),
            db.execute("SELECT COUNT(*) FROM setting_changes").fetchone()) == before
    # the superseded first package: older than what was taken, or asked again if ours was kept
    stale = import_package(db, package, dry_run=True)
    assert stale.dossiers.get("conflict", 0) == (1 if choice == "keep" else 0), stale.dossiers
    ok(db)


def test_each_sender_keeps_its_own_latest_choice(db, clash, tmp_path):
    """Two installations sending their own record of one code: each sender's latest choice is
    kept, so importing both packages again asks nothing; a choice stored before senders were
    named (read from its package's name) is replaced by that sender's next one."""
    import json
    package, _, ours = clash
    third = office(tmp_path / "third.db", (1, 1))
    assert receive(third, "Vi Thị Ba", procedure="P.SD")[1] == ours[0]
    third_package = tmp_path / "third.zip"
    export_package(third, third_package, SINCE)
    third.close()
    import_package(db, package, conflicts="keep")
    assert import_package(db, third_package, conflicts="keep").resolved == {"keep": 1}
    made = stored_choices(db, ours[0])
    assert len(made) == 2 and len({entry["sender"] for entry in made.values()}) == 2
    before = db.execute("SELECT key, value FROM settings ORDER BY key").fetchall()
    for again in (package, third_package):
        result = import_package(db, again)
        assert not result.pending and result.conflict_count == 0, result.dossiers
    assert db.execute("SELECT key, value FROM settings ORDER BY key").fetchall() == before
    # the choices as an older version kept them (one row a code; an entry with no "sender", of
    # an earlier record): still read, and replaced by the same sender's next choice, the other
    # sender's kept
    other_digest, other_entry = next((d, e) for d, e in made.items()
                                     if e["package"].startswith("other.zip"))
    legacy = {d: e for d, e in made.items() if d != other_digest}
    legacy["0" * 32] = {"choice": "keep", "package": other_entry["package"].replace(
        "other.zip", "earlier.zip"), "at": "2025-10-19 16:00:00"}
    from db.connection import transaction
    with transaction(db) as conn:
        conn.execute("DELETE FROM settings WHERE key LIKE 'exchange_choices:%'")
        conn.execute("INSERT INTO settings(key, value) VALUES (?, ?)",
                     [f"exchange_choice:{ours[0]}", json.dumps(legacy, ensure_ascii=False)])
    before = db.execute("SELECT key, value FROM settings ORDER BY key").fetchall()
    result = import_package(db, third_package)  # the older form's choice holds
    assert not result.pending and result.dossiers == {"decided": 1}, result.dossiers
    assert db.execute("SELECT key, value FROM settings ORDER BY key").fetchall() == before
    # (the package's other conflict too: its choice went with the rows taken out above)
    assert import_package(db, package, conflicts="keep").resolved == {"keep": 2}
    assert stored_choices(db, ours[0]) == made
