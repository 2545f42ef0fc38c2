"""Vietnamese normalisation, abbreviations and diacritics restoration."""

from __future__ import annotations

from retrieval.accents import AccentRestorer
from retrieval.query import analyse, expand_abbreviations
from core.text import fold, tokens
from core.vn import number_token


def test_fold_and_tokens():
    assert fold("Tỷ lệ Đô thị hóa") == "ty le do thi hoa"
    assert tokens("Tỷ lệ che phủ") == ["ty", "le", "che", "phu", "ty_le", "le_che", "che_phu"]
    assert tokens("ty le che phu") == tokens("tỷ lệ che phủ")
    assert [number_token(t) for t in ("17.800", "7,3%", "2,5", "2024")] == ["17800", "7.3%", "2.5", "2024"]
    assert "thi" in tokens("đô thị¹")  # footnote markers do not stick to the word


def test_abbreviations_both_ways_and_short_ones_only_in_capitals():
    assert expand_abbreviations("tỷ lệ bhyt") == "tỷ lệ bhyt (bảo hiểm y tế)"
    assert "BHXH" in expand_abbreviations("tham gia bảo hiểm xã hội")
    assert expand_abbreviations("đầu tư từ ngân sách") == "đầu tư từ ngân sách"  # "tư"/"từ" are not "TU"
    assert expand_abbreviations("vốn TW") == "vốn TW (Trung ương)"


def test_query_years_and_period_hints():
    q = analyse("Năm 2024 tăng trưởng kinh tế ước đạt bao nhiêu?")
    assert q.years == ("2024",) and q.wants_results
    assert analyse("mục tiêu năm 2025").wants_targets


def test_accent_restoration_uses_the_documents_spelling():
    r = AccentRestorer(["Duy trì tỷ lệ che phủ rừng trên 52%.", "Bảo hiểm y tế đạt 95%.", "Tỷ lệ hộ nghèo giảm."])
    assert r.restore("ty le che phu rung la bao nhieu") == "tỷ lệ che phủ rừng là bao nhiêu"
    assert r.restore("Ty le ho ngheo") == "Tỷ lệ hộ nghèo"
    assert r.restore("tỷ lệ ho ngheo") == "tỷ lệ hộ nghèo"  # only accent-less words change
    assert r.restore("xyz abc") == "xyz abc"  # unknown words stay as typed


def test_stopwords_respect_diacritics():
    from core.text import content_words

    assert content_words("còn nước sạch đô thị thì sao?") == ["nuoc", "sach", "do", "thi"]  # "đô thị" is content
    assert content_words("con nuoc sach thi sao") == ["nuoc", "sach"]  # typed bare, the folded list decides
