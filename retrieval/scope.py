"""Which documents a question is about, read from the question itself.

Officials name the document they mean the way they name it in speech: a province or city ("Đồng
Nai", "dong nai", "TP.HCM"), an issuing body ("HĐND thành phố Huế", "Quốc hội", "Thủ tướng"), a
document number ("Nghị quyết 187", "KH 153", "182/KH-UBND"), a type ("kế hoạch của Cần Thơ"), a
year ("nghị quyết năm 2024 của HĐND tỉnh").
Each mention is matched against what every document says about itself (its header metadata and
title, read at ingest, and its file name), never against its body: a plan that mentions Hà Nội in
a sentence is not Hà Nội's plan. Title words name a document when they follow a type, as a title
does ("quyết định phê duyệt kế hoạch …").

The result is a filter (``QuestionScope.docs``) that retrieval applies in Chroma and in BM25, not
a ranking hint. Mentions of one kind widen the scope (two provinces: both provinces' documents);
mentions of different kinds narrow it (HĐND ∩ Huế). A type, a year or a local issuing body alone
selects nothing (every plan says "kế hoạch", every question may name "UBND" as the one who acts); they
only narrow a scope that a place or a number opened, or a national body names.

A mention that matches no document is "missing" when the library never mentions it at all (the
answer says the document is not in the library); when some document's text mentions it, it is
what the question is about, not which document, and selects nothing.

All the names come from ``core.vn`` (provinces and aliases, issuing bodies, document types and
numbers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Callable, Iterable

from core.text import STOPWORDS, fold, nfc, words
from core.types import Chunk, DocumentInfo
from core.vn import (DOC_NUMBER_RE, DOC_TYPES, ISSUER_ALIASES, ISSUER_CODES, NATIONAL_ISSUERS, TYPE_BY_CODE,
                     all_place_names, number_in_file_name, years as vn_years,
                     issuer_short_name)


_TYPE_WORDS: dict[str, str] = {fold(name): name for name in DOC_TYPES}
_TYPE_WORDS.update({fold(code): TYPE_BY_CODE[code.upper()] for code in {c for c in DOC_TYPES.values()}
                    if len(code) >= 2})
_TYPE_ALT = "|".join(sorted(map(re.escape, _TYPE_WORDS), key=len, reverse=True))
# "Nghị quyết 187", "kế hoạch số 182", "KH 153", "QĐ số 2853" (folded): a type, then its serial.
_TYPED_NUMBER_RE = re.compile(rf"(?<!\w)({_TYPE_ALT})\s+(?:so\s+)?(\d{{1,5}})(?![\d,.%/-]|\s*(?:nam|thang|ngay)\b)")
# Every spelling of a type, folded: "nghi quyet" and "nq" name the same kind of document.
_TYPE_SPELLINGS: dict[str, str] = {}
for _name in set(_TYPE_WORDS.values()):
    _TYPE_SPELLINGS[fold(_name)] = "|".join(sorted({re.escape(w) for w, n in _TYPE_WORDS.items() if n == _name}))
# Words that introduce a place as a place: "tỉnh Lai Châu", "thành phố Huế", "của Đồng Nai", "ở Hà Nội".
_PLACE_CUE_RE = re.compile(r"(?:tinh|thanh pho|tp\.?|cua|o|tai|dia ban|vung)\s+$")
_TYPE_RE = re.compile(rf"(?<!\w)({_TYPE_ALT})(?!\w)")
_ISSUER_ALT = "|".join(sorted(map(re.escape, ISSUER_ALIASES), key=len, reverse=True))
_ISSUER_RE = re.compile(rf"(?<!\w)({_ISSUER_ALT})(?!\w)")
# A local body named as the author: "của UBND", "do HĐND … ban hành", "theo Tỉnh ủy".
_AUTHOR_BEFORE_RE = re.compile(r"(?:cua|do|theo)\s+$")


@dataclass(frozen=True)
class LibraryDocument:
    """What the scoper knows of one indexed document: its id and its own header metadata."""

    doc_id: str
    info: DocumentInfo

    @cached_property
    def places(self) -> frozenset[str]:
        """Folded province and place names the document is of: its issuer's, its place line's, and
        those its title names ("… tuyến cao tốc Tuyên Quang – Hà Giang")."""
        found = set()
        # The place line is read through ``province``: a central body's says where it signed.
        for text in (self.info.province, self.info.issuer, self.info.title, self.file_words):
            found |= set(_places_in(fold(text)))
        return frozenset(found)

    @cached_property
    def title_words(self) -> tuple[str, ...]:
        return tuple(words(self.info.title))

    @cached_property
    def file_words(self) -> str:
        """Its file name as words: offices name files by what they hold ("nghi-quyet-tinh-uy-ha-tinh-2025")."""
        return " ".join(re.findall(r"[^\W_]+", fold(self.doc_id.rsplit("/", 1)[-1].rsplit(".", 1)[0])))

    @cached_property
    def issuers(self) -> frozenset[str]:
        """Its issuing body by the header ('UBND'), by its number's code ('-NQ/TU': Tỉnh ủy) and by
        its file name ('tinh-uy')."""
        found = {issuer_short_name(self.info.issuer)}
        found |= {ISSUER_ALIASES[m.group(1)] for m in _ISSUER_RE.finditer(self.file_words)}
        m = DOC_NUMBER_RE.search(self.info.number)
        for code in (m.group(3), m.group(4)) if m else ():
            if code:
                found.add(ISSUER_CODES.get(code.upper().rstrip("0123456789"), ""))
        return frozenset(found - {""})

    @cached_property
    def serial(self) -> int | None:
        """Its number's serial, from its header, else from its file name ("…-kh-153-2025.txt")."""
        m = DOC_NUMBER_RE.search(self.info.number)
        if m:
            return int(m.group(1))
        named = number_in_file_name(self.doc_id.rsplit("/", 1)[-1])
        return named[1] if named and (not self.info.doc_type or fold(named[0]) == fold(self.info.doc_type)) else None

    @cached_property
    def doc_type(self) -> str:
        named = number_in_file_name(self.doc_id.rsplit("/", 1)[-1])
        return fold(self.info.doc_type or (named[0] if named else ""))


@dataclass(frozen=True)
class Mention:
    kind: str  # place | issuer | issuer-local | number | type | year | title
    text: str  # as it reads in the question (folded)
    docs: frozenset[str]  # the documents it names (empty: none in the library)
    probe: str = ""  # a regex finding it in a document's folded text (default: the text as a phrase)
    written: str = ""  # as the question writes it ("Lai Châu", "Kế hoạch 999")
    needs: tuple[str, ...] = ()  # words a text must have to match ``probe``, each one of its "|"-separated
    # spellings (default: the text's words)


@dataclass(frozen=True)
class QuestionScope:
    docs: frozenset[str] | None  # None: the whole library
    mentions: tuple[Mention, ...] = ()
    missing: tuple[str, ...] = ()  # what the question names that the library has no document of


_PLACES: dict[str, str] = {fold(name): canon for name, canon in all_place_names().items()}
_PLACE_ALT = "|".join(sorted(map(re.escape, _PLACES), key=len, reverse=True))
_PLACE_RE = re.compile(rf"(?<!\w)({_PLACE_ALT})(?!\w)")
_PLACE_ACCENTED = {nfc(name).lower(): fold(name) for name in all_place_names()}
_PLACE_ACCENTED_RE = re.compile(
    r"(?<!\w)(" + "|".join(sorted(map(re.escape, _PLACE_ACCENTED), key=len, reverse=True)) + r")(?!\w)")


def _canonical(folded_name: str) -> str:
    """The folded name a place is filed under: 'tp.hcm' and 'thanh pho ho chi minh' -> 'ho chi minh'."""
    return fold(_PLACES[folded_name])


def _places_in(folded: str) -> list[str]:
    return [_canonical(m.group(1)) for m in _PLACE_RE.finditer(folded)]


# Title words: a run of at least TITLE_RUN words shared with at most TITLE_SHARE of the library's
# titles selects documents, and only when it selects at most TITLE_DOCUMENTS (the documents a library
# answer lists, answering.library.MAX_DOCUMENTS). Chosen on eval/gold_library.jsonl (see README).
TITLE_RUN = 3
TITLE_SHARE = 0.2
TITLE_DOCUMENTS = 3

# Words between a type and its title's subject: "nghị quyết về việc …".
_TITLE_LEADS = frozenset({"ve", "viec", "so"})
# Words that say nothing of a title's subject: function words and the syllables of type names.
_GENERIC_WORDS = STOPWORDS | {w for t in _TYPE_WORDS for w in t.split()}

_DIACRITIC_RE = re.compile(r"[^\x00-\x7f]")  # Vietnamese letters with diacritics are all outside ASCII


def _question_places(question: str) -> list[tuple[str, bool]]:
    """(folded name, certain) of each place the question names. A question typed with diacritics
    is matched as written: folded, "nâng cao bằng" would read as Cao Bằng; typed with capitals, a
    place is capitalised as names are. Without diacritics a place is certain only after a word that
    introduces one ("tinh lai chau", "cua dong nai"), and never right after a figure ("1 ha nam 2025"
    is one hectare a year, not Hà Nam)."""
    q = nfc(question)
    folded = fold(q)
    if _DIACRITIC_RE.search(q):
        careful = q != q.lower()
        return [(_canonical(_PLACE_ACCENTED[m.group(1)]), True) for m in _PLACE_ACCENTED_RE.finditer(q.lower())
                if not careful or q[m.start()].isupper() or not q[m.start()].isalpha()]
    out = []
    for m in _PLACE_RE.finditer(folded):
        before = folded[:m.start()]
        if re.search(r"\d\s*$", before):
            continue
        out.append((_canonical(m.group(1)), bool(_PLACE_CUE_RE.search(before))))
    return out


def _common_prefix(a: list[str], b: tuple[str, ...]) -> tuple[str, ...]:
    """The longest start of ``a`` found anywhere in ``b``."""
    best = 0
    for j in range(len(b)):
        n = 0
        while n < len(a) and j + n < len(b) and a[n] == b[j + n]:
            n += 1
        best = max(best, n)
    return tuple(a[:best])


def _runs(seq: tuple[str, ...], n: int) -> list[tuple[str, ...]]:
    return [seq[i:i + n] for i in range(len(seq) - n + 1)]


def _contains(seq: tuple[str, ...], run: tuple[str, ...]) -> bool:
    n = len(run)
    return any(seq[i:i + n] == run for i in range(len(seq) - n + 1))


class DocumentScoper:
    """Reads the documents a question names, among the documents of one index.

    Built from every document's header metadata (``infos``), or from chunks (tests). Each kind of
    mention is a lookup in a map built once (place, issuer, serial, type, year, title trigram ->
    documents), not a pass over the library. ``mentioned`` says whether some document's text
    mentions a name (``retrieval.derived.LibraryIndex.mentions``); from chunks, their folded text is
    searched."""

    def __init__(self, chunks: Iterable[Chunk] | None = None, infos: dict[str, DocumentInfo] | None = None,
                 mentioned: Callable[[str, list[str]], bool] | None = None) -> None:
        infos = dict(infos or {})
        texts: dict[str, list[str]] = {}
        for c in chunks or ():
            infos.setdefault(c.doc_id, c.info)
            texts.setdefault(c.doc_id, []).append(c.text)
        self.documents = [LibraryDocument(d, infos[d]) for d in sorted(infos)]
        self._texts = texts
        self._folded: str | None = None
        self._mentioned = mentioned
        self._by_place: dict[str, set[str]] = {}
        self._by_issuer: dict[str, set[str]] = {}
        self._by_serial: dict[int, list[LibraryDocument]] = {}
        self._by_type: dict[str, set[str]] = {}
        self._by_year: dict[int, set[str]] = {}
        self._by_trigram: dict[tuple[str, ...], list[LibraryDocument]] = {}
        for d in self.documents:
            for place in d.places:
                self._by_place.setdefault(place, set()).add(d.doc_id)
            for issuer in d.issuers:
                self._by_issuer.setdefault(issuer, set()).add(d.doc_id)
            if d.serial is not None:
                self._by_serial.setdefault(d.serial, []).append(d)
            self._by_type.setdefault(d.doc_type, set()).add(d.doc_id)
            years = set(d.info.years) | ({int(d.info.date[:4])} if d.info.date[:4].isdigit() else set())
            for y in years:
                self._by_year.setdefault(y, set()).add(d.doc_id)
            for tri in dict.fromkeys(_runs(d.title_words, TITLE_RUN)):
                self._by_trigram.setdefault(tri, []).append(d)

    @property
    def library_text(self) -> str:
        """Every document's text, folded (built on the first question that needs it)."""
        if self._folded is None:
            self._folded = fold("\n".join(t for d in sorted(self._texts) for t in self._texts[d]))
        return self._folded

    def mentioned(self, m: Mention) -> bool:
        """Whether some document's text mentions it (then it is a subject, not a document)."""
        probe = m.probe or rf"(?<!\w){re.escape(m.text)}(?!\w)"
        if self._mentioned is not None:
            return self._mentioned(probe, list(m.needs) if m.needs else words(m.text))
        return re.search(probe, self.library_text) is not None

    # --- mentions ------------------------------------------------------------------------

    def _numbers(self, q: str, folded: str) -> list[Mention]:
        """``q``: the question (NFC); ``folded``: the same, folded (fold keeps NFC Vietnamese's
        length, so a match's span slices the question as written)."""
        out = []
        for m in DOC_NUMBER_RE.finditer(nfc(folded).upper()):
            serial, code = int(m.group(1)), (m.group(3) or "").upper()
            docs = frozenset(d.doc_id for d in self._by_serial.get(serial, ())
                             if not d.info.number or code in d.info.number.upper().replace("Đ", "D"))
            out.append(Mention("number", m.group(0).lower(), docs, written=q[m.start():m.end()]))
        for m in _TYPED_NUMBER_RE.finditer(folded):
            doc_type, serial = fold(_TYPE_WORDS[m.group(1)]), int(m.group(2))
            docs = frozenset(d.doc_id for d in self._by_serial.get(serial, ()) if d.doc_type == doc_type)
            probe = rf"(?<!\w)(?:{_TYPE_SPELLINGS[doc_type]})\s+(?:so\s+)?0*{serial}(?!\d)"
            # the serial as a word, with or without leading zeros ("Đề án 06")
            variants = "|".join(f"{'0' * z}{serial}" for z in range(3))
            out.append(Mention("number", m.group(0), docs, probe, q[m.start():m.end()], needs=(variants,)))
        return out

    def _places(self, question: str) -> list[Mention]:
        out = []
        for name, certain in _question_places(question):
            docs = frozenset(self._by_place.get(name, ()))
            if docs or certain:  # an uncertain place that names no document is no mention at all
                out.append(Mention("place", name, docs, written=_PLACES.get(name, name)))
        return out

    def _issuers(self, folded: str) -> list[Mention]:
        out = []
        for m in _ISSUER_RE.finditer(folded):
            issuer = ISSUER_ALIASES[m.group(1)]
            authored = issuer in NATIONAL_ISSUERS or _AUTHOR_BEFORE_RE.search(folded[:m.start()])
            docs = frozenset(self._by_issuer.get(issuer, ()))
            out.append(Mention("issuer" if authored else "issuer-local", m.group(1), docs, written=issuer))
        return out

    def _years(self, question: str) -> list[Mention]:
        """Documents of a year: the years their title covers, or the year they were issued."""
        return [Mention("year", str(y), frozenset(self._by_year.get(y, ())))
                for y in dict.fromkeys(vn_years(question))]

    def _types(self, folded: str) -> list[Mention]:
        return [Mention("type", m.group(1), frozenset(self._by_type.get(fold(_TYPE_WORDS[m.group(1)]), ())))
                for m in _TYPE_RE.finditer(folded)]

    def _titles(self, question: str) -> list[Mention]:
        """Documents named by their title, the way officials name one: a type, then words of its
        title ("Quyết định phê duyệt kế hoạch …", "kế hoạch phát triển thư viện số đến năm 2030").
        A document is named by the longest run of its title's words that the question has at a
        type word or right after it ("về việc" aside): at least TITLE_RUN words, two of them content words (not
        function words, figures or a type's own syllables), and specific, i.e. in the titles of at
        most TITLE_SHARE of the library ("trên địa bàn thành phố" and "đến năm 2030" are in every
        other title)."""
        q = words(question)
        starts = set()  # where a title may begin: at a type word, or right after it ("về việc" skipped)
        for i in range(len(q)):
            n = 2 if " ".join(q[i:i + 2]) in _TYPE_WORDS else 1 if q[i] in _TYPE_WORDS else 0
            if n:
                j = i + n
                while j < len(q) and q[j] in _TITLE_LEADS:
                    j += 1
                starts |= {i, j}
        if not starts:
            return []
        limit = max(1, int(TITLE_SHARE * len(self.documents)))
        # a run of TITLE_RUN words or more starts with one of the title's runs of TITLE_RUN words
        candidates = {d.doc_id: d for i in starts for d in self._by_trigram.get(tuple(q[i:i + TITLE_RUN]), ())}
        out = []
        for d in sorted(candidates.values(), key=lambda d: d.doc_id):
            run = max((_common_prefix(q[i:], d.title_words) for i in starts), key=len)
            if len(run) < TITLE_RUN or sum(w not in _GENERIC_WORDS and not w.isdigit() for w in run) < 2:
                continue
            sharing = self._by_trigram.get(run[:TITLE_RUN], ())
            if sum(_contains(o.title_words, run) for o in sharing) <= limit:
                out.append(Mention("title", " ".join(run), frozenset({d.doc_id})))
        return out

    # --- the scope -----------------------------------------------------------------------

    def scope(self, question: str) -> QuestionScope:
        q = nfc(question)
        folded = fold(q)
        numbers, places = self._numbers(q, folded), self._places(question)
        issuers, types = self._issuers(folded), self._types(folded)
        mentions = tuple(numbers + places + issuers + types)
        missing: list[str] = []
        docs: frozenset[str] | None = None
        for group in (numbers, places, [m for m in issuers if m.kind == "issuer"]):
            known = [m for m in group if m.docs]
            absent = [m.written or m.text for m in group if not m.docs and not self.mentioned(m)]
            if absent and not known:
                # "Kế hoạch 999 của UBND tỉnh": the number names the document, the body only narrows it
                return QuestionScope(None, mentions, tuple(absent))
            missing += absent
            if known:
                union = frozenset().union(*(m.docs for m in known))
                docs = union if docs is None else (docs & union or docs)
        if docs is None:
            # Nothing names a document outright: a run of its title words may ("quyết định phê duyệt
            # kế hoạch"), when it singles out few enough documents to answer from each.
            titles = self._titles(question)
            union = frozenset().union(*(m.docs for m in titles)) if titles else frozenset()
            if union and len(union) <= TITLE_DOCUMENTS:
                return QuestionScope(union, mentions + tuple(titles), tuple(missing))
            return QuestionScope(None, mentions, tuple(missing))
        # A local issuing body, a type and a year only narrow a scope already opened: "năm 2025" is
        # mostly what a question is about ("chỉ tiêu năm 2025"), and every plan names the years it covers.
        for group in ([m for m in issuers if m.kind == "issuer-local"], types, self._years(q)):
            union = frozenset().union(*(m.docs for m in group)) if group else frozenset()
            if union and docs & union:
                docs = docs & union
        return QuestionScope(docs, mentions, tuple(missing))
