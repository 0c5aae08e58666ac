"""Fake applicants and clerks: Vietnamese names, phones, addresses and ID numbers from syllable lists.

Nobody real is named: every name is a random combination. The folded (diacritic-free) form of
each syllable is computed once, so the search key of a million dossiers costs no Unicode work.
"""
from __future__ import annotations

import bisect
import functools
import itertools
import random
from dataclasses import dataclass

from core.textnorm import fold

LANG_SON_ID_PREFIX = "020"  # the CCCD province code of Lạng Sơn

# Streets, villages and unit names repeat: each is folded once for the whole demo.
fold_once = functools.lru_cache(maxsize=8192)(fold)


@dataclass(frozen=True)
class Person:
    name: str
    folded: str
    phone: str
    address: str
    id_no: str
    address_folded: str = ""


class People:
    """Draws people with a caller-supplied random generator (so results follow the seed)."""

    def __init__(self, data: dict):
        family = data["family"]
        self.family = [(f, fold(f)) for f, _ in family]
        self.family_cum = list(itertools.accumulate(w for _, w in family))
        self.middle = {True: [(m, fold(m)) for m in data["middle_male"]],
                       False: [(m, fold(m)) for m in data["middle_female"]]}
        self.given = {True: [(g, fold(g)) for g in data["given_male"]],
                      False: [(g, fold(g)) for g in data["given_female"]]}
        self.villages = data["villages"]
        self.quarters = data["town_quarters"]
        self.prefixes = data["phone_prefixes"]

    def name(self, rng: random.Random) -> tuple[str, str]:
        """(name, folded name)."""
        r = rng.random
        male = r() < 0.5
        f, ff = self.family[bisect.bisect(self.family_cum, r() * self.family_cum[-1])]
        middle, given = self.middle[male], self.given[male]
        m, mf = middle[int(r() * len(middle))]
        g, gf = given[int(r() * len(given))]
        return f"{f} {m} {g}", f"{ff} {mf} {gf}"

    def person(self, rng: random.Random, place: str, town: bool) -> Person:
        # random() and int() instead of choice()/randrange(): this runs a million times.
        r = rng.random
        name, folded = self.name(rng)
        phone = f"{self.prefixes[int(r() * len(self.prefixes))]}{int(r() * 10_000_000):07d}"
        if town:
            street = self.quarters[int(r() * len(self.quarters))]
        else:
            street = "Thôn " + self.villages[int(r() * len(self.villages))]
        century = int(r() * 4)  # 0/1: born in the 1900s, 2/3: in the 2000s (male/female)
        year = 40 + int(r() * 60) if century < 2 else int(r() * 8)
        id_no = f"{LANG_SON_ID_PREFIX}{century}{year:02d}{int(r() * 1_000_000):06d}"
        return Person(name, folded, phone, f"{street}, {place}", id_no,
                      f"{fold_once(street)}, {fold_once(place)}")


def place_of(unit_name: str, two_tier: bool = False, place: str = "") -> tuple[str, bool]:
    """The address tail for people living in a commune ('xã An Sơn, huyện Văn Quan, tỉnh Lạng
    Sơn'; from 1/7/2025, `two_tier`, no district: 'xã Điềm He, tỉnh Lạng Sơn'). `place` names
    the commune of a desk whose name is not a commune's (a centre's branch, a reception point)."""
    local = place or unit_name.removeprefix("UBND ").strip()
    town = local.startswith("thị trấn")
    if local.startswith("huyện") or two_tier:
        return f"{local}, tỉnh Lạng Sơn", False
    return f"{local}, huyện Văn Quan, tỉnh Lạng Sơn", town


def staff(seed: int, unit_code: str, people: People, count: int = 2) -> list[str]:
    """The names of the unit's clerks (fixed for a seed): the first receives, the other
    processes dossiers (core.demo.accounts gives them their logins)."""
    rng = random.Random(f"demo-staff:{seed}:{unit_code}")
    return [people.name(rng)[0] for _ in range(count)]
