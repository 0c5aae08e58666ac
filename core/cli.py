"""Command-line commands (spec 6). Each command lives in its own module; this maps names to them.

A command receives the parsed arguments and returns the exit code. Commands that need no
window never import Qt.
"""
from __future__ import annotations

import argparse
import importlib
import os

from core.errors import InputError

# command -> "module:function"; a command missing here answers that it comes later.
COMMANDS: dict[str, str] = {
    "import": "core.transfer.cli:run_import",
    "export": "core.transfer.cli:run_export",
    "export register": "core.workbook.cli:export_register",
    "export bieu06": "core.workbook.cli:export_form",
    "export i766": "core.workbook.cli:export_form",
    "demo": "core.demo.cli:run",
    "kpi": "core.indicators.cli:command",
    "reconcile": "core.reconcile.cli:command",
    "report monthly": "core.pdf.cli:report_monthly",
    "report book": "core.pdf.cli:report_book",
    "slip": "core.pdf.cli:slip",
    "backup": "core.maintenance.cli:backup",
    "restore": "core.maintenance.cli:restore_command",
    "check": "core.maintenance.cli:check",
    "selftest": "core.selftest:run",
    "exchange export": "core.exchange.cli:export_command",
    "exchange import": "core.exchange.cli:import_command",
    "exchange identity": "core.exchange.cli:identity_command",
    "profile list": "core.transfer.profile_cli:list_command",
    "profile show": "core.transfer.profile_cli:show_command",
    "profile rename": "core.transfer.profile_cli:rename_command",
    "profile delete": "core.transfer.profile_cli:delete_command",
    "profile export": "core.transfer.profile_cli:export_command",
    "profile import": "core.transfer.profile_cli:import_command",
    "privacy log": "core.privacy.cli:log",
    "privacy retention": "core.privacy.cli:retention",
    "privacy find": "core.privacy.cli:find",
    "privacy export": "core.privacy.cli:export",
    "privacy breach": "core.privacy.cli:breach",
}

LATER = "Lệnh '{name}' chưa có trong phiên bản này; nó sẽ có trong phiên bản sau."

# Which commands may make the database file --db names when it is not there (a mistyped name
# made a new, empty database that `exchange import` then filled: the centre's packages went
# into a file nobody opens). Every other command reads or adds to an office's existing data
# and refuses a missing file (`require_database`), creating nothing. The window (no command)
# creates too: a new office starts by opening it.
CREATES_DATABASE = frozenset({
    "demo",       # fills a new file (without --db: the demo's own file)
    "restore",    # puts a backup in place, where the file may be gone
    "selftest",   # its own temporary database, never --db's
})
# The ways a new centre or office fills a new file without opening the window: its catalogue
# (`import units`), the packages of its communes and counters (`exchange import`), its slot in
# the group (`exchange identity --slot K --of N`). They create it only when told so, with
# NEW_DB; without it a missing file is refused like everywhere else.
CREATES_WHEN_TOLD = frozenset({"import", "exchange import", "exchange identity"})
NEW_DB = "--new-db"
NEW_DB_HELP = ("tệp --db chưa có thì tạo cơ sở dữ liệu mới (một trung tâm, một đơn vị mới); "
               "không có tuỳ chọn này, tệp chưa có bị từ chối để tên gõ sai không thành tệp mới")
MISSING_DB = "Không có tệp cơ sở dữ liệu '{path}' — kiểm tra lại tên tệp (--db). Chưa tạo gì. {how}"
MISSING_DEFAULT = ("Chưa có cơ sở dữ liệu trên máy này ('{path}', tệp mặc định khi không có "
                   "--db: ứng dụng chưa mở lần nào?). Chưa tạo gì. {how}")


# The commands that write a file the user names, and the argument naming it: every one refuses
# a name that holds a file unless --overwrite is given (core.paths.refuse_existing). `backup`
# is not here: it chooses a name no file has (core.maintenance.backup.free_name).
WRITES: dict[str, str] = {
    "export": "file", "export register": "file", "export bieu06": "file", "export i766": "file",
    "report monthly": "out", "report book": "out", "slip": "out", "reconcile": "out",
    "privacy export": "out", "privacy breach": "out", "profile export": "file",
    "exchange export": "out",
}
OVERWRITE_HELP = ("thay tệp đã có mang tên ấy (không có tuỳ chọn này, tệp đã có bị từ chối, "
                  "không ghi gì); tệp mới ghi xong mới thay tệp cũ")


def command_name(args: argparse.Namespace) -> str:
    """The command as COMMANDS names it: 'report monthly', 'export register', 'kpi'…"""
    name = args.command
    kind = {"report": "report_kind", "exchange": "exchange_kind", "privacy": "privacy_kind",
            "profile": "profile_kind"}.get(name)
    if kind:
        return f"{name} {getattr(args, kind)}"
    if name == "export" and f"export {args.kind}" in COMMANDS:
        return f"export {args.kind}"  # a readable workbook (issue 19), not the interchange file
    return name


def require_database(name: str, args: argparse.Namespace) -> None:
    """The one rule of a database file that is not there (spec 6: a mistyped --db is bad
    input, exit 2, nothing created): only CREATES_DATABASE, and CREATES_WHEN_TOLD given
    NEW_DB, go on to make it."""
    if name in CREATES_DATABASE or (name in CREATES_WHEN_TOLD and getattr(args, "new_db", False)):
        return
    from core.database import resolve_path
    path = resolve_path(args.db)
    if os.path.lexists(path):
        return  # whatever it is (a folder, an empty file, another program's), opening says so
    if name in CREATES_WHEN_TOLD:
        how = (f"Nếu đây là cơ sở dữ liệu mới (một trung tâm, một đơn vị mới), thêm {NEW_DB}: "
               f"{name} … {NEW_DB}.")
    else:
        how = ("Cơ sở dữ liệu mới được tạo khi mở ứng dụng (python main.py --db TỆP), hoặc "
               f"bằng lệnh demo, restore, hay {', '.join(sorted(CREATES_WHEN_TOLD))} với "
               f"{NEW_DB}.")
    raise InputError((MISSING_DB if args.db else MISSING_DEFAULT).format(path=path, how=how))


def unit_code(text: str) -> str:
    """A unit code typed after --unit, by every command (main.py's parser: the one place that
    reads it): spaces around it dropped, as a spreadsheet's copied cell or a script's quoted
    "X01 " brings them ("Không có đơn vị mã 'X01 '" for a unit that exists); nothing left is
    refused."""
    code = text.strip()
    if not code:
        raise argparse.ArgumentTypeError("mã đơn vị đang trống")
    return code


def dispatch(args: argparse.Namespace) -> int:
    name = command_name(args)
    if name == "export":
        from core.workbook.cli import refuse_period_options
        refuse_period_options(args)
    target = COMMANDS.get(name)
    if target is None:
        print(LATER.format(name=name))
        return 1
    require_database(name, args)
    if WRITES.get(name) and getattr(args, WRITES[name], None):
        from core import paths
        paths.refuse_existing(getattr(args, WRITES[name]), getattr(args, "overwrite", False))
    module_name, _, function = target.partition(":")
    from core import database
    # a file of an older version opened by any command: its rebuilds told on stderr
    with database.telling(database.StepsTold()):
        return getattr(importlib.import_module(module_name), function)(args)
