"""The import tests' catalogue and frozen clock (tests/core/transfer/conftest.py)."""
from tests.core.transfer.conftest import catalog, frozen_now  # noqa: F401
