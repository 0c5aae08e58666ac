"""The command line speaks Vietnamese (spec 6): every command's help, its headings and argparse's
own error messages, and every option says what it is for (core.cli_words, main.build_parser)."""
from __future__ import annotations

import argparse

import pytest

import main
from core.cli_words import vietnamese_error

ENGLISH = ("usage:", "options:", "positional arguments", "optional arguments",
           "show this help", "error:", "argument", "invalid", "required", "expected")


def _commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    """(command words, its parser) for the program and every command below it."""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from _commands(child, (*path, name))


COMMANDS = [path for path, _ in _commands(main.build_parser())]


def test_every_option_of_every_command_says_what_it_is_for():
    silent = [(" ".join(path) or "motcua", action.option_strings or action.dest)
              for path, parser in _commands(main.build_parser())
              for action in parser._actions
              if not isinstance(action, argparse._SubParsersAction) and not action.help]
    assert silent == []


@pytest.mark.parametrize("path", COMMANDS, ids=lambda path: " ".join(path) or "motcua")
def test_a_commands_help_is_vietnamese(path, capsys):
    with pytest.raises(SystemExit) as stopped:
        main.build_parser().parse_args([*path, "--help"])
    said = capsys.readouterr().out
    assert stopped.value.code == 0
    assert said.startswith("Cách dùng: motcua")
    assert "tuỳ chọn:" in said and "hiện hướng dẫn này rồi thoát" in said
    assert [word for word in ENGLISH if word in said.lower()] == []


MISTAKES = [
    (["kpi", "--from", "2026-10-01"], "thiếu tham số bắt buộc: --to"),
    (["demo", "--dossiers", "abc"], "tham số --dossiers: cần một số nguyên, không phải 'abc'"),
    (["kpi", "--from", "a", "--to", "b", "--zz"], "tham số không nhận ra: --zz"),
    (["kpi", "--from", "a", "--to", "b", "--supplement", "x"],
     "tham số --supplement: lựa chọn không hợp lệ: 'x' (chọn một trong 'pause', 'restart')"),
    (["kpi", "--from"], "tham số --from: cần một giá trị"),
    (["exchange", "identity", "--new-machine", "--same-machine"],
     "tham số --same-machine: không dùng cùng với --new-machine"),
    (["privacy", "find"], "cần một trong các tham số --id-no --phone --name"),
    (["--d", "x.db", "kpi"], "tuỳ chọn --d không rõ: có thể là --db, --debug"),
    (["nonsense"], "tham số COMMAND: lựa chọn không hợp lệ: 'nonsense'"),
]


@pytest.mark.parametrize("argv, words", MISTAKES, ids=lambda value: " ".join(value)
                         if isinstance(value, list) else "")
def test_a_mistake_is_explained_in_vietnamese_and_exits_2(argv, words, capsys):
    with pytest.raises(SystemExit) as stopped:
        main.build_parser().parse_args(argv)
    said = capsys.readouterr().err
    assert stopped.value.code == 2
    assert said.startswith("Cách dùng: motcua")
    assert f"Lỗi: {words}" in said
    assert [word for word in ENGLISH if word in said.lower()] == []


def test_a_value_that_names_an_english_word_is_kept_as_typed():
    """The old way replaced the word 'argument' wherever it stood, the clerk's value included."""
    assert (vietnamese_error("argument --unit: invalid choice: 'argument' (choose from 'a', 'b')")
            == "tham số --unit: lựa chọn không hợp lệ: 'argument' (chọn một trong 'a', 'b')")


def test_a_message_the_table_does_not_know_is_kept_whole():
    """A newer Python's message: kept as argparse wrote it, not half-translated."""
    assert vietnamese_error("something new happened") == "something new happened"
    assert vietnamese_error("mã đơn vị đang trống") == "mã đơn vị đang trống"
