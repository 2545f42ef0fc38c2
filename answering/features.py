"""Features of each candidate answer: what the ranking model weighs.

Every feature is a number in about [0, 1] computed from the typed question and the candidate's
text and place, never from one document's wording:

- lexical coverage of the question's content units (IDF-weighted, from the bound index) by the
  candidate, by the candidate read with its context (section path, the item it continues, a row's
  label and column header, a list's lead), by its whole chunk, and without the words that only name
  the document; the rarest asked unit left uncovered; figures of the question not found; units and
  names the documents never use; how much of the candidate is about the question;
- retrieval: the passage's rank, fused score, dense similarity, lexical rank;
- answer-type fit, per group of kinds (a figure, a time, a who, the document's own metadata,
  anything else): the candidate states the kind of fact asked (``answering.facts``), or its heading
  does; the unit asked right after a figure; the second kind of a two-part question; an aggregate
  of the kind asked;
- qualifiers: the years, places and ordinals the question names, found or contradicted; the thing
  a measure head measures;
- structure: the candidate's kind, the header or signature block, the preamble of legal bases,
  a fact that belongs to another document the text cites, a condition the question does not
  name, length.

``FEATURES`` names the columns; ``Featurizer(index).matrix(q, candidates)`` fills them.
"""

from __future__ import annotations

import math
import re

import numpy as np

from answering.candidates import Candidate
from answering.facts import (KIND_FACTS, KIND_GROUPS, field_label, measures, number_conflict, numbered,
                             question_numbers, states, states_unit)
from answering.question import Question, frame_units, places_in
from core.lexicon import cited_document_re, fact_patterns, openers
from core.text import fold, tagged_forms
from core.types import SECTION_SEP
from core.vn import covered_years

GROUPS = ("figure", "time", "who", "meta", "other")
FEATURES: tuple[str, ...] = (
    "cov_span", "cov_ctx", "cov_chunk", "cov_pairs", "cov_noname", "name_share", "miss_rare", "miss_rare_span",
    "num_missing", "num_conflict", "field_cov", "unknown_words", "unknown_name", "exact_written", "precision",
    "rank_inv", "fused_rel", "dense", "bm25_top",
    *(f"fit_{g}" for g in GROUPS), *(f"fit_head_{g}" for g in GROUPS), *(f"cov_fit_{g}" for g in GROUPS),
    "type2_fit", "unit_fit", "has_figure", "agg_fit",
    "year_match", "year_conflict", "qual_match", "qual_conflict", "place_match", "place_conflict",
    "measure_match", "measure_conflict",
    "cites_other", "preamble", "header_line", "signature_line", "header_meta", "condition", "len_log",
    "k_whole", "k_line", "k_row", "k_cell", "k_list", "k_aggregate", "list_fit", "table_head", "lead",
)
INDEX = {name: i for i, name in enumerate(FEATURES)}
PAIR_WEIGHT = 1.0  # a word pair weighs at most as much as its rarer word
FRAME_WEIGHT = 0.3  # a frame word ("bao nhiêu", "quy định") counts for little
UNKNOWN_CAP = 3  # unknown words counted up to this many
LEN_SCALE = 7.0  # log(1 + 1000 characters) ~ 6.9
DENSE_FLOOR = 0.7  # e5 cosine similarities of unrelated Vietnamese texts sit near 0.7
META_KINDS = frozenset({"number", "issued", "person"})  # asked of the document itself: its header answers

_PREAMBLE = tuple(openers("preamble_openers"))
_CONDITIONS = tuple(openers("condition_openers"))
_LEADING_MARK_RE = re.compile(r"^[\s\-+•*]*(?:[\dIVXLC]+(?:\.\d+)*[.)]|[a-zđ]\))?\s*")


def units_of(text: str) -> set[str]:
    """Folded words and adjacent word pairs of a text (the same units as the question's)."""
    forms = [f for f, _, _ in tagged_forms(text)]
    return set(forms) | {f"{a}_{b}" for a, b in zip(forms, forms[1:])}


def naming_units(info) -> set[str]:
    """The units that name a document (its type, number, issuer, place, title): a question uses them
    to say which document, not what it asks of it."""
    return units_of(" ; ".join(p for p in (info.doc_type, info.number, info.issuer, info.province, info.place,
                                           info.title) if p))


class Featurizer:
    """Features of candidates against a question, with the bound index's IDF."""

    def __init__(self, index, unknown_names: int = 0) -> None:
        self.index = index
        self.unknown_names = unknown_names  # proper names of the question the documents never mention

    def weights(self, q: Question) -> dict[str, float]:
        """Each question unit's weight: its IDF in the index (a unit the index never saw weighs as
        the rarest), a frame word less, a pair no more than its rarer word."""
        frame = frame_units()
        idf = getattr(self.index, "idf", None)
        known = getattr(self.index, "known", lambda _: True)
        top = max((idf(u) for u in q.units if "_" not in u and known(u)), default=1.0) if idf else 1.0
        out: dict[str, float] = {}
        for u in q.units:
            if idf is None:
                w = 1.0
            elif "_" in u:
                if not known(u):
                    continue  # a pair the documents never write is a paraphrase: its words count
                a, b = u.split("_", 1)
                w = min(idf(u), PAIR_WEIGHT * max(idf(a) if known(a) else top, idf(b) if known(b) else top))
            else:
                w = idf(u) if known(u) else top
            if all(part in frame for part in u.split("_")):
                w *= FRAME_WEIGHT
            out[u] = max(w, 1e-3)
        return out

    def matrix(self, q: Question, cands: list[Candidate]) -> np.ndarray:
        X = np.zeros((len(cands), len(FEATURES)), dtype=np.float32)
        if not cands:
            return X
        w = self.weights(q)
        total = sum(w.values()) or 1.0
        top_w = max(w.values(), default=1.0)
        frame = frame_units()
        known = getattr(self.index, "known", lambda _: True)
        unknown = [u for u in q.units if "_" not in u and u not in frame and not u.isdigit() and not known(u)]
        exact = {f: wr for f, wr in q.written.items() if not wr.isascii()} if not q.no_diacritics else {}
        top_fused = max((c.passage.score for c in cands), default=0.0) or 1.0
        numbers = question_numbers(q)
        asked_numbered = {w: n for w, n in numbered(q.text).items() if w not in ("nam",)}
        chunk_units: dict[str, set[str]] = {}
        naming: dict[str, set[str]] = {}
        pats = fact_patterns()
        cited_re = cited_document_re()
        q_years = set(q.years)
        group = KIND_GROUPS.get(q.main, "other")
        q_units = {u for u in q.units if "_" not in u and u not in frame}
        for i, c in enumerate(cands):
            f = X[i]
            text = c.render() if c.kind in ("cell", "aggregate") else c.text
            own_text = c.label if c.kind == "list" else text  # a list answers when its lead matches
            span_u = units_of(own_text)
            ctx_u = units_of(f"{c.context} ; {c.lead}") | units_of(own_text)
            cu = chunk_units.get(c.chunk.id)
            if cu is None:
                cu = chunk_units[c.chunk.id] = units_of(c.chunk.text) | units_of(c.chunk.section)
            whole_u = cu | ctx_u
            name_u = naming.get(c.chunk.doc_id)
            if name_u is None:
                name_u = naming[c.chunk.doc_id] = naming_units(c.chunk.info)
            f[INDEX["cov_span"]] = sum(v for u, v in w.items() if u in span_u) / total
            f[INDEX["cov_ctx"]] = sum(v for u, v in w.items() if u in ctx_u) / total
            f[INDEX["cov_chunk"]] = sum(v for u, v in w.items() if u in whole_u) / total
            pairs = {u: v for u, v in w.items() if "_" in u}
            f[INDEX["cov_pairs"]] = (sum(v for u, v in pairs.items() if u in ctx_u) / sum(pairs.values())) if pairs else 0.0
            rest = {u: v for u, v in w.items() if u not in name_u}
            f[INDEX["cov_noname"]] = (sum(v for u, v in rest.items() if u in ctx_u) / sum(rest.values())) if rest else 0.0
            f[INDEX["name_share"]] = 1.0 - sum(rest.values()) / total
            f[INDEX["miss_rare"]] = max((v for u, v in rest.items() if u not in whole_u and "_" not in u), default=0.0) / top_w
            f[INDEX["miss_rare_span"]] = max((v for u, v in rest.items() if u not in ctx_u and "_" not in u), default=0.0) / top_w
            if numbers:
                have = f"{c.context} {c.lead} {c.chunk.text}"
                f[INDEX["num_missing"]] = sum(1 for n in numbers if not re.search(rf"(?<![\d.,]){re.escape(n)}(?![\d])", have)) / len(numbers)
            if asked_numbered:
                f[INDEX["num_conflict"]] = float(number_conflict(asked_numbered, f"{c.label} {c.header} {own_text}"))
            label = field_label(text) if c.kind in ("span", "whole") else ""
            if label:
                lu = units_of(label)
                f[INDEX["field_cov"]] = sum(v for u, v in rest.items() if u in lu) / (sum(rest.values()) or 1.0)
            f[INDEX["unknown_words"]] = min(len(unknown), UNKNOWN_CAP) / UNKNOWN_CAP
            f[INDEX["unknown_name"]] = min(self.unknown_names, UNKNOWN_CAP) / UNKNOWN_CAP
            if exact:
                low = f"{c.context} {c.lead} {text}".lower()
                hits = [u for u in exact if u in ctx_u]
                f[INDEX["exact_written"]] = (sum(1 for u in hits if exact[u] in low) / len(hits)) if hits else 0.0
            else:
                f[INDEX["exact_written"]] = 0.5
            own = {u for u in span_u if "_" not in u and u not in frame}
            f[INDEX["precision"]] = len(own & q_units) / len(own) if own else 0.0
            # retrieval
            f[INDEX["rank_inv"]] = 1.0 / (1 + c.rank)
            f[INDEX["fused_rel"]] = c.passage.score / top_fused
            ds = c.passage.dense_score
            f[INDEX["dense"]] = max(0.0, (ds - DENSE_FLOOR) / (1 - DENSE_FLOOR)) if ds is not None else 0.0
            br = c.passage.bm25_rank
            f[INDEX["bm25_top"]] = 1.0 / br if br else 0.0
            # type fit
            fits = states(q.main, text)
            f[INDEX[f"fit_{group}"]] = float(fits)
            f[INDEX[f"cov_fit_{group}"]] = f[INDEX["cov_noname"]] * float(fits)
            if not fits:
                heading = c.chunk.section.rpartition(SECTION_SEP)[2]
                f[INDEX[f"fit_head_{group}"]] = float(states(q.main, f"{heading} ; {c.lead}"))
            if len(q.asks) > 1:
                f[INDEX["type2_fit"]] = float(states(q.asks[1], text))
            f[INDEX["unit_fit"]] = float(states_unit(q, text))
            f[INDEX["has_figure"]] = float(states("amount", text))
            f[INDEX["agg_fit"]] = float(c.kind == "aggregate" and c.aggregate == q.aggregate)
            # qualifiers
            if q_years:
                c_years = {str(y) for y in covered_years(f"{text} {c.chunk.section} {c.lead}")} | {str(y) for y in c.chunk.years}
                f[INDEX["year_match"]] = float(bool(q_years & c_years))
                # the years the candidate speaks of: its own, else its heading's period
                named = {str(y) for y in covered_years(text)} or ({c.chunk.period} if c.chunk.period else set())
                f[INDEX["year_conflict"]] = float(bool(named) and not (q_years & (named | c_years)) or
                                                  bool(named) and not (q_years & named) and c.chunk.period is not None
                                                  and c.chunk.period not in q_years)
            if q.qualifiers:
                folded_ctx = " ".join(x for x, _, _ in tagged_forms(f"{c.context} {c.lead} {text}"))
                got = sum(1 for n, v in q.qualifiers if re.search(rf"\b{n} {re.escape(v)}\b", folded_ctx))
                f[INDEX["qual_match"]] = got / len(q.qualifiers)
                f[INDEX["qual_conflict"]] = float(any(
                    re.search(rf"\b{n} (?!{re.escape(v)}\b)(\d+|[ivxlc]+|[a-z])\b", folded_ctx)
                    and not re.search(rf"\b{n} {re.escape(v)}\b", folded_ctx) for n, v in q.qualifiers))
            if q.places:
                folded_all = fold(f"{c.context} {c.lead} {text}")
                f[INDEX["place_match"]] = float(any(p in folded_all for p in q.places))
                f[INDEX["place_conflict"]] = float(not f[INDEX["place_match"]] and bool(places_in(folded_all)))
            if q.measured:
                match, conflict = measures(q, f"{c.label} {c.header} {text}")
                f[INDEX["measure_match"]], f[INDEX["measure_conflict"]] = float(match), float(conflict)
            # structure
            asked_fact = KIND_FACTS.get(q.main, ())
            if asked_fact and c.kind not in ("cell", "aggregate"):
                cited = [m.span() for m in cited_re.finditer(text)]
                if cited:
                    facts = [m.span() for k in asked_fact if k in pats for m in pats[k].finditer(text)]
                    f[INDEX["cites_other"]] = float(bool(facts) and all(any(a <= s and e <= b for a, b in cited)
                                                                          for s, e in facts))
            lead = fold(_LEADING_MARK_RE.sub("", text[:40]))
            f[INDEX["preamble"]] = float(lead.startswith(_PREAMBLE) or "mo dau" in fold(c.chunk.section[:20]))
            f[INDEX["header_line"]] = float(c.chunk.kind == "title")
            f[INDEX["signature_line"]] = float(c.chunk.kind in ("signature", "recipients"))
            f[INDEX["header_meta"]] = float(c.chunk.kind in ("title", "signature") and q.main in META_KINDS)
            if lead.startswith(_CONDITIONS):
                cond = units_of(re.split(r"[,:;]", text, maxsplit=1)[0])
                f[INDEX["condition"]] = float(len(cond & set(q.units)) < 0.3 * max(1, len(cond - frame)))
            f[INDEX["len_log"]] = math.log1p(len(c.render())) / LEN_SCALE
            kind_col = {"whole": "k_whole", "line": "k_line", "row": "k_row", "cell": "k_cell", "list": "k_list",
                        "aggregate": "k_aggregate"}.get(c.kind)
            if kind_col:
                f[INDEX[kind_col]] = 1.0
            f[INDEX["list_fit"]] = float(c.kind == "list" and (q.plural or q.main == "list"))
            f[INDEX["table_head"]] = float(c.chunk.section.endswith("Tiêu đề bảng"))
            f[INDEX["lead"]] = float(bool(c.lead))
            c.features = f
        return X
