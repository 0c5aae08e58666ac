"""The words an address is read by (core.privacy.addresses cuts it at them, core.privacy.spacing
spaces its hyphens by them): the units' words and their ranks, their abbreviations, and the words
of what lies below the commune (a house, a street, a hamlet, a flat)."""
from __future__ import annotations

# A unit's word and its rank (commune 1, district 2, city 3, province 4): an address whose first
# unit ranks above its last is written the other way round ('Tỉnh …, huyện …, xã …, thôn …').
# Thị trấn (a township) ended with the districts on 01/07/2025 but old addresses still name it.
# Without diacritics too ('phuong Ha Dong'); 'xa' and 'quan' only in an address typed without any
# diacritic (else 'Quán', 'Xa' in a hamlet's name would start a unit).
UNIT_RANKS = {"thị trấn": 1, "đặc khu": 1, "phường": 1, "xã": 1, "thị xã": 2, "quận": 2,
              "huyện": 2, "thành phố": 3, "tỉnh": 4,
              "thi tran": 1, "dac khu": 1, "phuong": 1, "thi xa": 2, "huyen": 2,
              "thanh pho": 3, "tinh": 4, "xa": 1, "quan": 2}
ASCII_ONLY = ("xa", "quan")
# Abbreviations with a point ('P.5', 'Q. 3', 'TP.HCM', 'X. An Sơn', 'H. Văn Quan', 'T. Lạng
# Sơn', 'TT. Đồng Mỏ'); TP, TX and TT also bare ('TP Vũng Tàu', 'TT Na Sầm'). 'X.' may be a xóm
# and 'TT' a tập thể (a block of flats, part of the private address): both are weak units, kept
# only where nothing else can be meant (core.privacy.addresses._weak).
SHORT_RANKS = {"tp": 3, "tx": 2, "tt": 1, "p": 1, "q": 2, "x": 1, "h": 2, "t": 4}
BARE_SHORT = ("tp", "tx", "tt")
WEAK_SHORT = ("x.", "tt.", "tt ")  # how a weak unit's piece opens, in lower case
NUMBERED = ("p", "q")  # phường 5, quận 3: a number for a name ('P.5', 'Q3'); the others need a word

# Words opening what lies below the commune: a house, a lane, a street, a hamlet, a block, a flat
# (with their abbreviations and their spelling without diacritics). A piece holding one (after
# its first word, and with a word after it) is no unit's name: 'xã Đồng Giáp thôn Bãi'.
PRIVATE_WORDS = frozenset((
    "số", "sn", "nhà", "ngõ", "ngách", "hẻm", "kiệt", "đường", "phố", "thôn", "xóm", "tổ", "tdp",
    "ấp", "bản", "khu", "kp", "kdc", "khối", "khóm", "buôn", "làng", "sóc", "plei", "phòng",
    "tầng", "lô", "căn", "tòa", "toà", "chung", "cc", "km", "cụm", "đội", "tập", "ktt", "tt",
    "block", "so", "nha", "ngo", "ngach", "hem", "kiet", "duong", "pho", "thon", "xom", "to",
    "ap", "ban", "khoi", "khom", "buon", "lang", "soc", "phong", "tang", "lo", "can", "toa",
    "cum", "doi", "tap",
    "đt", "sđt", "dt", "sdt", "cccd", "cmnd", "email",  # a phone or an ID typed after it
    "đ", "d"))  # 'Đ.Nguyễn Chí Thanh': đường ("D'Ran" is no 'd': an apostrophe joins a word)
# Place names that open with such a word ('Sóc Trăng', 'Buôn Ma Thuột', 'Lang Son'): still bare.
PLACE_NAMES = frozenset(("sóc trăng", "soc trang", "buôn ma thuột", "buon ma thuot",
                         "lang son", "can tho", "ban me thuot"))
# After a unit's word or a private one, a unit's word is a name ('phường Quán Thánh', 'đường Xã
# Đàn', 'thôn Quán Tình'); before 'lộ' it is a road ('Tỉnh lộ 10').
# (Not after an abbreviation: 'P.301 phường Láng' is a room, then the ward; a unit's name right
# after its own abbreviation is passed over anyway, 'P. Quan Thanh'.)
NAMING = PRIVATE_WORDS | {"phường", "xã", "quận", "huyện", "tỉnh", "trấn", "phuong", "xa",
                          "quan", "huyen", "tinh", "tran"}
# In an address typed with diacritics, such a word's spelling without them is as often a name's
# syllable ('P. Tân Phong huyện …', 'Văn Quan tỉnh …'): there it names nothing after it
NAMING_MARKED = NAMING - {"xa", "quan", "phong", "lang", "ban", "can", "tang", "to", "so", "lo",
                          "doi", "cum", "toa", "tap", "ap", "nha", "soc", "buon", "khoi", "khom",
                          "d"}
ROADS = ("lộ", "lo")
# A commune's or a ward's name has two words, seldom three ('xã Quảng Phú Cầu', 'phường Tân
# Thới Nhất', common in the South), hardly ever four or more (a name with a hyphen, 'Phan
# Rang-Tháp Chàm', is glued: one word to the cutting). Four or more words after its unit's word,
# with no mark between them, are its name and what lies below it, written with no mark: 'xã Tri
# Lễ Nà Pe' (a hamlet), 'phường Láng Nguyễn Chí Thanh' (a street). The first two are kept, the
# rest hidden (a rare long name loses its end: privacy errs on hiding); a province's name
# ending them stays ('xã Tri Lễ Lạng Sơn' has no comma either).
COMMUNE_WORDS = 3
COMMUNE_KEPT = 2
# Looked up word by word in these (one pass over the words, no pattern tried at each position)
UNITS_ONE = {w: r for w, r in UNIT_RANKS.items() if " " not in w and w not in ASCII_ONLY}
UNITS_ONE_ASCII = {w: r for w, r in UNIT_RANKS.items() if " " not in w}
UNITS_TWO = {w: r for w, r in UNIT_RANKS.items() if " " in w}
CANDIDATES = frozenset((*UNITS_ONE_ASCII, *(w.split(" ")[0] for w in UNITS_TWO), *BARE_SHORT))
