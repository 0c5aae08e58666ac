"""A package from a commune's PC that still receives under a unit the 2025 reform ended.

The centre's catalogue says Xã Hòa Bình (U2) ceased on 30/06/2025, merged into Xã An Sơn (U1);
the commune's old PC, never told, goes on receiving under U2 in October 2025. The desk would
refuse such a dossier; a package is the sender's record and is taken as recorded — but the
centre is told in the preview, with the codes, before it merges (and the dossiers are counted
in the old unit's row, which the report then lists)."""
from __future__ import annotations

import datetime as dt

import main
from core import dossiers as D
from core.exchange import export_package
from core.exchange.merge import import_packages
from core.indicators import compute
from db.connection import transaction
from tests.core.exchange.conftest import office, receive
from tests.core.exchange.test_exchange import SINCE, ok
from tests.core.factories import add_procedures, add_units

MERGED = "Xã Hòa Bình (U2) vào ngày đơn vị này không hoạt động (thôi hoạt động từ 01/07/2025; " \
         "đơn vị kế thừa: Xã An Sơn (U1))"


def _reform(db) -> None:
    with transaction(db) as conn:
        conn.execute("UPDATE units SET valid_to = '2025-06-30', successor_code = 'U1' "
                     "WHERE code = 'U2'")


def test_a_package_received_under_a_merged_unit_is_named_before_the_merge(tmp_path, db,
                                                                            db_path, capsys):
    add_units(db)  # the centre's catalogue: U1 and U2, U2 then ended
    add_procedures(db)
    _reform(db)
    old_pc = office(tmp_path / "hoa_binh.db", (2, 2))  # its catalogue: U2 still alive
    codes = [receive(old_pc, f"Người {i}", minutes=i, unit="U2")[1] for i in range(4)]
    june = D.create_dossier(old_pc, unit_code="U2", procedure_code="P.WD2",
                            applicant_name="Người tháng sáu",
                            received_at=dt.datetime(2025, 6, 30, 16))[1]
    package = tmp_path / "hoa_binh.zip"
    export_package(old_pc, package, dt.date(2025, 6, 1))
    old_pc.close()

    preview = import_packages(db, [package], dry_run=True).results[0]
    said = [w for w in preview.warnings if MERGED in w]
    assert len(said) == 1, preview.warnings
    assert said[0].startswith("4 hồ sơ trong gói")
    assert ", ".join(codes[:3]) + ", …" in said[0] and june not in said[0]
    assert "được tính ở dòng của Xã Hòa Bình" in said[0]
    assert not db.execute("SELECT 1 FROM dossiers").fetchone()  # a preview writes nothing
    assert main.main(["--db", str(db_path), "exchange", "import", "--dry-run",
                      str(package)]) == 0
    assert f"Lưu ý: {said[0]}" in capsys.readouterr().err  # the command line says it

    merged = import_packages(db, [package]).results[0]
    assert merged.written and any(MERGED in w for w in merged.warnings)
    doc = compute(db, dt.date(2025, 10, 1), dt.date(2025, 10, 31),
                  as_of=dt.datetime(2025, 10, 20, 16))
    rows = {u["code"]: u["received"]["total"] for u in doc["units"]}
    assert rows == {"U1": 0, "U2": 5}  # 4 of October, and the one of June still open
    again = import_packages(db, [package]).results[0]  # nothing new: nothing to say again
    assert not any(MERGED in w for w in again.warnings)
    ok(db)


def test_dossiers_of_a_unit_in_existence_are_not_named(tmp_path, db):
    add_units(db)
    add_procedures(db)
    with transaction(db) as conn:
        conn.execute("UPDATE units SET valid_from = '2025-07-01' WHERE code = 'U1'")
    pc = office(tmp_path / "pc.db", (2, 2))
    receive(pc, "Người nộp", unit="U1")
    package = tmp_path / "pc.zip"
    export_package(pc, package, SINCE)
    pc.close()
    result = import_packages(db, [package], dry_run=True).results[0]
    assert not any("không hoạt động" in w for w in result.warnings), result.warnings
