"""The command line's own words in Vietnamese (spec 6: a clerk reads every message in
Vietnamese). argparse writes its headings ("usage:", "options:"), its -h line and its error
messages in English; this parser and formatter say them in Vietnamese. No Qt: main.py builds
the parser before any window is wanted."""
from __future__ import annotations

import argparse
import re
import sys

USAGE = "Cách dùng: "
POSITIONALS = "tham số"
OPTIONALS = "tuỳ chọn"
HELP_LINE = "hiện hướng dẫn này rồi thoát"

# argparse's error messages (Python 3.11–3.13), the inner part after "argument NAME: ".
# (pattern, Vietnamese): the pattern's groups go into the text in order.
_INNER = (
    (r"invalid choice: (.*) \(choose from (.*)\)", "lựa chọn không hợp lệ: {0} (chọn một trong {1})"),
    (r"invalid int value: (.*)", "cần một số nguyên, không phải {0}"),
    (r"invalid float value: (.*)", "cần một số, không phải {0}"),
    (r"invalid \S+ value: (.*)", "giá trị không hợp lệ: {0}"),
    (r"expected one argument", "cần một giá trị"),
    (r"expected at most one argument", "cần nhiều nhất một giá trị"),
    (r"expected at least one argument", "cần ít nhất một giá trị"),
    (r"expected (\d+) arguments?", "cần {0} giá trị"),
    (r"not allowed with argument (.*)", "không dùng cùng với {0}"),
    (r"ignored explicit argument (.*)", "không nhận giá trị {0}"),
)
# whole messages, not about one argument
_WHOLE = (
    (r"unrecognized arguments: (.*)", "tham số không nhận ra: {0}"),
    (r"the following arguments are required: (.*)", "thiếu tham số bắt buộc: {0}"),
    (r"one of the arguments (.*) is required", "cần một trong các tham số {0}"),
    (r"ambiguous option: (\S+) could match (.*)", "tuỳ chọn {0} không rõ: có thể là {1}"),
)


def _translated(message: str, table) -> str | None:
    for pattern, text in table:
        found = re.fullmatch(pattern, message, flags=re.DOTALL)
        if found:
            return text.format(*found.groups())
    return None


def vietnamese_error(message: str) -> str:
    """argparse's English error message said in Vietnamese; a message this table does not know
    (a newer Python's) is kept as argparse wrote it rather than half-translated. The messages
    of MotCua's own checks (ArgumentTypeError) are Vietnamese already and pass unchanged."""
    whole = _translated(message, _WHOLE)
    if whole is not None:
        return whole
    about = re.fullmatch(r"argument (\S+): (.*)", message, flags=re.DOTALL)
    if about is None:
        return message
    name, inner = about.groups()
    return f"tham số {name}: {_translated(inner, _INNER) or inner}"


class VietnameseFormatter(argparse.HelpFormatter):
    """The help's first line starts "Cách dùng:" instead of "usage:"."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, USAGE if prefix is None else prefix)


class VietnameseParser(argparse.ArgumentParser):
    """argparse with Vietnamese headings, -h line and errors; a mistake exits with code 2."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", VietnameseFormatter)
        wants_help = kwargs.get("add_help", True)
        kwargs["add_help"] = False  # the -h line below, in Vietnamese
        super().__init__(*args, **kwargs)
        # the default groups' titles (argparse names them at construction)
        self._positionals.title = POSITIONALS
        self._optionals.title = OPTIONALS
        if wants_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help=HELP_LINE)

    def error(self, message: str):
        self.print_usage(sys.stderr)
        sys.stderr.write(f"Lỗi: {vietnamese_error(message)}\n")
        sys.exit(2)
