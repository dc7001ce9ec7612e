"""Every field type with valid and invalid input, on the server."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from freezegun import freeze_time
from PIL import Image

from forms.applying.uploads import check_upload
from forms.builder.engine import canonical
from forms.builder.fields import build_field
from tests.forms.flow import PDF


def item(kind, **extra):
    return {
        "type": kind,
        "key": "answer",
        "label": "答案",
        "required": True,
        "help_text": "",
        "condition": None,
        **extra,
    }


def clean(kind, raw, **extra):
    return canonical(kind, build_field(item(kind, **extra)).clean(raw))


def rejects(kind, raw, **extra) -> list[str]:
    with pytest.raises(ValidationError) as raised:
        build_field(item(kind, **extra)).clean(raw)
    return raised.value.messages


class TestText:
    def test_short_text_length_and_pattern(self):
        assert clean("short_text", "张三", max_length=10) == "张三"
        rejects("short_text", "张" * 11, max_length=10)
        pattern = {
            "pattern": r"[A-Z]{2}\d{6}",
            "pattern_message": "证书编号格式为两个大写字母加六位数字",
        }
        assert clean("short_text", "AB123456", **pattern) == "AB123456"
        assert rejects("short_text", "AB1234567", **pattern) == [
            "证书编号格式为两个大写字母加六位数字"
        ]
        # The whole answer must match, not a part of it.
        rejects("short_text", "xxAB123456", **pattern)

    def test_required_and_optional(self):
        rejects("short_text", "")
        assert clean("short_text", "", required=False) is None

    def test_long_text(self):
        assert clean("long_text", "一段\n说明", max_length=50) == "一段\n说明"
        rejects("long_text", "长" * 51, max_length=50)


class TestNumberAndDate:
    def test_number_bounds_and_places(self):
        assert clean("number", "120", min_value="1", max_value="5000") == "120"
        rejects("number", "0", min_value="1", max_value="5000")
        rejects("number", "5001", min_value="1", max_value="5000")
        rejects("number", "1.5", decimal_places=0)
        assert clean("number", "1.25", decimal_places=2) == "1.25"
        rejects("number", "abc")

    @freeze_time("2026-06-01")
    def test_date_bounds_and_not_in_future(self):
        assert clean("date", "2020-01-31") == "2020-01-31"
        rejects("date", "2020-02-30")
        rejects("date", "2026-06-02", not_in_future=True)
        assert clean("date", "2026-06-01", not_in_future=True) == "2026-06-01"
        rejects("date", "1899-12-31", min_date="1900-01-01")
        rejects("date", "2031-01-01", max_date="2030-12-31")


class TestChoices:
    def test_single_choice_and_dropdown(self):
        for kind in ("single_choice", "dropdown"):
            assert clean(kind, "硕士", choices=["学士", "硕士"]) == "硕士"
            rejects(kind, "院士", choices=["学士", "硕士"])

    def test_multiple_choice(self):
        assert clean("multiple_choice", ["甲", "丙"], choices=["甲", "乙", "丙"]) == [
            "甲",
            "丙",
        ]
        rejects("multiple_choice", ["丁"], choices=["甲", "乙"])

    def test_yes_no(self):
        assert clean("yes_no", "yes") == "yes"
        rejects("yes_no", "maybe")


class TestContacts:
    def test_email(self):
        assert clean("email", "a@example.com") == "a@example.com"
        rejects("email", "not-an-email")

    def test_mobile(self):
        assert clean("mobile", "139 1234 5678") == "13912345678"
        rejects("mobile", "12912345678")
        rejects("mobile", "1391234567")


class TestPersonalId:
    """docs/security.md E1 vectors."""

    kinds = {
        "id_kinds": ["resident", "passport", "hk_macau", "taiwan", "foreign_permanent"]
    }

    def resident(self, number):
        return clean("personal_id", ["resident", number], **self.kinds)

    def test_valid_and_normalised(self):
        expected = {"kind": "resident", "number": "11010519491231002X"}
        assert self.resident("11010519491231002X") == expected
        assert self.resident("11010519491231002x") == expected
        assert self.resident("１１０１０５１９４９１２３１００２Ｘ") == expected

    @pytest.mark.parametrize(
        "number",
        [
            "110105194912310021",  # check digit
            "110105194902300020",  # 30 February
            "110105209912310029",  # born in the future
            "990105194912310023",  # no such region
            "1101051949123100",  # too short
        ],
    )
    def test_invalid_resident_ids(self, number):
        rejects("personal_id", ["resident", number], **self.kinds)

    def test_other_documents(self):
        assert clean("personal_id", ["passport", "e12345678"], **self.kinds) == {
            "kind": "passport",
            "number": "E12345678",
        }
        assert clean("personal_id", ["hk_macau", "H12345678"], **self.kinds)
        rejects("personal_id", ["hk_macau", "X12345678"], **self.kinds)
        assert clean("personal_id", ["taiwan", "12345678"], **self.kinds)
        assert clean(
            "personal_id", ["foreign_permanent", "USA350200990101"], **self.kinds
        )
        rejects("personal_id", ["foreign_permanent", "12345"], **self.kinds)

    def test_document_not_offered_by_the_field_is_refused(self):
        rejects("personal_id", ["passport", "E12345678"], id_kinds=["resident"])


class TestCodesAndRegions:
    def test_uscc(self):
        assert clean("uscc", "91350100M000100Y43") == "91350100M000100Y43"
        rejects("uscc", "91350100M000100Y44")

    def test_region_levels_must_belong_together(self):
        value = clean("region", ["350000", "350500", "350503"], depth="district")
        assert value == {"code": "350503", "name": "福建省 泉州市 丰泽区"}
        rejects("region", ["350000", "110100", "350503"], depth="district")
        rejects("region", ["350000", "350500", ""], depth="district")
        assert clean("region", ["350000"], depth="province")["name"] == "福建省"


class TestGroupAndConsent:
    group = {
        "min_rows": 1,
        "max_rows": 3,
        "fields": [
            item("short_text", key="school", label="学校", max_length=50),
            item("date", key="graduated", label="毕业时间", required=False),
        ],
    }

    def test_rows_are_validated_and_empty_rows_dropped(self):
        rows = [
            {"school": "厦门大学", "graduated": "2010-07-01"},
            {"school": "", "graduated": ""},
        ]
        assert clean("group", rows, **self.group) == [
            {"school": "厦门大学", "graduated": "2010-07-01"}
        ]
        messages = rejects(
            "group", [{"school": "", "graduated": "2010-07-01"}], **self.group
        )
        assert "1" in messages[0] and "学校" in messages[0]
        rejects("group", [{"school": "", "graduated": ""}], **self.group)

    def test_consent_must_be_given(self):
        rejects("consent", False, notice="说明")
        assert clean("consent", True, notice="说明") is True


def png_bytes(size=(10, 10), mode="RGB") -> bytes:
    output = io.BytesIO()
    Image.new(mode, size).save(output, "PNG")
    return output.getvalue()


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (20, 20), "blue")
    exif = Image.Exif()
    exif[0x8825] = {2: (24.0, 53.0, 0.0)}  # GPSInfo
    exif[0x010F] = "PhoneMaker"
    output = io.BytesIO()
    image.save(output, "JPEG", exif=exif)
    return output.getvalue()


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


class TestUploads:
    """docs/security.md F1-F3: the content decides, never the name or Content-Type."""

    allowed = ["pdf", "jpg", "png"]

    def test_pdf_and_upper_case_name(self):
        checked = check_upload(upload("CERT.PDF", PDF), self.allowed, 10 * 2**20)
        assert checked.kind == "pdf" and checked.original_name == "CERT.PDF"

    @pytest.mark.parametrize(
        "name,content",
        [
            ("evil.pdf.html", b"<html><script>alert(1)</script></html>"),
            ("photo.jpg", b"<html><body>not a photo</body></html>"),
            ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'),
            ("shell.php.jpg", b"<?php system($_GET['c']); ?>"),
            ("archive.pdf", b"PK\x03\x04zipped"),
        ],
    )
    def test_refused_by_content(self, name, content):
        with pytest.raises(ValidationError):
            check_upload(upload(name, content), self.allowed, 10 * 2**20)

    def test_type_not_allowed_for_the_field(self):
        with pytest.raises(ValidationError):
            check_upload(upload("a.png", png_bytes()), ["pdf"], 10 * 2**20)

    def test_pdf_with_javascript_is_refused(self):
        evil = PDF.replace(
            b"/Type /Catalog", b"/Type /Catalog/OpenAction<</JS(app.alert(1))>>"
        )
        assert evil != PDF
        with pytest.raises(ValidationError):
            check_upload(upload("a.pdf", evil), self.allowed, 10 * 2**20)

    def test_size_limit(self):
        with pytest.raises(ValidationError):
            check_upload(upload("big.pdf", PDF + b"0" * 2048), self.allowed, 1024)

    def test_image_is_reencoded_without_exif_or_trailing_payload(self):
        content = jpeg_with_gps() + b"<script>alert(1)</script>"
        checked = check_upload(upload("p.jpg", content), self.allowed, 10 * 2**20)
        assert b"<script" not in checked.content
        assert not Image.open(io.BytesIO(checked.content)).getexif()

    def test_decompression_bomb_is_refused(self):
        bomb = png_bytes(size=(10000, 6000), mode="1")  # 60 MP, small file
        with pytest.raises(ValidationError):
            check_upload(upload("bomb.png", bomb), self.allowed, 10 * 2**20)

    def test_path_and_control_characters_leave_the_name(self):
        checked = check_upload(
            upload('../../etc/a"\r\nb.pdf', PDF), self.allowed, 2**20
        )
        assert checked.original_name == "ab.pdf"


def test_region_widget_keeps_the_choice_and_groups_the_lower_levels():
    field = build_field(item("region", depth="district"))
    html = field.widget.render(
        "home", {"code": "350503", "name": "福建省 泉州市 丰泽区"}
    )
    assert 'name="home-province"' in html and 'name="home-district"' in html
    assert 'value="350000" selected' in html
    assert 'value="350500" selected' in html
    assert 'value="350503" selected' in html
    assert '<optgroup label="福建省 泉州市">' in html
    raw = field.widget.value_from_datadict(
        {"home-province": "350000", "home-city": "350500", "home-district": ""},
        {},
        "home",
    )
    assert 'value="350500" selected' in field.widget.render("home", raw)
    rejects("region", ["999999", "", ""], depth="district")
