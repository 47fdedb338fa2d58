"""One re-encoder for every upload: each refusal named before decoding where it can be, and both
callers (agency logos, release photos) keep their own limits and words."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from pantau.newsroom.photos import MAX_SIDE, clean_image
from pantau.newsroom.publish import PublishError
from pantau.writing.images import ImageLimits, ImageRefused, Refusal, reencode
from pantau.writing.letterhead import LogoError, clean_logo

LIMITS = ImageLimits(max_bytes=200_000, max_pixels=1_000_000, max_side=100, formats=("PNG",))


def _encoded(fmt: str, size: tuple[int, int] = (300, 200), mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, fmt)
    return out.getvalue()


@pytest.mark.parametrize(
    ("raw", "refusal"),
    [
        (b"", Refusal.EMPTY),
        (b"\x89PNG" + b"\0" * 200_000, Refusal.TOO_MANY_BYTES),
        (_encoded("JPEG"), Refusal.FORMAT),
        (_encoded("PNG", (2000, 1000), "1"), Refusal.TOO_MANY_PIXELS),
        (_encoded("PNG")[:-30], Refusal.UNREADABLE),  # truncated: verify() reads it through
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", Refusal.UNREADABLE),
    ],
)
def test_each_refusal_is_named(raw: bytes, refusal: Refusal) -> None:
    with pytest.raises(ImageRefused) as refused:
        reencode(raw, LIMITS, "RGB", "PNG")
    assert refused.value.refusal is refusal


def test_a_refusal_says_what_the_header_claimed() -> None:
    with pytest.raises(ImageRefused) as refused:
        reencode(_encoded("PNG", (2000, 1000), "1"), LIMITS, "RGB", "PNG")
    assert (refused.value.kind, refused.value.size) == ("PNG", (2000, 1000))


def test_the_new_file_is_shrunk_to_the_longest_side_in_the_asked_mode() -> None:
    clean = reencode(_encoded("PNG", (300, 200), "RGBA"), LIMITS, "RGB", "JPEG", quality=85)
    with Image.open(io.BytesIO(clean.data)) as img:
        assert (img.format, img.mode, img.size) == ("JPEG", "RGB", (100, 67))
    assert (clean.width, clean.height) == (100, 67)


def test_logo_and_photo_keep_their_own_limits_and_words() -> None:
    wide = _encoded("PNG", (6000, 4500), "1")  # 27 megapixels: above a logo's, below a photo's
    with pytest.raises(LogoError, match="6000x4500 piksel terlalu besar untuk logo"):
        clean_logo(wide)
    data, width, height = clean_image(wide)
    assert (width, height) == (MAX_SIDE, 1200) and data.startswith(b"\xff\xd8")  # a JPEG
    with pytest.raises(LogoError, match="Format BMP tidak diterima"):
        clean_logo(_encoded("BMP"))
    assert clean_image(_encoded("BMP"))[1:] == (300, 200)  # a photo may come in any format
    with pytest.raises(PublishError, match="bukan gambar yang dapat dibaca"):
        clean_image(b"")
    with pytest.raises(PublishError, match="Resolusi foto terlalu besar"):
        clean_image(_encoded("PNG", (8000, 8000), "1"))
