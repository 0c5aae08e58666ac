"""A database with data, closed again, for the encrypted-backup tests."""
from __future__ import annotations

from pathlib import Path

import pytest

from core.database import open_database
from tests.core.maintenance.test_maintenance import fill


@pytest.fixture
def filled(db_path) -> Path:
    """40 dossiers with their history and some votes (test_maintenance.py has its own copy)."""
    db = open_database(db_path)
    fill(db)
    db.close()
    return db_path
