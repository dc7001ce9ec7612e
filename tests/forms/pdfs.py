"""PDFs built byte by byte for the upload checks: normal ones and hostile ones."""

import io
import zlib

PAGE_CONTENT = b"BT /F1 14 Tf 72 760 Td (Talent Harbor test) Tj ET\n"


def _objects(catalog_extra: bytes = b"") -> list[bytes]:
    return [
        b"<< /Type /Catalog /Pages 2 0 R" + catalog_extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(PAGE_CONTENT) + PAGE_CONTENT + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]


def build(
    objects: list[bytes] | None = None, trailer_extra: bytes = b"", header=b"1.4"
) -> bytes:
    """A classic PDF (xref table) of these objects, numbered from 1."""
    objects = objects if objects is not None else _objects()
    out = bytearray(b"%PDF-" + header + b"\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\n" % (
        len(objects) + 1,
        trailer_extra,
    )
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def plain() -> bytes:
    return build()


def with_catalog(extra: bytes) -> bytes:
    return build(_objects(extra))


def incremental_update(base: bytes, number: int, body: bytes) -> bytes:
    """``base`` with an update appended that replaces object ``number``, as
    a PDF editor saves (the original bytes stay untouched in front)."""
    previous = int(base.rsplit(b"startxref", 1)[1].split()[0])
    size = int(base.rsplit(b"/Size", 1)[1].split()[0])
    out = bytearray(base)
    offset = len(out)
    out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 1\n0000000000 65535 f \n%d 1\n%010d 00000 n \n" % (
        number,
        offset,
    )
    out += b"trailer\n<< /Size %d /Root 1 0 R /Prev %d >>\n" % (size, previous)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def in_object_stream(catalog_extra: bytes) -> bytes:
    """PDF 1.5 whose catalog sits compressed inside an object stream, indexed
    by a compressed cross-reference stream: none of its names are in the
    file's bytes."""
    objects = _objects(catalog_extra)
    # Objects 1 (catalog), 2 (pages), 3 (page) and 5 (font) go into the
    # object stream 6; object 4 (the content stream) stays outside.
    packed = [1, 2, 3, 5]
    header, body = [], b""
    for number in packed:
        header.append(b"%d %d" % (number, len(body)))
        body += objects[number - 1] + b"\n"
    first = b" ".join(header) + b"\n"
    stream = zlib.compress(first + body)
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offset_4 = len(out)
    out += b"4 0 obj\n" + objects[3] + b"\nendobj\n"
    offset_6 = len(out)
    out += (
        b"6 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode "
        b"/Length %d >>\nstream\n"
        % (len(packed), len(first), len(stream))
        + stream
        + b"\nendstream\nendobj\n"
    )
    offset_7 = len(out)
    # Cross-reference stream rows: type (1 byte), field 2 (4 bytes), field 3 (2).
    rows = [b"\x00" + (0).to_bytes(4, "big") + (65535).to_bytes(2, "big")]
    for number in range(1, 8):
        if number in packed:
            rows.append(
                b"\x02"
                + (6).to_bytes(4, "big")
                + packed.index(number).to_bytes(2, "big")
            )
        else:
            offset = {4: offset_4, 6: offset_6, 7: offset_7}[number]
            rows.append(b"\x01" + offset.to_bytes(4, "big") + (0).to_bytes(2, "big"))
    xref = zlib.compress(b"".join(rows))
    out += (
        b"7 0 obj\n<< /Type /XRef /Size 8 /W [1 4 2] /Root 1 0 R "
        b"/Filter /FlateDecode /Length %d >>\nstream\n"
        % len(xref)
        + xref
        + b"\nendstream\nendobj\n"
    )
    out += b"startxref\n%d\n%%%%EOF\n" % offset_7
    return bytes(out)


def encrypted() -> bytes:
    """A PDF encrypted with an empty user password: it opens without asking."""
    import pikepdf

    pdf = pikepdf.open(io.BytesIO(plain()))
    output = io.BytesIO()
    pdf.save(output, encryption=pikepdf.Encryption(owner="owner", user=""))
    return output.getvalue()


def html_after_header() -> bytes:
    return (
        b"%PDF-1.7\n<html><body><script>alert(document.cookie)</script></body></html>\n"
    )
