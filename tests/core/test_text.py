"""Import normalisation (annotator/core/text.py): decoding, line breaks, NFC, rejections."""

from __future__ import annotations

import codecs

import pytest

from annotator.core.errors import InputError, TextDecodeError
from annotator.core.text import MAX_FILE_BYTES, DecodedText, decode, normalise

SAMPLE = "Kyiv — «Привіт» café 😀\nSecond line"


def test_plain_utf8() -> None:
    result = decode(SAMPLE.encode("utf-8"))
    assert result == DecodedText(text=SAMPLE, encoding="utf-8", warnings=())


def test_utf8_bom_is_stripped() -> None:
    result = decode(codecs.BOM_UTF8 + SAMPLE.encode("utf-8"))
    assert result.text == SAMPLE
    assert result.encoding == "utf-8"
    assert not result.text.startswith("\ufeff")


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_bom_selects_codec(bom: bytes, codec: str) -> None:
    result = decode(bom + SAMPLE.encode(codec))
    assert result.text == SAMPLE
    assert result.encoding == codec
    assert result.warnings == ()


def test_utf16_without_bom_is_rejected_as_nul_bytes() -> None:
    with pytest.raises(TextDecodeError, match="NUL bytes"):
        decode("plain text".encode("utf-16-le"), path="a.txt")


def test_truncated_utf16_is_rejected() -> None:
    data = codecs.BOM_UTF16_LE + "abc".encode("utf-16-le") + b"x"
    with pytest.raises(TextDecodeError, match="not valid utf-16-le"):
        decode(data, path="odd.txt")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"one\r\ntwo\r\n", "one\ntwo\n"),
        (b"one\rtwo\r", "one\ntwo\n"),
        (b"a\r\r\nb", "a\n\nb"),
        (b"mixed\r\nold\rnew\n", "mixed\nold\nnew\n"),
    ],
)
def test_line_breaks_become_lf(raw: bytes, expected: str) -> None:
    assert decode(raw).text == expected


def test_nfc_composition() -> None:
    result = decode("cafe\u0301 a\u0308".encode())
    assert result.text == "café ä"
    assert result.text == "caf\u00e9 \u00e4"
    assert len(result.text) == 6


def test_nfc_keeps_nbsp_and_line_separator() -> None:
    # NFC is canonical composition only: compatibility characters are left alone.
    text = "a\u00a0b\u2028c\ufb01"
    assert decode(text.encode()).text == text


def test_nul_byte_rejected_with_path() -> None:
    with pytest.raises(TextDecodeError) as info:
        decode(b"abc\x00def", path="/data/articles/one.txt")
    assert "/data/articles/one.txt" in str(info.value)
    assert info.value.path == "/data/articles/one.txt"
    assert isinstance(info.value, InputError)


def test_nul_character_after_utf16_decoding_rejected_with_path() -> None:
    data = codecs.BOM_UTF16_LE + "ab\x00c".encode("utf-16-le")
    with pytest.raises(TextDecodeError, match="NUL character") as info:
        decode(data, path="u16.txt")
    assert "u16.txt" in str(info.value)


def test_normalise_rejects_lone_surrogate() -> None:
    with pytest.raises(TextDecodeError, match="lone surrogate U\\+D800 at character 3") as info:
        normalise("abc\ud800def", path="records.jsonl", line=7)
    assert str(info.value).startswith("records.jsonl:7:")


def test_normalise_rejects_nul() -> None:
    with pytest.raises(TextDecodeError, match="NUL"):
        normalise("a\x00b")


def test_normalise_line_breaks_and_nfc() -> None:
    assert normalise("e\u0301\r\nx\ry") == "é\nx\ny"


def test_normalise_is_idempotent() -> None:
    once = normalise("Zoe\u0308 \r\n\u1100\u1161 a\u0308")
    assert normalise(once) == once


def test_invalid_utf8_valid_cp1252_decodes_with_warning() -> None:
    data = "The \u201cquote\u201d costs 5\u20ac".encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    result = decode(data, path="legacy.txt")
    assert result.text == "The \u201cquote\u201d costs 5\u20ac"
    assert result.encoding == "cp1252"
    assert len(result.warnings) == 1
    assert "Windows-1252" in result.warnings[0]
    assert "0x93" in result.warnings[0]


def test_cp1252_fallback_can_be_refused() -> None:
    data = "caf\u00e9".encode("cp1252")
    with pytest.raises(TextDecodeError, match="not valid utf-8"):
        decode(data, allow_cp1252=False)


def test_bytes_invalid_in_utf8_and_cp1252_rejected() -> None:
    # 0x81 and 0x8d are unassigned in Windows-1252 and cannot start a UTF-8 sequence.
    with pytest.raises(TextDecodeError, match="neither UTF-8 nor Windows-1252") as info:
        decode(b"abc \x81\x8d def", path="broken.txt")
    assert "broken.txt" in str(info.value)


def test_binary_looking_data_rejected() -> None:
    data = bytes(range(1, 9)) * 20 + b"some text"
    with pytest.raises(TextDecodeError, match="looks binary"):
        decode(data, path="image.bin")


def test_a_few_control_characters_are_tolerated() -> None:
    text = "x" * 500 + "\x0b" + "y" * 500
    assert decode(text.encode()).text == text


def test_size_limit() -> None:
    with pytest.raises(TextDecodeError, match="limit") as info:
        decode(b"x" * 101, path="big.txt", max_bytes=100)
    assert "big.txt" in str(info.value)
    assert decode(b"x" * 100, max_bytes=100).text == "x" * 100


def test_default_size_limit_is_generous() -> None:
    assert MAX_FILE_BYTES >= 10 * 1024 * 1024


def test_empty_input() -> None:
    assert decode(b"").text == ""
    assert decode(codecs.BOM_UTF8).text == ""


@pytest.mark.parametrize(
    ("encode", "encoding"),
    [
        (lambda text: text.encode("utf-8"), "utf-8"),
        (lambda text: codecs.BOM_UTF8 + text.encode("utf-8"), "utf-8"),
        # "é" alone in Windows-1252 is no UTF-8: the fallback decodes it.
        (lambda text: text.replace("😀", "é").encode("cp1252"), "cp1252"),
        (lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"), "utf-16-le"),
    ],
)
def test_control_characters_are_counted_alike_in_every_encoding(encode, encoding: str) -> None:
    # 1,000 characters, many of them several bytes long: 10 controls are 1% (tolerated), 11
    # are more (refused), whatever the bytes.
    every = "\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0e\x0f\x10\x1a\x1b\x1f\x7f"
    for controls, refused in ((10, False), (11, True)):
        marks = "".join(every[i % len(every)] for i in range(controls))
        text = marks + "\t\x0c\r\n" + "é😀ab" * ((1000 - controls - 4) // 4)
        text += "x" * (1000 - len(text.replace("😀", "é")))
        assert len(text) == 1000
        if refused:
            with pytest.raises(TextDecodeError, match=f"{controls} control characters"):
                decode(encode(text))
        else:
            decoded = decode(encode(text))
            assert decoded.encoding == encoding
            assert decoded.text.startswith(marks)
