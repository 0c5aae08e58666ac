"""Command-line commands (spec 6). Each command lives in its own module; this maps names to them.

A command receives the parsed arguments and returns the exit code. Commands that need no
window never import Qt.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path

from core.errors import InputError, MotCuaError

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
    "exchange forget-key": "core.exchange.cli:forget_key_command",
    "exchange keys": "core.exchange.cli:keys_command",
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

# Which commands may make the database file --db names when it is not there. A mistyped name
# once made a new, empty database that `exchange import` then filled, silently: the centre's
# packages went into a file nobody opens. Every command that only reads an office's data
# refuses a missing file (`require_database`), creating nothing. The window (no command)
# creates too: a new office starts by opening it.
CREATES_DATABASE = frozenset({
    "demo",       # fills a new file (without --db: the demo's own file)
    "restore",    # puts a backup in place, where the file may be gone
    "selftest",   # its own temporary database, never --db's
})
# The ways a new office or centre fills a new file without opening the window (spec 6 and
# 9: `import KIND FILE` into a new --db is how a script sets up an office): its catalogue
# (`import units`), the packages of its communes and counters (`exchange import`), its slot in
# the group (`exchange identity --slot K --of N`). They create the file, and say so on
# stderr after they succeed (a mistyped name is seen at once) unless NEW_DB says the new file
# is meant; a run that fails leaves no new file behind (`created_file_kept`).
CREATES_WHEN_TOLD = frozenset({"import", "exchange import", "exchange identity"})
# … `exchange identity` only when it sets the slot: alone it shows the id and slot, a reading
# (on a mistyped name it made a file and showed a fresh id as the office's: review21)
ONLY_WITH = {"exchange identity": "slot"}
# … and never when it answers for a file brought from another PC (--new-machine, --same-machine:
# spec 4): where no file is there, none was brought, and a new one is no answer (it made one
# and refused it: "Tệp dữ liệu này được lập cho máy này. Không cần --new-machine")
NEVER_WITH = {"exchange identity": ("new_machine", "same_machine")}
NOT_BROUGHT = ("Không có tệp cơ sở dữ liệu nào ở '{path}', mà {option} dùng cho một tệp dữ liệu "
               "đã chép từ máy khác sang máy này. Chưa làm gì, chưa tạo tệp nào. Hãy chép tệp dữ "
               "liệu của máy cũ vào đây (hoặc sửa --db thành đường dẫn của tệp đã chép) rồi chạy "
               "lại; muốn lập cơ sở dữ liệu mới cho máy này thì dùng exchange identity --slot K "
               "--of N, không kèm {option}.")
NEW_DB = "--new-db"
NEW_DB_HELP = ("tệp --db chưa có: tạo cơ sở dữ liệu mới mà không cần nhắc (một trung tâm, "
               "một đơn vị mới); không có tuỳ chọn này, tệp mới vẫn được tạo nhưng có lời nhắc, "
               "để tên gõ sai không lặng lẽ thành tệp mới")
MISSING_DB = "Không có tệp cơ sở dữ liệu '{path}' — kiểm tra lại tên tệp (--db). Chưa tạo gì. {how}"
MISSING_DEFAULT = ("Chưa có cơ sở dữ liệu trên máy này ('{path}', tệp mặc định khi không có "
                   "--db: ứng dụng chưa mở lần nào?). Chưa tạo gì. {how}")
CREATED = ("Lưu ý: chưa có tệp '{path}' nên đã tạo cơ sở dữ liệu mới ở đó. Nếu tên tệp gõ sai, "
           "dữ liệu vừa ghi nằm trong tệp mới này: chạy lại với đúng tên tệp (--db) rồi xoá "
           "tệp ấy. ({new_db}: tạo tệp mới không cần nhắc.)")


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


def require_database(name: str, args: argparse.Namespace) -> bool:
    """The one rule of a database file that is not there (spec 6: a mistyped --db is bad
    input, exit 2, nothing created). CREATES_DATABASE goes on to make it; CREATES_WHEN_TOLD
    too, and the answer True says this run is making a new file (told and, on failure,
    removed by `dispatch`)."""
    if name in CREATES_DATABASE:
        return False
    from core.database import resolve_path
    path = resolve_path(args.db)
    if os.path.lexists(path):
        return False  # whatever it is (a folder, an empty file, another program's), opening says so
    brought = next((o for o in NEVER_WITH.get(name, ()) if getattr(args, o, False)), None)
    if brought is not None:
        raise InputError(NOT_BROUGHT.format(path=path, option="--" + brought.replace("_", "-")))
    if name in CREATES_WHEN_TOLD and (name not in ONLY_WITH or
                                      getattr(args, ONLY_WITH[name], None) is not None):
        from core import paths
        paths.require_folder(path)  # `--db nodir/x.db`: bad input like any file written
        return True
    how = ("Cơ sở dữ liệu mới được tạo khi mở ứng dụng (python main.py --db TỆP), hoặc "
           "bằng lệnh demo, restore, " + ", ".join(
               f"{n} --{ONLY_WITH[n]}" if n in ONLY_WITH else n for n in sorted(CREATES_WHEN_TOLD))
           + ".")
    raise InputError((MISSING_DB if args.db else MISSING_DEFAULT).format(path=path, how=how))


STOPPED_EMPTY = ("Tệp '{path}' do lệnh này vừa tạo chưa có dữ liệu nào nên đã được xoá. "
                 "Chưa ghi gì; chạy lại lệnh khi muốn.")


def created_file_kept(path: Path, succeeded: bool, told: bool) -> bool:
    """After a command that made a new database file: kept and (unless NEW_DB said it was
    meant) told on stderr when the command succeeded; removed, with its journal files, when it
    failed (exit 2 says nothing was written: a file of an empty schema must not stay behind to
    be taken for an office's data next time). True when it was removed."""
    if succeeded:
        if not told and path.exists():
            print(CREATED.format(path=path, new_db=NEW_DB), file=sys.stderr)
        return False
    from core.database import remove_with_sidecars
    try:
        remove_with_sidecars(path)
    except OSError:  # still held open (Windows): left, as a file nothing was written to
        return False
    return True


def unit_code(text: str) -> str:
    """A unit code typed after --unit, by every command (main.py's parser: the one place that
    reads it): spaces around it dropped, as a spreadsheet's copied cell or a script's quoted
    "X01 " brings them ("Không có đơn vị mã 'X01 '" for a unit that exists); nothing left is
    refused."""
    code = text.strip()
    if not code:
        raise argparse.ArgumentTypeError("mã đơn vị đang trống")
    return code


# Every path the command line takes (--db, --out, --to, a FILE argument) is named by its
# metavar. An empty one (`--to ""`, a script's unset variable) was taken for "not given":
# `backup --to ""` wrote to the default folder, `reconcile --out ""` printed and wrote no file.
# One rule for them all (guard_paths, applied by main.build_parser): refused, exit 2.
PATH_METAVARS = ("FILE", "DIR", "PATH")
BLANK_PATH = ("đường dẫn đang trống: hãy ghi tên tệp hoặc thư mục (muốn dùng mặc định thì bỏ "
              "hẳn tuỳ chọn này). Chưa làm gì.")


def path_text(text: str) -> str:
    """A path typed on the command line: an empty or blank one is refused (BLANK_PATH)."""
    if not text.strip():
        raise argparse.ArgumentTypeError(BLANK_PATH)
    return text


def guard_paths(parser: argparse.ArgumentParser) -> None:
    """`path_text` on every argument of `parser` and of its subcommands whose metavar names a
    path (PATH_METAVARS): the rule reaches an option added later without a word of its own."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in {id(p): p for p in action.choices.values()}.values():
                guard_paths(child)
        elif (action.type is None and isinstance(action.metavar, str)
              and action.metavar.startswith(PATH_METAVARS)):
            action.type = path_text


def dispatch(args: argparse.Namespace) -> int:
    name = command_name(args)
    if name == "export":
        from core.workbook.cli import refuse_period_options
        refuse_period_options(args)
    target = COMMANDS.get(name)
    if target is None:
        print(LATER.format(name=name))
        return 1
    creating = require_database(name, args)
    if WRITES.get(name) and getattr(args, WRITES[name], None):
        from core import paths
        paths.refuse_existing(getattr(args, WRITES[name]), getattr(args, "overwrite", False))
    module_name, _, function = target.partition(":")
    from core import database
    # a file of an older version opened by any command: its rebuilds told on stderr
    if not creating:
        with database.telling(database.StepsTold()):
            return getattr(importlib.import_module(module_name), function)(args)
    from db.errors import DatabaseEnvironmentError
    new_file, code, kept, empty = database.resolve_path(args.db), 1, False, False
    try:
        with database.telling(database.StepsTold()):
            code = getattr(importlib.import_module(module_name), function)(args)
    except (MotCuaError, DatabaseEnvironmentError):
        raise  # a refusal, the disk's failure: nothing written (one transaction), the file goes
        # (unless it holds something after all: below)
    except BaseException:
        # anything else may come after the work was committed — the reader of the output left
        # (`| head`: BrokenPipeError while printing the summary), a fault in what is said: the
        # file the command made and filled stays, and is told (review21). Before the commit
        # (Ctrl-C while the rows were written: KeyboardInterrupt) the file holds nothing: it
        # goes, said — only when it is this very run's file and holds nothing a new file does
        # not (core.database.fresh_and_made_here), never on a guess (round 22)
        empty = database.fresh_and_made_here(new_file)
        kept = not empty
        raise
    finally:
        if code != 0 and not kept and not empty:
            # refused or failed: the file goes only when it holds nothing a new file does not,
            # never on the word that a refusal writes nothing — one raised after the commit
            # took the rows written with the file (review22); one that holds them stays, told
            kept = not database.fresh_and_made_here(new_file)
        removed = created_file_kept(new_file, code == 0 or kept, getattr(args, "new_db", False))
        if empty and removed:
            print(STOPPED_EMPTY.format(path=new_file), file=sys.stderr)
    return code
