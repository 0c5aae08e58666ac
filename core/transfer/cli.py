"""`import KIND FILE [--dry-run]` and `export KIND FILE` on the command line (spec 6, 7)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from core import stopping
from core.database import open_database, resolve_path
from core.errors import InputError
from core.privacy.masking import MASKED_VI, full_pass
from core.timefmt import vn_number
from core.transfer import KINDS, PERSONAL_KINDS, ImportResult, export_file, import_file
from core.transfer.files import check_extension, open_table
from core.transfer.mapped import import_mapped
from core.transfer.profile_damage import whole
from core.transfer.profile_export import export_profile
from core.transfer.profiles import get_profile


def _open_for_import(args: argparse.Namespace):
    """A dry run against a database that does not exist yet checks against an empty one in
    memory, so that it creates no file."""
    path = resolve_path(args.db)
    if getattr(args, "dry_run", False) and not path.exists():
        return open_database(":memory:")
    return open_database(path)


def run_import(args: argparse.Namespace) -> int:
    """The import, Ctrl+C heard as the window's «Huỷ» (core.stopping): asked at every chunk of
    rows and just before the COMMIT; stopped there, nothing written (exit 1)."""
    # a missing or unreadable file is reported before any database is made; the file opened
    # here is the one imported (an .xlsx checked and parsed once: core.transfer.files)
    table = open_table(args.file)
    name = Path(args.file).name
    nothing = (f"việc kiểm tra tệp {name} dừng giữa chừng, cơ sở dữ liệu không thay đổi"
               if args.dry_run else f"tệp {name} chưa được nhập, cơ sở dữ liệu vẫn như trước "
               "khi nhập. Có thể nhập lại tệp này khi cần")
    with stopping.heard_as_cancel(nothing, None if args.dry_run else
                                  f"dữ liệu của tệp {name}") as ctrl_c:
        try:
            db = _open_for_import(args)
            try:
                result = _import(db, args, table, ctrl_c.progress)
            finally:
                db.close()
        finally:
            table.close()
        if not result.written:
            ctrl_c.done = None  # refused or a dry run: nothing was written
        return _said(result)


def _said(result: ImportResult) -> int:
    if result.errors:
        _print_errors(result)
        return 2
    if result.awaits_choice:  # nothing written: the clerk chooses first
        _print_duplicates(result, sys.stderr)
        return 2
    print(summary(result))
    _print_duplicates(result, sys.stdout)
    for line in result.notes:  # a new fee kept by the dossiers already received (core.fees)
        print(line)
    _print_warnings(result)
    return 0


def _import(db, args: argparse.Namespace, table, progress) -> ImportResult:
    if getattr(args, "profile", None) is None:
        if getattr(args, "duplicates", None):
            raise InputError("Tùy chọn --duplicates chỉ dùng với tệp của hệ thống tỉnh "
                             "(--profile): tệp của MotCua mang mã hồ sơ của MotCua.")
        return import_file(db, args.kind, args.file, dry_run=args.dry_run, table=table,
                           progress=progress)
    _only_dossiers(args)
    return import_mapped(db, args.file, whole(get_profile(db, args.profile)), dry_run=args.dry_run,
                         opened=table, duplicates=getattr(args, "duplicates", None),
                         progress=progress)


# How the command lets the clerk choose for the likely duplicates (core.reconcile.duplicates)
DUPLICATES_CHOICE = ("Hãy xem từng cặp, rồi chọn: --duplicates skip (bỏ qua các dòng này, không "
                     "nhập) hoặc --duplicates import (vẫn nhập thành hồ sơ mới).")


def _print_duplicates(result: ImportResult, out) -> None:
    """The rows likely to be dossiers MotCua holds under another code, the applicant masked
    (a terminal's output goes to logs), and what to choose when not chosen yet."""
    from core.reconcile import reported_name
    from core.reconcile.duplicates import told
    lines = told(result, reported_name)
    if not lines:
        return
    if result.awaits_choice:
        lines[0] += f" Chưa ghi gì vào cơ sở dữ liệu (tệp {Path(result.path).name})."
    for line in lines:
        print(line, file=out)
    if result.duplicates_chosen is None:
        print(DUPLICATES_CHOICE, file=out)


def _only_dossiers(args: argparse.Namespace) -> None:
    if args.kind != "dossiers":
        raise InputError("Tùy chọn --profile chỉ dùng cho hồ sơ (dossiers): các tệp khác "
                         "dùng tên cột của MotCua.")


def _print_warnings(result: ImportResult) -> None:
    """Rows written anyway that deserve a look (an overpaid fee …); the exit code stays 0."""
    if not result.warnings:
        return
    print(warnings_heading(result), file=sys.stderr)
    for line in result.warnings:
        print(f"  {line}", file=sys.stderr)


def _print_errors(result: ImportResult) -> None:
    """Each bad cell by row and column; a personal value masked (RowError.masked: stderr goes
    to logs), the window showing the signed-in clerk the same errors whole."""
    out = sys.stderr
    print(errors_heading(result), file=out)
    for error in result.errors:
        print(f"  {error.masked()}", file=out)


def warnings_heading(result: ImportResult) -> str:
    """What the warnings below are, said alike by the command and the window. It counted them
    as rows written ('1 dòng đã ghi') above 'Bỏ qua 5 dòng trạng thái 1', rows not written, and
    above one line counting 699 dossiers."""
    done = "nếu nhập tệp" if result.dry_run else "tệp đã được nhập"
    return f"Cảnh báo ({done}, nên kiểm tra lại):"


def errors_heading(result: ImportResult) -> str:
    """What the list of errors below covers: all of them, or the first ones of many."""
    name, total = Path(result.path).name, max(result.error_count, len(result.errors))
    if result.stopped_at is not None:
        return (f"Tệp {name} có quá nhiều lỗi: đã dừng kiểm tra ở dòng "
                f"{vn_number(result.stopped_at)} sau {vn_number(total)} lỗi; chưa ghi gì vào cơ "
                f"sở dữ liệu. Hãy sửa {vn_number(len(result.errors))} lỗi đầu tiên sau rồi "
                "kiểm tra lại:")
    return (f"Tệp {name} có {vn_number(total)} lỗi; chưa ghi gì vào cơ sở dữ liệu. "
            "Hãy sửa các dòng sau rồi nhập lại:")


def summary(result: ImportResult) -> str:
    label = KINDS[result.kind].label
    from core.reconcile.duplicates import skipped_words
    counts = (f"thêm mới {vn_number(result.added)}, cập nhật {vn_number(result.updated)}, "
              f"không đổi {vn_number(result.unchanged)}{skipped_words(result)}")
    name = Path(result.path).name
    left_out = f"\n{result.trailer_note()}" if result.trailer else ""
    if result.dry_run:
        return (f"Kiểm tra xong tệp {name}: {vn_number(result.rows)} dòng {label} hợp lệ. "
                f"Nếu nhập sẽ {counts}. Chưa ghi gì (--dry-run).{left_out}")
    return f"Đã nhập tệp {name}: {vn_number(result.rows)} dòng {label} — {counts}.{left_out}"


def run_export(args: argparse.Namespace) -> int:
    """The export, Ctrl+C heard as the window's «Huỷ» (core.stopping): asked every 5,000 rows
    and after the last; stopped there, the file written beside its name is removed (a file
    the name held stays as it was), exit 1."""
    check_extension(Path(args.file))
    full = full_pass(args)
    with stopping.heard_as_cancel(f"tệp {args.file} chưa được ghi (tệp cũ cùng tên, nếu có, "
                                  "vẫn như trước)", f"tệp {args.file}") as ctrl_c:
        db = open_database(resolve_path(args.db), create=False, mode="read")
        try:
            chosen = _selection(db, args)
            if getattr(args, "profile", None) is None:
                count = export_file(db, args.kind, args.file, full=full, chosen=chosen,
                                    progress=ctrl_c.progress)
            else:
                _only_dossiers(args)
                count = export_profile(db, args.file, whole(get_profile(db, args.profile)), full=full,
                                       chosen=chosen, progress=ctrl_c.progress)
        finally:
            db.close()
        masked = f" ({MASKED_VI} đã che; --full-data --purpose để xuất đầy đủ)" if (
            args.kind in PERSONAL_KINDS and full is None) else ""
        print(f"Đã xuất {vn_number(count)} dòng {KINDS[args.kind].label}{_scope(chosen)} ra "
              f"tệp {args.file}{masked}.")
    return 0


def _selection(db, args: argparse.Namespace):
    """`export dossiers --from --to --unit`: the dossiers of a period and a unit, or None."""
    given = [getattr(args, key, None) for key in ("date_from", "date_to", "unit")]
    if args.kind != "dossiers" or not any(given):
        return None
    from core.transfer.dossier_export import selection
    return selection(db, *given)


def _scope(chosen) -> str:
    """' tiếp nhận từ 01/11/2026 đến 30/11/2026 của đơn vị XTD và các đơn vị trực thuộc'."""
    if chosen is None:
        return ""
    words = (f" từ {chosen.start:%d/%m/%Y}" if chosen.start else "") + \
        (f" đến {chosen.end:%d/%m/%Y}" if chosen.end else "")
    where = f" của đơn vị {chosen.unit} và các đơn vị trực thuộc" if chosen.unit else ""
    return (f" tiếp nhận{words}" if words else "") + where
