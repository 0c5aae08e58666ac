"""The register as it worked before issue 18's second round, kept to be measured beside it.

- every search a condition of every query (`core.searchkey.match`: the index narrows, LIKE
  reads each row it keeps), the list read with NOT INDEXED and sorted;
- a reload reads up to 50,001 ids; a longer list sorted on an index keeps them as its first
  pages and fetches the others with OFFSET from the start;
- the sort by due time sorts every dossier by its expression;
- each tab other than the shown one counted by its own query;
- the live due times all computed before the first rows, and the sort indicator set before
  them running the query once more.
"""
from __future__ import annotations

from array import array
from collections import OrderedDict
from contextlib import contextmanager

from core.textnorm import search_words
from gui.dossiers import register_view
from gui.dossiers.register_model import TABS, RegisterModel
from gui.lazymodel import LazyTableModel

MATERIALIZE = 50_000


class _NoHits:
    count = None
    walking = False

    def prepare(self, words, generation, **_) -> None:
        pass

    def step(self) -> bool:
        return True

    def finish(self) -> None:
        pass


class BeforeModel(RegisterModel):
    def __init__(self, db, parent=None, now=None):
        super().__init__(db, parent, **({"now": now} if now else {}))
        self.hits = _NoHits()

    def prepare(self, deferred: bool = False) -> None:
        super().prepare(deferred=False)

    def _due_merge(self) -> bool:
        return False

    def sort(self, column, order=None) -> None:
        LazyTableModel.sort(self, column, order)  # ran before the first prepare too

    def from_where(self) -> tuple[str, list]:
        clauses, params = self.where()
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        hint = " NOT INDEXED" if search_words(self.filter.search) else ""
        return f"FROM dossiers d{hint}{where}", params

    def reload(self) -> None:
        if self._reads_live(self.filter.tab):
            self.finish_live()
        sql, params = self.id_query()
        indexed = self.COLUMNS[self.sort_column].indexed
        limit = MATERIALIZE + 1 if indexed else -1
        ids: array | None = array("q", (r[0] for r in self.db.execute(f"{sql} LIMIT {limit}",
                                                                      params)))
        count, page_ids = len(ids), {}
        if indexed and count > MATERIALIZE:
            from_where, params = self.from_where()
            count = self.db.execute(f"SELECT COUNT(*) {from_where}", params).fetchone()[0]
            page_ids = {p: list(ids[p * self.PAGE:(p + 1) * self.PAGE])
                        for p in range(MATERIALIZE // self.PAGE)}
            ids = None
        self.beginResetModel()
        self._ids, self._count = ids, count
        self._page_ids = OrderedDict(page_ids)
        self._pages.clear()
        self.endResetModel()

    def _fetch_page(self, page: int) -> list[int]:
        sql, params = self.id_query()
        return [r[0] for r in self.db.execute(
            f"{sql} LIMIT {self.PAGE} OFFSET {page * self.PAGE}", params)]


def _counts_before(screen) -> None:
    for index, (key, title) in enumerate(TABS):
        model = screen.model
        count = model.rowCount() if key == model.filter.tab else model.count(key)
        screen.tabs.setTabText(index, f"{title} ({register_view.widgets_number(count)})")
    screen.counts_changed.emit()


@contextmanager
def before():
    """Inside: a RegisterScreen made now works the way before."""
    saved = (register_view.RegisterModel, register_view.RegisterScreen._update_counts)
    register_view.RegisterModel = BeforeModel
    register_view.RegisterScreen._update_counts = _counts_before
    try:
        yield
    finally:
        register_view.RegisterModel, register_view.RegisterScreen._update_counts = saved
