"""The votes of a clash kept both: those an earlier "keep" misfiled on this installation's
dossier (moved, or left and said), the moved copy's cancel reason that travels, and the
package's votes left out (another citizen's dossier, or sent without their dossier)."""
from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence

from core.exchange import records, replaced
from core.exchange.recode.reading import any_aliases
from core.timefmt import vn_number
from db.batches import in_chunks, marks


def misfiled_votes(conn, code: str, sender: str, package_votes: dict[str, Counter],
                   below: int) -> tuple[list[tuple[int, dict]], list[int]]:
    """A clash kept here at an earlier import and now kept both (its package reopened): the
    votes that import put on this installation's dossier `code` (before round 20 a "keep"
    wrote the package's votes on the code, a vote naming only the code) which the package
    PROVES are its citizen's: live, stored before this operation (id < `below`), written by a
    package of the same sender (core.actor_names: where each row came from), and the same
    vote (records.vote_key: all it says) as one the package names `code` with, one for one
    (`package_votes`: the package's votes as `wanted_votes` indexes them, once per package).
    Returns (those to move: (id, vote), the ids of the others that are the same vote as one
    of the package's yet not provably its citizen's: left where they are, and said).
    Never a guess: a vote written here, by another sender, or more copies here than the
    package carries, stays."""
    from core import actor_names
    from core.exchange import records
    wanted = package_votes.get(code)
    if not wanted:
        return [], []
    rows = conn.execute("SELECT v.id, " + records.VOTES_SQL[len("SELECT "):]
                        + " WHERE d.code = ? AND v.cancelled_at IS NULL AND v.id < ? "
                        "ORDER BY v.id", [code, below]).fetchall()
    same: dict[str, list[tuple[int, dict]]] = {}
    for row in rows:
        vote = records.vote_record(row[1:])
        if records.vote_key(vote) in wanted:
            same.setdefault(records.vote_key(vote), []).append((row[0], vote))
    names = actor_names.Names(conn) if same else None
    moved: list[tuple[int, dict]] = []
    left: list[int] = []
    for key, found in same.items():
        origins = [names.origin("vote_rows", vote_id) if names else None for vote_id, _ in found]
        proven = bool(sender) and len(found) <= wanted[key] and all(
            origin is not None and origin.installation == sender for origin in origins)
        if proven:
            moved += found
        else:
            left += [vote_id for vote_id, _ in found]
    return moved, left


def wanted_votes(package_votes: Sequence[dict]) -> dict[str, Counter]:
    """{code: Counter of records.vote_key} of the package's votes. `misfiled_votes` is asked
    for every code kept both with the same votes: reading them all each time was codes ×
    votes (3,255 × 4,100 at try23's size: 0.4 s, growing with the square), so the caller
    indexes them once per package and import and drops the index with it (no state kept
    between imports)."""
    from core.exchange import records
    index: dict[str, Counter] = {}
    for vote in package_votes:
        index.setdefault(vote["dossier_code"], Counter())[records.vote_key(vote)] += 1
    return index


def moved_reason(code: str, new: str, package: str, sender: str, here: str | None) -> str:
    """Why a vote on this installation's dossier was cancelled there: moved (the same vote is
    on the re-coded dossier). The reason travels with the vote (a package carries the
    cancelled copy): it names the installations, never "this PC" — `sender`, the one whose
    citizen gave the vote (the package's), and `here`, the one that had it misfiled and moved
    it (this installation), each by its id's first characters as a package's name shows
    them ("gói.zip (máy c3cd08e7)"), as the replaced reason does (core.exchange.replaced:
    `here` None, no id yet, names it by what it did)."""
    return (f"{MOVED_START}{new}: {_moved_whose(code)}{sender}{_moved_where(code)}"
            f"{replaced.machine(here, package)} khi "
            "máy ấy giữ hồ sơ của mình cho mã này ở một lần nhập trước; máy ấy chuyển phiếu "
            f"khi nhập gói {package} chọn giữ cả hai")


# a moved vote's cancel reason (`moved_reason`): its start, and the parts naming the code of
# the dossier it is cancelled on. Part of the exchange format: packages carry it, and
# receivers know a move's copy by it (`moved_copy`, `moved_copy_sql`). A new wording must keep
# the old ones recognised: the reason of rounds 21-22 (`_moved_middle`, "… của máy này": the
# frozen WRITTEN of tests/core/exchange/test_moved_vote_travels.py) and the one of round 23.
MOVED_START = "Chuyển sang hồ sơ "


def _moved_whose(code: str) -> str:
    return f"phiếu của người nộp hồ sơ mã {code} ở máy "


def _moved_where(code: str) -> str:
    # ends before "máy …": the installation that moved it is named by replaced.machine
    return f", bị gắn nhầm vào hồ sơ {code} ở "


def _moved_middle(code: str) -> str:
    """The reason's middle as rounds 21-22 wrote it (what follows the new code): still
    recognised in the packages and databases that hold it."""
    return (f": phiếu của người nộp hồ sơ mã {code} ở máy gửi, lần nhập trước (giữ của máy "
            f"này) đã gắn nhầm vào hồ sơ {code} của máy này; giữ cả hai khi nhập gói ")


def moved_copy(vote: dict) -> bool:
    """A package's vote that is the copy a move left on the sender's dossier of its code
    (cancelled there, its reason `moved_reason` naming that very code; the same vote is on
    the re-coded dossier, with a move_vote event). It counts nothing; the move travels: it
    cancels the same vote here when an earlier package of that sender brought it live (the
    general rule, `_Merger.vote_batch`), and is left out where no such vote is — the
    receiver never had it misfiled. Either wording (`_moved_middle`: before round 23)."""
    reason, code = vote.get("cancel_reason"), vote.get("dossier_code")
    return vote.get("cancelled_at") is not None and isinstance(reason, str) and \
        reason.startswith(MOVED_START) and code is not None and (
            _moved_middle(code) in reason
            or (_moved_whose(code) in reason and _moved_where(code) in reason))


def moved_copy_sql(vote: str, code: str) -> tuple[str, list[str]]:
    """`moved_copy` in SQL, of a vote row `vote` whose dossier's code is the expression
    `code`: (the condition, its parameters)."""
    def around(text: str) -> list[str]:  # the text before and after each place of the code
        return text.split("\x00")
    old, whose, where = around(_moved_middle("\x00")), around(_moved_whose("\x00")), \
        around(_moved_where("\x00"))
    reason = f"{vote}.cancel_reason"
    return (f"({vote}.cancelled_at IS NOT NULL AND substr({reason}, 1, ?) = ? AND ("
            f"instr({reason}, ? || {code} || ? || {code} || ?) > 0 OR ("
            f"instr({reason}, ? || {code} || ?) > 0 AND "
            f"instr({reason}, ? || {code} || ?) > 0)))",
            [str(len(MOVED_START)), MOVED_START, *old, *whose, *where])


MOVED_VI = "phiếu đánh giá mà lần nhập trước (giữ của máy này) đã gắn vào hồ sơ này"
UNPROVEN_VI = "không chứng minh được là phiếu của người nộp bên kia"


def moved_text(code: str, new: str, count: int) -> str:
    return (f"Hồ sơ {code} của máy này: {vn_number(count)} {MOVED_VI} là phiếu của người nộp "
            f"hồ sơ {code} ở máy gửi "
            "(cùng nội dung với phiếu trong gói, do gói của chính máy gửi ấy mang đến): đã chuyển "
            f"sang hồ sơ {new} — phiếu trên {code} được huỷ, ghi lý do chuyển; số liệu của hai hồ "
            "sơ được tính lại.")


def left_text(code: str, count: int) -> str:
    return (f"Hồ sơ {code} của máy này: {vn_number(count)} phiếu đánh giá cùng nội dung với phiếu "
            f"gói mang theo mã ấy nhưng {UNPROVEN_VI} "
            "(ghi ở máy này, do máy khác mang đến, hoặc nhiều bản hơn gói mang): để nguyên. Nếu "
            f"không phải phiếu của người nộp hồ sơ {code} của máy này, hãy huỷ (màn Đánh giá, "
            "nút \"Huỷ phiếu…\", ghi lý do).")


FOREIGN_VOTES_VI = "phiếu đánh giá gắn với hồ sơ của gói không được nhận"


def foreign_votes_text(count: int) -> str:
    """The package's votes left out: they name its dossier of a clash whose dossier here was
    kept (another citizen's), never this installation's dossier of that code."""
    return (f"{vn_number(count)} {FOREIGN_VOTES_VI} (hai hồ sơ khác nhau cùng mã, giữ hồ sơ của "
            "máy này): không ghi, để không tính vào hồ sơ của người khác.")


def unsent_codes(conn, sender: str, codes: Collection[str]) -> dict[str, list[str]]:
    """Of these codes, named by votes of a package (format 1 or 2) that does not carry their
    dossier's record and not re-coded here for its sender (`aliases`: that is proven, the
    keep recorded for the sender's dossier of the code), those a dossier here was re-coded
    from at ANOTHER sender's package (or a sender without an id): {code: the dossiers here the
    vote may be on — the code itself when held here, and those re-coded from it}. Which one,
    only the dossier's record could say (`followed`: who the dossier is): the sender's code
    may be the other citizen's dossier it took from that package, this installation's, or one
    of its own. Nor is the code held here by the dossier the sender itself sent before proof:
    the vote names the sender's code as the sender holds it when it wrote the vote, and a clash
    decided "theirs" there since (store.take_theirs) put another citizen under it; nothing here
    records where a dossier came from (tests/core/exchange/test_vote_without_dossier.py, round
    23). A program before 30/11/2026 (format 1) wrote the votes changed since the day without
    their dossiers."""
    if not codes or not any_aliases(conn):
        return {}
    found: dict[str, list[str]] = {}
    for chunk in in_chunks(sorted(set(codes))):
        for sender_code, local in conn.execute(
                f"SELECT sender_code, local_code FROM code_aliases WHERE sender_code IN "
                f"({marks(chunk)}) AND sender != ? ORDER BY local_code", [*chunk, sender]):
            found.setdefault(sender_code, []).append(local)
    held = records.ids_by_code(conn, list(found))
    return {code: ([code] if code in held else []) + here for code, here in found.items()}


UNSENT_VOTES_VI = "phiếu đánh giá gói mang không kèm hồ sơ"
UNSENT_SHOWN = 20


def unsent_votes_text(left: dict[str, tuple[int, list[str]]]) -> str:
    """The package's votes not written (`unsent_codes`): per code, how many, and the dossiers
    here it may be; what to do."""
    made = sorted(left.items())
    count = sum(n for n, _ in left.values())
    shown = "; ".join(f"mã {code} ({vn_number(n)} phiếu): hồ sơ {' hay '.join(here)}"
                      for code, (n, here) in made[:UNSENT_SHOWN])
    more = f"; và {vn_number(len(made) - UNSENT_SHOWN)} mã khác" \
        if len(made) > UNSENT_SHOWN else ""
    return (f"{vn_number(count)} {UNSENT_VOTES_VI} (gói của phiên bản cũ), ghi mã mà trên máy "
            f"này là hai hồ sơ khác nhau (đã giữ cả hai: một hồ sơ được cấp mã mới khi nhập gói "
            f"của máy khác): {shown}{more}. Gói không cho biết phiếu là của người nộp nào nên "
            "không ghi, để không tính vào hồ sơ của người khác. Hãy xin máy gửi xuất lại gói "
            "bằng phiên bản mới (gói mang hồ sơ kèm phiếu), hoặc hỏi máy gửi phiếu là của hồ sơ "
            "nào rồi nhập tay (màn Đánh giá).")
