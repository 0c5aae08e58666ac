"""MotCua entry point: parses the command line, opens the desktop app or runs a command.

python main.py [--db PATH] [--debug] [COMMAND ...]   (spec 6)
Exit codes: 0 success, 2 bad input, 1 any other failure.
"""
from __future__ import annotations

import _signal  # C only, loads nothing: `signal` (and argparse) load enum, re… (~0.1 s)
import sys

STOPPED = "Đã dừng theo yêu cầu."


def _stopped_while_loading(_signum, _frame) -> None:
    """Ctrl-C while the modules below load (before main's own handling): said, no traceback."""
    print(STOPPED, file=sys.stderr)
    raise SystemExit(1)


def _helper_process(name: str, argv: list[str]) -> bool:
    """This process is one of the program's helpers (core.helper_processes): this module
    imported again as "__mp_main__" by a spawned helper, before anything else of the program,
    or the built program started again with --multiprocessing-fork (multiprocessing's own
    test, spawn.is_forking)."""
    return name == "__mp_main__" or (len(argv) >= 2 and argv[1] == "--multiprocessing-fork")


if _helper_process(__name__, sys.argv):  # its first step: Ctrl+C is the main process's to hear
    _signal.signal(_signal.SIGINT, _signal.SIG_IGN)  # (on Windows not inherited from it)
elif __name__ == "__main__":  # the program itself, not a test importing it
    _signal.signal(_signal.SIGINT, _stopped_while_loading)

# after the early Ctrl-C handling (E402)
import argparse  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402

from core import cli, crashlog, paths  # noqa: E402
from core.cli import unit_code  # noqa: E402
from core.cli_words import VietnameseParser  # noqa: E402
from core.errors import MotCuaError  # noqa: E402
from core.pdf.form_set import KINDS as SLIP_KINDS  # noqa: E402 (plain data: no reportlab at start)
from core.version import UPDATE_ORDER_VI, VERSION_TEXT  # noqa: E402 (plain data)
from core.workbook.cli import PERIOD_KINDS  # noqa: E402
from db.connection import DatabaseEnvironmentError, environment_message  # noqa: E402

KINDS = ("units", "procedures", "components", "calendar", "dossiers", "payments", "votes",
         "complaints")
# readable workbooks of `export` (issue 19; core.workbook), beside the interchange kinds
READABLE_KINDS = ("register", "bieu06", "i766")


def build_parser() -> argparse.ArgumentParser:
    parser = VietnameseParser(
        prog="motcua", description="MotCua — phần mềm một cửa ngoại tuyến.",
        epilog="Không có lệnh: mở ứng dụng trên máy tính.")
    parser.add_argument("--db", metavar="PATH", help="tệp cơ sở dữ liệu (mặc định: thư mục dữ liệu)")
    parser.add_argument("--debug", action="store_true", help="in chi tiết lỗi")
    parser.add_argument("--version", action="version", version=VERSION_TEXT,
                        help="in phiên bản của chương trình và lược đồ dữ liệu rồi thoát")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=VietnameseParser)

    _data_commands(sub)
    _kpi_command(sub)
    _report_commands(sub)
    _slip_command(sub)
    _office_commands(sub)
    _exchange_commands(sub)
    for name in cli.CREATES_WHEN_TOLD:  # the list the rule reads (core.cli.require_database)
        _subparser(parser, name).add_argument(cli.NEW_DB, dest="new_db", action="store_true",
                                              help=cli.NEW_DB_HELP)
    writers = {id(found): found for found in (_subparser(parser, name) for name in cli.WRITES)}
    for writer in writers.values():  # `export` once for its four kinds
        writer.add_argument(paths.OVERWRITE, dest="overwrite", action="store_true",
                            help=cli.OVERWRITE_HELP)
    cli.guard_paths(parser)  # an empty --db, --out, --to, FILE is refused (exit 2)
    return parser


def _subparser(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
    """The parser of a command as core.cli names it ('exchange import'), for the options that
    core.cli's lists give to several commands."""
    for word in name.split():  # 'export register' is `export` with KIND register
        action = next((a for a in parser._actions if isinstance(a, argparse._SubParsersAction)),
                      None)
        if action is None:
            break
        parser = action.choices[word]
    return parser


def _data_commands(sub) -> None:
    """demo, import, export."""
    p = sub.add_parser("demo", help="tạo dữ liệu mẫu")
    p.add_argument("--dossiers", type=int, default=20000, metavar="N",
                   help="số hồ sơ mẫu (mặc định 20.000)")
    p.add_argument("--seed", type=int, default=1, metavar="S",
                   help="số gốc ngẫu nhiên: cùng số, cùng dữ liệu (mặc định 1)")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="ngày kết thúc dữ liệu (mặc định: hôm nay)")

    for name, verb in (("import", "nhập"), ("export", "xuất")):
        p = sub.add_parser(name, help=f"{verb} dữ liệu CSV/XLSX")
        kinds = KINDS + (READABLE_KINDS if name == "export" else ())
        p.add_argument("kind", choices=kinds, metavar="KIND",
                       help="loại dữ liệu: " + ", ".join(kinds))
        p.add_argument("file", metavar="FILE", help="tệp .csv hoặc .xlsx")
        if name == "import":
            p.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi")
            p.add_argument("--duplicates", choices=("skip", "import"),
                           help="với --profile: dòng có thể là hồ sơ MotCua đã có với mã khác "
                                "(như đối chiếu ghép): skip bỏ qua, import vẫn nhập")
        else:
            _readable_options(p)
            p.add_argument("--full-data", dest="full_data", action="store_true",
                           help="không che số điện thoại, số định danh, địa chỉ (cần --purpose)")
            p.add_argument("--purpose", metavar="TEXT", help="mục đích dùng dữ liệu đầy đủ")
        p.add_argument("--profile", metavar="NAME",
                       help="mẫu cột: theo tên cột của mẫu (national: Cổng DVC quốc gia)")
    _privacy_command(sub)
    _reconcile_command(sub)
    _profile_command(sub)


def _profile_command(sub) -> None:
    """profile list|show|rename|delete|export|import: the column-mapping profiles."""
    p = sub.add_parser("profile", help="mẫu cột (ánh xạ cột) của tệp hệ thống khác")
    psub = p.add_subparsers(dest="profile_kind", metavar="KIND", required=True,
                            parser_class=VietnameseParser)
    psub.add_parser("list", help="các mẫu cột đã có")
    r = psub.add_parser("show", help="các cột của một mẫu")
    r.add_argument("name", metavar="NAME", help=PROFILE_NAME)
    r = psub.add_parser("rename", help="đổi tên một mẫu cột")
    r.add_argument("name", metavar="NAME", help=PROFILE_NAME)
    r.add_argument("new_name", metavar="NEW_NAME", help="tên mới")
    r = psub.add_parser("delete", help="xóa một mẫu cột")
    r.add_argument("name", metavar="NAME", help=PROFILE_NAME)
    r = psub.add_parser("export", help="ghi một mẫu cột ra tệp .json để gửi cơ quan khác")
    r.add_argument("name", metavar="NAME", help=PROFILE_NAME)
    r.add_argument("file", metavar="FILE.json", help="tệp .json sẽ ghi")
    r = psub.add_parser("import", help="nhập một mẫu cột từ tệp .json")
    r.add_argument("file", metavar="FILE.json", help="tệp .json của mẫu cột")
    r.add_argument("--name", metavar="NAME", help="tên lưu (mặc định: tên ghi trong tệp)")
    r.add_argument("--replace", action="store_true",
                   help="thay mẫu cùng tên đã có (mặc định: từ chối)")


PDF_OUT = "tệp PDF sẽ ghi"
PROFILE_NAME = "tên mẫu cột"


def _period_options(p) -> None:
    """--from DATE --to DATE, both required: the period of a command."""
    p.add_argument("--from", dest="date_from", required=True, metavar="DATE",
                   help="từ ngày (YYYY-MM-DD hoặc DD/MM/YYYY)")
    p.add_argument("--to", dest="date_to", required=True, metavar="DATE",
                   help="đến ngày (YYYY-MM-DD hoặc DD/MM/YYYY)")


def _unit_option(p) -> None:
    p.add_argument("--unit", type=unit_code, metavar="CODE",
                   help="đơn vị và các đơn vị trực thuộc (mặc định: mọi đơn vị)")


def _readable_options(p) -> None:
    """export dossiers|register|bieu06|i766 --from --to [--unit] [--by]: the period and scope
    of a readable workbook or of the dossiers' interchange file (core.workbook.cli.PERIOD_KINDS,
    the list its refusal of these options reads too)."""
    kinds = ", ".join(PERIOD_KINDS)
    p.add_argument("--from", dest="date_from", metavar="DATE", help=f"{kinds}: từ ngày")
    p.add_argument("--to", dest="date_to", metavar="DATE", help=f"{kinds}: đến ngày")
    p.add_argument("--unit", type=unit_code, metavar="CODE",
                   help=f"{kinds}: đơn vị và các đơn vị trực thuộc")
    p.add_argument("--by", choices=("unit", "field"),
                   help="bieu06: theo đơn vị (unit, mặc định) hoặc theo lĩnh vực (field)")


def _privacy_command(sub) -> None:
    """privacy log|retention|find|export|breach (Law 91/2025/QH15, docs/privacy.md)."""
    p = sub.add_parser("privacy", help="dữ liệu cá nhân: nhật ký, lưu giữ, yêu cầu, sự cố")
    psub = p.add_subparsers(dest="privacy_kind", metavar="KIND", required=True,
                            parser_class=VietnameseParser)
    r = psub.add_parser("log", help="nhật ký truy cập dữ liệu cá nhân")
    _period_options(r)
    r.add_argument("--account", metavar="LOGIN", help="chỉ lần truy cập của tài khoản này")
    r.add_argument("--code", metavar="CODE", help="mã hồ sơ (hoặc một phần)")
    r = psub.add_parser("retention", help="ẩn danh hồ sơ hết thời hạn lưu giữ")
    r.add_argument("--dry-run", action="store_true", help="chỉ đếm, không sửa")
    for name, text in (("find", "tìm hồ sơ của một người"), ("export", "xuất hồ sơ của một người")):
        r = psub.add_parser(name, help=text)
        who = r.add_mutually_exclusive_group(required=True)
        who.add_argument("--id-no", dest="id_no", metavar="SỐ", help="số định danh cá nhân")
        who.add_argument("--phone", metavar="SỐ", help="số điện thoại")
        who.add_argument("--name", metavar="HỌ TÊN", help="họ tên người nộp")
        if name == "export":
            _full_options(r)
    r = psub.add_parser("breach", help="danh sách người có dữ liệu và dự thảo thông báo sự cố")
    _period_options(r)
    r.add_argument("--unit", type=unit_code, action="append", default=[], metavar="CODE",
                   help="đơn vị bị ảnh hưởng (lặp lại được; mặc định: mọi đơn vị)")
    r.add_argument("--discovered", metavar="DATETIME", help="lúc phát hiện (mặc định: bây giờ)")
    _full_options(r)


def _full_options(p) -> None:
    p.add_argument("--out", required=True, metavar="FILE", help=".pdf, .txt, .csv hoặc .xlsx")
    p.add_argument("--full-data", dest="full_data", action="store_true",
                   help="không che số điện thoại, số định danh, địa chỉ (cần --purpose)")
    p.add_argument("--purpose", metavar="TEXT", help="mục đích dùng dữ liệu đầy đủ")


def _exchange_commands(sub) -> None:
    """exchange export|import|forget-key|keys|identity: packages between installations (spec 9)."""
    p = sub.add_parser("exchange", help="trao đổi gói dữ liệu giữa các máy")
    esub = p.add_subparsers(dest="exchange_kind", metavar="KIND", required=True,
                            parser_class=VietnameseParser)
    e = esub.add_parser("export", help="xuất gói của một đơn vị")
    e.add_argument("--since", required=True, metavar="DATE", help="những gì thay đổi từ ngày này")
    e.add_argument("--out", required=True, metavar="FILE.zip", help="tệp gói sẽ ghi")
    e.add_argument("--unit", type=unit_code, metavar="CODE",
                   help="đơn vị và các đơn vị trực thuộc (mặc định: mọi đơn vị)")
    e.add_argument("--format", type=int, choices=(2, 3), default=3, dest="package_format",
                   help="định dạng gói: 3 (mặc định) hoặc 2 (nhỏ hơn). " + UPDATE_ORDER_VI)
    e = esub.add_parser("import", help="nhập gói của máy khác (một hay nhiều gói, một giao dịch)")
    e.add_argument("file", metavar="FILE", nargs="+",
                   help="tệp gói .zip; nhiều tệp được nhập cùng lúc, tất cả hoặc không gì")
    e.add_argument("--dry-run", action="store_true", help="chỉ xem trước, không ghi")
    e.add_argument("--conflicts", choices=("keep", "theirs"),
                   help="hồ sơ xung đột: keep giữ của máy này, theirs lấy theo gói")
    e.add_argument("--clashes", choices=("both", "keep", "theirs"),
                   help="hai hồ sơ khác nhau cùng mã (hai máy cấp trùng mã): both giữ cả hai "
                        "(hồ sơ của gói nhận mã mới của máy này, mã cũ vẫn tra được), keep giữ "
                        "của máy này, theirs lấy theo gói; không ghi: như --conflicts")
    e.add_argument("--catalogue", choices=("ours", "theirs"),
                   help="danh mục (đơn vị, thủ tục, lịch, giờ làm việc) khác máy này: ours giữ "
                        "của máy này (mặc định), theirs lấy theo gói")
    e.add_argument("--catalogue-item", action="append", default=[], metavar="LOẠI:MÃ=ours|theirs",
                   help="chọn cho từng dòng danh mục, ví dụ units:X01=theirs, "
                        "calendar:2026-01-02=ours, hours:c3cd08e7=theirs (giờ làm việc của "
                        "máy gửi) (lặp lại được)")
    e.add_argument("--choose", action="append", default=[], metavar="MÃ=GÓI|here|both",
                   help="hồ sơ mà nhiều gói nhập cùng lúc mang phiên bản khác nhau: chọn đúng "
                        "một phiên bản; GÓI là số hiệu gói mà bản xem trước ghi sau tên gói (ví "
                        "dụ 4f1a2b3c), hoặc tên tệp gói khi không gói nào khác trùng tên, hoặc "
                        "here (giữ bản của máy này); ví dụ --choose U1-251020-0001=4f1a2b3c (lặp "
                        "lại được; --conflicts không quyết định các hồ sơ này); MÃ=both: hai "
                        "hồ sơ khác nhau cùng mã, giữ cả hai (hồ sơ của gói nhận mã mới); "
                        "MÃ=both+theirs: như both, và lấy theo gói bản của chính hồ sơ máy "
                        "này khi một gói khác mang nó")
    e = esub.add_parser("forget-key", help="quên khoá ký đã ghi nhận của một máy gửi (máy ấy đã "
                                           "cài lại): gói có chữ ký tiếp theo ghi nhận khoá mới")
    e.add_argument("installation", metavar="MÃ_CÀI_ĐẶT",
                   help="mã cài đặt của máy gửi (hoặc 8 ký tự đầu, như bản xem trước ghi)")
    esub.add_parser("keys", help="các máy gửi đã ghi nhận khoá ký: mã cài đặt, đơn vị, dấu "
                                 "khoá, ghi nhận lúc nào, từ gói nào")
    e = esub.add_parser("identity", help="mã cài đặt và số hiệu cấp mã của máy này")
    e.add_argument("--slot", type=int, metavar="N", help="số hiệu của máy này trong nhóm")
    e.add_argument("--of", type=int, metavar="M", help="số máy trong nhóm")
    which = e.add_mutually_exclusive_group()
    which.add_argument("--new-machine", action="store_true",
                       help="tệp này được chép sang máy mới (máy cũ vẫn dùng): cấp mã cài đặt "
                            "mới, với --slot K --of N riêng của máy này")
    which.add_argument("--same-machine", action="store_true",
                       help="máy này thay thế máy đã lập tệp (máy cũ không còn dùng): giữ mã "
                            "cài đặt và số hiệu")

def _reconcile_command(sub) -> None:
    """reconcile: MotCua against the provincial system's export."""
    p = sub.add_parser("reconcile", help="đối chiếu với tệp xuất của hệ thống tỉnh")
    p.add_argument("file", metavar="FILE", help="tệp xuất của hệ thống tỉnh (.csv hoặc .xlsx)")
    _period_options(p)
    _unit_option(p)
    p.add_argument("--profile", metavar="NAME", help="mẫu cột (mặc định: national)")
    p.add_argument("--tolerance", type=int, default=30, metavar="MINUTES",
                   help="độ lệch giờ tiếp nhận tối đa khi ghép hồ sơ khác mã (mặc định 30 phút)")
    p.add_argument("--out", metavar="FILE.pdf|FILE.xlsx",
                   help="ghi kết quả đối chiếu ra tệp PDF hoặc Excel (mặc định: in ra màn hình)")


def _kpi_command(sub) -> None:
    """kpi: the indicators of a period."""
    p = sub.add_parser("kpi", help="các chỉ tiêu của một kỳ")
    _period_options(p)
    _unit_option(p)
    p.add_argument("--json", action="store_true", help="in tài liệu JSON của các chỉ tiêu")
    p.add_argument("--as-of", dest="as_of", metavar="DATETIME",
                   help="thời điểm tính (YYYY-MM-DD HH:MM): số liệu như phần mềm đã có lúc đó")
    # the three policies override the saved settings for this run only (spec 6)
    p.add_argument("--supplement", choices=("pause", "restart"),
                   help="chờ bổ sung: pause dừng đếm giờ (mặc định), restart tính lại từ đầu")
    p.add_argument("--due-basis", choices=("original", "extended"),
                   help="hạn dùng để tính: original hạn ban đầu (mặc định), extended hạn gia hạn")
    p.add_argument("--online-denominator", choices=("eligible", "all"),
                   help="mẫu số tỉ lệ trực tuyến toàn trình: eligible thủ tục đủ điều kiện "
                        "(mặc định), all mọi hồ sơ tiếp nhận")


def _report_commands(sub) -> None:
    """report monthly|book: the PDF documents."""
    p = sub.add_parser("report", help="báo cáo PDF")
    rsub = p.add_subparsers(dest="report_kind", metavar="KIND", required=True,
                            parser_class=VietnameseParser)
    r = rsub.add_parser("monthly", help="báo cáo tháng")
    r.add_argument("--month", required=True, metavar="YYYY-MM", help="tháng báo cáo")
    r.add_argument("--period", choices=("calendar", "state"), default="calendar",
                   help="calendar: cả tháng; state: kỳ báo cáo từ ngày 15 tháng trước đến ngày 14")
    _unit_option(r)
    r.add_argument("--as-of", dest="as_of", metavar="DATETIME",
                   help="thời điểm tính (YYYY-MM-DD HH:MM)")
    r.add_argument("--by", choices=("unit", "field"), default="unit",
                   help="biểu 06 theo đơn vị (unit) hoặc theo lĩnh vực, nhóm theo cấp (field)")
    r.add_argument("--out", required=True, metavar="FILE.pdf", help=PDF_OUT)
    r = rsub.add_parser("book", help="sổ theo dõi hồ sơ")
    _period_options(r)
    _unit_option(r)
    r.add_argument("--out", required=True, metavar="FILE.pdf", help=PDF_OUT)
    r.add_argument("--full-data", dest="full_data", action="store_true",
                   help="không che số điện thoại, địa chỉ (cần --purpose)")
    r.add_argument("--purpose", metavar="TEXT", help="mục đích dùng dữ liệu đầy đủ")


def _slip_command(sub) -> None:
    """slip: a dossier's receipt or apology."""
    p = sub.add_parser("slip", help="phiếu của một hồ sơ")
    p.add_argument("slip_kind", choices=SLIP_KINDS, metavar="|".join(SLIP_KINDS),
                   help="loại phiếu")
    p.add_argument("code", metavar="CODE", help="mã hồ sơ")
    p.add_argument("--out", required=True, metavar="FILE.pdf", help=PDF_OUT)


def _office_commands(sub) -> None:
    """backup, restore, check, selftest, kiosk."""
    p = sub.add_parser("backup", help="sao lưu an toàn")
    p.add_argument("--to", dest="target", metavar="DIR",
                   help="thư mục ghi bản sao (mặc định: thư mục sao lưu của chương trình)")
    p.add_argument("--encrypt", action="store_true",
                   help="mã hoá bằng mật khẩu (hỏi hai lần, hoặc lấy từ biến môi trường "
                        "MOTCUA_BACKUP_PASSPHRASE)")
    p = sub.add_parser("restore", help="khôi phục từ bản sao lưu")
    p.add_argument("file", metavar="FILE", help="tệp sao lưu")
    p = sub.add_parser("check", help="kiểm tra toàn vẹn cơ sở dữ liệu")
    p.add_argument("--against", metavar="FINGERPRINT",
                   help="dấu kiểm chứng in ở chân báo cáo tháng: dữ liệu còn khớp không")
    sub.add_parser("selftest", help="tự kiểm tra chương trình")

    p = sub.add_parser("kiosk", help="màn hình đánh giá của người dân")
    p.add_argument("--unit", type=unit_code, metavar="CODE", help="đơn vị người dân đánh giá")
    p.add_argument("--screen", type=int, metavar="N",
                   help="số thứ tự màn hình hiện ki-ốt (0 là màn hình chính)")


def run(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    crashlog.configure(debug=args.debug)
    if args.command in (None, "kiosk"):
        from gui.app import (  # Qt only when a window is wanted
            NO_DISPLAY,
            display_missing,
            xcb_message,
            xcb_packages_missing,
        )
        if display_missing():
            print(NO_DISPLAY, file=sys.stderr)
            return 1
        missing = xcb_packages_missing()
        if missing:
            print(xcb_message(missing), file=sys.stderr)
            return 1
    if args.command == "kiosk":  # reads the office's file: the rule of every such command
        cli.require_database("kiosk", args)
    if args.command is None:
        from gui.app import run_gui
        return run_gui(args)
    if args.command == "kiosk":
        from gui.kiosk import run_kiosk
        return run_kiosk(args)
    return cli.dispatch(args)


def _failed_file(exc: BaseException, argv: list[str]) -> str:
    """The file a failure is about: the one the OS names, else the database."""
    if isinstance(exc, OSError) and exc.filename:
        return str(exc.filename)
    try:
        db_arg = build_parser().parse_known_args(argv)[0].db
    except SystemExit:
        db_arg = None
    from core.database import resolve_path
    return str(resolve_path(db_arg))


def _quiet_stdout() -> None:
    """What is left in the output's buffer goes nowhere, instead of failing again at exit
    (Python's advice for SIGPIPE, docs: signal)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real stdout (the windowed program)
        pass


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    debug = "--debug" in argv
    try:
        if signal.getsignal(signal.SIGINT) is _stopped_while_loading:  # loaded: Ctrl-C is a
            signal.signal(signal.SIGINT, signal.default_int_handler)  # KeyboardInterrupt again
        code = run(argv)
        sys.stdout.flush()  # here, where a reader gone is caught, not at the interpreter's exit
        return code
    except SystemExit as exc:  # argparse's own exits (help, bad options)
        return exc.code if isinstance(exc.code, int) else 2
    except MotCuaError as exc:
        print(f"Lỗi: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except DatabaseEnvironmentError as exc:
        print(f"Lỗi: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt as exc:  # (its words when it has them: core.stopping)
        print(str(exc) or STOPPED, file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader of the output left (`motcua kpi … | head`): no bug
        _quiet_stdout()
        return 1
    except Exception as exc:  # an environment problem by its error code, or else a bug
        known = environment_message(exc, _failed_file(exc, argv))
        if known:
            print(f"Lỗi: {known}", file=sys.stderr)
            return 1
        log = crashlog.write(exc)
        print("Lỗi không mong muốn của chương trình. Chi tiết đã được ghi vào "
              f"{log}. Hãy gửi tệp này cho bộ phận hỗ trợ.", file=sys.stderr)
        if debug:
            raise
        return 1


if __name__ == "__main__":
    # first: in the built program (PyInstaller) a spawned helper process (core.exchange.fastcopy's
    # second process, core.demo's workers) starts this very program with --multiprocessing-fork;
    # this runs the helper's job and exits before any of the program's own start
    import multiprocessing
    multiprocessing.freeze_support()
    sys.exit(main())
