"""LLM mode: passages -> Vietnamese prompt -> chat model -> text, then verified into an Answer.

The pieces the assistant's LLM chain is made of (``answering.chain`` composes them into
``question -> retriever -> prompt -> LLM -> parser``):

- ``budget``: the numbered passages that fit the model's window, counted in cl100k tokens
  with tiktoken's offline encoding (the one chunking uses; nothing is downloaded);
- ``condense``: a follow-up rewritten as a standalone question with the CONDENSE prompt;
- ``finish``: the generated draft checked by ``answering.verify``; a verified draft becomes
  an Answer with mode "llm" whose citations are the passages it cited, each with its best
  matching span, renumbered in order of first citation.

Every failure of the model (error, timeout, unreachable, unusable output) is raised as
``LLMError``; the assistant turns it into the extractive answer plus a warning.
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass, field

from errors import LLMError, LLMTimeout
from ingest.chunker import _encoding, count_tokens
from prompts import ANSWER, CONDENSE, REFUSAL
from answering.extractive import _spans_of, _unit_forms
from answering.history import history_turns
from core.types import SECTION_SEP, Answer, Citation, Passage
from answering.verify import CITE_RE, Verification, cited_numbers, evidence, figures, verify
from settings import Settings

log = logging.getLogger(__name__)

# Chat formatting (role markers, separators) the template text does not show.
_CHAT_OVERHEAD = 32
# cl100k is not the model's tokenizer: keep a margin so the prompt fits in any case.
_TOKENIZER_MARGIN = 0.9
# Condensing sees at most this many earlier turns.
_CONDENSE_TURNS = 6
_SPLIT_RE = re.compile(r"(?<=[.;!?\n])\s+")
_THINK_RE = re.compile(r"<think>.*?(?:</think>|$)", re.S)


def llm_failure(exc: BaseException) -> LLMError:
    """Any exception of a model call as an LLMError that says what happened (timeouts told apart)."""
    if isinstance(exc, LLMError):
        return exc
    name = type(exc).__name__
    detail = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else name
    if "timeout" in name.lower() or "timed out" in detail.lower():
        return LLMTimeout(f"the LLM did not answer in time ({name}: {detail})")
    return LLMError(f"the LLM call failed ({name}: {detail})")


@dataclass
class Draft:
    """What the LLM chain produced: the standalone question, the passages shown, the text."""

    question: str
    passages: list[Passage]
    text: str = ""
    warnings: list[str] = field(default_factory=list)


class LLMAnswerer:
    """The LLM side of the assistant. ``model`` is any LangChain chat model (a fake one in tests)."""

    def __init__(self, settings: Settings, model=None, top_k: int | None = None) -> None:
        from langchain_core.output_parsers import StrOutputParser

        from answering.llm import chat_model

        self.settings = settings
        self.model = model if model is not None else chat_model(settings)
        self.top_k = top_k or settings.top_k
        self.generate = ANSWER.template() | self.model | StrOutputParser()
        # For streaming, the parser is applied chunk by chunk by ``stream_text``: a parser in the
        # streamed chain would drain the whole HTTP stream when the caller stops early (timeout).
        self.generate_messages = ANSWER.template() | self.model
        self.condense_chain = CONDENSE.template() | self.model | StrOutputParser()

    def stream_text(self, state: dict):
        """The answer's text deltas as the model writes them (a generator; close it to stop the request)."""
        for chunk in self.generate_messages.stream(state):
            yield chunk.text if hasattr(chunk, "text") else str(chunk.content)

    # -- prompt budget -------------------------------------------------------------------

    def passage_budget(self, question: str) -> int:
        """Tokens left for the passages once the instructions, the question and the answer are counted."""
        window = int(self.settings.llm_context_tokens * _TOKENIZER_MARGIN)
        fixed = count_tokens(ANSWER.fixed_text()) + count_tokens(question) + _CHAT_OVERHEAD
        return window - self.settings.llm_answer_tokens - fixed

    @staticmethod
    def format_passage(n: int, p: Passage) -> str:
        c = p.chunk
        where = SECTION_SEP.join(x for x in (c.doc_title or c.doc_id, c.section) if x)
        return f"[{n}] ({where})\n{c.text}"

    def budget(self, question: str, passages: list[Passage]) -> tuple[str, list[Passage]]:
        """The context block and the passages in it: the best ``top_k`` passages, in rank order, as many
        whole ones as fit; the first one is cut to fit when even it alone does not."""
        left = self.passage_budget(question)
        if left < 64:
            raise LLMError(f"the question leaves {left} tokens for passages; raise NQ_LLM_CONTEXT_TOKENS")
        blocks: list[str] = []
        used: list[Passage] = []
        for p in passages[: self.top_k]:
            block = self.format_passage(len(used) + 1, p)
            cost = count_tokens(block) + 2
            if cost > left:
                if not used:  # the best passage alone is too long: keep its beginning
                    enc = _encoding()
                    block = enc.decode(enc.encode(block, disallowed_special=())[: left - 2])
                    blocks.append(block)
                    used.append(p)
                break
            blocks.append(block)
            used.append(p)
            left -= cost
        return "\n\n".join(blocks), used

    # -- follow-ups ----------------------------------------------------------------------

    def condense(self, question: str, history: list | None) -> str:
        """A standalone question for ``question`` given the earlier turns (raises LLMError)."""
        turns = history_turns(history)[-_CONDENSE_TURNS:]
        if not turns:
            return question
        lines = [f"{'Người dùng' if r == 'user' else 'Trợ lý'}: {t}" for r, t in turns]
        budget = self.passage_budget(question)  # the condense prompt is shorter than the answer prompt
        while len(lines) > 1 and count_tokens("\n".join(lines)) > budget:
            lines.pop(0)
        try:
            out = self.condense_chain.invoke({"history": "\n".join(lines), "question": question})
        except Exception as exc:  # any failure of the model call: the caller falls back
            raise llm_failure(exc) from exc
        return self.clean_condensed(out, question)

    @staticmethod
    def clean_condensed(text: str, question: str) -> str:
        line = next((ln.strip() for ln in (text or "").splitlines() if ln.strip()), "")
        line = re.sub(r"^(?:câu hỏi độc lập|câu hỏi)\s*:\s*", "", line, flags=re.I).strip(" \"'“”")
        if not line:
            raise LLMError("the LLM returned an empty standalone question")
        if len(line) > 4 * len(question) + 400:
            raise LLMError(f"the LLM's standalone question is {len(line)} characters long; it is not a question")
        return line

    # -- verified answer -----------------------------------------------------------------

    def finish(self, question: str, draft: Draft) -> tuple[Answer | None, Verification]:
        """The verified Answer (mode "llm"), or None and the failed verification."""
        # Reasoning models (Qwen3, DeepSeek-R1 distills) may prefix their answer with a <think> block.
        draft.text = _THINK_RE.sub("", draft.text).strip()
        v = verify(draft.text, draft.passages, question=f"{draft.question} {question}")
        if not v.ok:
            return None, v
        if v.refusal:
            return Answer(question=question, answer=REFUSAL, found=False, mode="llm", warnings=list(draft.warnings)), v
        renumber = {old: new for new, old in enumerate(v.cited, start=1)}
        text = CITE_RE.sub(lambda m: self._renumbered(m.group(0), renumber), draft.text.strip())
        citations = [self.cite(renumber[old], draft.passages[old - 1], self._citing_segments(draft.text, old))
                     for old in v.cited]
        return Answer(question=question, answer=text, found=True, citations=citations, mode="llm",
                      warnings=list(draft.warnings)), v

    @staticmethod
    def _renumbered(marker: str, renumber: dict[int, int]) -> str:
        return "".join(f"[{renumber[n]}]" for n in cited_numbers(marker) if n in renumber)

    @staticmethod
    def _citing_segments(text: str, n: int) -> str:
        """The sentences/clauses of the answer that cite passage ``n`` (the whole answer if none is found)."""
        segs = [s for s in _SPLIT_RE.split(text) if n in cited_numbers(s)]
        return " ".join(segs) or text

    @staticmethod
    def cite(n: int, p: Passage, claim: str) -> Citation:
        """A citation of passage ``p`` whose quote is the span of it that best supports ``claim``:
        the figures it shares with the claim first, then the words (IDF-free overlap, length-normalised)."""
        claim_units = set(_unit_forms(CITE_RE.sub(" ", claim)))
        claim_figs: set[str] = set()
        for f in figures(claim):
            claim_figs |= f.forms
        best, best_score = None, -1.0
        for sp in _spans_of(p):
            units = set(_unit_forms(sp.text))
            score = 2.0 * len(claim_figs & evidence(sp.text)) + len(claim_units & units) / math.sqrt(len(units) or 1)
            if score > best_score + 1e-9:
                best, best_score = sp, score
        c = p.chunk
        if best is None:
            return Citation(n=n, doc=c.file, section=c.section, text=c.text, quote=c.text, start=c.start,
                            end=c.end, score=round(p.score, 4), doc_id=c.doc_id,
                            doc_title=c.info.short_name() or c.doc_title)
        return Citation(n=n, doc=c.file, section=c.section, text=c.text, quote=best.text, start=best.start,
                        end=best.end, score=round(p.score, 4), doc_id=c.doc_id,
                        doc_title=c.info.short_name() or c.doc_title)
