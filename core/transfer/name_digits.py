"""A file's name with a number run into it (nine digits or more in a row): written, with a
warning naming the row and the column (issue 16 §1, round 30).

The desk refuses such a name (core.name_rules.typed_name_reason: the phone typed into the name
field without the Tab). An import accepts it by decision — a provincial file names an
organisation with its tax code ("Công ty TNHH ABC - MST 0101234567") — but said nothing, and a
phone typed into the name of the provincial system came in as the applicant's name. The value
shown masked by the name's rule (core.privacy.masking.mask_field: the number never shows): the
warning goes to the command's stderr, kept in logs, as well as to the window.
"""
from __future__ import annotations

from core.name_rules import number_in_file_name
from core.privacy.masking import mask_field
from core.timefmt import vn_number
from core.transfer.base import Record

NAME_COLUMNS = ("applicant_name", "representative")
LISTED = 10  # rows named one by one; the others counted on one line


class NumberedNames:
    """The rows whose names hold a number run, as the import checks them."""

    def __init__(self) -> None:
        self.found: dict[tuple[int, str], str] = {}  # (row, column) -> its line

    def note(self, record: Record) -> None:
        for column in NAME_COLUMNS:
            name = record.value(column)
            if not isinstance(name, str) or any(e.column == column for e in record.errors):
                continue
            if said := number_in_file_name(name):
                self.found[(record.row, column)] = (
                    f"Dòng {record.row}, cột {column}, giá trị '{mask_field(column, name)}': {said}.")

    def lines(self) -> list[str]:
        """The warnings: the first rows one by one, the rest counted with their numbers."""
        keys = sorted(self.found)
        out = [self.found[key] for key in keys[:LISTED]]
        if rest := keys[LISTED:]:
            rows = ", ".join(str(row) for row, _ in rest[:20]) + (", …" if len(rest) > 20 else "")
            out.append(f"Và {vn_number(len(rest))} ô họ tên khác có dãy từ 9 chữ số liền nhau (dòng {rows}): "
                       "kiểm tra như trên.")
        return out
