"""`check` names a loop of the catalogue's links (round 31's breaker): the desk, `import units`
and a package's units refuse one, but a database written before them (or edited by SQL) may
hold one — a unit 10,000 units up its own chain of parents. `check` said 'cơ sở dữ liệu tốt'."""
from __future__ import annotations

from core.database import open_database
from core.maintenance import check_database
from db.connection import transaction


def _problems(path) -> list[str]:
    return [f.text for f in check_database(path) if not f.ok]


def test_a_stored_loop_of_parents_and_one_of_successors_are_named(tmp_path):
    path = tmp_path / "loop.db"
    db = open_database(path)
    try:
        with transaction(db) as conn:
            # the units first, then each one's parent: inserted with its parent not there yet,
            # each new unit had SQLite search the table for units naming it (no index on
            # parent_code, the deferred key open): 17 s of CPU for the same 10,000 rows
            conn.executemany("INSERT INTO units(code, name) VALUES (?, ?)",
                             [(f"L{i}", f"Xã {i}") for i in range(10_000)])
            conn.executemany("UPDATE units SET parent_code = ? WHERE code = ?",
                             [(f"L{(i + 1) % 10_000}", f"L{i}") for i in range(10_000)])
            conn.execute("PRAGMA defer_foreign_keys = ON")
            conn.executemany("INSERT INTO units(code, name, successor_code) VALUES (?, ?, ?)",
                             [("S1", "Xã S1", "S2"), ("S2", "Xã S2", "S1")])
    finally:
        db.close()
    found = [text for text in _problems(path) if "vòng lặp" in text]
    assert len(found) == 1, _problems(path)
    assert "Cấp trên tạo thành vòng lặp: L0 → L1 → L2" in found[0], found[0]
    assert "(vòng 10.000 đơn vị)" in found[0], found[0]
    assert "đơn vị kế thừa tạo thành vòng lặp: S1 → S2 → S1" in found[0], found[0]


def test_a_catalogue_without_loops_passes(tmp_path):
    path = tmp_path / "ok.db"
    db = open_database(path)
    try:
        with transaction(db) as conn:
            conn.executemany("INSERT INTO units(code, name, parent_code) VALUES (?, ?, ?)",
                             [("T", "Tỉnh", None), ("X", "Xã", "T")])
    finally:
        db.close()
    assert not [text for text in _problems(path) if "vòng lặp" in text]
    assert any("không có vòng lặp" in f.text for f in check_database(path) if f.ok)
