"""The reconciliation report (A4 landscape, the monthly report's opening and closing) with every
header field at its longest (core.limits "header") prints every letter on its pages
(tests/core/pdf/test_longest_header.py, the other documents)."""
from __future__ import annotations

import pytest

from core import limits
from core.pdf.reconcile import build_reconciliation
from core.report_header import FIELDS
from db import settings
from tests.core.pdf.test_longest_header import KINDS, LONGEST, letters_off_the_page
from tests.core.reconcile.test_reconcile import (  # noqa: F401 (fixtures)
    FIRST,
    LAST,
    office,
    province_file,
    reconcile,
)


@pytest.mark.parametrize("kind", list(KINDS))
def test_the_reconciliation_prints_the_longest_header_on_its_pages(office, province_file,  # noqa: F811
                                                                   kind):
    value = KINDS[kind](LONGEST)
    header = dict(settings.get(office, "report_header"), **{field: value for field in FIELDS})
    header["recipients"] = [value[:limits.RECIPIENT_MAX]] * (limits.RECIPIENTS_MAX - 1)
    settings.put(office, "report_header", header)
    pdf = build_reconciliation(office, reconcile(office, province_file, FIRST, LAST), LAST)
    assert letters_off_the_page(pdf) == []
