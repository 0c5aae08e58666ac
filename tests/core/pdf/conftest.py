"""Fixtures for the document tests: the sample office and a folder for rendered pages."""
from __future__ import annotations

import pytest

from tests.core.pdf import sample


@pytest.fixture
def sample_db(db):
    sample.seed(db)
    return db


@pytest.fixture
def write_pdf(tmp_path):
    """Save bytes as a file, as a user would open it; returns the path."""
    def write(data: bytes, name: str = "doc.pdf"):
        path = tmp_path / name
        path.write_bytes(data)
        return path
    return write
