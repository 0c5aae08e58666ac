"""A package's derived figures (due times, facts, search keys) are kept by a centre that would
compute them alike (core.exchange.records.rules_fingerprint). The program named in the
fingerprint is core.version.DERIVED_BY, not the version: a centre updated first (docs/updating.md)
keeps the figures of its senders still on the previous release, which computes them alike;
with the version in it, 50 × 20,000 of them cost 148 s of CPU instead of 70 (review34a)."""
from __future__ import annotations

import pytest

from core import timefmt, version
from core.exchange import export, export_package, import_package
from tests.core.exchange.test_centre_agrees import NOW, SINCE, T, office, received

UNITS = [("U1", "Xã An Sơn", None), ("U2", "Xã Hòa Bình", None)]


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    monkeypatch.setattr(timefmt, "now", lambda: NOW)


def _merged(tmp_path, monkeypatch, **sender) -> bool:
    """Whether the centre kept the package's derived figures (`fast`), the package made with
    the module values `sender` gives (the release it was made by)."""
    counter = office(tmp_path / "counter.db", 2, UNITS)
    centre = office(tmp_path / "centre.db", 1, UNITS)
    try:
        for hour in (8, 9, 10):
            received(counter, "U1", "P.WD2", T(2026, 9, 14, hour))
        with monkeypatch.context() as patch:
            for name, value in sender.items():
                patch.setattr(version if name == "DERIVED_BY" else export, name, value)
            export_package(counter, tmp_path / "p.zip", SINCE)
        result = import_package(centre, tmp_path / "p.zip")
        assert result.written and result.dossiers.get("new") == 3, result.dossiers
        return result.fast
    finally:
        counter.close()
        centre.close()


def test_a_package_of_the_previous_release_keeps_its_figures(tmp_path, monkeypatch):
    assert version.VERSION != "1.0.0"
    assert _merged(tmp_path, monkeypatch, VERSION="1.0.0")


def test_figures_computed_by_another_program_are_computed_again(tmp_path, monkeypatch):
    assert not _merged(tmp_path, monkeypatch, DERIVED_BY="0.9.0")


def test_this_release_computes_as_the_previous_one_did():
    """Moved only with a change of how derived data is computed (core.version's comment)."""
    assert version.DERIVED_BY == "1.0.0"
