"""Reliability tests that open the main window find it signed in (tests/signed_in_window.py)."""
from tests.signed_in_window import signed_in_main_window  # noqa: F401 - an autouse fixture
