"""Checking applicant uploads by their content (SECURITY.md F1-F3).

The browser's file name and Content-Type decide nothing: the first bytes must be
those of an allowed type and the file must parse. Images are re-encoded (dropping
EXIF, GPS included, and anything appended); PDFs with scripts, launch actions,
embedded files or encryption are refused.
"""

import hashlib
import io
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

# Decompression bombs: no applicant scan needs more than 50 megapixels.
MAX_PIXELS = 50_000_000
PDF_ACTIVE_CONTENT = re.compile(
    rb"/(JavaScript|JS|OpenAction|Launch|EmbeddedFiles?|RichMedia|AA|Encrypt|XFA)\b"
)
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


def _reencode_image(data: bytes, kind: str) -> bytes:
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    _("The image is too large (%(pixels)s megapixels at most).")
                    % {"pixels": MAX_PIXELS // 1_000_000}
                )
            image.load()
            output = io.BytesIO()
            if kind == "jpg":
                image.convert("RGB").save(output, "JPEG", quality=90)
            else:
                image.save(output, "PNG")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise ValidationError(_("The image cannot be read.")) from error
    return output.getvalue()


def _check_pdf(data: bytes) -> None:
    if b"%%EOF" not in data[-2048:]:
        raise ValidationError(_("The PDF file is incomplete or damaged."))
    if PDF_ACTIVE_CONTENT.search(data):
        raise ValidationError(
            _(
                "The PDF contains scripts, attachments or encryption, which are not "
                "accepted. Print it to a new PDF and upload that."
            )
        )


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
        _check_pdf(data)
    else:
        data = _reencode_image(data, kind)
    return CheckedFile(original_name=name, kind=kind, content=data)
