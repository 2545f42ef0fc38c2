"""Golden values for core.vn: the one parser of each Vietnamese format (years, periods, dates,
numbers, Roman numerals, document numbers) that ingest, retrieval, answering, verification and
eval share."""

from __future__ import annotations

from datetime import date

import pytest

from core.vn import (
    COUNT_NOUNS, DATE_OR_MONTH_RE, DOC_NUMBER_LOOSE_RE, HEADER_DATE_RE, NUMBER_LINE_RE, NUMBER_PHRASE_RE,
    PERCENT_RE, SLASHED_DATE_RE, UNITS_OF_MEASURE, DocNumber, canonical_numbers, covered_years, date_key,
    english_number_token, is_year_token, number_token, parse_date, parse_doc_number, parse_number,
    roman_to_int, strip_ranges, year_ranges, years,
)


def test_years():
    text = "Năm 2025, giai đoạn 2026-2030; ngày 20/11/2025; Nghị quyết 163/2024/QH15; 2025,5; 12025; 2024%"
    assert years(text) == [2025, 2026, 2030]
    assert years("giai đoạn 2026 - 2030") == [2026, 2030]
    assert years("2026–2030") == [2026, 2030]  # the end of a range, after its dash


def test_year_ranges():
    text = "giai đoạn 2026–2030, năm học 2025 - 2026, từ năm 2026 đến năm 2028, 2020-2060, 2030-2026"
    assert year_ranges(text) == [(2026, 2030), (2025, 2026), (2026, 2028)]


def test_covered_years():
    assert covered_years("Ngày 06 tháng 12 năm 2023 ... giai đoạn 2026 - 2028 và năm 2025") == {2025, 2026, 2027, 2028}
    assert strip_ranges("giai đoạn 2026-2030 và năm 2025") == "giai đoạn   và năm 2025"


def test_is_year_token():
    assert [is_year_token(t) for t in ("2025", "1999", "1850", "12025", "2025,5")] == [True, True, False, False, False]


def test_parse_date():
    assert parse_date("Đồng Nai, ngày 20 tháng 11 năm 2025") == date(2025, 11, 20)
    assert parse_date("ký 05/02/2024") == date(2024, 2, 5)
    assert parse_date("20-11-2025") == date(2025, 11, 20)
    assert parse_date("30/02/2024") is None
    assert parse_date("năm 2025") is None


def test_date_or_month_and_key():
    cases = {
        "ký ngày 26/05/2022": ("26/05/2022", "26/5/2022"),
        "ngày 26 tháng 5 năm 2022": ("ngày 26 tháng 5 năm 2022", "26/5/2022"),
        "tháng 5 năm 2022": ("tháng 5 năm 2022", "5/2022"),
        "tháng 5/2022": ("tháng 5/2022", "5/2022"),
        "đến 5/2022": ("5/2022", "5/2022"),
    }
    for text, (written, key) in cases.items():
        m = DATE_OR_MONTH_RE.search(text)
        assert (m.group(), date_key(m)) == (written, key)


def test_date_patterns():
    assert SLASHED_DATE_RE.findall("20/11/2025, 11/2025, 15/1000, 5/20") == ["20/11/2025", "11/2025", "15/1000"]
    assert [bool(HEADER_DATE_RE.search(t)) for t in (
        "Hà Nội, ngày 20 tháng 11 năm 2025", "ngày .... tháng", "ngày … tháng … năm", "Ngày 20 tháng 11 năm 2025",
    )] == [True, True, True, False]


def test_parse_number():
    assert [parse_number(t) for t in ("17.800", "2,5", "93,5", "7.3", "1.234,5", "52%", "0,5")] == [
        17800.0, 2.5, 93.5, 7.3, 1234.5, 52.0, 0.5]


def test_number_token():
    assert [number_token(t) for t in ("17.800", "7,3", "7,3%", "7.3", "52", "1.234,5", "2025")] == [
        "17800", "7.3", "7.3%", "7.3", "52", "1.234,5", "2025"]


def test_english_number_token():
    assert [english_number_token(t) for t in ("17,800", "1,234,567%", "7,3", "17.800", "1234,567")] == [
        "17800", "1234567%", None, None, None]


def test_canonical_numbers():
    assert canonical_numbers("17.800 tỷ, 7,3%, 1.234,5 và 2025.5, 0,5-0,6") == "17800 tỷ, 7.3%, 1234.5 và 2025.5, 0.5-0.6"


def test_number_phrases():
    assert NUMBER_PHRASE_RE.findall("đạt 7,3 phần trăm, 52%, 17,8 nghìn tỷ, 1,234 và 3") == [
        "7,3 phần trăm", "52%", "17,8 nghìn", "1,234", "3"]
    assert PERCENT_RE.sub("%", "7,3 phần trăm và 52 %") == "7,3% và 52%"


def test_units():
    assert UNITS_OF_MEASURE <= set(COUNT_NOUNS) and len(COUNT_NOUNS) == len(set(COUNT_NOUNS)) == 69
    assert {"hộ gia đình", "doanh nghiệp", "km²", "héc-ta"} <= set(COUNT_NOUNS)


def test_roman_to_int():
    assert [roman_to_int(s) for s in ("I", "IV", "IX", "XIV", "XL", "XC", "", "ABC", "iv")] == [
        1, 4, 9, 14, 40, 90, None, None, None]


def test_parse_doc_number():
    assert parse_doc_number("182/KH-UBND") == DocNumber("182/KH-UBND", 182, None, "KH", "UBND")
    assert parse_doc_number("theo 11-NQ/TU") == DocNumber("11-NQ/TU", 11, None, "NQ", "TU")
    assert parse_doc_number("66/2025/NQ-HĐND") == DocNumber("66/2025/NQ-HĐND", 66, 2025, "NQ", "HĐND")
    assert parse_doc_number("2597/QĐ-TTg") == DocNumber("2597/QĐ-TTg", 2597, None, "QĐ", "TTg")
    assert parse_doc_number("số 12 năm 2025") is None


def test_parse_doc_number_law():
    assert parse_doc_number("Luật 187/2025/QH15") == DocNumber("187/2025/QH15", 187, 2025, None, "QH15")


def test_doc_number_patterns():
    assert DOC_NUMBER_LOOSE_RE.findall("theo 11-NQ/TU, 1283/NQ-UBTVQH15 và 01/2025/NQ-HĐND, 52% năm 2025") == [
        "11-NQ/TU", "1283/NQ-UBTVQH15", "01/2025/NQ-HĐND"]
    lines = ("Số: 182/KH-UBND", "ỦY BAN\nSố 11-NQ/TU\n", "Số", "Văn bản số 5")
    assert [(m.group(1) if (m := NUMBER_LINE_RE.search(t)) else "-") for t in lines] == [
        "182/KH-UBND", "11-NQ/TU", None, "-"]
