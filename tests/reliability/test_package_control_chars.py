"""A finding of the hostile-files review, fixed in core/exchange/checks.py (_check_texts):
the package is refused as a file import would refuse the same value.

A package whose checksums match (anyone who knows the format can make them match) carries a
dossier whose applicant name starts with a NUL character (JSON "\\u0000"). `exchange import`
stored it as it was: SQLite's C functions, Qt labels and PDF/XLSX writers stop at or refuse such a
character, while a file import refuses the same value with row and column
(core.limits.control_reason, core.transfer.base.parse_record).
"""
from __future__ import annotations

import pytest

from core.errors import InputError
from core.exchange import import_package
from tests.reliability.test_hostile_files import package, remade  # noqa: F401 - a fixture
from tests.reliability.test_input import office  # noqa: F401 - a fixture


@pytest.mark.parametrize("character", ["\\u0000", "\\u001b"])
def test_a_control_character_in_a_package_is_refused_like_in_a_file(db, package, tmp_path,  # noqa: F811
                                                                  character):
    import zipfile
    with zipfile.ZipFile(package) as old:
        lines = old.read("dossiers.jsonl")
    bad = remade(package, tmp_path / "nul.zip", {"dossiers.jsonl": lines.replace(
        b'"applicant_name":"', b'"applicant_name":"' + character.encode(), 1)})
    before = _names(db)
    with pytest.raises(InputError, match="dossiers.jsonl"):
        import_package(db, bad)
    assert _names(db) == before


def test_a_control_character_in_a_dossiers_history_is_refused(db, package, tmp_path):  # noqa: F811
    import zipfile
    with zipfile.ZipFile(package) as old:
        lines = old.read("dossiers.jsonl")
    assert b'"receive"' in lines
    bad = remade(package, tmp_path / "ev.zip", {"dossiers.jsonl": lines.replace(
        b'"receive"', b'"rec\\u0007eive"', 1)})
    before = _names(db), db.execute("SELECT COUNT(*) FROM events").fetchone()
    with pytest.raises(InputError, match="lịch sử xử lý"):
        import_package(db, bad)
    assert (_names(db), db.execute("SELECT COUNT(*) FROM events").fetchone()) == before


def test_ordinary_line_breaks_and_tabs_in_texts_still_travel():
    from core.exchange.checks import _check_texts
    _check_texts({"fields": {"applicant_name": "Nguyễn\tVăn A", "note": "dòng 1\r\ndòng 2"},
                  "events": [["2025-01-01 08:00:00", None, "receive", None, None, None, "a\nb"]],
                  "complaints": []})


def _names(db) -> list:
    return db.execute("SELECT code, applicant_name FROM dossiers ORDER BY code").fetchall()
