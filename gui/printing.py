"""Printing official slips and reports through the PDF module, once it is part of the build."""
from __future__ import annotations

from importlib.util import find_spec


def available() -> bool:
    """True when core.pdf and its preview dialog are installed (they arrive in their own branch)."""
    return find_spec("core.pdf") is not None and find_spec("gui.preview") is not None
