"""Issue 18 (start): Vietnam's public holidays come from the `holidays` package's Vietnam module
alone, not through its index of ~250 countries, and are the package's own table."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import holidays

from core.calendar import public_holidays

ROOT = Path(__file__).resolve().parents[2]


def test_the_table_is_the_packages_for_every_year():
    for year in (1995, 2024, 2025, 2026, 2030, 2045):
        assert public_holidays(year) == dict(
            holidays.country_holidays("VN", years=year, language="vi").items())


def test_no_other_country_is_imported():
    code = ("import sys; from core.calendar import public_holidays; "
            "assert public_holidays(2026); "
            "print(sorted(m for m in sys.modules if m.startswith('holidays.countries')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout
    assert out.strip() == "['holidays.countries.vietnam']"
