"""The copied dossiers' search keys computed by fastcopy's second process (issue 16 §3): the search
index after a merge is exactly what the view `dossier_keys` computes — with the centre's unit
names as they are when the index is filled (a later package's catalogue renames a unit, the
centre keeps its own name where a package differs), a competent unit, names with diacritics, no
phone, a copied dossier a later package changes — and the main process computes only the keys
that may have changed since (none at all when nothing did)."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from core import catalogue
from core import dossiers as D
from core.database import open_database
from core.exchange import export_package, merge
from core.exchange.fastcopy import Copier, keys
from core.exchange.merge import import_packages
from core.exchange.merge.units_first import _UnitsFirst
from core.maintenance.audit import audit_findings
from core.maintenance.check import search_index
from db import fulltext, searchtext
from db.connection import transaction
from tests.core.exchange.conftest import DAY, clock_at, office
from tests.core.exchange.test_exchange import SINCE

NEW_NAME = "Xã An Sơn Mới"


def _receive(db, name: str, minutes: int, unit: str, competent: str | None = None,
             phone: str | None = None, address: str | None = None) -> int:
    return D.create_dossier(db, unit_code=unit, procedure_code="P.WD2", applicant_name=name,
                            received_at=DAY + dt.timedelta(minutes=minutes),
                            applicant_phone=phone, applicant_address=address,
                            competent_unit_code=competent)[0]


@pytest.fixture
def packages(tmp_path) -> list[Path]:
    """Three packages for one centre (format 3, the SQL copy): p1 from counter A, whose unit
    U2 is named otherwise than at the centre (the centre keeps its own); p2 from counter B,
    which renamed U1 (taken by the clerk's choice) and added U3; p3 from A again, after A
    corrected a dossier p1 carried (its name in the key) and received one more."""
    a, b = office(tmp_path / "a.db", (1, 3)), office(tmp_path / "b.db", (2, 3))
    catalogue.save_unit(a, "U2", "Phường Khác Hẳn", "commune", None)
    _receive(a, "Trần Thị Hoa", 0, "U1", address="Thôn Nà Mò, xã Khánh Khê")
    _receive(a, "Lò Văn Sử", 10, "U1", competent="U2", phone="0912345678")
    third = _receive(a, "Hà Thị Mai", 20, "U2", address="Bản Phiêng Lằn")
    _receive(a, "Đặng Văn Đức", 30, "U2", competent="U1", phone="0204 3871 234")
    made = [tmp_path / "p1.zip", tmp_path / "p2.zip", tmp_path / "p3.zip"]
    export_package(a, made[0], SINCE)
    catalogue.save_unit(b, "U1", NEW_NAME, "commune", None)
    catalogue.save_unit(b, "U3", "Thị trấn Mường Tè", "commune", None)
    _receive(b, "Nguyễn Văn Ân", 40, "U1")
    _receive(b, "Vì Thị Ơn", 50, "U3", competent="U1")
    with clock_at(1):  # made after p1, before p3: merged in that order (merge.merge_order)
        export_package(b, made[1], SINCE)
    catalogue.save_unit(a, "U1", NEW_NAME, "commune", None)  # p3's U1 as the centre's then
    D.correct_field(a, third, "applicant_name", "Hà Thị Mai Anh", reason="Sai tên")
    _receive(a, "Lường Văn Ánh", 60, "U1")
    with clock_at(2):
        export_package(a, made[2], SINCE)
    a.close()
    b.close()
    return made


def _centre(tmp_path) -> object:
    return office(tmp_path / "centre.db", (1, 1))


def _counting(db, monkeypatch) -> dict[str, int]:
    """The calls of the key function in this process: "centre", on the centre's connection
    (the view), and "other", on every connection the program opens from now on (it registers
    db.searchtext's function: the part's reader, the in-process keys job)."""
    calls = {"centre": 0, "other": 0}
    real = searchtext.search_key

    def counter(where: str):
        def counted(*parts):
            calls[where] += 1
            return real(*parts)
        return counted

    monkeypatch.setattr(searchtext, "search_key", counter("other"))
    db.conn.create_function(searchtext.KEY_FUNCTION, 6, counter("centre"), deterministic=True)
    return calls


def _index_is_the_view_s(db) -> None:
    """FTS5's integrity-check (the index against the view), `check`'s finding, and the
    index's terms and rows equal to those of the index built again from the view."""
    assert search_index(db).ok
    db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.terms USING "
               "fts5vocab(main, dossiers_fts, instance)")
    merged = db.execute("SELECT term, doc FROM temp.terms ORDER BY doc, term").fetchall()
    with transaction(db) as conn:
        fulltext.rebuild(conn)
    assert db.execute("SELECT term, doc FROM temp.terms ORDER BY doc, term").fetchall() == merged
    assert all(f.ok for f in audit_findings(db))


@pytest.mark.parametrize("first", [False, True], ids=["units in turn", "units first"])
@pytest.mark.parametrize("processes", [False, True], ids=["in-process", "second-process"])
def test_the_merged_index_is_the_view_s_with_the_names_at_the_fill(packages, tmp_path,
                                                                   monkeypatch, processes,
                                                                   first):
    """U1 renamed by p2's catalogue (the clerk took theirs) after p1's dossiers were copied and
    their keys computed with the old name; p1's U2 named otherwise (ours kept: the centre's
    name is in the keys, not the part's); p3 changes a copied dossier's applicant (the
    records' way, a code the centre holds): those keys are computed again at the fill (the
    main process's only calls of the key function), the rest come from the second process
    (`processes`; or this process's job, in turn: Copier(processes=False)). `first`: every
    package's units taken before any dossier (merge.units_first, round 33): U1 is renamed
    before p1's dossiers are copied, their keys computed with its new name at once."""
    if not first:  # (the temporary folder without the room for every part at once)
        monkeypatch.setattr(_UnitsFirst, "units_first", lambda self, conn: False)
    if processes:
        monkeypatch.setattr(merge.run, "SECOND_PROCESS_MIN", 0)
    centre = _centre(tmp_path)
    calls = _counting(centre, monkeypatch)
    batch = import_packages(centre, packages, catalogue_choices={"units:U1": "theirs"})
    # p3's corrected record is the end of p1's line: new, p1's older (in any order of files)
    assert batch.written and batch.total("dossiers") == {"new": 7, "older": 1, "identical": 3}
    assert centre.execute("SELECT name FROM units WHERE code = 'U1'").fetchone()[0] == NEW_NAME
    assert centre.execute("SELECT name FROM units WHERE code = 'U2'").fetchone()[0] == \
        "Xã Hòa Bình"
    merged = dict(calls)
    found = {r[0] for r in centre.execute(
        "SELECT d.applicant_name FROM dossiers_fts f JOIN dossiers d ON d.id = f.rowid WHERE "
        "dossiers_fts MATCH 'moi'")}
    assert found == {"Trần Thị Hoa", "Lò Văn Sử", "Đặng Văn Đức", "Nguyễn Văn Ân",
                     "Vì Thị Ơn", "Lường Văn Ánh"}
    _index_is_the_view_s(centre)
    keys = dict(centre.execute("SELECT applicant_name, k.search_key FROM dossier_keys k JOIN "
                               "dossiers d ON d.id = k.id"))
    assert keys["Trần Thị Hoa"].endswith("| tran thi hoa| thon na mo, xa khanh khe| xa an son "
                                         "moi")
    assert keys["Hà Thị Mai Anh"].endswith("| ha thi mai anh| ban phieng lan| xa hoa binh")
    assert keys["Lò Văn Sử"].endswith("| 0912345678| xa an son moi| xa hoa binh")
    assert keys["Đặng Văn Đức"].endswith("| xa hoa binh| xa an son moi")
    # the view at the centre: p1's three dossiers naming U1 (renamed after their keys were
    # computed) and the one p3 corrected (its name; in U2, the centre's name kept); the keys
    # of the 7 copied dossiers computed by the second process (or by the job here); the 4
    # records p3 holds that the centre has (codes held: the records' way) read with the
    # sender's key, as before
    assert merged == {"centre": 1 if first else 4, "other": 4 + (0 if processes else 7)}
    centre.close()


def test_the_main_process_computes_no_key_of_the_copied_dossiers(packages, tmp_path,
                                                                  monkeypatch):
    """Nothing changed after the copy (p1 and p2): every copied dossier's key comes from the
    second process; this process's key function is never called, yet the index is the view's."""
    monkeypatch.setattr(merge.run, "SECOND_PROCESS_MIN", 0)
    centre = _centre(tmp_path)
    calls = _counting(centre, monkeypatch)
    batch = import_packages(centre, packages[:2])
    assert batch.total("dossiers") == {"new": 6}
    assert calls == {"centre": 0, "other": 0}
    _index_is_the_view_s(centre)
    centre.close()


def test_every_key_crosses_as_the_view_computes_it(tmp_path):
    """The job's file, as the centre reads it, gives the view's very keys, one a line: quotes,
    backslashes, control characters, a NUL, letters beyond the BMP, the name the job's unit
    names (not the part's) give."""
    part = open_database(tmp_path / "part.db")
    names = ['Lò "Văn" Sử', "Hà\\Thị\\nMai", "Đặng\x01Văn\tĐức", "Vì Thị 𠀧 Ơn", "Nul\x00ở giữa",
             "Nguyễn  Văn   An"]
    with transaction(part) as conn:
        conn.execute("INSERT INTO units(code, name) VALUES ('U1', 'Xã An Sơn'), "
                     "('U2', 'Xã Hòa Bình')")
        conn.execute("INSERT INTO procedures(code, name, limit_value, limit_unit) VALUES "
                     "('P', 'Thủ tục', 1, 'working_days')")
        for n, name in enumerate(names):
            conn.execute(
                "INSERT INTO dossiers(code, unit_code, competent_unit_code, procedure_code, "
                "applicant_name, applicant_phone, applicant_address, channel, received_at, "
                "status, created_at, updated_at) VALUES (?, ?, ?, 'P', ?, ?, ?, 'direct', "
                "'2025-10-20 08:00:00', 'received', '2025-10-20 08:00:00', "
                "'2025-10-20 08:00:00')",
                [f"C{n}", "U1" if n % 2 else "U2", "U1" if n == 2 else None, name,
                 None if n % 3 else "0912 345 678", "Bản Phiêng Lằn" if n % 2 else None])
    centre_names = {"U1": "Phường Mới Đổi Tên", "U2": "Xã Hòa Bình"}
    out = tmp_path / "keys.json"
    assert keys._keys_job(str(tmp_path / "part.db"), [2], centre_names, str(out)) == 5
    with transaction(part) as conn:
        conn.execute("UPDATE units SET name = ? WHERE code = 'U1'", [centre_names["U1"]])
    view = [key for _id, key in part.execute("SELECT id, search_key FROM dossier_keys "
                                             "WHERE id <> 2 ORDER BY id")]
    crossed = keys.read_keys(out)
    assert crossed == view
    assert "\x00" in crossed[3] and "\x01" in crossed[1] and "phuong moi doi ten" in crossed[1]
    with transaction(part) as conn:  # indexed as given (the one left, by the view): the view's
        conn.execute("INSERT INTO dossiers_fts(dossiers_fts) VALUES ('delete-all')")
        fulltext.index_new(conn, 1, [(1, crossed[:1]), (3, crossed[1:])])
        assert fulltext.is_intact(conn)
    part.close()


def test_the_keys_jobs_go_before_the_facts_jobs(tmp_path):
    """The search keys are needed at the fill, before the kept facts (Copier.finish): a keys
    job kept for later (rank 0) goes before every facts job, whether given when the second
    process has time to spare (with the oldest facts job: a keys job is small; at most
    SPARE_MOST jobs at a time, chain14) or at the end of the parts."""
    with Copier(None, delta=Counter(), refresh=[], processes=False) as copier:
        facts = [copier.later(str, n) for n in range(3)]
        keys = [copier.later(str, f"k{n}", rank=0) for n in range(2)]
        copier.spare(False)
        assert [job.result for job in facts + keys] == [None] * 5
        copier.spare(True)
        assert [job.result is not None for job in facts + keys] == [False, False, False, True,
                                                                     True]
        more = copier.later(str, "k2", rank=0)
        assert copier.waiting == [more, facts[0], facts[1], facts[2]]
        copier.flush()
        assert [job.get() for job in facts + keys + [more]] == ["0", "1", "2", "k0", "k1", "k2"]
