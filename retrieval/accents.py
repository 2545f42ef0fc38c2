"""Diacritics restoration for questions typed without accents, from the indexed text itself.

"ty le che phu rung" is restored to "tỷ lệ che phủ rừng" by looking up how the indexed
documents write each folded syllable pair (and, failing that, each syllable). Lexical
search does not need this (it works on folded tokens); the dense embedding does: e5 sees
accent-less Vietnamese as another language. Only words typed entirely without diacritics
are touched, and only with forms the documents actually contain.
"""

from __future__ import annotations

import re

from core.text import fold, nfc

_WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)
# How questions are phrased: documents rarely contain these, so their spelling is given here
# (weighted to outvote look-alikes in the documents, e.g. "bao nhieu" is not "bảo nhiều").
QUESTION_PHRASES = """bao nhiêu. là gì. là ai. ở đâu. là đâu. khi nào. ngày nào. năm nào. thế nào.
như thế nào. ra sao. những gì. gồm những gì. gồm những. có không. được không. mấy. ai ký. người ký.
ký nghị quyết. chức vụ gì. hiện nay. này. đó. còn. thì sao. vậy. nào. cần làm gì. phải làm gì. đạt bao nhiêu.
bao lâu. vì sao. tại sao. ai. là bao nhiêu. có bao nhiêu. mấy phần trăm. tăng bao nhiêu. giảm bao nhiêu."""
_PHRASE_WEIGHT = 50


def _lower_words(text: str) -> list[str]:
    return _WORD_RE.findall(nfc(text).lower())


class Spellings:
    """How texts spell each accent-folded word and word pair, with counts: what the restorer learns
    from. Kept per document (``from_texts``) and summed over the library (``add``/``remove``), so a
    document added or removed changes only its own words, never a re-reading of the library.

    ``uni``: folded word -> {form: count}; ``bi``: "folded_a folded_b" -> {"form_a form_b": count}."""

    def __init__(self, uni: dict[str, dict[str, int]] | None = None,
                 bi: dict[str, dict[str, int]] | None = None) -> None:
        self.uni = uni if uni is not None else {}
        self.bi = bi if bi is not None else {}

    @classmethod
    def from_texts(cls, texts) -> "Spellings":
        uni: dict[str, dict[str, int]] = {}
        bi: dict[str, dict[str, int]] = {}
        for text in texts:
            ws = _lower_words(text)
            folded = [fold(w) for w in ws]
            for w, f in zip(ws, folded):
                forms = uni.setdefault(f, {})
                forms[w] = forms.get(w, 0) + 1
            for i in range(len(ws) - 1):
                forms = bi.setdefault(f"{folded[i]} {folded[i + 1]}", {})
                pair = f"{ws[i]} {ws[i + 1]}"
                forms[pair] = forms.get(pair, 0) + 1
        return cls(uni, bi)

    def copy(self) -> "Spellings":
        return Spellings({k: dict(v) for k, v in self.uni.items()}, {k: dict(v) for k, v in self.bi.items()})

    def add(self, other: "Spellings", sign: int = 1) -> tuple[set[str], set[str]]:
        """Add (sign 1) or remove (sign -1) another's counts; returns the keys whose counts changed."""
        changed = (set(), set())
        for mine, theirs, keys in ((self.uni, other.uni, changed[0]), (self.bi, other.bi, changed[1])):
            for key, forms in theirs.items():
                have = mine.get(key)
                if have is None:
                    if sign > 0:
                        mine[key] = dict(forms)
                        keys.add(key)
                    continue
                for form, n in forms.items():
                    left = have.get(form, 0) + sign * n
                    if left > 0:
                        have[form] = left
                    else:
                        have.pop(form, None)
                if not have:
                    del mine[key]
                keys.add(key)
        return changed

    def remove(self, other: "Spellings") -> tuple[set[str], set[str]]:
        return self.add(other, -1)


def _best(*sources: dict[str, int]) -> tuple[str, int]:
    """The most frequent form over the sources summed; among equally frequent forms the smallest
    in code-point order, so the choice never depends on the order documents were added in."""
    if len(sources) == 1:
        best, n = "", -1
        for form, c in sources[0].items():
            if c > n or (c == n and form < best):
                best, n = form, c
        return best, n
    best, n = "", -1
    for form in {f for s in sources for f in s}:
        c = sum(s.get(form, 0) for s in sources)
        if c > n or (c == n and form < best):
            best, n = form, c
    return best, n


class AccentRestorer:
    def __init__(self, texts: list[str] | None = None, spellings: Spellings | None = None) -> None:
        """Learn the documents' spelling from ``texts``, or from their ``spellings`` already counted
        (a library's, summed document by document)."""
        spellings = spellings if spellings is not None else Spellings.from_texts(texts or [])
        self._uni: dict[str, str] = {}
        self._bi: dict[tuple[str, str], tuple[tuple[str, str], int]] = {}
        self.update(spellings, set(spellings.uni) | set(_PHRASES.uni), set(spellings.bi) | set(_PHRASES.bi))

    def update(self, spellings: Spellings, uni_keys, bi_keys) -> None:
        """Learn again the words and pairs whose counts changed (a document added or removed)."""
        for k in uni_keys:
            sources = [s for s in (spellings.uni.get(k), _PHRASES.uni.get(k)) if s]
            if sources:
                self._uni[k] = _best(*sources)[0]
            else:
                self._uni.pop(k, None)
        for k in bi_keys:
            sources = [s for s in (spellings.bi.get(k), _PHRASES.bi.get(k)) if s]
            a, b = k.split(" ")
            if sources:
                pair, n = _best(*sources)
                fa, fb = pair.split(" ")
                self._bi[(a, b)] = ((fa, fb), n)
            else:
                self._bi.pop((a, b), None)

    def restore(self, text: str) -> str:
        """The text with each accent-less word replaced by the documents' spelling, where known."""
        matches = list(_WORD_RE.finditer(text))
        plain = [m.group(0).isascii() for m in matches]
        if not any(plain):
            return text
        folded = [fold(m.group(0)) for m in matches]
        chosen: dict[int, tuple[str, int]] = {}  # position -> (form, evidence count)
        for i in range(len(matches) - 1):
            hit = self._bi.get((folded[i], folded[i + 1]))
            if not hit:
                continue
            (a, b), n = hit
            for j, form in ((i, a), (i + 1, b)):
                if plain[j] and chosen.get(j, ("", 0))[1] < n:
                    chosen[j] = (form, n)
        out, pos = [], 0
        for i, m in enumerate(matches):
            if not plain[i]:
                continue
            form = chosen.get(i, (self._uni.get(folded[i], m.group(0)), 0))[0]
            if m.group(0)[:1].isupper():
                form = form[:1].upper() + form[1:]
            out.append(text[pos:m.start()] + form)
            pos = m.end()
        return "".join(out) + text[pos:]


# The question phrases, counted as if each were written _PHRASE_WEIGHT times after the documents.
_PHRASES = Spellings.from_texts([p.strip() for p in QUESTION_PHRASES.split(".") if p.strip()] * _PHRASE_WEIGHT)
