"""A province-sized library for the scale benchmark: N varied documents, deterministic.

Documents differ the way a real library's do: the province or city, the issuer, the document
number, the year (every year in the text shifts together), the figures (each target and result
drawn within ±15% of the original, a share kept below 100%), the file name and folder, some
wording, the order of sentences in the tasks, and the targets themselves (some dropped, some
added, a few copies numbered with a gap or a repeated number, as careless drafts are). The
structure markers ("I.", "1.", "a)", "(n)", "Về …:", "Điều n.", the header, the signature) stay
intact, so every copy parses as a resolution or a plan.

Sources: mostly copies of the bundled resolution (``data/``, about 105 chunks each), and plans
and HĐND resolutions assembled from ``scale_fixtures`` (the project's own wording). Never the dev
corpus. Document i is the same whatever N is (its own seeded random stream), so the library of
10 is the first 10 documents of the library of 100.
"""

from __future__ import annotations

import math
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for _p in (str(ROOT), str(Path(__file__).resolve().parent)):
    if _p not in sys.path:
        sys.path.insert(0, _p)

import scale_fixtures as fx  # noqa: E402
from core.text import fold  # noqa: E402
from core.vn import FORMER_PROVINCES, PROVINCES_2025, all_place_names, parse_number  # noqa: E402
from eval.corpus import BUNDLED_DATA, BUNDLED_DOC  # noqa: E402

BUNDLED = BUNDLED_DATA / BUNDLED_DOC
BUNDLED_PROVINCE = "Hà Tĩnh"
# The bundled resolution's own local names, replaced in copies by LOCAL_NAMES.
BUNDLED_LOCAL = ("Vũng Áng", "Cầu Treo", "Thạch Hà", "Cẩm Xuyên", "Lộc Hà", "Hồng Lĩnh")
SEED = 20250
# Shares of the library by family, in order: copies of the bundled resolution, UBND plans, HĐND
# resolutions. The resolution dominates so that 1,000 documents hold ~100,000 chunks (issue 15).
MIX = (("resolution", 0.70), ("plan", 0.20), ("hdnd", 0.10))
FIGURE_SPREAD = 0.15  # a figure is drawn within ±15% of the original
PERCENT_ROOM = 0.9  # a share above its original moves at most 90% of the way to 100%
QUIRK_RATE = 0.10  # copies whose targets keep a gap or a repeated number (the parser flags them)

# A Vietnamese number: "44.100", "2,5", "17.800", "91".
_NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
# A figure is a number (or a range "0,5-0,6") followed by a unit; "26/28", "/1 vạn dân", "11-NQ/TU",
# "Đề án 06" and years are not figures.
_FIGURE_RE = re.compile(
    rf"(?<![\w/.,-])({_NUM})(?:\s*-\s*({_NUM}))?"
    r"(?=\s*(?:%|tỷ|triệu|nghìn|bác sĩ|giường|người|doanh nghiệp|dự án|km\b|ha\b|lượt|công trình|phòng học|"
    r"hộ\b|cơ sở|đồng))")
_YEAR_RE = re.compile(r"(?<![\d.,])(20[0-3]\d)(?![\d]|[.,]\d)")
_TARGET_LINE_RE = re.compile(r"^(Về [^:\n]+):\s*(\(1?\d+\).*)$", re.M)
_SENTENCE_SPLIT_RE = re.compile(r"(?<=\.)\s+(?=[A-ZĐÀ-Ỹ])")
_MARKER_RE = re.compile(r"^(?:[IVX]+\.|\d+\.|[a-zđ]\)|[-+]|[¹²³⁴⁵⁶⁷⁸⁹]|\*\*|Nơi nhận)")


@dataclass
class GeneratedDoc:
    """One generated document and what the benchmark needs to name it in a question."""

    path: str  # relative to the library folder, e.g. "nghe-an/nq-15-tu-2025.txt"
    kind: str  # "resolution" | "plan" | "hdnd"
    province: str
    number: str  # as the header says it ("15-NQ/TU"), "" when the copy has no header
    year: int  # the year its targets are for
    text: str
    questions: list[str] = field(default_factory=list)  # questions that name this document


def slug(text: str) -> str:
    """"Nghệ An" -> "nghe-an" (file and folder names)."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def format_vn(value: float, decimals: int) -> str:
    """17800 -> "17.800", 2.5 (1 decimal) -> "2,5"."""
    if decimals == 0:
        return f"{int(round(value)):,}".replace(",", ".")
    return f"{value:.{decimals}f}".replace(".", ",")


def _decimals(number: str) -> int:
    return len(number.split(",", 1)[1]) if "," in number else 0


def perturb_figures(text: str, rng: random.Random) -> str:
    """Every figure with a unit drawn within ±FIGURE_SPREAD of itself, in its own format; a range
    moves as one; a share stays at most 100% (and 100% stays 100%)."""

    def draw(number: str, factor: float, percent: bool) -> str:
        value = parse_number(number)
        if percent and value >= 100:
            return number
        new = value * factor
        if percent and new > value + PERCENT_ROOM * (100 - value):  # 95% stays below 100%, spread
            new = value + rng.uniform(0, PERCENT_ROOM) * (100 - value)
            new = math.floor(new * 10 ** _decimals(number)) / 10 ** _decimals(number)
        if _decimals(number) == 0:
            new = max(1, round(new) if not percent else math.floor(new))
        return format_vn(new, _decimals(number))

    def sub(m: re.Match) -> str:
        factor = 1 + rng.uniform(-FIGURE_SPREAD, FIGURE_SPREAD)
        percent = text[m.end():m.end() + 2].lstrip().startswith("%")
        low = draw(m.group(1), factor, percent)
        if m.group(2) is None:
            return low
        return f"{low}-{draw(m.group(2), factor, percent)}"

    return _FIGURE_RE.sub(sub, text)


def shift_years(text: str, delta: int) -> str:
    return _YEAR_RE.sub(lambda m: str(int(m.group(1)) + delta), text) if delta else text


def person(rng: random.Random) -> str:
    return f"{rng.choice(fx.FAMILY_NAMES)} {rng.choice(fx.MIDDLE_NAMES)} {rng.choice(fx.GIVEN_NAMES)}"


def _provinces() -> list[str]:
    """Today's 34 and the former 63 (a library keeps documents issued before the 2025 merger)."""
    return sorted(set(PROVINCES_2025) | set(FORMER_PROVINCES))


def _local_names() -> list[str]:
    places = {p.lower() for p in all_place_names()}
    return [n for n in fx.LOCAL_NAMES if n.lower() not in places]


def _date_line(place: str, year: int, rng: random.Random) -> str:
    return f"{place}, ngày {rng.randint(1, 28):02d} tháng {rng.randint(1, 12)} năm {year}"


def _motto() -> str:
    return "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n---------------"


def _authority(province: str) -> tuple[str, str]:
    """("tỉnh"|"thành phố", the name as a header writes it after that word)."""
    return ("thành phố", province) if province in fx.CITIES else ("tỉnh", province)


# --- copies of the bundled resolution ---------------------------------------------------------

def _retarget(text: str, rng: random.Random, quirk: bool) -> tuple[str, int]:
    """The numbered targets: some dropped (never a group's last), some extra ones added, a few
    duplicated; renumbered from (1), except in a quirky copy (a gap, or a number used twice).
    Returns the text and the number of targets."""
    groups: list[tuple[str, list[str], int, int]] = []
    for m in _TARGET_LINE_RE.finditer(text):
        parts = re.split(r"\((\d+)\)\s*", m.group(2))
        items = [p.strip().rstrip(";.").strip() for p in parts[2::2]]
        groups.append((m.group(1), items, m.start(), m.end()))
    total = 0
    out, pos, numbered = [], 0, 0
    plans = []
    for name, items, start, end in groups:
        kept = [t for t in items if rng.random() > 0.08] or items[:1]
        if rng.random() < 0.05:
            kept.insert(rng.randrange(len(kept) + 1), rng.choice(kept))  # a target stated twice
        for extra in fx.EXTRA_TARGETS.get(name, ()):
            if rng.random() < 0.25:
                kept.append(extra)
        plans.append((name, kept, start, end))
        total += len(kept)
    gap_at = rng.randrange(2, total) if quirk and total > 3 and rng.random() < 0.5 else None
    repeat_at = rng.randrange(2, total) if quirk and gap_at is None and total > 3 else None
    for name, kept, start, end in plans:
        cells = []
        for t in kept:
            numbered += 1
            n = numbered
            if gap_at is not None and numbered >= gap_at:
                n += 1
            if repeat_at is not None and numbered > repeat_at:
                n -= 1
            cells.append(f"({n}) {t}")
        out.append(text[pos:start])
        out.append(f"{name}: " + "; ".join(cells) + ".")
        pos = end
    out.append(text[pos:])
    return "".join(out), total


def _shuffle_tasks(text: str, rng: random.Random) -> str:
    """In part III (tasks and solutions), reorder the sentences of some whole paragraphs and drop
    one now and then. A paragraph cut by a page break (the next starts in lower case) is left."""
    start = text.find("\nIII. ")
    end = text.find("\nIV. ", start)
    if start < 0 or end < 0:
        return text
    paras = text[start:end].split("\n\n")
    for i, p in enumerate(paras):
        nxt = paras[i + 1] if i + 1 < len(paras) else "X"
        prev = paras[i - 1] if i else "."
        if (not p[:1].isupper() or _MARKER_RE.match(p) or not p.rstrip().endswith(".")
                or nxt.strip()[:1].islower() or not prev.rstrip().endswith((".", ":"))):
            continue
        sentences = _SENTENCE_SPLIT_RE.split(p.strip())
        if len(sentences) < 3:
            continue
        if rng.random() < 0.35:
            rest = sentences[1:]
            rng.shuffle(rest)
            sentences = sentences[:1] + rest
        if rng.random() < 0.15:
            sentences.pop(rng.randrange(1, len(sentences)))
        paras[i] = " ".join(sentences)
    return text[:start] + "\n\n".join(paras) + text[end:]


def resolution_copy(base: str, i: int, rng: random.Random) -> GeneratedDoc:
    province = rng.choice(_provinces())
    kind, _ = _authority(province)
    city = kind == "thành phố"
    year = rng.choice((2022, 2023, 2024, 2025, 2026))  # the year the targets are for
    text = shift_years(base, year - 2025)
    for old, new in fx.REWORDINGS:
        if rng.random() < 0.5:
            text = text.replace(old, new)
    locals_ = _local_names()
    rng.shuffle(locals_)
    for old, new in zip(BUNDLED_LOCAL, locals_):
        text = text.replace(old, new)
    committee = "Thành ủy" if city else "Tỉnh ủy"
    text = text.replace(BUNDLED_PROVINCE, province).replace(BUNDLED_PROVINCE.upper(), province.upper())
    if city:
        text = text.replace("Tỉnh ủy", "Thành ủy").replace("ĐẢNG BỘ TỈNH", "ĐẢNG BỘ THÀNH PHỐ")
    quirk = rng.random() < QUIRK_RATE
    text, total = _retarget(text, rng, quirk)
    text = re.sub(r"Có \d+/\d+ chỉ tiêu", f"Có {total - rng.randint(0, 4)}/{total} chỉ tiêu", text)
    text = _shuffle_tasks(text, rng)
    text = perturb_figures(text, rng)
    signer = person(rng)
    sign_title = rng.choice(("T/M TỈNH ỦY\nBÍ THƯ", "TM. TỈNH ỦY\nBÍ THƯ", "T/M TỈNH ỦY\nPHÓ BÍ THƯ THƯỜNG TRỰC"))
    if city:
        sign_title = sign_title.replace("TỈNH ỦY", "THÀNH ỦY")
    text = re.sub(r"\*\*T/M TỈNH ỦY\nBÍ THƯ\*\*\n\nHoàng Trung Dũng", f"**{sign_title}**\n\n{signer}", text)
    number = f"{3 * i + rng.randint(1, 3)}-NQ/TU" if not city else f"{3 * i + rng.randint(1, 3)}-NQ/ThU"
    style = rng.random()
    issuer_line = (f"THÀNH ỦY {'THÀNH PHỐ ' if province == 'Hồ Chí Minh' else ''}{province.upper()}" if city
                   else f"TỈNH ỦY {province.upper()}")
    body = text.lstrip("\n")
    if style < 0.75:  # the usual header: committee, number, motto, place and date
        header = (f"{issuer_line}\n---------\nSố: {number}\nĐẢNG CỘNG SẢN VIỆT NAM\n---------------\n"
                  f"{_date_line(province, year - 1, rng)}\n\n")
        text = header + body
    elif style < 0.92:  # a crawl without header, the province in the title
        number = ""
        text = body.replace(f"ĐẢNG BỘ {'THÀNH PHỐ' if city else 'TỈNH'}\n",
                            f"ĐẢNG BỘ {'THÀNH PHỐ' if city else 'TỈNH'} {province.upper()}\n", 1)
    else:  # as bundled: neither header nor province in the title
        number = ""
        text = body
    folder = slug(province)
    n = number.split("-")[0]
    names = [f"{folder}/nq-{n}-tu-{year - 1}.txt" if n else f"{folder}/nghi-quyet-{slug(committee)}-{year}.txt",
             f"nghi-quyet-{slug(committee)}-{folder}-{year}-{i:04d}.txt",
             f"{folder}/{year}/nghi-quyet.txt",  # the same file name in many folders (ids get the folder)
             f"{folder}/nq-{i:04d}.md"]
    path = rng.choices(names, weights=(5, 3, 1, 1))[0]
    where = f"{'thành phố' if city else 'tỉnh'} {province}"
    questions = [f"Chỉ tiêu tỷ lệ che phủ rừng năm {year} của {where} là bao nhiêu?"]
    if number:
        questions.append(f"Nghị quyết {number} do ai ký?")
    else:
        questions.append(f"Tốc độ tăng trưởng kinh tế năm {year} của {committee} {province} là bao nhiêu?")
    return GeneratedDoc(path, "resolution", province, number, year, text, questions)


# --- UBND plans from the project's own phrase pools --------------------------------------------

def _value(rng: random.Random, low: float, high: float) -> str:
    v = rng.uniform(low, high)
    return format_vn(v, 0) if v >= 10 or float(low).is_integer() else format_vn(v, 1)


def plan_doc(i: int, rng: random.Random) -> GeneratedDoc:
    province = rng.choice(_provinces())
    kind, name = _authority(province)
    topic = rng.choice(fx.PLAN_TOPICS)
    year = rng.choice((2023, 2024, 2025, 2026))
    number = f"{5 * i + rng.randint(1, 5)}/KH-UBND"
    horizon = year + rng.choice((0, 0, 4))
    period = f"NĂM {year}" if horizon == year else f"GIAI ĐOẠN {year} - {horizon}"
    targets = [(t.format(v=_value(rng, lo, hi))) for t, lo, hi in topic["targets"] if rng.random() < 0.9]
    rng.shuffle(targets)
    lines = [
        "ỦY BAN NHÂN DÂN", f"{kind.upper()} {name.upper()}", "-------", _motto(),
        f"Số: {number}", _date_line(province, year - 1, rng), "",
        "KẾ HOẠCH", "", f"{topic['title'].upper()} TRÊN ĐỊA BÀN {kind.upper()} {name.upper()} {period}", "",
        f"Căn cứ chương trình công tác năm {year} của Ủy ban nhân dân {kind}, Ủy ban nhân dân {kind} ban hành "
        f"Kế hoạch {topic['title']} như sau:", "",
        "I. MỤC ĐÍCH, YÊU CẦU", "", "1. Mục đích", "", *rng.sample(fx.PURPOSES, 2), "",
        "2. Yêu cầu", "", *rng.sample(fx.PURPOSES, 2), "",
        "II. MỤC TIÊU", "", "1. Mục tiêu chung", "",
        f"Đến hết {period.lower()}, {topic['title']} trên địa bàn {kind} có chuyển biến rõ rệt, "
        f"góp phần thực hiện thắng lợi các mục tiêu phát triển kinh tế - xã hội của {kind}.", "",
        "2. Chỉ tiêu cụ thể", "", f"a) Đến hết năm {year}", "",
        *[f"- {t};" for t in targets[:2]], "",
        f"b) Đến năm {horizon if horizon > year else year + 1}", "",
        *([f"- {t}." for t in targets[2:]] or ["- Duy trì kết quả đã đạt được."]), "",
        "III. NHIỆM VỤ, GIẢI PHÁP", "",
    ]
    for k in range(1, rng.randint(8, 30) + 1):
        thing = rng.choice(topic["things"])
        lines += [f"{k}. {rng.choice(fx.ACTIVITY_VERBS)} {thing}", "", "a) Nội dung", ""]
        for _ in range(rng.randint(2, 4)):
            lines.append(f"+ {rng.choice(fx.ACTIVITY_VERBS)} {rng.choice(topic['things'])} cho "
                         f"{rng.choice(fx.AUDIENCES)} tại {rng.choice(_local_names())};")
        lead = topic["lead"] if rng.random() < 0.6 else rng.choice(fx.PARTNERS)
        lines += ["", f"b) Cơ quan thực hiện: {lead} chủ trì, phối hợp với {rng.choice(fx.PARTNERS)}.", "",
                  f"c) Thời gian thực hiện: quý {rng.randint(1, 4)} năm {year}; kinh phí dự kiến "
                  f"{format_vn(rng.randint(50, 3000), 0)} triệu đồng.", ""]
    lines += ["IV. KINH PHÍ THỰC HIỆN", "",
              f"Kinh phí thực hiện Kế hoạch do ngân sách {kind} bảo đảm trong dự toán năm {year} và các nguồn "
              "huy động hợp pháp khác.", "",
              "V. TỔ CHỨC THỰC HIỆN", "", f"1. {topic['lead']}", "",
              f"Chủ trì, theo dõi, tổng hợp kết quả thực hiện Kế hoạch; báo cáo Ủy ban nhân dân {kind} "
              f"trước ngày 15 tháng 12 năm {year}.", ""]
    for k, partner in enumerate(rng.sample(fx.PARTNERS, 3), start=2):
        lines += [f"{k}. {partner}", "", "Phối hợp thực hiện các hoạt động được phân công tại mục III.", ""]
    signer = person(rng)
    lines += ["Nơi nhận:", f"- Thường trực {'Thành ủy' if kind == 'thành phố' else 'Tỉnh ủy'};",
              "- Các sở, ban, ngành;", "- Lưu: VT.", "",
              rng.choice(("TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH", "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH")), signer, "",
              "PHỤ LỤC", "", "DỰ TOÁN KINH PHÍ THỰC HIỆN", "",
              f"STT | Nội dung | Năm {year} | Năm {year + 1}"]
    for k, thing in enumerate(rng.sample(topic["things"], 3), start=1):
        lines.append(f"{k} | {thing[:1].upper() + thing[1:]} | {format_vn(rng.randint(100, 5000), 0)} | "
                     f"{format_vn(rng.randint(100, 5000), 0)}")
    folder = slug(province)
    n = number.split("/")[0]
    path = rng.choice((f"{folder}/kh-{n}-ubnd-{year}.txt", f"ubnd-{folder}-kh-{n}-{year}-{slug(topic['title'])[:40]}.txt"))
    questions = [f"Kế hoạch {number} của {kind} {province} có bao nhiêu chỉ tiêu?",
                 f"Kế hoạch {n} của {province} do cơ quan nào chủ trì?"]
    return GeneratedDoc(path, "plan", province, number, year, "\n".join(lines) + "\n", questions)


# --- HĐND resolutions ---------------------------------------------------------------------------

def hdnd_doc(i: int, rng: random.Random) -> GeneratedDoc:
    province = rng.choice(_provinces())
    kind, name = _authority(province)
    subject, whom, unit, low, high = rng.choice(fx.HDND_SUBJECTS)
    year = rng.choice((2023, 2024, 2025, 2026))
    number = f"{2 * i + rng.randint(1, 2)}/{year}/NQ-HĐND"
    session = rng.randint(5, 30)
    base = rng.randrange(low, high, 50_000)
    groups = rng.sample(fx.HDND_GROUPS, rng.randint(2, 5))
    signer = person(rng)
    lines = [
        "HỘI ĐỒNG NHÂN DÂN", f"{kind.upper()} {name.upper()}", "-------", _motto(),
        f"Số: {number}", _date_line(province, year, rng), "",
        "NGHỊ QUYẾT", "", f"Quy định mức {subject} trên địa bàn {kind} {name}", "",
        f"HỘI ĐỒNG NHÂN DÂN {kind.upper()} {name.upper()}", f"KHÓA XVII, KỲ HỌP THỨ {session}", "",
        "Căn cứ Luật Tổ chức chính quyền địa phương;", "", "Căn cứ Luật Ngân sách nhà nước;", "",
        f"Xét Tờ trình số {rng.randint(10, 400)}/TTr-UBND của Ủy ban nhân dân {kind}; Báo cáo thẩm tra của "
        "Ban Văn hóa - Xã hội; ý kiến thảo luận của đại biểu Hội đồng nhân dân tại kỳ họp.", "",
        "QUYẾT NGHỊ:", "",
        "Điều 1. Phạm vi điều chỉnh và đối tượng áp dụng", "",
        f"1. Phạm vi điều chỉnh: Nghị quyết này quy định mức {subject} trên địa bàn {kind} {name}.", "",
        "2. Đối tượng áp dụng:", "",
        f"a) {whom[:1].upper() + whom[1:]} trên địa bàn {kind};", "",
        "b) Cơ quan, tổ chức, cá nhân có liên quan.", "",
        "Điều 2. Mức hỗ trợ", "",
        f"1. Mức hỗ trợ chung là {format_vn(base, 0)} {unit}.", "",
        "2. Mức hỗ trợ tăng thêm đối với người:", "",
    ]
    for k, g in enumerate(groups):
        lines += [f"{'abcdefg'[k]}) {g[:1].upper() + g[1:]}: {format_vn(base + rng.randrange(50_000, 500_000, 10_000), 0)} {unit};", ""]
    lines += [
        "Điều 3. Nguồn kinh phí", "",
        f"Ngân sách {kind} bảo đảm theo phân cấp; năm {year} bố trí {format_vn(rng.randint(2, 90), 0)} tỷ đồng.", "",
        "Điều 4. Tổ chức thực hiện", "",
        f"1. Giao Ủy ban nhân dân {kind} tổ chức thực hiện Nghị quyết.", "",
        f"2. Thường trực Hội đồng nhân dân, các Ban của Hội đồng nhân dân và đại biểu Hội đồng nhân dân {kind} "
        "giám sát việc thực hiện Nghị quyết.", "",
        f"Nghị quyết này đã được Hội đồng nhân dân {kind} {name} khóa XVII, kỳ họp thứ {session} thông qua "
        f"ngày {rng.randint(1, 28)} tháng {rng.randint(1, 12)} năm {year} và có hiệu lực từ ngày 01 tháng 01 "
        f"năm {year + 1}.", "",
        "Nơi nhận:", "- Ủy ban Thường vụ Quốc hội;", "- Chính phủ;", "- Lưu: VT.", "",
        "CHỦ TỊCH", signer,
    ]
    folder = slug(province)
    n = number.split("/")[0]
    path = rng.choice((f"{folder}/hdnd/nq-{n}-{year}.txt", f"hdnd-{folder}-nq-{n}-{year}.txt"))
    questions = [f"Nghị quyết {number} của HĐND {kind} {province} quy định mức hỗ trợ chung bao nhiêu?"]
    return GeneratedDoc(path, "hdnd", province, number, year, "\n".join(lines) + "\n", questions)


# --- the library --------------------------------------------------------------------------------

def generate(n: int, seed: int = SEED, base: str | None = None) -> list[GeneratedDoc]:
    """The first ``n`` documents of the library (document i depends on ``seed`` and i alone). Two
    documents never share a path: a clash (rare) gets the document's index appended."""
    base = base if base is not None else BUNDLED.read_text(encoding="utf-8")
    docs, seen = [], set()
    kinds = [k for k, _ in MIX]
    weights = [w for _, w in MIX]
    for i in range(n):
        rng = random.Random(f"{seed}:{i}")
        kind = "resolution" if i == 0 else rng.choices(kinds, weights)[0]
        doc = {"resolution": lambda: resolution_copy(base, i, rng), "plan": lambda: plan_doc(i, rng),
               "hdnd": lambda: hdnd_doc(i, rng)}[kind]()
        if doc.path in seen:
            stem, dot, ext = doc.path.rpartition(".")
            doc.path = f"{stem}-{i:04d}.{ext}"
        seen.add(doc.path)
        docs.append(doc)
    return docs


def write_library(docs: list[GeneratedDoc], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for d in docs:
        p = folder / d.path
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(d.text, encoding="utf-8")
    return folder


def named_questions(docs: list[GeneratedDoc], limit: int = 10) -> list[str]:
    """Questions that name a generated document (its province, number), spread over the library."""
    out: list[str] = []
    step = max(1, len(docs) // limit)
    for d in docs[::step]:
        out.extend(d.questions[:1] if len(out) + 1 >= limit else d.questions)
        if len(out) >= limit:
            break
    return out[:limit]


if __name__ == "__main__":  # python bench/scale_library.py N DIR: write a library to look at
    count, target = int(sys.argv[1]), Path(sys.argv[2])
    write_library(generate(count), target)
    print(f"{count} documents in {target}")
