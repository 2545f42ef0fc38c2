"""Shared types passed between stages: Chunk, Passage, Citation, Answer.

No tuples or bare dicts cross a folder boundary; these dataclasses do.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

SECTION_SEP = " › "


@dataclass(frozen=True)
class DocumentInfo:
    """What a document says about itself in its header and signature block (read at ingest)."""

    doc_type: str = ""  # "Kế hoạch", "Nghị quyết", "Quyết định"
    number: str = ""  # "45/KH-UBND", "192/2025/QH15"
    issuer: str = ""  # "Ủy ban nhân dân tỉnh Tuyên Quang"
    province: str = ""  # "Tuyên Quang" (a province or city named by the issuer or the place line)
    place: str = ""  # "Tuyên Quang" (the place line before the date)
    date: str = ""  # ISO "2025-11-20"
    title: str = ""
    years: tuple[int, ...] = ()  # the years and periods the title covers
    signer: str = ""  # "Lê Trường Sơn"
    signer_title: str = ""  # "KT. CHỦ TỊCH PHÓ CHỦ TỊCH"

    def listing(self, doc_id: str, chunks: int, file: str, source: str) -> dict[str, Any]:
        """A document's row in a list of what is indexed (``documents``, the API, the selector)."""
        return {"doc_id": doc_id, "title": self.title, "number": self.number, "type": self.doc_type,
                "issuer": self.issuer, "province": self.province, "date": self.date, "signer": self.signer,
                "chunks": chunks, "file": file, "source": source}

    def short_name(self) -> str:
        """'Kế hoạch 45/KH-UBND của Ủy ban nhân dân tỉnh Tuyên Quang', or the title when no number is known."""
        head = " ".join(p for p in (self.doc_type, self.number) if p) if self.number else ""
        if head and self.issuer:
            return f"{head} của {self.issuer}"
        return head or self.title

    def to_metadata(self) -> dict[str, Any]:
        return {"doc_type": self.doc_type, "doc_number": self.number, "doc_issuer": self.issuer,
                "doc_province": self.province, "doc_place": self.place, "doc_date": self.date,
                "doc_years": ",".join(str(y) for y in self.years), "doc_signer": self.signer,
                "doc_signer_title": self.signer_title}

    @classmethod
    def from_metadata(cls, meta: dict[str, Any]) -> "DocumentInfo":
        return cls(doc_type=str(meta.get("doc_type") or ""), number=str(meta.get("doc_number") or ""),
                   issuer=str(meta.get("doc_issuer") or ""), province=str(meta.get("doc_province") or ""),
                   place=str(meta.get("doc_place") or ""), date=str(meta.get("doc_date") or ""),
                   title=str(meta.get("doc_title") or ""),
                   years=tuple(int(y) for y in str(meta.get("doc_years") or "").split(",") if y),
                   signer=str(meta.get("doc_signer") or ""), signer_title=str(meta.get("doc_signer_title") or ""))


@dataclass(frozen=True)
class Chunk:
    """One indexed unit of a document: a paragraph (or part of one), a target, a footnote..."""

    id: str
    doc_id: str  # unique in the library: the file name, e.g. "nghi-quyet-tinh-uy-ha-tinh-2025.txt", unless
    # another indexed file has that name ("<parent folder>/<file name>", see ingest.pipeline.assign_id)
    doc_title: str
    section: str  # breadcrumb, parts joined by SECTION_SEP
    kind: str  # title | paragraph | item | target | footnote | recipients | signature
    text: str  # == cleaned_document_text[start:end]
    start: int
    end: int
    number: int | None = None  # target "(n)" or footnote number
    group: str | None = None  # "Về môi trường" for targets
    period: str | None = None  # the year the enclosing part speaks of ("2024", "2025")
    footnotes: tuple[int, ...] = ()  # footnote numbers referenced from this chunk
    ordinal: int = 0  # position of the chunk in its document
    years: tuple[int, ...] = ()  # every year the chunk speaks of (its headings', its table's or the document's)
    headers: str = ""  # a table row: the table's column headers, " | "-joined
    info: DocumentInfo = field(default_factory=DocumentInfo)  # the document's header metadata
    doc_file: str = ""  # the file's name ("" in an index built before ids could differ from it: the id)
    doc_source: str = ""  # where it was read: the resolved path, or "upload:<file name>"

    @property
    def file(self) -> str:
        """The file's name, what ``citations[].doc`` shows."""
        return self.doc_file or self.doc_id

    def to_metadata(self) -> dict[str, Any]:
        """Flat metadata for Chroma (scalars only; None is not allowed there)."""
        meta = {
            "doc_id": self.doc_id,
            "doc_title": self.doc_title,
            "section": self.section,
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "number": self.number if self.number is not None else -1,
            "group": self.group or "",
            "period": self.period or "",
            "footnotes": ",".join(str(n) for n in self.footnotes),
            "ordinal": self.ordinal,
            "years": ",".join(str(y) for y in self.years),
            "headers": self.headers,
            "doc_file": self.file,
            "doc_source": self.doc_source,
            **self.info.to_metadata(),
        }
        return meta

    @classmethod
    def from_record(cls, chunk_id: str, text: str, meta: dict[str, Any]) -> "Chunk":
        number = int(meta.get("number", -1))
        notes = str(meta.get("footnotes") or "")
        return cls(
            id=chunk_id,
            doc_id=str(meta["doc_id"]),
            doc_title=str(meta.get("doc_title", "")),
            section=str(meta.get("section", "")),
            kind=str(meta.get("kind", "paragraph")),
            text=text,
            start=int(meta["start"]),
            end=int(meta["end"]),
            number=None if number < 0 else number,
            group=str(meta.get("group") or "") or None,
            period=str(meta.get("period") or "") or None,
            footnotes=tuple(int(n) for n in notes.split(",") if n),
            ordinal=int(meta.get("ordinal", 0)),
            years=tuple(int(y) for y in str(meta.get("years") or "").split(",") if y),
            headers=str(meta.get("headers") or ""),
            info=DocumentInfo.from_metadata(meta),
            doc_file=str(meta.get("doc_file") or ""),
            doc_source=str(meta.get("doc_source") or ""),
        )


@dataclass
class Passage:
    """A retrieved chunk with its fused score and the ranks that produced it."""

    chunk: Chunk
    score: float
    dense_rank: int | None = None
    bm25_rank: int | None = None
    dense_score: float | None = None


@dataclass
class Citation:
    n: int
    doc: str  # the file's name (may be shared by documents from different folders: doc_id tells them apart)
    section: str
    text: str  # the whole cited passage
    quote: str  # the answering span
    start: int  # offsets of quote in the cleaned document text
    end: int
    score: float
    doc_id: str = ""  # unique in the library (the file name unless another document has that name)
    doc_title: str = ""  # "Kế hoạch 45/KH-UBND của Ủy ban nhân dân tỉnh Tuyên Quang", or the title


@dataclass
class Answer:
    question: str
    answer: str
    found: bool
    citations: list[Citation] = field(default_factory=list)
    mode: str = "extractive"
    latency_ms: float = 0.0
    warnings: list[str] = field(default_factory=list)  # why an LLM answer was not used (English)
    id: str | None = None
    notes_vi: list[str] = field(default_factory=list)  # the same, in Vietnamese for the UI (not in the JSON)
    understood: str | None = None  # how a follow-up was read when the previous topic was carried into it

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.id is not None:
            out["id"] = self.id
        out.update(
            question=self.question,
            answer=self.answer,
            found=self.found,
            citations=[asdict(c) for c in self.citations],
            mode=self.mode,
            latency_ms=round(self.latency_ms, 1),
        )
        if self.warnings:
            out["warnings"] = list(self.warnings)
        if self.understood:
            out["understood"] = self.understood
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Answer":
        """The inverse of ``to_dict`` (``notes_vi`` read when present)."""
        return cls(question=d.get("question", ""), answer=d.get("answer", ""), found=bool(d.get("found")),
                   citations=[Citation(**c) for c in d.get("citations", [])], mode=d.get("mode", "extractive"),
                   latency_ms=d.get("latency_ms", 0.0), warnings=list(d.get("warnings", [])), id=d.get("id"),
                   notes_vi=list(d.get("notes_vi", [])), understood=d.get("understood"))


@dataclass(frozen=True)
class Measure:
    """One figure of a target or a reported result: 'thu nội địa' 'trên' 8800 'tỷ đồng'."""

    label: str  # what is measured
    comparator: str  # trên / đạt / duy trì / giảm / ước đạt / ...
    low: float | None  # the value; low < high for a range "0,5-0,6"
    high: float | None
    unit: str | None  # None: the figure has no recognisable unit (the record is uncertain)
    figure: str  # the figure as written: "17.800", "0,5-0,6"
    start: int  # offsets of the figure's clause in the cleaned document text
    end: int

    @property
    def is_range(self) -> bool:
        return self.low is not None and self.high is not None and self.low != self.high

    def value_json(self) -> Any:
        def num(x: float | None) -> Any:
            return int(x) if x is not None and x == int(x) else x

        return {"min": num(self.low), "max": num(self.high)} if self.is_range else num(self.low)

    def display(self) -> str:
        """'trên 17.800 tỷ đồng', '26/28 chỉ tiêu', 'giảm 0,5-0,6%'."""
        unit = self.unit or ""
        sep = "" if not unit or unit[0] in "%/" else " "
        return " ".join(p for p in (self.comparator, f"{self.figure}{sep}{unit}") if p)

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "comparator": self.comparator, "value": self.value_json(), "unit": self.unit}


@dataclass(frozen=True)
class TargetRecord:
    """A numbered target "(n) ..." (kind 'target') or a reported result sentence (kind 'result')."""

    kind: str  # target | result
    doc: str
    number: int | None  # the target's number; None for results
    group: str | None  # "Về môi trường"
    year: str | None  # the period of the enclosing part ("2025" for targets, "2024" for results)
    text: str  # == cleaned_document_text[start:end]
    values: tuple[Measure, ...]
    section: str
    start: int
    end: int
    chunk_id: str
    uncertain: bool = False
    warnings: tuple[str, ...] = ()
    doc_title: str = ""  # the document's short name ("Kế hoạch 45/KH-UBND của …"), or its title

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "group": self.group,
            "text": self.text,
            "values": [v.to_dict() for v in self.values],
            "section": self.section,
            "start": self.start,
            "end": self.end,
            "doc": self.doc,
            "doc_title": self.doc_title,
            "year": self.year,
            "uncertain": self.uncertain,
            "warnings": list(self.warnings),
        }


@dataclass
class BriefPoint:
    """One point of a briefing: a target, a result or a task, quoted from the text and cited."""

    text: str
    citations: list[Citation]
    values: str = ""  # for a target: its figures as the table reads them ("trên 95%")
    doc: str = ""  # the document's short name, when the briefing draws on more than one document


@dataclass
class BriefSection:
    heading: str
    points: list[BriefPoint] = field(default_factory=list)


@dataclass
class Briefing:
    """A trainer's briefing on a topic: sections of cited points, then the notes and sources."""

    title: str
    topic: str
    sections: list[BriefSection] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)  # "title (file name)"

    def numbered(self) -> list[Citation]:
        """Every citation in reading order, numbered 1..n (points keep their own ``n``)."""
        return [c for s in self.sections for p in s.points for c in p.citations]
