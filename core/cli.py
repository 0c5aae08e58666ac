"""Command-line commands (spec 6). Each command lives in its own module; this maps names to them.

A command receives the parsed arguments and returns the exit code. Commands that need no
window never import Qt.
"""
from __future__ import annotations

import argparse
import importlib

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
    name = args.command
    if name == "report":
        name = f"report {args.report_kind}"
    elif name == "exchange":
        name = f"exchange {args.exchange_kind}"
    elif name == "privacy":
        name = f"privacy {args.privacy_kind}"
    elif name == "profile":
        name = f"profile {args.profile_kind}"
    elif name == "export" and f"export {args.kind}" in COMMANDS:
        name = f"export {args.kind}"  # a readable workbook (issue 19), not the interchange file
    elif name == "export":
        from core.workbook.cli import refuse_period_options
        refuse_period_options(args)
    target = COMMANDS.get(name)
    if target is None:
        print(LATER.format(name=name))
        return 1
    module_name, _, function = target.partition(":")
    from core import database
    # a file of an older version opened by any command: its rebuilds told on stderr
    with database.telling(database.StepsTold()):
        return getattr(importlib.import_module(module_name), function)(args)
