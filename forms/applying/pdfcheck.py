"""Opening an uploaded PDF with qpdf (through pikepdf), in a child process.

Run as a script by forms/applying/uploads.py: the PDF comes on standard input; on success
the exit status is 0 and standard output holds the PDF rewritten by qpdf (only
the objects a reader reaches, earlier revisions and anything after the last
``%%EOF`` dropped), so what is stored is exactly what was checked. A refusal
exits with status 2 and writes one reason code (REASONS) to standard output.

A child process because qpdf is C++: a hostile file (a flate bomb inside an
object stream, millions of objects) cannot be interrupted from Python. The child
gets limits on memory and CPU time, the parent a wall-clock timeout. This module
imports nothing from Django so the child starts in a tenth of a second.

qpdf resolves cross-reference streams, object streams and incremental updates
the way a reader does, and decodes escaped names (``/J#61vaScript`` is
``/JavaScript``), so every check below looks at parsed objects, never at bytes.
"""

import io
import resource
import sys
import time

REFUSED_EXIT = 2
REASONS = ("damaged", "encrypted", "active", "too_big")

# Work bounds. No applicant material needs more; a hostile file meets them first.
MAX_PAGES = 500
MAX_OBJECTS = 50_000
MAX_NODES = 2_000_000  # direct objects visited in all dictionaries and arrays
MAX_DEPTH = 64
CPU_SECONDS = 10
MEMORY_BYTES = 1536 * 1024 * 1024

# Dictionary keys that carry active content or hidden payloads.
ACTIVE_KEYS = {
    "/JS",
    "/JavaScript",
    "/OpenAction",
    "/AA",
    "/Launch",
    "/EmbeddedFiles",
    "/EmbeddedFile",
    "/EF",
    "/RichMedia",
    "/RichMediaContent",
    "/RichMediaSettings",
    "/XFA",
    "/Encrypt",
}
# Names that make a dictionary an action or annotation of those kinds
# (/S /JavaScript, /S /Launch, /Subtype /FileAttachment, ...); GoToR and GoToE
# open other files, SubmitForm and ImportData exchange data with elsewhere.
ACTIVE_NAMES = {
    "/JavaScript",
    "/Launch",
    "/RichMedia",
    "/RichMediaExecute",
    "/EmbeddedFile",
    "/FileAttachment",
    "/GoToE",
    "/GoToR",
    "/ImportData",
    "/SubmitForm",
}


class Refused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _walk(root, budget: list[int], deadline: float) -> None:
    """Refuse if any dictionary reached directly from ``root`` is active.

    Indirect objects are not followed: each is visited once as its own root."""
    # Only the child loads qpdf: the web process imports this module for REASONS.
    import pikepdf

    stack = [(root, 0)]
    while stack:
        obj, depth = stack.pop()
        budget[0] -= 1
        if budget[0] < 0 or depth > MAX_DEPTH:
            raise Refused("too_big")
        if budget[0] % 4096 == 0 and time.monotonic() > deadline:
            raise Refused("too_big")
        if isinstance(obj, pikepdf.Stream):
            obj = obj.stream_dict
        if isinstance(obj, pikepdf.Dictionary):
            keys = set(obj.keys())
            if keys & ACTIVE_KEYS:
                raise Refused("active")
            for key in keys:
                child = obj.get(key)
                if isinstance(child, pikepdf.Name) and str(child) in ACTIVE_NAMES:
                    raise Refused("active")
                if isinstance(child, pikepdf.Dictionary | pikepdf.Array) and not (
                    child.is_indirect
                ):
                    stack.append((child, depth + 1))
        elif isinstance(obj, pikepdf.Array):
            for child in obj:
                if isinstance(child, pikepdf.Name) and str(child) in ACTIVE_NAMES:
                    raise Refused("active")
                if isinstance(child, pikepdf.Dictionary | pikepdf.Array) and not (
                    child.is_indirect
                ):
                    stack.append((child, depth + 1))


def inspect(data: bytes, seconds: float = CPU_SECONDS) -> bytes:
    """The PDF rewritten without history, or Refused with a reason code."""
    # Only the child loads qpdf: the web process imports this module for REASONS.
    import pikepdf

    deadline = time.monotonic() + seconds
    try:
        # No recovery: a file whose cross-reference data is broken would be read
        # by guesswork, and readers may guess differently than qpdf does.
        pdf = pikepdf.open(io.BytesIO(data), attempt_recovery=False)
    except pikepdf.PasswordError as error:
        raise Refused("encrypted") from error
    except (pikepdf.PdfError, ValueError, RecursionError) as error:
        raise Refused("damaged") from error
    with pdf:
        if pdf.is_encrypted or "/Encrypt" in pdf.trailer:
            raise Refused("encrypted")
        try:
            if pdf.Root.get("/Type") != pikepdf.Name.Catalog:
                raise Refused("damaged")
            # An explicit destination ("open at page 1, fit width"), as office
            # suites write, is not an action: it is dropped, not refused.
            if isinstance(pdf.Root.get("/OpenAction"), pikepdf.Array):
                del pdf.Root["/OpenAction"]
            pages = len(pdf.pages)
            if pages == 0:
                raise Refused("damaged")
            if pages > MAX_PAGES:
                raise Refused("too_big")
            # The cross-reference size is known before any object is loaded.
            if int(pdf.trailer.get("/Size", 0)) > MAX_OBJECTS + 1:
                raise Refused("too_big")
            objects = pdf.objects
            if len(objects) > MAX_OBJECTS:
                raise Refused("too_big")
            budget = [MAX_NODES]
            _walk(pdf.trailer, budget, deadline)
            for obj in objects:
                _walk(obj, budget, deadline)
            output = io.BytesIO()
            # Streams are copied as they are, never decoded: a compressed bomb
            # in page content stays a small compressed stream.
            pdf.save(
                output,
                stream_decode_level=pikepdf.StreamDecodeLevel.none,
                object_stream_mode=pikepdf.ObjectStreamMode.preserve,
                fix_metadata_version=False,
                deterministic_id=True,
            )
        except Refused:
            raise
        except (pikepdf.PdfError, ValueError, RecursionError, KeyError) as error:
            raise Refused("damaged") from error
    return output.getvalue()


def main() -> int:
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS + 1))
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    data = sys.stdin.buffer.read()
    try:
        result = inspect(data)
    except Refused as refusal:
        sys.stdout.write(refusal.reason)
        return REFUSED_EXIT
    except MemoryError:
        sys.stdout.write("too_big")
        return REFUSED_EXIT
    sys.stdout.buffer.write(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
