"""Opening the application's database: connect, refuse foreign files, migrate, refresh derived data."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import sqlite_utils

from core import paths
from core.errors import OperationError, os_reason
from db import schema, settings
from db.connection import DatabaseEnvironmentError, connect


def resolve_path(db_arg: str | None) -> Path:
    return Path(db_arg) if db_arg else paths.default_db_path()


def open_database(path: str | Path, *, create: bool = True,
                  progress: Callable[[int, int], bool] | None = None) -> sqlite_utils.Database:
    """Open a MotCua database, creating it (and the data folder) when allowed.

    Without `create`, a missing file is an error and nothing is written to disk. After an
    upgrade the derived indicator data is rebuilt first; `progress(done, total)` is told how far
    that has come (the window shows it) and may return False to give up opening.
    """
    path = Path(path)
    if not path.exists():
        if not create:
            raise DatabaseEnvironmentError(
                f"Không tìm thấy cơ sở dữ liệu {path}. Hãy mở ứng dụng hoặc chạy lệnh demo/import trước.")
        if path.parent == paths.data_dir():
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseEnvironmentError(
                    f"Không tạo được thư mục dữ liệu {path.parent}: {os_reason(exc)}.") from exc
    elif path.is_dir():
        raise DatabaseEnvironmentError(f"{path} là một thư mục, không phải tệp cơ sở dữ liệu.")
    db = connect(path, create=create)
    try:
        schema.migrate(db)
        if settings.get(db, "kpi_stale"):
            from core import facts
            facts.rebuild_all(db, progress)
    except BaseException:
        db.close()
        if create and path.exists() and path.stat().st_size == 0:
            _remove_empty(path)
        raise
    return db


def _remove_empty(path: Path) -> None:
    """A file we just created and could not initialise is removed, leaving nothing behind."""
    for suffix in ("", "-wal", "-shm"):
        try:
            Path(str(path) + suffix).unlink()
        except FileNotFoundError:
            continue


def require_units(db: sqlite_utils.Database) -> None:
    if not db.execute("SELECT 1 FROM units LIMIT 1").fetchone():
        raise OperationError("Cơ sở dữ liệu chưa có đơn vị nào. Hãy nhập danh mục đơn vị hoặc chạy lệnh demo.")
