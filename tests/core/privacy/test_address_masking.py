"""The address forms a one-stop desk really types, masked by the one rule (masking.mask_address):
never a house number, a lane, a hamlet or a flat shown; the commune, the ward, the district and
the province kept when a unit's word names them. Round 23 closed docs/privacy.md §2's gaps:
'TT' (a tập thể or a thị trấn: round 28 reads which), addresses written the other way round, and the forms below."""
from __future__ import annotations

import itertools
import re

import pytest

from core.privacy import masking
from core.textnorm import has_hidden

TT_AND_TOWNSHIPS = [
    # 'thị trấn' spelt whole is a township (before 01/07/2025): kept
    ("Khối 2, thị trấn Văn Quan, huyện Văn Quan, Lạng Sơn",
     "***, thị trấn Văn Quan, huyện Văn Quan, Lạng Sơn"),
    # 'TT' may be a tập thể (a block of flats, the private address): hidden with what follows
    ("P.301 nhà A2 TT Thành Công, phường Láng Hạ, Hà Nội", "***, phường Láng Hạ, Hà Nội"),
    ("P.301 nhà A2 TT Thành Công", "***"),
    # round 28: a TT opening its part, with no ward named and its district's word beside it,
    # is the township
    ("Khối 2, TT. Văn Quan, huyện Văn Quan", "***, TT. Văn Quan, huyện Văn Quan"),
    ("Số 3 TT Văn Quan, Lạng Sơn", "***, Lạng Sơn"),  # round 24: a province's name is kept
    ("Khu tập thể Thành Công, phường Láng Hạ", "***, phường Láng Hạ"),
    ("Phòng 12 nhà B KTT Kim Liên, phường Kim Liên", "***, phường Kim Liên"),
]

REVERSED = [
    ("xã Đồng Giáp, thôn Bãi, số 5", "***, xã Đồng Giáp"),
    ("xã Đồng Giáp thôn Bãi số 5", "***, xã Đồng Giáp"),
    ("Tỉnh Lạng Sơn, huyện Văn Quan, xã Tràng Phái, thôn Bó Ái",
     "Tỉnh Lạng Sơn, huyện Văn Quan, xã Tràng Phái, ***"),
    ("Thành phố Hà Nội, quận Đống Đa, phường Láng, số 5 ngõ 3",
     "Thành phố Hà Nội, quận Đống Đa, phường Láng, ***"),
    ("phường Láng, số 5 Láng Hạ", "***, phường Láng"),
    ("xã Bình Hòa, ấp Bình Thạnh", "***, xã Bình Hòa"),
    # a bare name after the commune is its hamlet here; between two units, a unit's name
    ("Tỉnh Lạng Sơn - xã Tràng Phái - Bó Ái", "Tỉnh Lạng Sơn - xã Tràng Phái - ***"),
    ("Tỉnh Lạng Sơn, Văn Quan, xã Tràng Phái, Bó Ái",
     "Tỉnh Lạng Sơn, Văn Quan, xã Tràng Phái, ***"),
    # opening with its commune and a bare name after: unsure which way it was written, hidden
    ("Xã An Sơn, Pá Lòng", "***, Xã An Sơn"),
]

FORMS = [
    ("Tổ 3, phường Quang Trung, Hà Nội", "***, phường Quang Trung, Hà Nội"),
    ("Tổ dân phố 3, đặc khu Phú Quốc, tỉnh An Giang", "***, đặc khu Phú Quốc, tỉnh An Giang"),
    ("KP 4, P. Tân Phong, TP. Biên Hòa", "***, P. Tân Phong, TP. Biên Hòa"),
    ("Tổ 3 khu phố 4, phường Tân Phong", "***, phường Tân Phong"),
    ("Ấp 3 xã Bình Hòa", "*** xã Bình Hòa"),
    ("Bản Nà Lầu, X. Tân Lập, H. Bắc Sơn, T. Lạng Sơn", "***, X. Tân Lập, H. Bắc Sơn, T. Lạng Sơn"),
    ("Xóm Chùa, xã Thái Hòa, huyện Ba Vì", "***, xã Thái Hòa, huyện Ba Vì"),
    ("Khối 5, phường Hưng Bình, Nghệ An", "***, phường Hưng Bình, Nghệ An"),
    ("Cụm 4, xã Hát Môn, TP. Hà Nội", "***, xã Hát Môn, TP. Hà Nội"),
    ("KDC Nam Long, P. Phú Thuận, Q.7", "***, P. Phú Thuận, Q.7"),
    ("CC Sky Garden, phường Tân Phong", "***, phường Tân Phong"),
    ("Căn hộ 1203 chung cư Hoàng Anh, phường Tân Hưng", "***, phường Tân Hưng"),
    ("Phòng 1203 tòa A chung cư Hoàng Anh, P. Tân Hưng, Q.7, TP.HCM",
     "***, P. Tân Hưng, Q.7, TP.HCM"),
    ("Tòa A, P.301, phường Láng", "***, phường Láng"),  # P. and three digits: a room
    ("Tòa A P.301 phường Láng, Hà Nội", "*** phường Láng, Hà Nội"),
    ("P. Quan Thanh, Q. Ba Dinh", "***, P. Quan Thanh, Q. Ba Dinh"),
    ("Lô B-12 KCN Đồng Văn, phường Đồng Văn, Ninh Bình", "***, phường Đồng Văn, Ninh Bình"),
    ("Đội 5, xã Thái Hòa, H. Ba Vì, TP. Hà Nội", "***, xã Thái Hòa, H. Ba Vì, TP. Hà Nội"),
    ("123/4 Nguyễn Trãi, P. Bến Thành, Q. 1, TP. HCM", "***, P. Bến Thành, Q. 1, TP. HCM"),
    ("H.12/3 Lê Văn Sỹ, P.13, Q.3", "***, P.13, Q.3"),  # H. and a number: a hẻm
    ("Số 5, P12, Q10, TP.HCM", "***, P12, Q10, TP.HCM"),
    # capitals, no diacritics, spaces, hyphens
    ("SỐ 12 NGÕ 5 PHỐ LÊ LỢI, PHƯỜNG HÀ ĐÔNG, HÀ NỘI", "***, PHƯỜNG HÀ ĐÔNG, HÀ NỘI"),
    ("so 12 ngo 5 pho Le Loi, phuong Ha Dong", "***, phuong Ha Dong"),
    ("thon Quan Tinh, xa Tan Lap, huyen Dan Phuong", "***, xa Tan Lap, huyen Dan Phuong"),
    ("SO 5 NGO 3 XA TAN LAP HUYEN DAN PHUONG", "*** XA TAN LAP HUYEN DAN PHUONG"),
    ("  Số 12   ngõ 5 ,phường   Láng ,  Hà Nội  ", "***, phường Láng, Hà Nội"),
    # round 24: a name without a unit's word after the commune may be its street: hidden (here
    # a district's, ended 01/07/2025)
    ("Số 5-ngõ 3-phường Láng-Đống Đa-Hà Nội", "*** - phường Láng - Hà Nội"),
    ("123-125 Lê Lợi, phường Bến Thành", "***, phường Bến Thành"),
    # no unit named: nothing tells a street or a hamlet from a commune, all hidden; a
    # province's name is known (round 24: 'Số 5, Lê Lợi, Hà Nội' was '***')
    ("Số 5, Lê Lợi, Hà Nội", "***, Hà Nội"), ("123 Nguyễn Trãi", "***"),
    ("Thôn Bản Chu, An Sơn", "***"),
    # a unit's name holding a hamlet's or a unit's word is still its name
    ("Xã Bản Lầu, huyện Mường Khương", "***, Xã Bản Lầu, huyện Mường Khương"),
    ("phường Đội Cấn, quận Ba Đình", "***, phường Đội Cấn, quận Ba Đình"),
    ("Số 1, phường Quán Thánh, quận Ba Đình", "***, phường Quán Thánh, quận Ba Đình"),
    ("Tổ 1, thị trấn Phố Ràng, huyện Bảo Yên", "***, thị trấn Phố Ràng, huyện Bảo Yên"),
    ("xã Nậm Bản, huyện Phong Thổ", "***, xã Nậm Bản, huyện Phong Thổ"),
    ("Ấp 2, xã Long Phú, Sóc Trăng", "***, xã Long Phú, Sóc Trăng"),
]

# Round 23's review (fix23c). A unit named by a number is that number alone: what follows is a
# street ('Cô Giang'); 'P' and a number beside a ward named in full is a room (M1, the glued
# 'P12' new this round had made the street and the room reachable).
NUMBERED = [
    ("P12 Q3 Cô Giang", "*** Q3"),
    ("P.5 Q.3 Cô Giang", "*** Q.3"),
    ("phường 5 Lê Lợi 12", "***, phường 5"),
    ("Số 5, phường 12 Cô Giang, quận 3", "***, phường 12, quận 3"),
    ("Số 5, P. 12 Cô Giang, Q. 3", "***, P. 12, Q. 3"),
    ("Nhà B4, P12, phường Kim Liên, quận Đống Đa", "***, phường Kim Liên, quận Đống Đa"),
    ("Tòa A, P.12, phường Láng", "***, phường Láng"),
    ("phường Kim Liên, P12 nhà B4", "***, phường Kim Liên"),
    ("Phòng 5, P.12, P.5, Q.3", "***, Q.3"),  # which is the room is unsure: both hidden
]

# A hamlet's or a lane's word behind a bracket, a quote, a slash or a point (M2), and a remark
# in brackets (a street, a person's name: no unit's name holds a bracket)
PUNCTUATION = [
    ("xã An Sơn (thôn Pá Lòng)", "***, xã An Sơn"),
    ("phường Láng (ngõ Chùa)", "***, phường Láng"),
    ("phường Láng (Nguyễn Chí Thanh)", "***, phường Láng"),
    ("phường Láng Hạ (nay là phường Láng), Hà Nội", "***, phường Láng Hạ, Hà Nội"),
    ("Tổ 3, phường Láng, (Nguyễn Văn Tèo)", "***, phường Láng"),
    ('xã An Sơn "thôn Pá Lòng"', "***, xã An Sơn"),
    ("xã An Sơn “thôn Pá Lòng”", "***, xã An Sơn"),
    ("xã An Sơn/thôn Pá Lòng", "***, xã An Sơn"),
    ("Thôn Pá Lòng/xã An Sơn/Lạng Sơn", "*** / xã An Sơn / Lạng Sơn"),
    # guard: a slash between digits is a house's number, no separator ('5' alone is no part)
    ("K12/34 Lê Lợi, phường 5, quận 3", "***, phường 5, quận 3"),
    ("xã An Sơn.thôn Pá Lòng", "***, xã An Sơn"),
    ("phường Láng.ngõ Chùa", "***, phường Láng"),
    ("xã An Sơn .thôn Pá Lòng", "***, xã An Sơn"),
    ("phường Láng_ngõ Chùa", "***, phường Láng"),
    ("T.T.Huế, P.Phú Hội", "T.T.Huế, P.Phú Hội, ***"),  # guard: abbreviations keep points
    ("phường Láng an.nguyen@gmail.com", "***, phường Láng"),
]

# Written from the province down but opening with a bare name, or opening with its unit: a bare
# name after the last unit may be a hamlet, a street or a person (S1). Hidden; a province's name
# is kept since round 24 (it lost 'Lạng Sơn' in the first and the last row).
BARE_AFTER = [
    ("Lạng Sơn, xã An Sơn, Pá Lòng", "Lạng Sơn, xã An Sơn, ***"),
    ("Thái Nguyên, Phú Bình, xã Xuân Phương, Đồng Hạ", "Thái Nguyên, Phú Bình, xã Xuân Phương, ***"),
    ("phường 12, quận 3, Cô Giang", "***, phường 12, quận 3"),
    ("P.Láng - Q.Đống Đa - Nguyễn Chí Thanh", "***, P.Láng - Q.Đống Đa"),
    ("phường Láng, quận Đống Đa, Nguyễn Văn Tèo", "***, phường Láng, quận Đống Đa"),
    ("Pá Lòng, xã An Sơn, Lạng Sơn", "***, xã An Sơn, Lạng Sơn"),
]

# Round 24. No separator left dangling at a piece's end, no empty piece between two separators.
COSMETIC = [
    ("Số 5, phường Láng/, Hà Nội", "***, phường Láng, Hà Nội"),
    ("Số 5, phường Láng - - Hà Nội", "***, phường Láng - Hà Nội"),
    ("Số 5, phường Láng, Hà Nội.", "***, phường Láng, Hà Nội"),
    ("Thôn 2, xã An Sơn.", "***, xã An Sơn"),
    ("Thôn 2, xã An Sơn) Thôn 3", "***, xã An Sơn"),
]

# A phone typed where a ward's number stands is no ward: a unit's number has one or two digits
# and none after it (it was shown, 6 of its digits masked: '***, phường 0912****78')
PHONES = [
    ("phường 0912345678, Lạng Sơn", "***, Lạng Sơn"),
    ("Số 5, phường 0912 345 678, Hà Nội", "***, Hà Nội"),
    ("phường 09 1234 5678, quận 3", "***, quận 3"),
    ("Số 5, P.09 1234 5678, Q.3", "***, Q.3"),
    ("Số 5, phường Láng0912345678", "***"),
    ("Số 5, quận 0912345678, TP.HCM", "***, TP.HCM"),
]

# A province's name is known (core.privacy.places: the 34 since 12/06/2025 and the 63 before),
# kept opening or ending the address: it no longer costs the province ('Xã An Sơn, Lạng Sơn'
# lost it), and an address written from the province down keeps it ('Lạng Sơn, huyện …').
PLACES = [
    ("Lạng Sơn, huyện Văn Quan, xã Tri Lễ, thôn Nà Pe", "Lạng Sơn, huyện Văn Quan, xã Tri Lễ, ***"),
    ("Lạng Sơn, Văn Quan, xã Tri Lễ, thôn Nà Pe", "Lạng Sơn, Văn Quan, xã Tri Lễ, ***"),
    ("Hà Nội, quận Đống Đa, phường Láng, số 5", "Hà Nội, quận Đống Đa, phường Láng, ***"),
    ("Xã An Sơn, Lạng Sơn", "***, Xã An Sơn, Lạng Sơn"),
    ("phường Láng, Hà Nội", "***, phường Láng, Hà Nội"),
    # guards (so before round 24, when any name after the ward was kept): the tone on either
    # vowel, no diacritics, the country after it; a province's name between the house and the
    # ward is a street's
    ("Số 5, phường Hàm Rồng, Thanh Hoá", "***, phường Hàm Rồng, Thanh Hoá"),
    ("so 5 ngo 3, phuong Lang, Ha Noi", "***, phuong Lang, Ha Noi"),
    ("Số 5, phường Kim Liên, Hà Nội, Việt Nam", "***, phường Kim Liên, Hà Nội, Việt Nam"),
    ("Số 5, Hải Phòng, phường Thạch Thang, Đà Nẵng", "***, phường Thạch Thang, Đà Nẵng"),
]

# A unit's name written with a hyphen or an apostrophe is shown whole ('phường Phan Rang-Tháp
# Chàm' lost 'Tháp Chàm': the hyphen cut it in two parts), and as typed (round 27: a hyphen
# typed with no space showed spaced, 'Krông - Pắc'; one typed spaced stays spaced)
NAMES = [
    ("phường Phan Rang-Tháp Chàm", "***, phường Phan Rang-Tháp Chàm"),
    ("phường Phan Rang-Tháp Chàm, Khánh Hòa", "***, phường Phan Rang-Tháp Chàm, Khánh Hòa"),
    ("Số 5, phường Phan Rang‐Tháp Chàm", "***, phường Phan Rang - Tháp Chàm"),  # U+2010
    ("Khánh Hòa - phường Phan Rang - Tháp Chàm - số 5", "Khánh Hòa - phường Phan Rang - Tháp Chàm - ***"),
    ("xa Phuoc My, TP Phan Rang-Thap Cham", "***, xa Phuoc My, TP Phan Rang-Thap Cham"),
    ("xã Ea H'leo, Đắk Lắk", "***, xã Ea H'leo, Đắk Lắk"),
    # guards (so before round 24): the old province's hyphen, an apostrophe after the house
    ("Tổ 5, phường 1, Bà Rịa-Vũng Tàu", "***, phường 1, Bà Rịa-Vũng Tàu"),
    ("Buôn Tơ, xã Ia H'Drai, Kon Tum", "***, xã Ia H'Drai, Kon Tum"),
    ("thị trấn D'Ran, Lâm Đồng", "***, thị trấn D'Ran, Lâm Đồng"),  # 'D.' is a đường, "D'" not
    ("xã Cư M’gar, Đắk Lắk", "***, xã Cư M’gar, Đắk Lắk"),
]

# A name with no unit's word after the commune may be its street ('Lê Lợi'): hidden, unless the
# address is written from the province down and it stands before the commune (a district)
STREETS = [
    ("Số 5, phường Bến Nghé, Lê Lợi", "***, phường Bến Nghé"),
    ("Số 5, phường Láng, Láng Hạ", "***, phường Láng"),
    ("Số 5, phường Bến Nghé, Lê Lợi, TP.HCM", "***, phường Bến Nghé, TP.HCM"),
    ("Số 5, phường Bến Nghé, Lê Lợi, quận 1", "***, phường Bến Nghé, quận 1"),
    ("Số 5, phường Láng, Đống Đa, Hà Nội", "***, phường Láng, Hà Nội"),
    ("Số 5, xã Tri Lễ, Nà Pe, Lạng Sơn", "***, xã Tri Lễ, Lạng Sơn"),
]

# What round 23's notes still listed as leaks (review23 L8, try23): a street named after a unit
# after a house's number, 'Đ.' for đường, 'T.'/'X.' for a tổ or a xóm after the commune, a
# bracket or a quote of another shape, a hamlet glued by another mark or by a point
LEAKS = [
    ("Số 12 Xã Đàn, phường Nam Đồng", "***, phường Nam Đồng"),
    ("phường Láng Đ.Nguyễn Chí Thanh", "***, phường Láng"),
    ("phường Láng, Đ. Nguyễn Chí Thanh", "***, phường Láng"),  # guard (hidden before as well)
    ("xã An Sơn, T. Pá Lòng", "***, xã An Sơn"),
    ("xã An Sơn T. Pá Lòng", "***, xã An Sơn"),
    ("xã An Sơn, X. Chùa", "***, xã An Sơn"),
    ("Tỉnh Lạng Sơn, X. Chùa", "Tỉnh Lạng Sơn, X. Chùa, ***"),  # round 28: its commune
    ("xã Tri Lễ [Nà Pe]", "***, xã Tri Lễ"),
    ('xã Tri Lễ "Nà Pe"', "***, xã Tri Lễ"),
    ("xã Tri Lễ 'Nà Pe'", "***, xã Tri Lễ"),
    ("xã Tri Lễ «Nà Pe»", "***, xã Tri Lễ"),
    ("xã Tri Lễ(Nà Pe)", "***, xã Tri Lễ"),
    ("xã An Sơn+thôn Pá Lòng", "***, xã An Sơn"),
    ("Số 5 phường Láng\\thôn Bãi", "*** phường Láng"),
    ("xã Tri Lễ•thôn Nà Pe", "***, xã Tri Lễ"),
    ("xã Tri Lễ，thôn Nà Pe", "***, xã Tri Lễ"),
    ("xã Tri Lễ—thôn Nà Pe", "***, xã Tri Lễ"),
    ("xã Tri Lễ:thôn Nà Pe, Lạng Sơn", "***, xã Tri Lễ, Lạng Sơn"),
    ("xã An Sơn.Pá Lòng", "***, xã An Sơn"),
    ("xã Đồng Giáp\u202e, thôn Bãi\u200b 0912\u200b345678", "***, xã Đồng Giáp"),
    # review24 finding 1: a hidden character alone between the commune and the hamlet, taken
    # away before the mask read it, glued the hamlet to the commune's name and showed it
    ("xã Tri Lễ\u200bthôn Pá Lòng", "***, xã Tri Lễ"),
    ("Xóm 1, xã An Sơn\u200bPá Lòng, Lạng Sơn", "***, xã An Sơn, Lạng Sơn"),
    ("xã Tri Lễ\u202ethôn Pá Lòng", "***, xã Tri Lễ"),
    ("Xóm 1, xã Tri Lễ\u200bthôn Nà Pe, Lạng Sơn", "***, xã Tri Lễ, Lạng Sơn"),
]

# Round 25 (closing24's masking gaps), each failing before:
# (a) a hamlet or a street written straight after the commune's name, with no mark: a commune's
# or a ward's name has two words, seldom three; from the fourth on it is what lies below it
GLUED_AFTER = [
    ("xã Tri Lễ Nà Pe", "***, xã Tri Lễ"),
    ("Số 5, xã Tri Lễ Nà Pe, Lạng Sơn", "***, xã Tri Lễ, Lạng Sơn"),
    ("Thôn 2 xã Tri Lễ Nà Pe huyện Văn Quan", "*** xã Tri Lễ huyện Văn Quan"),
    ("xa Tri Le Na Pe, Lang Son", "***, xa Tri Le, Lang Son"),
    ("X. Tri Lễ Nà Pe, H. Văn Quan", "***, X. Tri Lễ, H. Văn Quan"),
    ("Số 5, phường Bến Nghé Lê Thánh Tôn, TP.HCM", "***, phường Bến Nghé, TP.HCM"),
    ("xã Tri Lễ Nà Pe Lạng Sơn", "***, xã Tri Lễ Lạng Sơn"),  # the province after it stays
    # guards: three words are a name ('xã Quảng Phú Cầu'), a province after two its own piece
    ("Xóm 1, xã Quảng Phú Cầu, Hà Nội", "***, xã Quảng Phú Cầu, Hà Nội"),
    ("Tổ 3, phường Tân Thới Nhất", "***, phường Tân Thới Nhất"),
    ("xã Tri Lễ Lạng Sơn", "***, xã Tri Lễ Lạng Sơn"),
]
# (b) a hyphen typed in the name of a unit above the commune is the name's own, whatever the
# name; after a commune's or a ward's word only the known ones (a hamlet is glued so there)
HYPHENED = [
    ("Số 5, phường Đông Hải, thành phố Phan Rang-Tháp Chàm, Ninh Thuận",
     "***, phường Đông Hải, thành phố Phan Rang-Tháp Chàm, Ninh Thuận"),
    ("Thôn 2, xã Ea Kly, huyện Krông-Pắc, Đắk Lắk", "***, xã Ea Kly, huyện Krông-Pắc, Đắk Lắk"),
    ("Tổ 3, phường 1, thị xã Ayun-Pa, Gia Lai", "***, phường 1, thị xã Ayun-Pa, Gia Lai"),
    ("Xóm 2, xã Tân Lập, H. Bắc-Sơn, Lạng Sơn", "***, xã Tân Lập, H. Bắc-Sơn, Lạng Sơn"),
    ("Bản Nà Lầu, xã Pa Tần, huyện Nậm-Pồ, tỉnh Điện Biên",
     "***, xã Pa Tần, huyện Nậm-Pồ, tỉnh Điện Biên"),
    # guards: a hamlet glued to its commune, a hamlet's word or a unit's after the hyphen
    ("xã An Sơn-Pá Lòng", "***, xã An Sơn"),
    ("huyện Văn Quan-thôn Bãi", "***, huyện Văn Quan"),
    ("quận Đống Đa-phường Láng", "quận Đống Đa - phường Láng, ***"),
    ("Số 5-ngõ 3-phường Láng-Đống Đa-Hà Nội", "*** - phường Láng - Hà Nội"),
]
# (c) an address written from the province down reads its masked form the same way: the hidden
# pieces' '***' where they stood, after the units (was '***, Tỉnh Lạng Sơn, …, xã …')
PROVINCE_FIRST = [
    ("Tỉnh Lạng Sơn, xã Tri Lễ, thôn Nà Pe", "Tỉnh Lạng Sơn, xã Tri Lễ, ***"),
    ("Tỉnh Lạng Sơn; xã Tri Lễ; thôn Nà Pe", "Tỉnh Lạng Sơn; xã Tri Lễ; ***"),
    ("Tỉnh Lạng Sơn/xã Tri Lễ/thôn Nà Pe", "Tỉnh Lạng Sơn / xã Tri Lễ / ***"),
    ("Tỉnh Lạng Sơn, xã Tri Lễ Nà Pe", "Tỉnh Lạng Sơn, xã Tri Lễ, ***"),
    ("Lạng Sơn, xã Tri Lễ", "Lạng Sơn, xã Tri Lễ, ***"),
    ("TP.HCM, Q.3, P.5, 12 Cô Giang", "TP.HCM, Q.3, P.5, ***"),
    # guards: from the house up, or from the commune (one unit), it opens as before
    ("xã Đồng Giáp, thôn Bãi, số 5", "***, xã Đồng Giáp"),
    ("Thôn Bãi, xã Tri Lễ, tỉnh Lạng Sơn", "***, xã Tri Lễ, tỉnh Lạng Sơn"),
]

CASES = (GLUED_AFTER + HYPHENED + PROVINCE_FIRST
         + TT_AND_TOWNSHIPS + REVERSED + FORMS + NUMBERED + PUNCTUATION + BARE_AFTER + COSMETIC
         + PHONES + PLACES + NAMES + STREETS + LEAKS)


@pytest.mark.parametrize("address, shown", CASES, ids=[a for a, _ in CASES])
def test_an_address_as_a_report_shows_it(address, shown):
    assert masking.mask_address(address) == shown
    assert masking.is_masked(shown, "applicant_address")  # an import still knows it


# Whatever their order and separators, no house, lane, hamlet or flat passes; the units stay.
PRIVATE = [("Số 12", "12"), ("ngõ 47", "47"), ("thôn Bó Ái", "Bó Ái"), ("xóm Chùa", "Chùa"),
           ("Tổ 3", "Tổ 3"), ("TT Thành Công", "Thành Công"), ("phòng 1203", "1203"),
           ("KDC Nam Long", "Nam Long"), ("ấp Bình Thạnh", "Bình Thạnh"),
           ("bản Nà Lầu", "Nà Lầu"), ("Lô C7", "C7"), ("đội 5", "đội 5")]
UNITS = {"named": ["xã Tràng Phái", "huyện Văn Quan", "tỉnh Lạng Sơn"],
         "numbered": ["phường 5", "quận 3", "thành phố Hồ Chí Minh"],
         "abbreviated": ["P.5", "Q.3", "TP.HCM"], "glued": ["P5", "Q3", "TP HCM"],
         # round 27: the words abbreviated with a name, a hyphen typed in a name
         "abbreviated words": ["X. Tràng Phái", "H. Văn Quan", "T. Lạng Sơn"],
         "city abbreviated": ["P. Đông Kinh", "T.P Lạng Sơn"],
         "city with a point": ["P. Đông Kinh", "TP. Lạng Sơn"],
         "hyphened": ["xã Ea Kly", "huyện Krông-Pắc", "tỉnh Đắk Lắk"]}
SEPARATORS = [", ", " - ", " ", "; ", "/", " / "]
# How a private piece is written: as it is, in brackets, in quotes, behind a point
WRITTEN = ["{}", "({})", '"{}"', "“{}”", ".{}"]


@pytest.mark.parametrize("written", WRITTEN)
@pytest.mark.parametrize("units", UNITS.values(), ids=UNITS)
@pytest.mark.parametrize("sep", SEPARATORS)
@pytest.mark.parametrize("backwards", [False, True], ids=["house first", "province first"])
def test_no_private_piece_passes_in_any_order(sep, backwards, units, written):
    units = units[::-1] if backwards else units
    for (one, secret), (two, other) in itertools.product(PRIVATE, repeat=2):
        one, two = written.format(one), written.format(two)
        words = [*units, one, two] if backwards else [one, two, *units]
        shown = masking.mask_address(sep.join(words))
        assert secret not in shown and other not in shown, (words, shown)
        assert all(unit in shown for unit in units), (words, shown)
        # where the hidden pieces stood: after the units of an address written from the
        # province down (round 25), before them otherwise
        assert shown.endswith("***") if backwards else shown.startswith("***"), (words, shown)


# Round 24: any other mark between the pieces, a bracket or a quote of another shape
MARKS = ["+", ":", " | ", "\\", "•", "，", "—", "、", "\u200b", "\u202e"]
QUOTED = ["[{}]", "'{}'", "«{}»", "‘{}’", "{{{}}}"]


@pytest.mark.parametrize("mark", MARKS)
@pytest.mark.parametrize("units", UNITS.values(), ids=UNITS)
@pytest.mark.parametrize("backwards", [False, True], ids=["house first", "province first"])
def test_no_private_piece_passes_any_mark(mark, backwards, units):
    units = units[::-1] if backwards else units
    for (one, secret), (two, other) in itertools.product(PRIVATE, repeat=2):
        words = [*units, one, two] if backwards else [one, two, *units]
        shown = masking.mask_address(mark.join(words))
        assert secret not in shown and other not in shown, (words, shown)
        assert all(unit in shown for unit in units), (words, shown)
        assert not has_hidden(shown), (words, shown)  # no bidi override reaches a report


@pytest.mark.parametrize("quoted", QUOTED)
@pytest.mark.parametrize("sep", [", ", " "])
@pytest.mark.parametrize("units", UNITS.values(), ids=UNITS)
@pytest.mark.parametrize("backwards", [False, True], ids=["house first", "province first"])
def test_no_quoted_name_passes(quoted, sep, backwards, units):
    """A hamlet's or a street's bare name in brackets or quotes after the units ('xã Tri Lễ
    [Nà Pe]') is a remark, hidden as one in '(…)' is."""
    units = units[::-1] if backwards else units
    for name in ("Nà Pe", "Lê Lợi", "Bó Ái"):
        words = [*units, quoted.format(name)] if backwards else [
            quoted.format(name), *units, quoted.format(name)]
        shown = masking.mask_address(sep.join(words))
        assert name not in shown, (words, shown)
        assert all(unit in shown for unit in units), (words, shown)


STREET_NAMES = ["Lê Lợi", "Láng Hạ", "Cô Giang", "Nguyễn Văn Tèo"]
COMMUNES = ["phường Bến Nghé", "xã Tri Lễ", "phường 5", "P.5", "P. Tân Phong", "đặc khu Phú Quốc"]
ABOVE = [[], ["Hà Nội"], ["TP.HCM"], ["quận 1", "TP.HCM"], ["huyện Văn Quan", "tỉnh Lạng Sơn"]]


@pytest.mark.parametrize("sep", [", ", " - ", "; ", " / "])
@pytest.mark.parametrize("above", ABOVE, ids=lambda above: "+".join(above) or "none")
def test_a_street_after_the_commune_is_hidden(sep, above):
    """Written from the house up, a name with no unit's word after the commune may be its
    street (or a person's name): never shown, wherever the units after it stand."""
    for commune, street in itertools.product(COMMUNES, STREET_NAMES):
        layouts = [["Số 5", commune, street, *above], ["Số 5", commune, *above, street]]
        if commune != "P.5":  # opening the address, 'P.5' is a room (FORMS)
            layouts.append([commune, street, *above])
        for words in layouts:
            shown = masking.mask_address(sep.join(words))
            assert street not in shown, (words, shown)
            assert all(unit in shown for unit in [commune, *above]), (words, shown)


PHONE_FORMS = ["0912345678", "0912 345 678", "0912.345.678", "09 1234 5678", "+84912345678",
               "091 234 5678"]
UNIT_FORMS = ["phường {}", "P. {}", "P.{}", "quận {}", "Q.{}", "xã {}", "P{}", "Q{}"]


@pytest.mark.parametrize("unit", UNIT_FORMS)
@pytest.mark.parametrize("rest", [[], ["Hà Nội"], ["quận 3", "TP.HCM"]], ids=["alone", "province",
                                                                           "district"])
def test_a_phone_typed_as_a_units_number_is_never_shown(unit, rest):
    """A unit's number has one or two digits: a phone where it stands is no unit, hidden
    whole — not one digit of it in the output (it was '***, phường 0912****78')."""
    for phone in PHONE_FORMS:
        for words in (["Số 5", unit.format(phone), *rest], [*rest[::-1], unit.format(phone)]):
            shown = masking.mask_address(", ".join(words))
            assert not re.search(r"\d{3}", shown.replace(" ", "").replace(".", "")), (words, shown)
            unmarked = shown.removeprefix("***").removesuffix("***")  # where the hidden stood
            assert "*" not in unmarked and all(word in shown for word in rest), (words, shown)


@pytest.mark.parametrize("first, second", list(itertools.product([",", ";", "-", "/", ":", "|"],
                                                                 repeat=2)))
def test_no_separator_is_left_dangling(first, second):
    """Two separators in a row, or one at the end, leave no empty piece and no separator at a
    kept piece's end ('***, phường Láng / , Hà Nội' was shown)."""
    for spaces in ("{}{} ", " {} {} ", "{} {}"):
        glue = spaces.format(first, second)
        shown = masking.mask_address(glue.join(["Số 5", "phường Láng", "Hà Nội"]) + glue)
        assert re.fullmatch(r"\*\*\*(, | - | / |; )phường Láng(, | - | / |; )Hà Nội", shown), (
            glue, shown)


def test_a_province_first_masked_address_is_known_as_masked_and_cannot_be_typed():
    """Its '***' at the end (round 25): an import still knows it for masked (a masked export
    imports back unchanged into its database), so the desk refuses a real address ending so."""
    from core import validation
    shown = masking.mask_address("Tỉnh Lạng Sơn, xã Tri Lễ, thôn Nà Pe")
    assert shown == "Tỉnh Lạng Sơn, xã Tri Lễ, ***"
    assert masking.is_masked(shown, "applicant_address")
    assert validation.address_reason(shown) == validation.ADDRESS_MASKED
    assert validation.address_reason("Lô B*2, xã Tri Lễ") is None


HAMLETS_AFTER = ["Nà Pe", "Pá Lòng", "Bó Ái", "Lê Thánh Tôn", "Nguyễn Văn Cừ"]


@pytest.mark.parametrize("above", [[], ["Lạng Sơn"], ["huyện Văn Quan", "tỉnh Lạng Sơn"],
                                   ["TP.HCM"]], ids=["none", "province", "district", "city"])
@pytest.mark.parametrize("commune", ["xã Tri Lễ", "phường Bến Nghé", "P. Bến Nghé",
                                     "đặc khu Phú Quốc", "xã Ea H'leo"])
def test_a_name_written_after_the_communes_with_no_mark_is_hidden(commune, above):
    """Round 25 (closing24): 'xã Tri Lễ Nà Pe' showed the hamlet as the commune's name. A name of
    two words or more written straight after a two-word commune or ward is hidden, the commune
    and the units above it kept, from the house up and from the province down."""
    for hamlet in HAMLETS_AFTER:
        for words in (["Số 5", f"{commune} {hamlet}", *above],
                      [*above[::-1], f"{commune} {hamlet}"]):
            shown = masking.mask_address(", ".join(words))
            assert hamlet not in shown and hamlet.split()[-1] not in shown, (words, shown)
            assert commune in shown and all(unit in shown for unit in above), (words, shown)
