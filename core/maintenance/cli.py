"""Command-line entry points of `backup`, `restore` and `check` (spec 6)."""
from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from core import stopping
from core.database import resolve_path
from core.errors import InputError
from core.maintenance import encryption
from core.maintenance.backup import make_backup, missing_top
from core.maintenance.check import check_database, fingerprint_matches
from core.maintenance.restore import restore

NO_TERMINAL = ("Không có cửa sổ dòng lệnh để nhập mật khẩu; hãy chạy lệnh trong cửa sổ dòng "
               f"lệnh, hoặc đặt mật khẩu vào biến môi trường {encryption.ENV_VAR}.")
TRIES = 3


# `backup --to DIR` makes DIR when it is not there (a new dated folder on a USB stick is
# normal), and says so as a new database file is told (core.cli.CREATED): a mistyped name is
# seen at once. The window never asks for a folder: its copies go to the database's own
# backups folder (paths.backup_dir), made in silence as the program's own.
FOLDER_MADE = ("Lưu ý: chưa có thư mục '{folder}' nên đã tạo thư mục ấy và ghi bản sao lưu vào "
               "đó: {copy}. Nếu tên thư mục gõ sai, bản sao lưu nằm trong thư mục mới này: "
               "chuyển nó sang đúng chỗ rồi xoá thư mục ấy.")


def backup(args: argparse.Namespace) -> int:
    passphrase = new_passphrase() if getattr(args, "encrypt", False) else None
    made = args.target and missing_top(Path(args.target)) is not None
    # Ctrl+C heard as the window's «Huỷ» (core.stopping): asked once the copy is made and
    # verified, before it takes its name; stopped there, the partial copy (and a folder made
    # for it) goes, exit 1
    with stopping.heard_as_cancel("chưa có bản sao lưu nào được ghi", "bản sao lưu") as ctrl_c:
        copy = make_backup(resolve_path(args.db), args.target, passphrase=passphrase,
                           progress=ctrl_c.progress)
        print(f"Đã sao lưu cơ sở dữ liệu vào {copy}"
              + (" (đã mã hoá bằng mật khẩu)" if passphrase is not None else ""))
        if made:
            print(FOLDER_MADE.format(folder=args.target, copy=copy), file=sys.stderr)
    return 0


def new_passphrase() -> str:
    """The passphrase of a new encrypted backup: from MOTCUA_BACKUP_PASSPHRASE (scripts), else
    typed twice without echo. Never printed, never logged."""
    given = os.environ.get(encryption.ENV_VAR)
    if given:  # set but empty (`MOTCUA_BACKUP_PASSPHRASE=`) means unset: ask
        problem = encryption.passphrase_problem(given)
        if problem:
            raise InputError(f"Biến môi trường {encryption.ENV_VAR}: {problem}")
        return given
    for _ in range(TRIES):
        first = _ask("Mật khẩu cho bản sao lưu: ")
        problem = encryption.passphrase_problem(first, _ask("Nhập lại mật khẩu: ") if first else None)
        if problem is None:
            return first
        print(problem, file=sys.stderr)
    raise InputError("Chưa có mật khẩu hợp lệ; không sao lưu.")


def _ask(prompt: str) -> str:
    if not sys.stdin or not sys.stdin.isatty():
        raise InputError(NO_TERMINAL)
    try:
        return getpass.getpass(prompt)
    except EOFError:
        raise InputError(NO_TERMINAL) from None


def passphrase_for(path: str) -> str | None:
    """The passphrase that opens the encrypted backup `path` (None for a plain one). A damaged
    header is refused before anything is asked; a wrong passphrase typed may be typed again."""
    if not encryption.is_encrypted(path):
        return None
    header = encryption.read_header(path)
    given = os.environ.get(encryption.ENV_VAR)
    if given:  # set but empty (`MOTCUA_BACKUP_PASSPHRASE=`) means unset: ask
        encryption.unlock(header, given, path)  # WrongPassphrase, exit 2
        return given
    for attempt in range(1, TRIES + 1):
        typed = _ask(f"Mật khẩu của bản sao lưu {path}: ")
        try:
            encryption.unlock(header, typed, path)
            return typed
        except InputError as exc:
            if attempt == TRIES:
                raise
            print(exc.message, file=sys.stderr)
    return None  # not reached: the last attempt returns or raises


def restore_command(args: argparse.Namespace) -> int:
    passphrase = passphrase_for(args.file)
    # Ctrl+C heard as the window's «Huỷ» (core.stopping): asked once the backup is staged and
    # checked, before the database in use is touched; stopped there, it stays as it was
    target = resolve_path(args.db)
    with stopping.heard_as_cancel(f"cơ sở dữ liệu {target} vẫn như trước khi khôi phục",
                                  f"bản khôi phục {target}") as ctrl_c:
        result = restore(args.file, target, passphrase=passphrase, progress=ctrl_c.progress)
        _said_restored(args, result)
    return 0


def _said_restored(args: argparse.Namespace, result) -> None:
    if result.previous_backup:
        print(f"Đã sao lưu cơ sở dữ liệu cũ vào {result.previous_backup}")
        if result.kept_text():
            print(result.kept_text())
    print(f"Đã khôi phục {result.database} từ {args.file}")
    if result.chain:
        print(result.chain)


def check(args: argparse.Namespace) -> int:
    if getattr(args, "against", None):
        return check_against(args)
    findings = check_database(resolve_path(args.db))
    for finding in findings:
        print(("[ĐẠT] " if finding.ok else "[LỖI] ") + finding.text)
    failed = [f for f in findings if not f.ok]
    if failed:
        print(check_summary(failed))
        return 1
    print("Kết quả: cơ sở dữ liệu tốt.")
    return 0


def check_summary(failed: list) -> str:
    """`check`'s last line: a backup restored for a damaged or edited file, unless every
    problem says the action that puts it right (Finding.repair: nothing to restore)."""
    if all(f.repair for f in failed):
        return (f"Kết quả: {len(failed)} vấn đề cần xử lý — sửa theo hướng dẫn ở trên; không "
                "cần khôi phục bản sao lưu.")
    return (f"Kết quả: {len(failed)} vấn đề cần xử lý. Nếu tệp bị hỏng hoặc bị sửa đổi bên "
            "ngoài MotCua, hãy khôi phục từ bản sao lưu gần nhất (lệnh restore).")


def check_against(args: argparse.Namespace) -> int:
    """`check --against FINGERPRINT`: does the data still match a signed monthly report?"""
    ok, text = fingerprint_matches(resolve_path(args.db), args.against)
    print(text)
    return 0 if ok else 1
