"""Diacritics restoration for questions typed without accents, from the indexed text itself.

"ty le che phu rung" is restored to "tỷ lệ che phủ rừng" by looking up how the indexed
documents write each folded syllable pair (and, failing that, each syllable). Lexical
search does not need this (it works on folded tokens); the dense embedding does: e5 sees
accent-less Vietnamese as another language. Only words typed entirely without diacritics
are touched, and only with forms the documents actually contain.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

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


class AccentRestorer:
    def __init__(self, texts: list[str]) -> None:
        uni: dict[str, Counter[str]] = defaultdict(Counter)
        bi: dict[tuple[str, str], Counter[tuple[str, str]]] = defaultdict(Counter)
        phrases = [p.strip() for p in QUESTION_PHRASES.split(".") if p.strip()]
        for text in list(texts) + phrases * _PHRASE_WEIGHT:
            ws = _lower_words(text)
            for w in ws:
                uni[fold(w)][w] += 1
            for a, b in zip(ws, ws[1:]):
                bi[(fold(a), fold(b))][(a, b)] += 1
        self._uni = {k: c.most_common(1)[0][0] for k, c in uni.items()}
        self._bi = {k: c.most_common(1)[0] for k, c in bi.items()}

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
