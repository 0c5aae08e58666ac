"""The work the Copier starts a part ahead: each part's own screen in a thread (`ahead`,
`screen_next`, `screened`), the next part's chain guessed as this part's events go in
(`guess_next`) and the tails of the parts to come made by the second process (`tails_next`)."""
from __future__ import annotations

import concurrent.futures
import threading
from collections.abc import Callable
from typing import Any

from core.exchange.fastcopy.chain_jobs import _ahead, _tails_job
from core.exchange.fastcopy.jobs import _Jobs
from core.exchange.fastcopy.screening import Screened, _screen_job

TAILS_AHEAD = 1  # the parts after the one whose chain is asked whose tails are asked too


class _Ahead(_Jobs):
    """The Copier's screens, chains and tails asked for ahead of their part's copy."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.following: Callable[[], list[str]] | None = None  # … asked for more (`ahead`)
        self.screening: list[tuple[str, Any]] = []  # (file, its screen's result) started
        self.screener: concurrent.futures.ThreadPoolExecutor | None = None
        self.stop = threading.Event()  # the screens' thread stops (`close`)
        self.guess: tuple[tuple, Any] | None = None  # the next part's chain asked for early
        self.parts: list[str] = []  # the operation's part files, in order (`ahead`)
        self.chained_last: str | None = None  # the part whose chain was last asked (`tails_next`)
        self.tails_asked: set[str] = set()  # the part files whose tails were asked (`tails_next`)

    def ahead(self, paths, following: Callable[[], list[str]] | None = None) -> None:
        """The files of the operation's parts, in the order they will be copied: each part's
        own screen (`_screen_part`: ~0.15 s of SQLite a 20,000-dossier part) runs beside this
        thread, one part ahead, in a thread of its own with a read-only connection of its own
        to the file: the first's now, each next one's when a part's copy has its chain
        (`screen_next`: the second process has just finished hashing, its core is free). Not
        in the second process: its chains come first there, and this thread waited ~3 times
        longer for the screens (10 parts of 20,000 dossiers, thirteenth round). A part not
        copied (not in memory and no slot left) is passed over; `close` stops the screens and
        waits for their thread. `following`: asked for the next files (`more`) when none is
        left to screen or to guess the chain of (merge._Run: the parts verified meanwhile)."""
        self.to_screen = [str(p) for p in paths]
        self.parts = list(self.to_screen)
        self.following = following
        self.screen_next()
        self.tails_next(None)

    def _pull(self) -> None:
        if not self.to_screen and self.following is not None:
            self._verified(self.following())

    def more(self, paths) -> None:
        """More part files after `ahead`'s, in the order they will be copied (an operation's
        parts given as each is verified: merge._Opening; a part is screened, and its tails
        made, only once checked)."""
        self._verified(paths)
        self.screen_next()
        # the tails of the parts just checked that are within TAILS_AHEAD of the last chain
        # asked (the first part's before any): a part verified after its predecessor's chain
        # was asked would otherwise have none made ahead
        self.tails_next(self.chained_last)

    def _verified(self, paths) -> None:
        paths = [str(p) for p in paths]
        self.to_screen += paths
        self.parts += paths

    def screen_next(self) -> None:
        """The next part's screen started, unless one is already running or waiting."""
        if self.screening:
            return
        self._pull()
        if not self.to_screen:
            return
        path = self.to_screen.pop(0)
        if self.screener is None:
            self.screener = concurrent.futures.ThreadPoolExecutor(
                1, thread_name_prefix="motcua-screen")
        screening = self.screener.submit(_screen_job, path, self.stop)
        self.use(path, screening)
        self.screening.append((path, screening.result))

    def guess_next(self, head: bytes, width: int) -> None:
        """The next part's chain (`ahead`'s next file) asked of the second process now, as
        this part's events are in, after `head`, the codes held taken as none: it hashes while
        this process ends the part and begins the next, instead of from the next part's start.
        Taken there only when the part's own arguments are these very ones (`_Copy.submit`:
        the same file, no code held, the same head and width), else asked for again."""
        if not self.screening:
            self._pull()
        following = self.screening[0][0] if self.screening else (
            self.to_screen[0] if self.to_screen else None)
        if following is not None:
            args: tuple = (following, [], head, width)
            self.guess = (args, self.start(_ahead, *args, self.token))
            self.use(following, self.guess[1])
            self.tails_next(following)

    def tails_next(self, chained: str | None) -> None:
        """The tails (db.chain.tails: each event's content as the chain hashes it, which needs
        no previous hash) of the TAILS_AHEAD parts after `chained`, the part whose chain was
        just asked for (None: the first parts), asked of the second process with no code held
        (`_tails_job`): made there after that chain, while this process copies, and kept there
        for the part's own chain job, which is then only the SHA-256 in series (~0.07 s a part
        instead of ~0.4 s). Asked once a part; behind the chain just asked, never before one
        (the second process runs its jobs in turn), and before the chain that takes them. Not
        when there is no second process: the chain makes them there, in turn."""
        if not self.processes:
            return
        self.chained_last = chained
        if chained is None:
            start = 0
        elif chained in self.parts:
            start = self.parts.index(chained) + 1
        else:
            return
        for path in self.parts[start:start + TAILS_AHEAD]:
            if path not in self.tails_asked and path not in self.released:
                self.tails_asked.add(path)
                self.use(path, self._run(_tails_job, (path, [], self.token)))

    def screened(self, path: str) -> Screened:
        """The part's own screen (`_screen_part`) of the part file `path`: the one started
        ahead (waited for; its error raised here, as if run here), else made now."""
        path = str(path)
        while self.screening and self.screening[0][0] != path:  # parts passed over: not
            self.screening.pop(0)                                # copied (`ahead`)
        if not self.screening and path in self.to_screen:  # a part after them: now
            del self.to_screen[:self.to_screen.index(path)]
            self.screen_next()
        found = self.screening.pop(0)[1] if self.screening else None
        return found() if found is not None else _screen_job(path)
