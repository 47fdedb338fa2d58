"""Region tagging with Kemendagri codes: names, aliases, local abbreviations and context.

The gazetteer is the shipped ``pantau/data/regions/wilayah_2025.csv.gz`` (``kode,nama,level``)
plus ``text/data/region_aliases.csv`` (``alias,code,note``; an administrator can extend it or
name another file in the ``region_aliases_path`` setting). What is matched, by bare name:

1. every province, and aliases such as "Kaltim", "Jabar";
2. kab/kota of the configured province ("Paser", "Samarinda") and cities elsewhere ("Surabaya");
3. kecamatan of the configured province ("Tenggarong"), unless the name repeats in the province,
   then only with a kab/kota of one of them in the same text;
4. desa/kelurahan of the configured province only after "desa"/"kelurahan"/"kampung" and only
   when the name is unique (in the province, or within a kab/kota named in the text); a
   kelurahan (urban) also after a locative ("di Loa Bakung") when no ordinary word;
5. any kab/kota nationwide after "Kabupaten"/"Kab."/"Kota";
6. landmarks of the configured province (``text/data/landmarks/<province>.csv``, see
   :mod:`pantau.text.landmarks`), longest first: "Jembatan Mahakam Ulu" is in Samarinda, and
   the regency it contains is not tagged.

Words joined by a hyphen or a slash are two names ("jalan poros Sangatta-Bontang" names both,
even after "jalan"). A desa or kelurahan comes with its kab/kota and kecamatan.

Names that are ordinary words ("Damai", "Malang", "Paser" beside "pasar"; listed in
``region_common_words.txt``) need an admin prefix, or a locative ("di", "ke", "dari", "warga")
before them and, when the writer uses case, a capital letter. A name after a personal title
("Pak", "Bu") or "Jalan" is a person or a street, not a region.

>>> g = Gazetteer.load("64")
>>> [r["name"] for r in g.tag("Banjir di Kukar dan Samarinda, warga Sangatta mengungsi")]
['Kabupaten Kutai Kartanegara', 'Kota Samarinda', 'Kabupaten Kutai Timur']
>>> g.tag("harga di pasar naik, hidup damai")
[]
>>> [r["code"] for r in g.tag("Macet di Jembatan Mahakam Ulu dan jalan poros Sangatta-Bontang")]
['64.72', '64.08', '64.74']
"""

from __future__ import annotations

import csv
import gzip
import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from pantau.records import RegionTag
from pantau.text.landmarks import Landmark, load_landmarks

__all__ = ["Gazetteer", "Region"]

logger = logging.getLogger(__name__)

# Hyphens and slashes split words: "Sangatta-Bontang" and "Samarinda/Bontang" name two places,
# and hyphenated names ("Biduk-Biduk") are keyed the same way.
_WORD_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)*", re.UNICODE)
_PAIR_JOINERS = frozenset({"-", "/", "\u2013"})
# Longest gazetteer name in words ("Kota Administrasi Jakarta Barat", "Penajam Paser Utara").
_MAX_WORDS = 5
ADMIN_PREFIXES = frozenset(
    {
        "kabupaten",
        "kab",
        "kota",
        "kecamatan",
        "kec",
        "desa",
        "kelurahan",
        "kel",
        "kampung",
        "provinsi",
        "prov",
        "pemkab",
        "pemkot",
        "pemprov",
        "bupati",
        "walikota",
        "camat",
        "kades",
        "lurah",
    }
)
_VILLAGE_PREFIXES = frozenset({"desa", "kelurahan", "kel", "kampung"})
_KAB_PREFIXES = {"kabupaten": "Kabupaten", "kab": "Kabupaten", "kota": "Kota"}
LOCATIVES = frozenset(
    {
        "di",
        "orang",
        "ke",
        "dari",
        "warga",
        "asal",
        "wilayah",
        "daerah",
        "sekitar",
        "menuju",
        "kawasan",
        "se",
        "seluruh",
        "masyarakat",
        "pantai",
        "kabupaten",
    }
)
# Words before a name that make it a person or a street ("Pak Berau", "Jalan Samarinda").
NOT_PLACE_BEFORE = frozenset(
    {
        "the",
        "pak",
        "bu",
        "bapak",
        "ibu",
        "mas",
        "mbak",
        "bang",
        "kak",
        "om",
        "tante",
        "sdr",
        "saudara",
        "saudari",
        "nona",
        "tuan",
        "jalan",
        "jl",
        "jln",
        "gang",
        "gg",
        "hotel",
        "kapal",
        "km",
        "kmp",
        "kampus",
        "universitas",
        "bus",
        "pt",
        "cv",
        "toko",
        "nama",
        "namanya",
        "dg",
        "daeng",
        "haji",
        "h",
    }
)
# Kemendagri codes of a kelurahan (urban village) start their last part with 1, of a desa with 2.
KELURAHAN_DIGIT = "1"
# Above this share of capitalized words (headlines, ALL CAPS) case says nothing about names.
CASE_UNINFORMATIVE_SHARE = 0.5


@dataclass(frozen=True)
class Region:
    """One gazetteer entry."""

    code: str
    name: str
    level: int

    @property
    def kabkota(self) -> str | None:
        """Code of the kab/kota this region lies in (itself when it is one)."""
        return self.code[:5] if self.level >= 2 else None


@dataclass
class _Entry:
    candidates: list[Region] = field(default_factory=list)
    ambiguous: bool = False
    village_only: bool = False


def _bare(name: str) -> str:
    for prefix in ("Kabupaten ", "Kota Administrasi ", "Kota "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _key(name: str) -> tuple[str, ...]:
    return tuple(_WORD_RE.findall(name.lower()))


class Gazetteer:
    """Names and aliases of regions, indexed by word tuples, for one configured province."""

    def __init__(
        self,
        province: str,
        rows: list[tuple[str, str, int]],
        aliases: list[tuple[str, str]],
        common: set[str],
        landmarks: list[Landmark] | None = None,
    ) -> None:
        self.province = province
        self.regions = {code: Region(code, name, level) for code, name, level in rows}
        self.index: dict[tuple[str, ...], _Entry] = defaultdict(_Entry)
        self.prefixed: dict[tuple[str, tuple[str, ...]], Region] = {}
        for region in self.regions.values():
            self._add_region(region, common)
        for alias, code in aliases:
            target = self.regions.get(code)
            if target is None:
                if code.count(".") < 2 or code.split(".")[0] == province:
                    logger.warning("region alias %r names unknown code %s; ignored", alias, code)
                continue  # kecamatan and desa of other provinces are not loaded
            entry = self.index[_key(alias)]
            entry.candidates = [target]
            entry.ambiguous = alias.lower() in common
            entry.village_only = False
        self.landmarks: dict[tuple[str, ...], list[Region]] = {}
        for landmark in landmarks or []:
            places = [self.regions[c] for c in landmark.codes if c in self.regions]
            if len(places) != len(landmark.codes):
                logger.warning("landmark %r names an unknown code; ignored", landmark.name)
                continue
            self.landmarks[_key(landmark.name)] = places
        self.landmark_words = max(map(len, self.landmarks), default=0)
        self.first_words = (
            {k[0] for k in self.index}
            | {k[1][0] for k in self.prefixed}
            | {k[0] for k in self.landmarks}
            | set(_KAB_PREFIXES)
        )

    def _add_region(self, region: Region, common: set[str]) -> None:
        in_prov = region.code.split(".")[0] == self.province
        bare = _bare(region.name)
        if region.level == 2:
            kind = "Kota" if region.name.startswith("Kota") else "Kabupaten"
            self.prefixed[(kind, _key(bare))] = region
        add = (
            region.level == 1
            or (region.level == 2 and (in_prov or region.name.startswith("Kota")))
            or (region.level >= 3 and in_prov)
        )
        if not add:
            return
        entry = self.index[_key(bare)]
        if region.level == 4 and entry.candidates and not entry.village_only:
            return  # a kecamatan or kab/kota with the same name wins over a desa
        if region.level < 4 and entry.village_only:
            entry.candidates, entry.village_only = [], False
        entry.candidates.append(region)
        entry.village_only = region.level == 4
        entry.ambiguous = entry.ambiguous or bare.lower() in common

    @classmethod
    def load(cls, province: str, aliases_path: str | Path | None = None) -> Gazetteer:
        """Gazetteer of the shipped region codes for ``province``, with extra aliases if given."""
        return _load_cached(province, str(aliases_path) if aliases_path else "")

    def tag(self, text: str) -> list[RegionTag]:
        """Regions named in ``text`` as ``[{code, name}]``: each match, then its kab/kota."""
        lower = _WORD_RE.findall(text.lower())
        if self.first_words.isdisjoint(lower):
            return []
        spans = list(_WORD_RE.finditer(text))
        words = [m.group() for m in spans]
        if len(words) != len(lower):  # a letter whose lower case is longer: keep positions right
            words, spans = lower, []
        # First words of "X-Y" / "X/Y" pairs: "Jalan Samarinda-Bontang" names both cities.
        paired = {
            i
            for i in range(len(spans) - 1)
            if text[spans[i].end() : spans[i + 1].start()].strip() in _PAIR_JOINERS
        }
        caps = sum(1 for w in words if w[:1].isupper())
        case_informative = caps > 0 and caps < CASE_UNINFORMATIVE_SHARE * max(len(words), 1)
        found: list[Region] = []
        i = 0
        while i < len(words):
            step = 1
            if lower[i] in self.first_words:
                landmark = self._landmark_at(lower, i)
                hit = self._match_at(words, lower, i, case_informative, found, i in paired)
                if landmark is not None and (hit is None or landmark[1] >= hit[1]):
                    places, step = landmark  # "Jembatan Mahakam Ulu" is no regency
                    found.extend(places)
                elif hit is not None:
                    region, step = hit
                    found.append(region)
            i += step
        return self._with_parents(found)

    def _match_at(
        self,
        words: list[str],
        lower: list[str],
        i: int,
        case_informative: bool,
        found: list[Region],
        paired: bool = False,
    ) -> tuple[Region, int] | None:
        prev = lower[i - 1] if i > 0 else ""
        if prev in NOT_PLACE_BEFORE and not paired:
            return None
        if lower[i] in _KAB_PREFIXES:
            kind = _KAB_PREFIXES[lower[i]]
            for n in range(min(_MAX_WORDS, len(words) - i - 1), 0, -1):
                region = self.prefixed.get((kind, tuple(lower[i + 1 : i + 1 + n])))
                if region is not None:
                    return region, n + 1
        for n in range(min(_MAX_WORDS, len(words) - i), 0, -1):
            key = tuple(lower[i : i + n])
            entry = self.index.get(key)
            if entry is None or not entry.candidates:
                continue
            if (
                entry.village_only
                and prev not in _VILLAGE_PREFIXES
                and not self._kelurahan_ok(entry, words[i], prev, case_informative)
            ):
                continue
            if entry.ambiguous and not self._context_ok(words[i], prev, case_informative):
                continue
            region = self._choose(entry.candidates, lower, found)
            if region is not None:
                return region, n
        return None

    def _landmark_at(self, lower: list[str], i: int) -> tuple[list[Region], int] | None:
        """The longest landmark name starting at word ``i``, its regions and its length."""
        for n in range(min(self.landmark_words, len(lower) - i), 0, -1):
            places = self.landmarks.get(tuple(lower[i : i + n]))
            if places is not None:
                return places, n
        return None

    @staticmethod
    def _kelurahan_ok(entry: _Entry, word: str, prev: str, case_informative: bool) -> bool:
        """A kelurahan (urban village) named without its prefix: "banjir di Loa Bakung". Only a
        name that is one kelurahan of the province and no ordinary word, after a locative."""
        if len(entry.candidates) != 1 or entry.ambiguous or prev not in LOCATIVES:
            return False
        if not entry.candidates[0].code.rsplit(".", 1)[-1].startswith(KELURAHAN_DIGIT):
            return False
        return not case_informative or word[:1].isupper()

    @staticmethod
    def _context_ok(word: str, prev: str, case_informative: bool) -> bool:
        if prev in ADMIN_PREFIXES:
            return True
        if prev in LOCATIVES:
            return not case_informative or word[:1].isupper()
        return False

    def _choose(
        self, candidates: list[Region], lower: list[str], found: list[Region]
    ) -> Region | None:
        """One of several same-named regions: the one inside a kab/kota or kecamatan named in
        the same text, else the single one of the highest level, else none."""
        if len(candidates) == 1:
            return candidates[0]
        named = {r.code for r in found} | self._context_codes(lower)
        inside = [
            c for c in candidates if c.level > 2 and any(c.code.startswith(n + ".") for n in named)
        ]
        if len(inside) == 1:
            return inside[0]
        top = min(c.level for c in candidates)
        best = [c for c in candidates if c.level == top]
        return best[0] if len(best) == 1 else None

    def _context_codes(self, lower: list[str]) -> set[str]:
        """Codes of every kab/kota and kecamatan named anywhere in the text."""
        codes: set[str] = set()
        for n in range(1, _MAX_WORDS + 1):
            for i in range(len(lower) - n + 1):
                entry = self.index.get(tuple(lower[i : i + n]))
                if entry is not None:
                    codes.update(c.code for c in entry.candidates if c.level in (2, 3))
        return codes

    def _with_parents(self, found: list[Region]) -> list[RegionTag]:
        """Each region found, then its kab/kota, then (for a desa or kelurahan) its kecamatan."""
        out: dict[str, str] = {}
        for region in found:
            out.setdefault(region.code, region.name)
            parents = [region.kabkota] if region.level > 2 else []
            if region.level == 4:
                parents.append(region.code.rsplit(".", 1)[0])
            for code in parents:
                parent = self.regions.get(code or "")
                if parent is not None:
                    out.setdefault(parent.code, parent.name)
        return [RegionTag(code=code, name=name) for code, name in out.items()]


def _read_aliases(source: str) -> list[tuple[str, str]]:
    lines = [ln for ln in source.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    out = []
    for row in csv.DictReader(lines):
        alias, code = (row.get("alias") or "").strip(), (row.get("code") or "").strip()
        if alias and code:
            out.append((alias, code))
    return out


@lru_cache(maxsize=8)
def _load_cached(province: str, aliases_path: str) -> Gazetteer:
    data = resources.files("pantau.data") / "regions" / "wilayah_2025.csv.gz"
    rows: list[tuple[str, str, int]] = []
    with data.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            level = int(row["level"])
            code = row["kode"]
            if level <= 2 or code.split(".")[0] == province:
                rows.append((code, row["nama"].strip(), level))
    here = resources.files("pantau.text") / "data"
    aliases = _read_aliases((here / "region_aliases.csv").read_text(encoding="utf-8"))
    if aliases_path:
        aliases += _read_aliases(Path(aliases_path).read_text(encoding="utf-8"))
    common = {
        ln.strip()
        for ln in (here / "region_common_words.txt").read_text("utf-8").splitlines()
        if ln.strip() and not ln.startswith("#")
    }
    landmarks = load_landmarks(province)
    logger.info(
        "gazetteer for province %s: %d regions, %d aliases, %d landmark names",
        province,
        len(rows),
        len(aliases),
        len(landmarks),
    )
    return Gazetteer(province, rows, aliases, common, landmarks)
