"""`profile list|show|rename|delete|export|import`: the column-mapping profiles on the command
line (core.transfer.profiles), so that a province's mapping made at one office is shared with
the others as a file (`profile export NAME FILE.json`, `profile import FILE.json`).

Changing a profile is changing a setting (spec 10): core refuses it to an account without
`settings.edit` and records who changed what; the command line acts for the operating-system
user, as every command does.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from core.database import open_database, resolve_path
from core.errors import InputError
from core.transfer.profiles import (
    FIELDS,
    Profile,
    ProfileTaken,
    adopt_profile,
    delete_profile,
    get_profile,
    list_profiles,
    read_profile_file,
    rename_profile,
    write_profile_file,
)


def _open(args: argparse.Namespace, write: bool):
    return open_database(resolve_path(args.db), create=False, mode="write" if write else "read")


def _title(profile: Profile) -> str:
    return "Cổng DVC quốc gia, có sẵn" if profile.builtin else "đã lưu"


def list_command(args: argparse.Namespace) -> int:
    db = _open(args, write=False)
    try:
        profiles = list_profiles(db)
    finally:
        db.close()
    print(f"{len(profiles)} mẫu cột:")
    for profile in profiles:
        row = f", dòng tiêu đề {profile.header_row}" if profile.header_row else ""
        print(f"  {profile.name}  ({_title(profile)}: {len(profile.columns)} cột{row})")
    return 0


def show_lines(profile: Profile) -> list[str]:
    """The profile as `profile show` prints it: each field with the file's column."""
    how = (f"dòng {profile.header_row}" if profile.header_row
           else "tìm theo tên cột")
    lines = [f"Mẫu cột '{profile.name}' ({_title(profile)}); dòng tiêu đề: {how}."]
    width = max(len(label) for label in FIELDS.values())
    for name, label in FIELDS.items():
        column = profile.columns.get(name)
        if column:
            lines.append(f"  {label:<{width}}  ←  {column}")
    return lines


def show_command(args: argparse.Namespace) -> int:
    db = _open(args, write=False)
    try:
        profile = get_profile(db, args.name)
    finally:
        db.close()
    print("\n".join(show_lines(profile)))
    return 0


def rename_command(args: argparse.Namespace) -> int:
    db = _open(args, write=True)
    try:
        profile = rename_profile(db, args.name, args.new_name)
    finally:
        db.close()
    print(f"Đã đổi tên mẫu cột '{args.name}' thành '{profile.name}'.")
    return 0


def delete_command(args: argparse.Namespace) -> int:
    db = _open(args, write=True)
    try:
        delete_profile(db, args.name)
    finally:
        db.close()
    print(f"Đã xóa mẫu cột '{args.name}'.")
    return 0


def export_command(args: argparse.Namespace) -> int:
    out = Path(args.file)
    db = _open(args, write=False)
    try:
        profile = get_profile(db, args.name)
    finally:
        db.close()
    write_profile_file(profile, out)
    print(f"Đã xuất mẫu cột '{profile.name}' ra tệp {out} ({len(profile.columns)} cột).")
    return 0


def import_command(args: argparse.Namespace) -> int:
    read = read_profile_file(args.file)
    if not (args.name or read.name or "").strip():
        raise InputError(f"Tệp {Path(args.file).name} không ghi tên mẫu cột; hãy đặt tên bằng "
                         "--name.")
    db = _open(args, write=True)
    try:
        profile, done = adopt_profile(db, read, args.name, replace=args.replace)
    except ProfileTaken as exc:
        raise InputError(f"Đã có mẫu cột '{exc.taken}' với các cột khác; thêm --replace để thay "
                         "bằng mẫu trong tệp, hoặc đặt tên khác bằng --name.") from None
    finally:
        db.close()
    if done == "same":
        print(f"Mẫu cột '{profile.name}' đã có đúng các cột này; không đổi gì.")
    else:
        verb = "Đã thay" if done == "replaced" else "Đã nhập"
        print(f"{verb} mẫu cột '{profile.name}' ({len(profile.columns)} cột).")
    return 0
