"""Offline exchange between installations (spec 9): packages out and in.

    export_package(db, "xa-dong-giap-2025-10.zip", since=date(2025, 10, 1), unit="XDG")
    result = import_package(db, path, dry_run=True)         # preview: new / changed / …
    result = import_package(db, path, conflicts="keep")     # merge, one transaction

The format (core.exchange.package) and the commands are described in docs/import-export.md;
the code allocation that keeps installations' codes apart is core.installation.
"""
from __future__ import annotations

from core.exchange.export import export_package
from core.exchange.merge import KEEP, THEIRS, ExchangeResult, import_package

__all__ = ["KEEP", "THEIRS", "ExchangeResult", "export_package", "import_package"]
