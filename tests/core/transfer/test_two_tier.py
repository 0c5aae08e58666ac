"""Import/export of a two-tier province (spec 7): units' level, validity and successor, and a
dossier's competent unit, with row- and column-named errors; the CLI's kpi scope (spec 8)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from core.transfer import export_file, import_file
from tests.core.transfer.conftest import DOSSIERS_HEADER, count, dossier_row, write_csv, write_xlsx

ROOT = Path(__file__).resolve().parents[3]
HEADER = ["code", "name", "level", "parent_code", "valid_from", "valid_to", "successor_code"]
MERGER = [["XTD2", "UBND xã Tân Đoàn (mới)", "commune", "LS", "2025-07-01", "", ""],
          ["XTD", "UBND xã Tân Đoàn", "commune", "LS", "", "30/06/2025", "XTD2"],
          ["DTN", "Điểm tiếp nhận Na Lầu", "reception_point", "XTD2", "2025-07-01", "", ""],
          ["CN", "Chi nhánh TTPVHCC", "branch", "LS", "", "", ""]]


def test_units_carry_level_validity_and_successor(catalog, tmp_path):
    result = import_file(catalog, "units", write_csv(tmp_path / "u.csv", HEADER, MERGER))
    assert result.ok, result.errors
    assert catalog.execute("SELECT level, valid_from, valid_to, successor_code FROM units "
                           "WHERE code = 'XTD'").fetchone() == ("commune", None, "2025-06-30",
                                                                "XTD2")
    export_file(catalog, "units", tmp_path / "out.xlsx")
    again = import_file(catalog, "units", tmp_path / "out.xlsx")
    assert again.ok and (again.added, again.updated) == (0, 0)


def test_wrong_units_are_reported_by_row_and_column(catalog, tmp_path):
    rows = [["A", "Đơn vị A", "commune", "", "", "", "B"],
            ["B", "Đơn vị B", "commune", "", "", "", "A"],
            ["C", "Đơn vị C", "commune", "", "2025-07-01", "2025-06-30", ""],
            ["D", "Đơn vị D", "commune", "", "", "", "ZZ"],
            ["E", "Đơn vị E", "hamlet", "", "ngày mai", "", "E"]]
    result = import_file(catalog, "units", write_xlsx(tmp_path / "u.xlsx", HEADER, rows))
    found = [(e.row, e.column) for e in result.errors]
    assert sorted(found) == [(2, "successor_code"), (3, "successor_code"), (4, "valid_to"),
                     (5, "successor_code"), (6, "level"), (6, "successor_code"),
                     (6, "valid_from")]
    reasons = {(e.row, e.column): e.reason for e in result.errors}
    assert "A → B → A" in reasons[(2, "successor_code")]
    assert "không có đơn vị mã 'ZZ'" in reasons[(5, "successor_code")]
    assert "trước ngày bắt đầu" in reasons[(4, "valid_to")]
    assert count(catalog, "units") == 3  # nothing written


def test_a_dossier_carries_its_competent_unit(catalog, tmp_path):
    header = DOSSIERS_HEADER + ["competent_unit_code"]
    rows = [dossier_row("XTD-250102-0001") + ["XVQ"], dossier_row("XTD-250102-0002") + [""],
            dossier_row("XTD-250102-0003") + ["XTD"]]
    result = import_file(catalog, "dossiers", write_csv(tmp_path / "d.csv", header, rows))
    assert result.ok, result.errors
    stored = catalog.execute("SELECT competent_unit_code FROM dossiers ORDER BY code").fetchall()
    assert stored == [("XVQ",), (None,), (None,)]  # the receiving unit itself = empty
    assert catalog.execute("SELECT unit_code, SUM(closed) FROM kpi_daily GROUP BY unit_code "
                           "ORDER BY unit_code").fetchall() == [("XTD", 2), ("XVQ", 1)]
    export_file(catalog, "dossiers", tmp_path / "out.csv")
    text = (tmp_path / "out.csv").read_text(encoding="utf-8-sig")
    assert "competent_unit_code" in text.splitlines()[0] and ",XVQ," in text
    bad = [dossier_row("XTD-250102-0009") + ["KHONGCO"]]
    refused = import_file(catalog, "dossiers", write_csv(tmp_path / "bad.csv", header, bad))
    assert [(e.row, e.column, e.value) for e in refused.errors] == \
        [(2, "competent_unit_code", "KHONGCO")]
    assert count(catalog, "dossiers") == 3


def test_a_unit_not_in_existence_refuses_new_dossiers_as_the_desk_does(catalog, tmp_path):
    """walk29: the desk refused a reception at a merged commune after its last day (or at a
    commune before it was made), `import dossiers` took it, and the monthly report then counted
    it in the row "UBND xã … (đến 30/06/2025)". One rule now: core.moment.unit_absent_reason."""
    import datetime as dt

    import pytest

    from core import dossiers
    from core.errors import FieldError
    held = [dossier_row("XTD-250203-0001", received_at="2025-02-03 08:00",
                        finished_at="2025-02-04 10:00", returned_at="2025-02-04 15:00")]
    assert import_file(catalog, "dossiers", write_csv(tmp_path / "held.csv", DOSSIERS_HEADER,
                                                      held)).ok
    merger = [["XTD", "UBND xã Tân Đoàn", "commune", "LS", "", "2025-01-31", "XVQ"],
              ["XM", "UBND xã Mới", "commune", "LS", "2025-02-01", "", ""]]
    ended = import_file(catalog, "units", write_csv(tmp_path / "u.csv", HEADER, merger))
    assert [(e.row, e.column) for e in ended.errors] == [(2, "valid_to")]  # units29: its 03/02
    # a database from before units29 (the catalogue then let the end pass its dossier)
    from db.connection import transaction
    with transaction(catalog) as conn:
        conn.execute("UPDATE units SET valid_to = '2025-01-31', successor_code = 'XVQ' "
                     "WHERE code = 'XTD'")
    assert import_file(catalog, "units", write_csv(tmp_path / "u.csv", HEADER, merger[1:])).ok
    header = DOSSIERS_HEADER + ["competent_unit_code"]
    rows = [dossier_row("XTD-250131-0001", received_at="2025-01-31 08:00",
                        finished_at="2025-01-31 10:00", returned_at="2025-01-31 15:00") + [""],
            dossier_row("XTD-250203-0002", received_at="2025-02-03 08:00",
                        finished_at="2025-02-04 10:00", returned_at="2025-02-04 15:00") + [""],
            dossier_row("XM-250110-0001", unit_code="XM", received_at="2025-01-10 08:00",
                        finished_at="2025-01-13 10:00", returned_at="2025-01-13 15:00") + [""],
            dossier_row("XVQ-250203-0001", unit_code="XVQ", received_at="2025-02-03 08:00",
                        finished_at="2025-02-04 10:00", returned_at="2025-02-04 15:00") + ["XTD"]]
    refused = import_file(catalog, "dossiers", write_csv(tmp_path / "d.csv", header, rows))
    assert [(e.row, e.column) for e in refused.errors] == \
        [(3, "unit_code"), (4, "unit_code"), (5, "competent_unit_code")]
    reasons = [e.reason for e in refused.errors]
    assert "UBND xã Tân Đoàn không hoạt động vào ngày 03/02/2025" in reasons[0]
    assert "UBND xã Mới không hoạt động vào ngày 10/01/2025" in reasons[1]
    with pytest.raises(FieldError) as desk:  # the desk's words for the same dossier
        dossiers.create_dossier(catalog, unit_code="XTD", procedure_code="1.001612",
                                applicant_name="Nguyễn Văn An",
                                received_at=dt.datetime(2025, 2, 3, 8))
    assert reasons[0].removeprefix("đơn vị ") in str(desk.value)
    assert count(catalog, "dossiers") == 1  # nothing written
    # a dossier already held (its file exported earlier) imports again unchanged
    export_file(catalog, "dossiers", tmp_path / "out.csv")
    again = import_file(catalog, "dossiers", tmp_path / "out.csv")
    assert again.ok and (again.added, again.updated) == (0, 0), again.errors


def run(*args: str, env_dir: Path) -> subprocess.CompletedProcess:
    env = {"MOTCUA_DATA_DIR": str(env_dir), "PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True,
                          text=True, env=env, cwd=ROOT)


def test_cli_kpi_scope_and_units_of_the_period(tmp_path):
    db = str(tmp_path / "cli.db")
    units = write_csv(tmp_path / "u.csv", HEADER, [["LS", "UBND tỉnh", "province", "", "", "", ""]]
                      + MERGER)
    assert run("--db", db, "import", "units", str(units), "--new-db",
               env_dir=tmp_path).returncode == 0
    procedures = write_csv(tmp_path / "p.csv", ["code", "name", "limit_value", "limit_unit"],
                           [["1.001612", "Đăng ký khai sinh", "3", "working_days"]])
    assert run("--db", db, "import", "procedures", str(procedures), env_dir=tmp_path).returncode == 0
    dossiers = write_csv(tmp_path / "d.csv", DOSSIERS_HEADER, [dossier_row()])
    assert run("--db", db, "import", "dossiers", str(dossiers), env_dir=tmp_path).returncode == 0
    result = run("--db", db, "kpi", "--from", "2025-01-01", "--to", "2025-12-31", "--unit", "XTD2",
                 "--json", env_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert [u["code"] for u in doc["units"]] == ["DTN", "XTD", "XTD2"]
    assert doc["total"]["resolved"]["total"] == 1  # the old commune's history
    july = json.loads(run("--db", db, "kpi", "--from", "2025-07-01", "--to", "2025-07-31",
                          "--json", env_dir=tmp_path).stdout)
    assert [u["code"] for u in july["units"]] == ["CN", "DTN", "LS", "XTD2"]
    bad = write_csv(tmp_path / "bad.csv", HEADER, [["Q", "Q", "commune", "", "", "", "Q"]])
    refused = run("--db", db, "import", "units", str(bad), env_dir=tmp_path)
    assert refused.returncode == 2
    assert "Dòng 2, cột successor_code" in refused.stdout + refused.stderr
