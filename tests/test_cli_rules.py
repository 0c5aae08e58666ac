"""The command line's common rules (spec 6), one test per rule over every command it covers:
the kinds of `export` that take a period."""
from __future__ import annotations

import argparse

import pytest

import main
from core.errors import InputError
from core.workbook.cli import PERIOD_KINDS, refuse_period_options


def _help(*argv: str, capsys) -> str:
    with pytest.raises(SystemExit):
        main.build_parser().parse_args([*argv, "--help"])
    return " ".join(capsys.readouterr().out.split())


def test_export_help_names_every_kind_that_takes_a_period(capsys):
    """`export dossiers FILE --from --to --unit` works since round 20; the help said
    'register, bieu06, i766' only. The help and the refusal read one list."""
    said = _help("export", capsys=capsys)
    kinds = ", ".join(PERIOD_KINDS)
    assert "dossiers" in PERIOD_KINDS
    for option in ("--from DATE", "--to DATE", "--unit CODE"):
        assert f"{option} {kinds}:" in said, option
    for kind in main.KINDS:
        args = argparse.Namespace(kind=kind, date_from="2026-10-01", date_to=None, unit=None,
                                  by=None)
        if kind in PERIOD_KINDS:
            refuse_period_options(args)
        else:
            with pytest.raises(InputError, match="chỉ dùng với export " + "\\|".join(PERIOD_KINDS)):
                refuse_period_options(args)
