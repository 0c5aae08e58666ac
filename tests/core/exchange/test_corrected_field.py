"""A package's correction naming a field that is no text (a hostile package) names none: the
two records compared are then two dossiers, never a crash (core.exchange.compare, review36c)."""
from __future__ import annotations

import json

import pytest

from core.exchange.compare import IDENTITY, same_dossier


def record(name: str, corrections: list) -> dict:
    fields = dict.fromkeys(IDENTITY, "x")
    fields["applicant_name"] = name
    events = [(None, None, "correct", None, None, None, json.dumps(details))
              for details in corrections]
    return {"fields": fields, "events": events}


@pytest.mark.parametrize("field", [[], {}, ["applicant_name"], 7, None])
def test_a_correction_of_a_field_that_is_no_text_names_none(field):
    assert not same_dossier(record("Lê Văn A", []), record("Lê Văn B", [{"field": field}]))


def test_a_correction_of_the_name_makes_them_one_dossier():
    assert same_dossier(record("Lê Văn A", []), record("Lê Văn B", [{"field": "applicant_name"}]))
