"""Fixtures for import/export tests: small catalogues and file writers."""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from core import timefmt

UNITS_HEADER = ["code", "name", "level", "parent_code"]
UNITS = [["LS", "UBND tỉnh Lạng Sơn", "province", ""],
         ["XTD", "UBND xã Tân Đoàn", "commune", "LS"],
         ["XVQ", "UBND xã Văn Quan", "commune", "LS"]]
PROCEDURES_HEADER = ["code", "name", "field", "limit_value", "limit_unit", "fee", "online_level",
                     "paper_result", "same_day_cutoff"]
PROCEDURES = [["1.001612", "Đăng ký khai sinh", "Hộ tịch", "3", "working_days", "0", "full", "0", ""],
              ["2.000815", "Chứng thực bản sao", "Chứng thực", "0", "same_day", "2000", "partial", "1", "15:00"],
              ["1.004227", "Cấp giấy phép xây dựng", "Xây dựng", "15", "working_days", "150000", "full", "1", ""]]
DOSSIERS_HEADER = ["code", "unit_code", "procedure_code", "applicant_name", "applicant_phone",
                   "applicant_address", "channel", "received_at", "status", "due_at", "finished_at",
                   "returned_at", "supplement_requested_at", "supplement_completed_at",
                   "extended_due_at", "fee", "e_result"]
NOW = dt.datetime(2025, 3, 10, 9, 30)


def write_csv(path: Path, header, rows, encoding: str = "utf-8") -> Path:
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, header, rows) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def dossier_row(code="XTD-250102-0001", **values) -> list:
    """A valid dossier row (received Thu 02/01/2025 08:00, birth registration, done)."""
    base = {"code": code, "unit_code": "XTD", "procedure_code": "1.001612",
            "applicant_name": "Nguyễn Văn An", "applicant_phone": "0382123428",
            "applicant_address": "Thôn Bản Chu", "channel": "online",
            "received_at": "2025-01-02 08:00", "status": "done", "due_at": "",
            "finished_at": "2025-01-03 10:00", "returned_at": "2025-01-03 15:00",
            "supplement_requested_at": "", "supplement_completed_at": "",
            "extended_due_at": "", "fee": "", "e_result": "1"}
    base.update(values)
    return [base[c] for c in DOSSIERS_HEADER]


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    monkeypatch.setattr(timefmt, "now", lambda: NOW)
    return NOW


@pytest.fixture
def catalog(db, tmp_path):
    """A database holding three units and three procedures (imported the ordinary way)."""
    from core.transfer import import_file

    assert import_file(db, "units", write_csv(tmp_path / "u.csv", UNITS_HEADER, UNITS)).ok
    assert import_file(db, "procedures",
                       write_csv(tmp_path / "p.csv", PROCEDURES_HEADER, PROCEDURES)).ok
    return db


def count(db, table: str) -> int:
    return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
