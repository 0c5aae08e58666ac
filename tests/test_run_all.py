"""bench/run_all.py runs on a tiny database and answers in JSON (no timing asserted: timed runs
stay out of the suite, issue 18)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench import run_all

ROOT = Path(__file__).resolve().parent.parent


def test_every_row_belongs_to_exactly_one_measure():
    named = [name for rows in run_all.GROUPS.values() for name in rows]
    assert sorted(named) == sorted(run_all.ROWS) and len(set(named)) == len(named)
    assert set(run_all.RUNNERS) == set(run_all.GROUPS)


def test_a_tiny_run_emits_json_with_its_rows_and_caches_the_database(tmp_path):
    command = [sys.executable, str(ROOT / "bench" / "run_all.py"), "--size", "300", "--cache",
               str(tmp_path), "--only", "size,kpi,monthly", "--json"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout)
    assert [r["name"] for r in found["rows"]] == ["monthly_pdf", "db_size", "kpi_year"]
    for r in found["rows"]:
        assert r["measured"] is not None and r["note"] and not r["note"].startswith("failed")
        assert r["goal"] == run_all.ROWS[r["name"]][2] and isinstance(r["met"], bool)
    assert found["rows"][1]["baseline"] is None  # the size's baseline comes with the demo row
    cached = [p.name for p in tmp_path.iterdir()]
    assert any(n.startswith("demo-300-v") and n.endswith(".db") for n in cached)
    assert not any(n.endswith(".part") for n in cached)  # completed, renamed
    made = json.loads(Path(found["db"] + ".json").read_text())
    assert made["dossiers"] == 300 and made["seconds"] > 0


def test_the_table_shows_every_figure_and_an_unknown_measure_is_refused(capsys):
    rows = [run_all.row(name, None, None, "failed: x") for name in run_all.ROWS]
    rows[0] = run_all.row("register_open", 0.5, 0.001)
    run_all.print_table(rows, "head")
    out = capsys.readouterr().out
    assert all(figure in out for figure, _unit, _goal in run_all.ROWS.values())
    assert "| 0.500 s | 1.00 ms | ≤ 0.200 s | NO |" in out
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run_all.py"), "--only",
                           "register,nothing"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "nothing" in done.stderr
