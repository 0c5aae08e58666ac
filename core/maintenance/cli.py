"""Command-line entry points of `backup`, `restore` and `check` (spec 6)."""
from __future__ import annotations

import argparse

from core.database import resolve_path
from core.maintenance.backup import make_backup
from core.maintenance.check import check_database, fingerprint_matches
from core.maintenance.restore import restore


def backup(args: argparse.Namespace) -> int:
    copy = make_backup(resolve_path(args.db), args.target)
    print(f"Đã sao lưu cơ sở dữ liệu vào {copy}")
    return 0


def restore_command(args: argparse.Namespace) -> int:
    result = restore(args.file, resolve_path(args.db))
    if result.previous_backup:
        print(f"Đã sao lưu cơ sở dữ liệu cũ vào {result.previous_backup}")
    print(f"Đã khôi phục {result.database} từ {args.file}")
    if result.chain:
        print(result.chain)
    return 0


def check(args: argparse.Namespace) -> int:
    if getattr(args, "against", None):
        return check_against(args)
    findings = check_database(resolve_path(args.db))
    for finding in findings:
        print(("[ĐẠT] " if finding.ok else "[LỖI] ") + finding.text)
    failed = sum(not f.ok for f in findings)
    if failed:
        print(f"Kết quả: {failed} vấn đề cần xử lý. Nếu tệp bị hỏng hoặc bị sửa đổi bên ngoài "
              "MotCua, hãy khôi phục từ bản sao lưu gần nhất (lệnh restore).")
        return 1
    print("Kết quả: cơ sở dữ liệu tốt.")
    return 0


def check_against(args: argparse.Namespace) -> int:
    """`check --against FINGERPRINT`: does the data still match a signed monthly report?"""
    ok, text = fingerprint_matches(resolve_path(args.db), args.against)
    print(text)
    return 0 if ok else 1
