"""`exchange export|import|identity` on the command line (spec 9, docs/import-export.md)."""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from core import actor_names, installation, stopping, timefmt
from core.database import open_database, resolve_path
from core.errors import InputError
from core.exchange import cli_stop, compare, ready, recode, signing
from core.exchange.cli_items import catalogue_items
from core.exchange.decide import CHANGE_EARLIER_VI, reopen_text
from core.exchange.export import export_package, parse_since
from core.exchange.merge import BatchResult, ExchangeResult, import_packages, package_labels
from core.timefmt import vn_date, vn_number


def export_command(args: argparse.Namespace) -> int:
    since = parse_since(args.since, timefmt.now().date(), "--since")
    # Ctrl+C heard as the window's «Huỷ» (core.stopping): asked at every step and before the
    # package takes its name; stopped there, no file, no record of an export (exit 1)
    with stopping.heard_as_cancel(f"tệp gói {args.out} chưa được ghi, không lần xuất nào được "
                                  "ghi nhận", f"tệp gói {args.out}") as ctrl_c:
        db = open_database(resolve_path(args.db), create=False)
        try:
            made = export_package(db, args.out, since, args.unit, progress=ctrl_c.progress,
                                  format_version=getattr(args, "package_format", None),
                                  replace=getattr(args, "overwrite", False))
        finally:
            db.close()
        _said_exported(args, made, since)
    return 0


def _said_exported(args: argparse.Namespace, made: dict, since: dt.date) -> None:
    counts = made["counts"]
    print(f"Đã xuất gói {args.out}: {vn_number(counts['dossiers'])} hồ sơ "
          f"({vn_number(counts['events'])} sự kiện, {vn_number(counts['payments'])} khoản thanh "
          f"toán), {vn_number(counts['votes'])} phiếu đánh giá, danh mục "
          f"{vn_number(counts['units'])} đơn vị, {vn_number(counts['procedures'])} thủ tục; "
          f"thay đổi từ {since:%d/%m/%Y}.")


def import_command(args: argparse.Namespace) -> int:
    """The import, Ctrl+C heard as the window's «Huỷ» (core.exchange.cli_stop): before the
    COMMIT the import stops, writing nothing (exit 1); after it, it is whole and said so."""
    files = [args.file] if isinstance(args.file, str) else list(args.file)
    with cli_stop.CtrlC() as ctrl_c:
        try:
            code, batch = _import(args, files, ctrl_c)
        except InterruptedError:
            if not ctrl_c.pressed:
                raise
            # a stop, as Ctrl+C is everywhere: a new file this run made goes, told
            # (core.cli.dispatch), and main says the words with exit code 1
            raise cli_stop.Stopped(cli_stop.stopped_text(len(files), args.dry_run)) from None
    if ctrl_c.pressed:
        print(cli_stop.late_text(batch.written), file=sys.stderr)
    return code


def _import(args: argparse.Namespace, files: list[str], ctrl_c: cli_stop.CtrlC
            ) -> tuple[int, BatchResult]:
    """The import itself (Ctrl+C's `progress`: asked at every step, False stops it; its
    `heard` stops a lone package's verification: cli_stop), and the database closed (its
    checkpoint) before it returns."""
    path = resolve_path(args.db)
    chosen = catalogue_items(args.catalogue_item)
    versions = version_choices(getattr(args, "choose", []))
    # MÃ=both (MÃ=both+theirs): a clash kept both, not a version (core.exchange.recode)
    both = {code: choice for code, choice in versions.items()
            if choice in recode.CHOICES_BOTH}
    versions = {code: choice for code, choice in versions.items() if code not in both}
    # a preview for a centre that has no database yet checks against an empty one in memory;
    # a real import makes the file (core.cli.dispatch removes it again when the import fails)
    db = open_database(":memory:" if args.dry_run and not path.exists() else path)
    try:
        batch = import_packages(db, files, dry_run=args.dry_run, conflicts=args.conflicts,
                                choices=both, clashes=getattr(args, "clashes", None),
                                catalogue=args.catalogue, catalogue_choices=chosen,
                                versions=versions, progress=ctrl_c.progress,
                                stop=ctrl_c.heard)
        # said before the merge's checkpoint (seconds at a month-end), which the close runs
        # before the process exits (db.connection.checkpoint): the commit is durable already
        for code in sorted(both):
            if not any(c.code == code and c.clash for r in batch.results for c in r.conflicts):
                print(f"Lưu ý: {both_missed_text(code)}", file=sys.stderr)
        return _said(batch, files, chosen, args.dry_run, db), batch
    finally:
        db.close()


def both_missed_text(code: str) -> str:
    """`--choose MÃ=both` that kept nothing both: never passed over without a word (the other
    citizen's dossier is still out), and how it can still come in."""
    return (f"--choose {code}=both: không gói nào trong lần nhập này mang một hồ sơ khác cùng "
            f"mã {code}, nên không hồ sơ nào được giữ cả hai. Nếu lần nhập trước đã giữ hồ sơ "
            "của máy này cho mã ấy, hồ sơ của máy gửi chỉ vào được từ gói mang nó: nhập lại "
            f"gói ấy với --choose {code}=both; không còn gói ấy thì xin máy gửi xuất lại gói "
            "từ ngày tiếp nhận hồ sơ ấy.")


def _said(batch: BatchResult, files: list[str], chosen: dict[str, str], dry_run: bool,
          db=None) -> int:
    """The import's notes, its counts and its exit code; what stops the import in the rule's
    words (core.exchange.ready), said once (not as a note too)."""
    stops = ready.readiness(db, batch.results, batch.crossed)
    for result in batch.results:
        for line in result.warnings + unmatched_items(result, chosen):
            print(f"Lưu ý: {_named(result, batch, line)}", file=sys.stderr)
        if result.catalogue_diffs:
            print(_named(result, batch, catalogue_text(result)), file=sys.stderr)
        if result.pending and result.conflict_count > result.crossed and not result.same_as:
            print(_named(result, batch, conflicts_text(result)), file=sys.stderr)
    if batch.crossed:
        print(crossed_text(batch), file=sys.stderr)
    if batch.total("dossiers")[compare.DECIDED]:
        print(f"Lưu ý: {CHANGE_EARLIER_VI}", file=sys.stderr)
    reopenable = batch.combined().reopenable
    if reopenable:  # listed as the window lists them, to be chosen again (--choose MÃ=both)
        print(f"Lưu ý: {reopen_text(reopenable)}", file=sys.stderr)
    if batch.pending and not dry_run:
        print(STOPPED_VI + _reasons(stops), file=sys.stderr)
        if len(files) > 1:
            print(f"Chưa ghi gì từ cả {vn_number(len(files))} gói: các gói được nhập cùng "
                  "nhau, tất cả hoặc không gì.", file=sys.stderr)
        return 2
    for result in batch.results:
        if result.signature and not result.same_as:
            print(signature_text(result))
        print(summary(result))
    if len(files) > 1:
        print(batch_summary(batch))
    if not stops.can_start:  # a dry run (spec 6: the preview succeeded, exit 0) that a real
        print(STOP_VI + _reasons(stops))  # import would stop at: said, with what to pass
    sys.stdout.flush()
    return 0


def stop_text(batch: BatchResult, db=None) -> str:
    """What a real import of a preview with choices left would do: stop, writing nothing,
    and why, in the words the window's preview says beside its disabled "Nhập gói"
    (core.exchange.ready, one rule). The preview's exit code is 0: it did what was asked.
    `db`: this installation's (None: whether it may issue codes is not asked)."""
    return STOP_VI + _reasons(ready.readiness(db, batch.results, batch.crossed))


STOP_VI = "NHẬP THẬT SẼ DỪNG, KHÔNG GHI GÌ (mã thoát 2) nếu chạy lại như thế này mà bỏ --dry-run:"
STOPPED_VI = "Chưa nhập, chưa ghi gì:"


def _reasons(said: ready.Readiness) -> str:
    return "".join(f"\n  - {block.reason}" for block in said.blocks)


def _named(result: ExchangeResult, batch: BatchResult, text: str) -> str:
    """Which package a note is about, when several are imported together (its path as given
    when another has its file name: merge.package_labels)."""
    if len(batch.results) == 1:
        return text
    return f"[{package_labels(batch.results)[batch.results.index(result)]}] {text}"


def batch_summary(batch: BatchResult) -> str:
    """The totals of several packages imported in one operation."""
    again = len(batch.results) - len(batch.counted)
    head = f"Cộng {vn_number(len(batch.counted))} gói" + (
        f" ({vn_number(again)} tệp là gói đã đưa, chỉ tính một lần)" if again else "")
    if batch.dry_run:
        return (f"{head} — nếu nhập sẽ có: hồ sơ {counts_text(batch.combined())}. Chưa ghi gì "
                "(--dry-run).")
    return f"{head} — đã nhập trong một giao dịch: hồ sơ {counts_text(batch.combined())}."


def identity_command(args: argparse.Namespace) -> int:
    """This installation's id and slot; --slot/--of set the slot; --new-machine or
    --same-machine answer for a file opened elsewhere than where it was made (spec 4)."""
    db = open_database(resolve_path(args.db))
    new_machine = getattr(args, "new_machine", False)
    same_machine = getattr(args, "same_machine", False)
    try:
        if (args.slot is None) != (args.of is None):
            raise InputError("Cần cả --slot và --of (số hiệu máy và số máy trong nhóm).")
        where = installation.home(db)
        if (new_machine or same_machine) and not where.ask:
            raise InputError(f"{where.text()} Không cần --new-machine hay --same-machine.")
        if new_machine:
            if args.slot is None:
                old_of = installation.slot(db)[1]
                number, of = installation.suggested_new_slot(*installation.slot(db),
                                                             actor_names.seen_slots(db))
                others = ("máy cũ đặt cùng số máy N" if of == old_of or old_of == 1 else
                          f"mọi số hiệu của nhóm {old_of} máy đã có máy giữ: mọi máy trong "
                          f"nhóm phải đặt cùng số máy {of} trước khi cấp mã tiếp")
                raise InputError(f"Máy mới cần số hiệu riêng: thêm --slot K --of N (ví dụ "
                                 f"--slot {number} --of {of}; {others}).")
            installation.become_new_machine(db, args.slot, args.of)
        elif same_machine:
            if args.slot is not None:
                raise InputError("--same-machine giữ số hiệu của máy cũ: bỏ --slot và --of.")
            installation.stay_the_same(db)
        elif args.slot is not None:
            installation.set_slot(db, args.slot, args.of)
        where = installation.home(db)
        ident = installation.installation_id(db)
        number, of = installation.slot(db)
        confirmed = installation.slot_confirmed(db)
    finally:
        db.close()
    print(f"Mã cài đặt: {ident}")
    if not confirmed:  # a new file: no code until somebody says which PC this is (spec 4)
        print("Số hiệu cấp mã: chưa xác nhận.")
        print(installation.unconfirmed_message(), file=sys.stderr)
    else:
        print(f"Số hiệu cấp mã: máy {number} trong nhóm {of} máy "
              f"(số thứ tự hồ sơ chia {of} dư {number % of}).")
    if where.ask:
        print(installation.moved_message(where), file=sys.stderr)
        return 2
    return 0


def forget_key_command(args: argparse.Namespace) -> int:
    """`exchange forget-key MÃ`: the key pinned for a sender forgotten (core.exchange.signing):
    its next signed package pins its key again."""
    db = open_database(resolve_path(args.db), create=False)
    try:
        ident = signing.forget(db, args.installation)
    finally:
        db.close()
    print(f"Đã quên khoá ký của {actor_names.machine(ident)} (mã cài đặt {ident}): gói có chữ "
          "ký tiếp theo của máy ấy sẽ được ghi nhận khoá mới. Việc này đã được ghi vào nhật ký "
          "thay đổi cài đặt.")
    return 0


def keys_command(args: argparse.Namespace) -> int:
    """`exchange keys`: the senders whose key is pinned here (signing.known_senders, the rows
    the window's «Máy gửi gói đã biết» shows)."""
    db = open_database(resolve_path(args.db), create=False)
    try:
        rows = signing.known_senders(db)
    finally:
        db.close()
    if not rows:
        print(signing.NO_SENDER_VI)
        return 0
    for row in rows:
        print(f"{row.machine} (mã cài đặt {row.installation})"
              + (f" — {row.units}" if row.units else "")
              + f"\n  khoá {row.fingerprint}, ghi nhận lúc {row.pinned_at or '?'} từ gói "
              f"{row.package or '?'}")
    return 0


def version_choices(given: list[str]) -> dict[str, str]:
    """`--choose U1-251020-0001=4f1a2b3c` (repeated): per code, the version taken of a code
    several packages bring differently: the package by its identity (the preview shows it,
    "gói 4f1a2b3c"), its path as given or its file name when no other package has it
    (checked by core.exchange.merge.import_packages once the manifests are read), or here."""
    out: dict[str, str] = {}
    for text in given:
        code, sep, choice = text.partition("=")
        code, choice = code.strip(), choice.strip()
        if not sep or not code or not choice:
            raise InputError(f"--choose {text!r} không hợp lệ: viết MÃ=GÓI (số hiệu gói như "
                             f"bản xem trước ghi, hoặc tên tệp gói) hoặc MÃ={compare.HERE} (giữ "
                             "bản của máy này), ví dụ --choose U1-251020-0001=4f1a2b3c.")
        if code in out:
            raise InputError(f"--choose: hồ sơ {code} được chọn hai lần; chỉ chọn một phiên bản.")
        out[code] = choice
    return out


def crossed_text(batch: BatchResult) -> str:
    """The codes several packages bring differently: every version, and what was chosen."""
    open_ = [c for c in batch.crossed if c.chosen is None]
    lines = [f"{vn_number(len(batch.crossed))} hồ sơ có phiên bản khác nhau ở nhiều gói (cùng "
             "mã, các máy sửa khác nhau); --conflicts không quyết định các hồ sơ này, chọn đúng "
             "một phiên bản cho từng mã bằng --choose MÃ=GÓI (số hiệu gói ghi sau tên gói, hoặc "
             "tên tệp gói) hoặc --choose MÃ=here (giữ bản của máy này)"
             + (f"; còn {vn_number(len(open_))} mã chưa chọn, chưa ghi gì:" if open_ else ":")]
    for crossed in batch.crossed:
        chosen = "" if crossed.chosen is None else (
            f" → đã chọn: {compare.HERE_VI if crossed.chosen == compare.HERE else crossed.chosen}")
        head, _, versions = crossed.line().partition("\n")
        lines.append(f"  {head}{chosen}\n{versions}")
    return "\n".join(lines)


def unmatched_items(result: ExchangeResult, chosen: dict[str, str]) -> list[str]:
    """A --catalogue-item naming no differing row (a mistyped code) decides nothing: said, so
    the operator does not believe a row was taken."""
    differing = {item.item for item in result.catalogue_diffs}
    return [f"--catalogue-item {item}: dòng danh mục này không có trong gói hoặc không khác máy "
            "này; không có gì để chọn." for item in chosen if item not in differing]


def catalogue_text(result: ExchangeResult) -> str:
    """The catalogue rows the package holds differently, each with what was decided."""
    taken = set(result.catalogue_taken)
    lines = [f"Danh mục trong gói khác máy này ở {vn_number(len(result.catalogue_diffs))} dòng "
             "(mặc định giữ của máy này; --catalogue theirs lấy tất cả theo gói, "
             "--catalogue-item LOẠI:MÃ=theirs lấy từng dòng):"]
    for item in result.catalogue_diffs:
        decided = "lấy theo gói" if item.item in taken else "giữ của máy này"
        lines.append(f"  [{item.item}] {item.line()} → {decided}")
    return "\n".join(lines)


def conflicts_text(result: ExchangeResult) -> str:
    lines = [f"Gói có {vn_number(result.conflict_count - result.crossed)} hồ sơ xung đột (cùng mã, khác nội dung); "
             "chưa ghi gì. Chạy lại với --conflicts keep (giữ của máy này) hoặc "
             "--conflicts theirs (lấy theo gói)"
             + (f"; {vn_number(result.clashes)} mã là HAI HỒ SƠ KHÁC NHAU: --clashes both giữ "
                "cả hai, hồ sơ của gói nhận mã mới của máy này (--choose MÃ=both cho từng mã)"
                if result.clashes else "") + ":"]
    lines += [f"  {c.line()}" for c in result.conflicts]
    if result.conflict_count - result.crossed > len(result.conflicts):
        lines.append(f"  … và {vn_number(result.conflict_count - result.crossed - len(result.conflicts))}"
                     " hồ sơ khác.")
    return "\n".join(lines)


def counts_text(result: ExchangeResult) -> str:
    d = result.dossiers
    text = ", ".join(f"{compare.OUTCOME_VI[k]} {vn_number(d[k])}" for k in
                     (compare.NEW, compare.CHANGED, compare.IDENTICAL, compare.OLDER,
                      compare.CONFLICT))
    if d[compare.DECIDED]:  # chosen at an earlier import of the same records: kept as chosen
        text += f", {compare.OUTCOME_VI[compare.DECIDED]} {vn_number(d[compare.DECIDED])}"
    votes = result.votes
    text += (f"; phiếu đánh giá: mới {vn_number(votes[compare.NEW])}, thay đổi "
             f"{vn_number(votes[compare.CHANGED])}, giống hệt {vn_number(votes[compare.IDENTICAL])}")
    added = sum(v for k, v in result.catalogue.items() if k.endswith("_new"))
    if added:
        text += f"; danh mục thêm {vn_number(added)} dòng"
    if result.catalogue_taken:
        text += f"; danh mục lấy theo gói {vn_number(len(result.catalogue_taken))} dòng"
    if result.resolved:
        text += (f". Xung đột: giữ của máy này {vn_number(result.resolved['keep'])}, lấy theo gói "
                 f"{vn_number(result.resolved['theirs'])}")
        if result.resolved[recode.BOTH]:
            text += (f", giữ cả hai {vn_number(result.resolved[recode.BOTH])} (hồ sơ của gói "
                     "nhận mã mới của máy này)")
    return text


def signature_text(result: ExchangeResult) -> str:
    """What the package's signature is against the sender's key known here (core.exchange.signing)."""
    return (f"Gói {Path(result.path).name} — chữ ký: "
            f"{signing.status_text(result.signature, result.dry_run)}.")


def summary(result: ExchangeResult) -> str:
    if result.same_as:  # counted once, under the first (merge._twice)
        return (f"Gói {result.path} — cùng một gói với {result.same_as}: chỉ tính một lần, "
                "không ghi thêm gì.")
    sender = result.manifest.get("sender_unit")
    given = (result.manifest.get("period") or {}).get("since")
    try:  # what a package says is not trusted: shown as a clerk reads a date, or '?'
        since = vn_date(dt.date.fromisoformat(str(given)))
    except ValueError:
        since = "?"
    head = (f"Gói {result.path} ({f'đơn vị {sender}' if sender else 'tất cả đơn vị'}, "
            f"thay đổi từ {since})")
    if result.dry_run:
        return f"{head} — kiểm tra xong, nếu nhập sẽ có: hồ sơ {counts_text(result)}. Chưa ghi gì (--dry-run)."
    return f"{head} — đã nhập: hồ sơ {counts_text(result)}."
