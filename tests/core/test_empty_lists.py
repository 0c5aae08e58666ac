"""The rule choosing what an empty list says (core.empty_lists): nothing yet and how to add one
(to an account that may), nothing in what was chosen, or none of a list of problems."""
from __future__ import annotations

from core import empty_lists
from core.reconcile import Reconciliation
from core.register import RegisterFilter


def test_nothing_yet_names_how_to_add_one_only_to_who_may():
    assert empty_lists.votes(False, True) == empty_lists.VOTES_YET + empty_lists.VOTES_HINT
    assert empty_lists.votes(False, False) == empty_lists.VOTES_YET
    assert empty_lists.votes(True, True) == empty_lists.VOTES_HERE  # some, none chosen
    assert empty_lists.procedures(True, True) == empty_lists.PROCEDURES_NONE


def test_an_empty_difference_list_is_good_news_only_when_something_was_paired():
    result = Reconciliation(path="t.csv", date_from=None, date_to=None, unit=None,  # type: ignore
                            unit_name="", profile="national", tolerance=30)
    assert empty_lists.reconciled(None, "differences") == empty_lists.NOT_COMPARED
    assert empty_lists.reconciled(result, "differences") == empty_lists.NOTHING_PAIRED
    result.pairs = [object()]  # type: ignore[list-item]
    assert empty_lists.reconciled(result, "differences") == empty_lists.DIFFERENCES_NONE
    assert empty_lists.reconciled(result, "indicators") == ""  # never empty once compared


def test_the_late_lists_and_the_access_log_name_what_narrows_them():
    assert empty_lists.late("overdue", False) == "Không có hồ sơ nào đang quá hạn."
    assert empty_lists.late("soon", True).endswith(" trong đơn vị đã chọn.")
    assert empty_lists.access_log(False, False) == empty_lists.LOG_ASK
    assert empty_lists.access_log(True).endswith("trong khoảng ngày đã chọn.")
    assert empty_lists.access_log(True, code=True).endswith(" với mã hồ sơ đã gõ.")
    assert empty_lists.access_log(True, True, True).endswith(" với tài khoản và mã hồ sơ đã gõ.")


def test_a_figures_list_is_only_fixed_until_a_search_narrows_it():
    assert RegisterFilter(ids=[]).only_fixed()
    assert not RegisterFilter(ids=[], search="an").only_fixed()
    assert not RegisterFilter().only_fixed()


def test_every_sentence_is_whole_vietnamese():
    sentences = [v for k, v in vars(empty_lists).items() if k.isupper() and isinstance(v, str)]
    for text in sentences:
        assert text.strip() == text or text.startswith(" "), text
        assert "  " not in text and "..." not in text, text
    assert any("ồ" in text for text in sentences)  # diacritics kept


def test_the_register_says_searching_behind_a_figure_matching_or_nothing_yet():
    assert empty_lists.register(RegisterFilter(search="an"), True, True) == empty_lists.SEARCHING
    assert empty_lists.register(RegisterFilter(ids=[]), False, True) == empty_lists.DOSSIERS_BEHIND
    assert empty_lists.register(RegisterFilter(tab="overdue"), False, True) == \
        empty_lists.DOSSIERS_NONE_MATCH
    assert empty_lists.register(RegisterFilter(), False, True) == \
        "Chưa có hồ sơ nào. Tiếp nhận hồ sơ mới: Ctrl+N."
    assert empty_lists.register(RegisterFilter(), False, False) == "Chưa có hồ sơ nào."
    assert empty_lists.payments(True, True) == empty_lists.PAYMENTS_HERE
