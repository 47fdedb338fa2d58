"""Release photos through the publish form: upright, resized, no EXIF, alt text, og:image."""

from __future__ import annotations

import io
import re

from PIL import Image

from tests.conftest import AppEnv
from tests.newsroom.fixtures import approved_document
from tests.writing_web.desk_fixtures import add_issue, logged_in

CAMERA_MAKE, ORIENTATION = 0x010F, 0x0112


def _phone_photo() -> bytes:
    """A 2400x1800 JPEG shot sideways (orientation 6), with the camera's make in its EXIF."""
    exif = Image.Exif()
    exif[CAMERA_MAKE] = "KameraRahasia"
    exif[ORIENTATION] = 6
    out = io.BytesIO()
    Image.new("RGB", (2400, 1800), (30, 90, 160)).save(out, "JPEG", exif=exif)
    return out.getvalue()


def _publish(env: AppEnv, photo: bytes, alt: str):  # type: ignore[no-untyped-def]
    with env.db.writer() as s:
        doc_id = approved_document(s, env.settings, issue_id=add_issue(env))
    koord, token = logged_in(env, "koord")
    return koord.post(
        f"/kelola-rilis/terbitkan/{doc_id}",
        data={"csrf_token": token, "photo_alt": alt},
        files={"photo": ("posko.jpg", photo, "image/jpeg")},
        follow_redirects=False,
    )


def test_photo_is_upright_resized_stripped_and_described(app_env: AppEnv) -> None:
    raw = _phone_photo()
    assert b"KameraRahasia" in raw
    done = _publish(app_env, raw, "Petugas BPBD mendata pengungsi di posko Temindung")
    assert done.status_code == 303
    public = app_env.client()
    listing = public.get("/rilis").text
    slug = re.search(r'<h2><a href="/rilis/([a-z0-9-]+)"', listing).group(1)
    page = public.get(f"/rilis/{slug}").text
    src = re.search(r'<img src="(/rilis/foto/\d+\.jpg)" alt="Petugas BPBD', page)
    assert src is not None and 'content="summary_large_image"' in page
    assert re.search(r'<meta property="og:image" content="http://[^"]+/rilis/foto/\d+\.jpg">', page)
    served = public.get(src.group(1))
    assert served.headers["content-type"] == "image/jpeg" and "etag" in served.headers
    assert b"KameraRahasia" not in served.content
    image = Image.open(io.BytesIO(served.content))
    assert image.size == (1200, 1600)  # turned upright, longest side 1600
    assert not image.getexif()


def test_bad_photo_or_missing_alt_publishes_nothing(app_env: AppEnv) -> None:
    no_alt = _publish(app_env, _phone_photo(), "")
    assert no_alt.status_code == 422 and 'id="publish-error"' in no_alt.text
    not_image = _publish(app_env, b"%PDF-1.7 bukan gambar", "Foto")
    assert not_image.status_code == 422 and "bukan gambar" in not_image.text
    assert 'id="no-releases"' in app_env.client().get("/rilis").text
