"""`check` names the units an older version stored against the catalogue's rule of a code and
a name (core.unit_text, round 32: the desk, `import units` and a package refuse them now), in
their words, a refused character as U+FFFD — and the database still opens and works."""
from __future__ import annotations

from core import catalogue
from core.database import open_database
from core.maintenance import check_database


def _said(path) -> list[str]:
    return [f.text for f in check_database(path) if not f.ok and "trái quy tắc" in f.text]


def test_stored_units_breaking_the_rule_are_named_the_database_still_used(tmp_path):
    path = tmp_path / "old.db"
    db = open_database(path)
    try:
        db.execute("INSERT INTO units(code, name) VALUES ('A\x01B', 'Xã A')")
        db.conn.executemany("INSERT INTO units(code, name) VALUES (?, ?)",
                       [(f"L{i}", ("Xã Dài " * 40).strip()) for i in range(6)])
        db.execute("INSERT INTO units(code, name) VALUES ('OK', 'Xã Đúng')")
    finally:
        db.close()
    said = _said(path)
    assert len(said) == 1, said
    assert said[0].startswith("7 đơn vị trong Danh mục có mã hoặc tên trái quy tắc (lưu từ "
                              "phiên bản cũ): mã 'A\ufffdB': Mã đơn vị chứa ký tự điều khiển "
                              "không in được (mã U+0001) ở vị trí 2; mã 'L0': Tên đơn vị dài "
                              "279 ký tự, vượt quá 200 ký tự cho phép; "), said
    assert "; và 2 đơn vị khác. Hãy sửa tên" in said[0] and "\x01" not in said[0], said
    db = open_database(path)  # opened as before, its unit usable
    try:
        catalogue.save_unit(db, "A\x01B", "Xã A mới", "commune", None)
        assert db.execute("SELECT name FROM units WHERE code = 'A\x01B'").fetchone()[0] == \
            "Xã A mới"
    finally:
        db.close()


def test_a_catalogue_within_the_rule_passes(tmp_path):
    path = tmp_path / "ok.db"
    open_database(path).close()
    assert _said(path) == []
    assert any(f.ok and f.text.startswith("Mã và tên mọi đơn vị") for f in check_database(path))
