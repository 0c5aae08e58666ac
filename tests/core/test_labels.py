"""core.labels: one Vietnamese word per stored enum value, for every screen and document."""
from __future__ import annotations

import pytest

from core import labels
from core.transfer.cells import CellError, enum
from db import schema


@pytest.mark.parametrize("codes", list(labels.BY_ENUM), ids=lambda c: c[0])
def test_each_table_covers_its_enum_exactly(codes):
    words = labels.BY_ENUM[codes]
    assert list(words) == list(codes)
    assert all(word.strip() for word in words.values())


def test_every_enum_of_the_schema_has_a_table():
    enums = [schema.CHANNELS, schema.STATUSES, schema.LIMIT_UNITS, schema.ONLINE_LEVELS,
             schema.UNIT_LEVELS, schema.PAYMENT_METHODS, schema.RATINGS, schema.CALENDAR_KINDS]
    assert all(codes in labels.BY_ENUM for codes in enums)


def test_an_import_message_names_the_words_the_clerk_knows():
    with pytest.raises(CellError) as error:
        enum(schema.CHANNELS)("quầy")
    assert "direct (Trực tiếp)" in str(error.value) and "online (Trực tuyến)" in str(error.value)
