"""Export a database of N dossiers (default 1,000,000) to CSV and XLSX: time and peak memory.

The dossiers are made directly in SQL (their facts are not needed to export), 10% with a wait.
    python bench/bench_export_million.py [N] [--xlsx]
"""
from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.database import open_database  # noqa: E402
from core.transfer import export_file, import_file  # noqa: E402
from db.connection import transaction  # noqa: E402

FILL = """
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?)
INSERT INTO dossiers(code, unit_code, procedure_code, applicant_name, applicant_phone, channel,
                     received_at, status, finished_at, calc_due_at, fee, e_result)
SELECT printf('X-%07d', i), 'X', '1.1', 'Công dân ' || i, printf('09%08d', i),
       CASE i % 3 WHEN 0 THEN 'online' WHEN 1 THEN 'direct' ELSE 'postal' END,
       datetime('2024-01-01 08:00:00', '+' || (i % 500) || ' days'),
       CASE WHEN i % 5 = 0 THEN 'processing' ELSE 'done' END,
       CASE WHEN i % 5 = 0 THEN NULL ELSE datetime('2024-01-02 10:00:00', '+' || (i % 500) || ' days') END,
       datetime('2024-01-04 08:00:00', '+' || (i % 500) || ' days'), NULL, i % 2
FROM n
"""


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 1_000_000
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        db = open_database(folder / "big.db")
        (folder / "u.csv").write_text("code,name\nX,Xã\n", encoding="utf-8")
        (folder / "p.csv").write_text("code,name,limit_value,limit_unit\n1.1,Thủ tục,3,working_days\n",
                                      encoding="utf-8")
        import_file(db, "units", folder / "u.csv")
        import_file(db, "procedures", folder / "p.csv")
        with transaction(db) as conn:
            conn.execute(FILL, [n])
            conn.execute("INSERT INTO supplements(dossier_id, requested_at, completed_at) "
                         "SELECT id, received_at, datetime(received_at, '+1 hours') FROM dossiers WHERE id % 10 = 0")
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{n} dossiers made; peak RSS so far {base:.0f} MB", flush=True)
        for suffix in (".csv", ".xlsx") if "--xlsx" in sys.argv else (".csv",):
            start = time.perf_counter()
            export_file(db, "dossiers", folder / f"out{suffix}")
            size = (folder / f"out{suffix}").stat().st_size / 1e6
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"export {suffix}: {time.perf_counter() - start:.1f} s, {size:.0f} MB, "
                  f"peak RSS {peak:.0f} MB", flush=True)
        db.close()


if __name__ == "__main__":
    main()
