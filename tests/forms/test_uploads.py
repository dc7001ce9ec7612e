"""Uploads parsed, not grepped (docs/security.md F1-F3): PDFs through qpdf, images
measured from their header before decoding. Every hostile file is built here."""

import io
import struct
import time
import zlib

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from forms.applying import pdfcheck, uploads
from forms.applying.uploads import check_upload
from tests.forms import pdfs

ALLOWED = ["pdf", "jpg", "png"]
LIMIT = 10 * 2**20


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def refusal(content, name="材料.pdf") -> str:
    with pytest.raises(ValidationError) as caught, translation.override("en"):
        check_upload(upload(name, content), ALLOWED, LIMIT)
    return " ".join(caught.value.messages)


class TestPdfAccepted:
    def test_a_normal_pdf_is_accepted_and_rewritten_by_qpdf(self):
        data = pdfs.plain() + b"<html>trailing junk after the end</html>"
        checked = check_upload(upload("证书.pdf", data), ALLOWED, LIMIT)
        assert checked.kind == "pdf"
        assert checked.content.startswith(b"%PDF-")
        assert b"<html>" not in checked.content  # what follows %%EOF is gone
        with pikepdf.open(io.BytesIO(checked.content)) as pdf:
            assert len(pdf.pages) == 1

    def test_a_page_destination_as_open_action_is_dropped_not_refused(self):
        # Office suites write "/OpenAction [page /Fit]": a view, not an action.
        data = pdfs.with_catalog(b" /OpenAction [3 0 R /Fit]")
        checked = check_upload(upload("a.pdf", data), ALLOWED, LIMIT)
        with pikepdf.open(io.BytesIO(checked.content)) as pdf:
            assert "/OpenAction" not in pdf.Root

    def test_a_link_to_a_web_page_is_not_active_content(self):
        annotation = (
            b" /Names << >> /URI << /Base (https://example.org/) >>"  # harmless
        )
        check_upload(upload("a.pdf", pdfs.with_catalog(annotation)), ALLOWED, LIMIT)

    def test_an_incremental_update_that_only_edits_text_is_accepted(self):
        data = pdfs.incremental_update(
            pdfs.plain(), 5, b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>"
        )
        checked = check_upload(upload("a.pdf", data), ALLOWED, LIMIT)
        # The rewrite keeps the latest revision only.
        assert checked.content.count(b"%%EOF") == 1


HOSTILE = {
    "javascript open action": pdfs.with_catalog(
        b" /OpenAction << /S /JavaScript /JS (app.alert(1)) >>"
    ),
    "escaped name /J#61vaScript": pdfs.with_catalog(
        b" /OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>"
    ),
    "escaped key /Op#65nAction": pdfs.with_catalog(
        b" /Op#65nAction << /S /URI /URI (https://example.org/) >>"
    ),
    "additional actions /AA": pdfs.with_catalog(
        b" /AA << /WC << /S /URI /URI (https://example.org/) >> >>"
    ),
    "launch": pdfs.with_catalog(b" /OpenAction << /S /L#61unch /F (cmd.exe) >>"),
    "embedded files": pdfs.with_catalog(
        b" /Names << /EmbeddedFiles << /Names [(a.exe) << /Type /Filespec >>] >> >>"
    ),
    "action opening another file": pdfs.with_catalog(
        b" /Outlines << /A << /S /GoToR /F (\\\\server\\share\\x.pdf) /D [0 /Fit] >> >>"
    ),
    "rich media": pdfs.with_catalog(b" /Extra << /Subtype /RichMedia >>"),
    "xfa form": pdfs.with_catalog(b" /AcroForm << /Fields [] /XFA (x) >>"),
    "javascript name tree": pdfs.with_catalog(
        b" /Names << /JavaScript << /Names [] >> >>"
    ),
    "javascript inside an object stream": pdfs.in_object_stream(
        b" /OpenAction << /S /JavaScript /JS (app.alert(1)) >>"
    ),
    "escaped name inside an object stream": pdfs.in_object_stream(
        b" /Names << /Emb#65ddedFiles << /Names [] >> >>"
    ),
    "incremental update adding an open action": pdfs.incremental_update(
        pdfs.plain(),
        1,
        b"<< /Type /Catalog /Pages 2 0 R "
        b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>",
    ),
    "incremental update adding a page action": pdfs.incremental_update(
        pdfs.plain(),
        3,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/AA << /O << /S /JavaScript /JS (app.alert(1)) >> >> >>",
    ),
}


class TestPdfRefused:
    @pytest.mark.parametrize("name", list(HOSTILE))
    def test_active_content_is_refused_wherever_it_sits(self, name):
        assert "not accepted" in refusal(HOSTILE[name])

    def test_the_vectors_hide_from_a_byte_search(self):
        # What made the old check useless: the names are not in the bytes.
        for name in (
            "escaped name /J#61vaScript",
            "javascript inside an object stream",
        ):
            assert b"/JavaScript" not in HOSTILE[name]

    def test_an_encrypted_pdf_is_refused(self):
        data = pdfs.encrypted()
        assert "encrypted" in refusal(data)

    def test_html_after_the_pdf_header_is_refused(self):
        assert "not a readable PDF" in refusal(pdfs.html_after_header())

    @pytest.mark.parametrize(
        "content",
        [
            b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
            pdfs.plain()[:300],
            b"%PDF-" + b"\x00" * 4096,
        ],
        ids=["no pages", "truncated", "zeros"],
    )
    def test_what_is_not_a_real_pdf_is_refused(self, content):
        assert "not a readable PDF" in refusal(content)

    def test_too_many_pages_is_refused_quickly(self, monkeypatch):
        kids = b" ".join(b"3 0 R" for _ in range(pdfcheck.MAX_PAGES + 1))
        objects = [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pdfcheck.MAX_PAGES + 1),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>",
        ]
        assert "too complex" in refusal(pdfs.build(objects))

    def test_the_check_has_a_wall_clock_bound(self, monkeypatch):
        monkeypatch.setattr(uploads, "PDF_CHECK_SECONDS", 0.001)
        started = time.monotonic()
        assert "too complex" in refusal(pdfs.plain())
        assert time.monotonic() - started < 5

    def test_a_deep_nesting_is_refused_not_a_crash(self):
        nested = b"[" * 5000 + b"]" * 5000
        message = refusal(pdfs.with_catalog(b" /Deep " + nested))
        assert "too complex" in message or "not a readable PDF" in message

    def test_refusals_are_translated(self):
        with pytest.raises(ValidationError) as caught, translation.override("zh-hans"):
            check_upload(upload("a.pdf", pdfs.encrypted()), ALLOWED, LIMIT)
        assert "加密" in caught.value.messages[0]


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims this size, with one tiny compressed row."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * (width // 8 + 1)))
        + chunk(b"IEND", b"")
    )


def png_bytes(size, mode="RGB") -> bytes:
    output = io.BytesIO()
    Image.new(mode, size).save(output, "PNG")
    return output.getvalue()


class TestImages:
    def test_a_7000_by_7000_png_is_refused_from_its_header(self):
        bomb = png_bytes((7000, 7000), mode="1")  # about 49 megapixels, small file
        assert len(bomb) < 400_000
        started = time.monotonic()
        assert "too large" in refusal(bomb, "photo.png")
        assert time.monotonic() - started < 1

    def test_a_header_claiming_a_huge_size_is_refused_before_decoding(self):
        assert "too large" in refusal(png_header_only(60000, 60000), "photo.png")

    def test_one_side_too_long_is_refused(self):
        assert "too large" in refusal(png_header_only(20000, 10), "strip.png")

    def test_a_compressed_text_chunk_bomb_is_a_clear_refusal(self):
        # zTXt whose text inflates past Pillow's own text limit: ValueError.
        image = png_bytes((10, 10))
        bomb = zlib.compress(b"A" * (80 * 2**20), 9)
        body = b"ztxt" + b"Comment\x00\x00" + bomb
        body = b"zTXt" + body[4:]
        chunk = (
            struct.pack(">I", len(body) - 4)
            + body
            + struct.pack(">I", zlib.crc32(body))
        )
        evil = image[:33] + chunk + image[33:]
        message = refusal(evil, "photo.png")
        assert "cannot be read" in message or "too large" in message

    def test_a_normal_png_and_jpeg_are_accepted(self):
        checked = check_upload(
            upload("照片.png", png_bytes((600, 800))), ALLOWED, LIMIT
        )
        assert checked.kind == "png"
        output = io.BytesIO()
        Image.new("RGB", (1200, 1600), "white").save(output, "JPEG")
        checked = check_upload(upload("照片.jpg", output.getvalue()), ALLOWED, LIMIT)
        assert checked.kind == "jpg"

    def test_a_png_signature_over_a_jpeg_body_is_refused(self):
        output = io.BytesIO()
        Image.new("RGB", (10, 10)).save(output, "JPEG")
        assert "cannot be read" in refusal(
            b"\x89PNG\r\n\x1a\n" + output.getvalue(), "a.png"
        )
