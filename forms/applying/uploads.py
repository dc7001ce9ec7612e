"""Checking applicant uploads by their content (docs/security.md F1-F3).

The browser's file name and Content-Type decide nothing: the first bytes must be
those of an allowed type and the file must parse. Images are re-encoded (dropping
EXIF, GPS included, and anything appended) after their header says they are of a
size worth decoding. PDFs are opened by qpdf in a bounded child process
(forms/applying/pdfcheck.py): scripts, actions, attachments, rich media, XFA and
encryption are refused wherever they sit, and what is stored is qpdf's rewrite.
"""

import hashlib
import io
import logging
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from forms.applying import pdfcheck

logger = logging.getLogger(__name__)

# Decoding costs time and memory by pixels, not by bytes: a 190 KB PNG of
# 7000 x 7000 took 11 s and 190 MB. An A4 scan at 300 dpi is 8.7 megapixels and
# a phone photo 12 to 24, so 25 is plenty, and far below Pillow's own bomb
# limit (89 megapixels), which is only a warning under twice that.
MAX_PIXELS = 25_000_000
MAX_SIDE = 12_000
PDF_CHECKER = Path(pdfcheck.__file__)
# Wall-clock bound of one PDF check (the child also has a CPU-time limit).
PDF_CHECK_SECONDS = 20
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "jpg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}
SUFFIXES = {"pdf": ".pdf", "jpg": ".jpg", "png": ".png"}


@dataclass
class CheckedFile:
    """An upload that passed every check, with the bytes to store."""

    original_name: str
    kind: str
    content: bytes

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.kind]

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @property
    def storage_name(self) -> str:
        return "upload" + SUFFIXES[self.kind]


def clean_name(name: str) -> str:
    """The original name, fit to show: no path, no control characters."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"<>')
    return name.strip()[:150] or "file"


def _sniff(head: bytes) -> str | None:
    for kind, signatures in SIGNATURES.items():
        if any(head.startswith(signature) for signature in signatures):
            return kind
    return None


def _too_large_image() -> ValidationError:
    return ValidationError(
        _("The image is too large (%(pixels)s megapixels at most).")
        % {"pixels": MAX_PIXELS // 1_000_000}
    )


def _reencode_image(data: bytes, kind: str) -> bytes:
    expected = {"jpg": "JPEG", "png": "PNG"}[kind]
    try:
        # open() reads the header only: the size is known before any decoding.
        with Image.open(io.BytesIO(data), formats=[expected]) as image:
            width, height = image.size
            if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
                raise _too_large_image()
            image.load()
            output = io.BytesIO()
            if kind == "jpg":
                image.convert("RGB").save(output, "JPEG", quality=90)
            else:
                image.save(output, "PNG")
    except Image.DecompressionBombError as error:
        raise _too_large_image() from error
    # Pillow answers oversized text or colour-profile chunks (zTXt, iCCP bombs)
    # with ValueError, and broken chunk structure with SyntaxError.
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        raise ValidationError(_("The image cannot be read.")) from error
    return output.getvalue()


PDF_REFUSALS = {
    "damaged": lambda: _(
        "The file is not a readable PDF (it may be damaged, incomplete or of "
        "another type). Save or print it to a new PDF and upload that."
    ),
    "encrypted": lambda: _(
        "The PDF is encrypted or password-protected. Upload a copy without a password."
    ),
    "active": lambda: _(
        "The PDF contains scripts, actions, attachments or interactive forms, "
        "which are not accepted. Print it to a new PDF and upload that."
    ),
    "too_big": lambda: (
        _(
            "The PDF is too complex to check (at most %(pages)s pages). Split it or "
            "print it to a new PDF and upload that."
        )
        % {"pages": pdfcheck.MAX_PAGES}
    ),
}


def _check_pdf(data: bytes) -> bytes:
    """qpdf's rewrite of the PDF, or ValidationError with the reason."""
    try:
        done = subprocess.run(  # noqa: S603 - our own script, no shell
            [sys.executable, "-I", str(PDF_CHECKER)],
            input=data,
            capture_output=True,
            timeout=PDF_CHECK_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise ValidationError(PDF_REFUSALS["too_big"]()) from error
    if done.returncode == 0 and done.stdout.startswith(b"%PDF-"):
        return done.stdout
    reason = done.stdout[:20].decode("ascii", "replace")
    if done.returncode != pdfcheck.REFUSED_EXIT or reason not in PDF_REFUSALS:
        # Killed by its memory or CPU limit, or qpdf failed in a way not foreseen.
        logger.warning(
            "PDF check ended with status %s: %s",
            done.returncode,
            done.stderr[-300:].decode("utf-8", "replace"),
        )
        reason = "too_big" if done.returncode < 0 else "damaged"
    raise ValidationError(PDF_REFUSALS[reason]())


def check_upload(upload, allowed: list[str], max_bytes: int) -> CheckedFile:
    """Validate one uploaded file; raise ValidationError with a clear reason."""
    name = clean_name(upload.name or "")
    if upload.size > max_bytes:
        raise ValidationError(
            _("%(name)s is larger than %(size)s MB.")
            % {"name": name, "size": max_bytes // (1024 * 1024)}
        )
    if "\x00" in (upload.name or ""):
        raise ValidationError(_("The file name is not valid."))
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationError(
            _("%(name)s is larger than %(size)s MB.")
            % {"name": name, "size": max_bytes // (1024 * 1024)}
        )
    kind = _sniff(data[:16])
    accepted = ", ".join(kind.upper() for kind in allowed)
    if kind is None or kind not in allowed:
        raise ValidationError(
            _("%(name)s is not an accepted file type (accepted: %(types)s).")
            % {"name": name, "types": accepted}
        )
    if kind == "pdf":
        data = _check_pdf(data)
    else:
        data = _reencode_image(data, kind)
    return CheckedFile(original_name=name, kind=kind, content=data)
