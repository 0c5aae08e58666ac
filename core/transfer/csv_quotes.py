"""A CSV quote opened and never closed.

Python's csv reader, when not strict, runs a quoted cell whose closing quote is missing on to
the end of the file: every row after it is swallowed into that one cell, and the import
then reports one row where the file has hundreds, silently dropping the rest. Strict
parsing would also refuse harmless quirks (`"Nguyễn" Văn A`), so only the last record is
looked at again: the reader gives a record as soon as it ends, so the lines taken since
the one before are exactly that record's text.
"""
from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from openpyxl.utils import get_column_letter

from core.errors import InputError


class RecordLines:
    """The lines handed to a csv reader, remembering those of the record being read."""

    def __init__(self, lines: Iterable[str]):
        self._lines = lines
        self._taken: list[str] = []
        self._last: list[str] = []

    def __iter__(self) -> Iterator[str]:
        for line in self._lines:
            self._taken.append(line)
            yield line

    def record_read(self) -> None:
        """Called once per record the reader gives."""
        self._last, self._taken = self._taken, []

    def unclosed(self, delimiter: str) -> bool:
        """Whether the last record ended only because the file did, inside a quoted cell."""
        if self._taken or not self._last:
            return False
        try:
            for _ in csv.reader(self._last, delimiter=delimiter, strict=True):
                pass
        except csv.Error as exc:
            return "unexpected end of data" in str(exc)
        return False


def unclosed_quote(name: str, number: int, cells: int) -> InputError:
    """The message for a quote opened in the last cell of row `number` and never closed."""
    letter = get_column_letter(max(cells, 1))
    return InputError(
        f'Tệp {name}, dòng {number}, cột {letter}: ô này mở dấu ngoặc kép (") mà không đóng, '
        "nên mọi dòng sau nó đến hết tệp bị gộp vào một ô. Hãy thêm dấu \" còn thiếu "
        "(hoặc bỏ dấu \" thừa) ở ô ấy. Chưa ghi gì.")
