"""Demo applicants and their applications, drafts and submitted cases.

Everything goes through forms.services (start, save_step, submit) exactly as the
applicant's pages do, so drafts are encrypted, files are checked and stored in
private storage, and submitted cases get sealed answers and receipt numbers.
Each application's start token is a uuid5 of its label: a second run finds it and
writes nothing. ``write_applications`` returns every demo application by label,
so casework can move some of them further along (accepted, returned, ...).
"""

import datetime
import io
import uuid
from dataclasses import dataclass, field

from django.contrib.auth.password_validation import validate_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from cms.accounts.models import Employer, User
from cms.core.identifiers import resident_id_check_char
from cms.departments.models import District
from forms import services
from forms.fields import region_index
from forms.models import Application, ApplicationFormPage, ApplicationStatus

from . import DEMO_PASSWORD
from .progress import Progress

DEMO_NAMESPACE = uuid.UUID("6f1c2a52-3b7e-5d0a-9c1e-5a8f0d3e7b21")


def resident_id(division: str, birth: str, sequence: str) -> str:
    """An invented resident ID number with a correct GB 11643 check character.

    The sequence's last digit is odd for men and even for women."""
    first17 = division + birth.replace("-", "") + sequence
    return first17 + resident_id_check_char(first17)


# --- invented applicants (besides demo-talent and demo-employer) ---

APPLICANTS = [
    {
        "username": "demo-talent-yang",
        "real_name": "杨启航",
        "mobile": "13800000011",
        "employer": "泉州清源新材料科技有限公司",
        "district": "丰泽区",
    },
    {
        "username": "demo-talent-su",
        "real_name": "苏婉清",
        "mobile": "13800000012",
        "employer": "晋江鸿图运动用品有限公司",
        "district": "晋江市",
    },
    {
        "username": "demo-talent-xu",
        "real_name": "许志鹏",
        "mobile": "13800000013",
        "employer": "晋江鸿图运动用品有限公司",
        "district": "晋江市",
    },
    {
        "username": "demo-talent-weber",
        "real_name": "WEBER LUKAS",
        "mobile": "13800000014",
        "employer": "南安恒达机械装备有限公司",
        "district": "南安市",
    },
    {
        "username": "demo-talent-hong",
        "real_name": "洪雅婷",
        "mobile": "13800000015",
        "employer": "泉州市滨海医院",
        "district": "丰泽区",
    },
]

IDS = {
    "chen": resident_id("350503", "1986-04-15", "013"),
    "chen_child": resident_id("350503", "2017-09-05", "026"),
    "yang": resident_id("350521", "1988-03-12", "035"),
    "su": resident_id("350582", "1990-07-08", "042"),
    "su_spouse": resident_id("350583", "1989-01-21", "057"),
    "xu": resident_id("350582", "1985-11-23", "071"),
    "xu_child1": resident_id("350582", "2014-05-18", "081"),
    "xu_child2": resident_id("350582", "2019-10-02", "094"),
    "hong": resident_id("350503", "1987-02-14", "104"),
    "hong_spouse": resident_id("350502", "1986-08-30", "117"),
    "lin_talent": resident_id("350505", "1992-12-01", "138"),
}


def write_applicants(progress: Progress) -> dict[str, User]:
    """The invented talents, created like the demo accounts (same password)."""
    users = {}
    for spec in APPLICANTS:
        user = User.objects.filter(username=spec["username"]).first()
        progress.record("demo applicants", user is None)
        if user is None:
            fields = {
                "username": spec["username"],
                "email": f"{spec['username']}@example.com",
                "real_name": spec["real_name"],
                "kind": User.Kind.TALENT,
                "mobile": spec["mobile"],
                "employer": Employer.objects.get(name=spec["employer"]),
                "district": District.objects.get(name=spec["district"]),
            }
            validate_password(DEMO_PASSWORD, User(**fields))
            user = User.objects.create_user(password=DEMO_PASSWORD, **fields)
        users[spec["username"]] = user
    for username in ("demo-talent", "demo-employer"):
        users[username] = User.objects.get(username=username)
    return users


# --- demo materials: small files that pass the upload checks ---


def demo_pdf(title: str, size: int = 0) -> bytes:
    """A minimal valid one-page PDF; ``size`` pads it to about that many bytes."""
    text = title.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")
    content = b"BT /F1 14 Tf 72 760 Td (" + text + b") Tj ET\n"
    filler = max(size - 700, 0)
    if filler:
        line = b"0 0 m 0 0 l S\n"
        content += line * (filler // len(line) + 1)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def demo_png() -> bytes:
    """A small ID-photo-like PNG (white background, grey silhouette)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (132, 192), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((41, 30, 91, 90), fill=(150, 150, 150))
    draw.rectangle((26, 100, 106, 192), fill=(150, 150, 150))
    output = io.BytesIO()
    image.save(output, "PNG")
    return output.getvalue()


def _upload(name: str) -> SimpleUploadedFile:
    if name.endswith(".png"):
        return SimpleUploadedFile(name, demo_png(), content_type="image/png")
    return SimpleUploadedFile(
        name, demo_pdf(f"Talent Harbor demo material: {name}"), "application/pdf"
    )


# --- answers as the applicant's browser would post them ---


@dataclass(frozen=True)
class ID:
    kind: str
    number: str


@dataclass(frozen=True)
class Region:
    code: str


def _region_parts(code: str) -> list[str]:
    chain, index = [], region_index()
    while code:
        chain.insert(0, code)
        code = index[code][1]
    return chain


def post_inputs(answers: dict) -> dict[str, list[str]]:
    """Input names and values (see forms/fields.py) for answers by key."""
    data: dict[str, list[str]] = {}

    def put(name: str, value) -> None:
        if isinstance(value, ID):
            data[f"{name}-kind"] = [value.kind]
            data[f"{name}-number"] = [value.number]
        elif isinstance(value, Region):
            for part, code in zip(
                ("province", "city", "district"),
                _region_parts(value.code),
                strict=False,
            ):
                data[f"{name}-{part}"] = [code]
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            data[f"{name}-rows"] = [str(len(value))]
            for index, row in enumerate(value):
                for key, sub in row.items():
                    put(f"{name}-{index}-{key}", sub)
        elif isinstance(value, list):
            data[name] = [str(v) for v in value]
        else:
            data[name] = [str(value)]

    for key, value in answers.items():
        put(key, value)
    return data


@dataclass
class DemoApplication:
    label: str
    form: str  # the guide's slug
    applicant: str
    answers: dict
    files: dict[str, list[str]] = field(default_factory=dict)
    talent: str | None = None
    submit: bool = True
    days_ago: int = 0
    # Drafts: the steps saved (all when None).
    through_step: int | None = None

    @property
    def token(self) -> uuid.UUID:
        return uuid.uuid5(DEMO_NAMESPACE, self.label)


EDUCATION_CHEN = [
    {
        "school": "厦门大学",
        "degree": "博士研究生",
        "major": "材料科学与工程",
        "graduation_date": "2014-06-30",
    },
    {
        "school": "福州大学",
        "degree": "大学本科",
        "major": "高分子材料与工程",
        "graduation_date": "2008-07-01",
    },
]

APPLICATIONS = [
    DemoApplication(
        label="recognition-chen",
        form="gaocengci-rencai-rending",
        applicant="demo-talent",
        days_ago=118,
        answers={
            "id_document": ID("resident", IDS["chen"]),
            "gender": "男",
            "birth_date": "1986-04-15",
            "nationality": "中国",
            "employer_region": Region("350503"),
            "position": "研发中心主任",
            "professional_title": "正高级工程师",
            "join_date": "2021-03-01",
            "tier": "第四层次人才",
            "qualification_category": "省级人才计划入选者",
            "qualification_detail": "第四层次第6条：入选福建省引进高层次创业创新人才"
            "“百人计划”。",
            "education": EDUCATION_CHEN,
            "honours": "2023年 福建省科学技术进步奖二等奖（排名第二）\n"
            "授权发明专利 7 项",
            "consent": "on",
        },
        files={
            "id_scan": ["身份证正反面.pdf"],
            "degree_certificates": ["博士学位证书.pdf", "博士毕业证书.pdf"],
            "labour_contract": ["劳动合同.pdf"],
            "social_insurance": ["社保缴费证明.pdf"],
            "qualification_proof": ["百人计划入选文件.pdf"],
        },
    ),
    DemoApplication(
        label="recognition-yang-by-employer",
        form="gaocengci-rencai-rending",
        applicant="demo-employer",
        talent="demo-talent-yang",
        days_ago=76,
        answers={
            "id_document": ID("resident", IDS["yang"]),
            "gender": "男",
            "birth_date": "1988-03-12",
            "nationality": "中国",
            "employer_region": Region("350503"),
            "position": "工艺工程师",
            "join_date": "2022-07-15",
            "tier": "第六层次人才",
            "qualification_category": "博士研究生及青年拔尖人才",
            "qualification_detail": "第六层次第2条：全日制博士研究生学历，"
            "与我市用人单位签订3年以上劳动合同。",
            "education": [
                {
                    "school": "华侨大学",
                    "degree": "博士研究生",
                    "major": "化学工程与技术",
                    "graduation_date": "2022-06-30",
                }
            ],
            "consent": "on",
        },
        files={
            "id_scan": ["杨启航身份证.pdf"],
            "degree_certificates": ["博士学位证书.pdf"],
            "labour_contract": ["劳动合同（杨启航）.pdf"],
            "social_insurance": ["社保缴费证明.pdf"],
        },
    ),
    DemoApplication(
        label="schooling-xu",
        form="zinv-yiwu-jiaoyu-ruxue",
        applicant="demo-talent-xu",
        days_ago=61,
        answers={
            "id_document": ID("resident", IDS["xu"]),
            "tier": "第五层次人才",
            "certificate_number": "QZGC-2024-0312",
            "household_in_quanzhou": "no",
            "children": [
                {
                    "child_name": "许沐阳",
                    "child_id": ID("resident", IDS["xu_child1"]),
                    "child_birth_date": "2014-05-18",
                    "current_school": "厦门市思明区实验小学",
                    "grade": "初中一年级",
                },
                {
                    "child_name": "许沐晴",
                    "child_id": ID("resident", IDS["xu_child2"]),
                    "child_birth_date": "2019-10-02",
                    "current_school": "无",
                    "grade": "小学一年级",
                },
            ],
            "enrolment_type": "插班转学",
            "desired_district": Region("350582"),
            "school_preference": "就近安排公办学校",
            "consent": "on",
        },
        files={
            "child_documents": [
                "出生医学证明（许沐阳）.pdf",
                "出生医学证明（许沐晴）.pdf",
            ],
            "talent_certificate": ["高层次人才认定证书.pdf"],
            "residence_proof": ["居住证.pdf"],
            "school_record": ["学籍证明.pdf"],
        },
    ),
    DemoApplication(
        label="housing-su-rent",
        form="jinjiang-anju-buzhu",
        applicant="demo-talent-su",
        days_ago=44,
        answers={
            "id_document": ID("resident", IDS["su"]),
            "tier": "第五层次人才",
            "certificate_number": "QZGC-2025-0588",
            "marital_status": "已婚",
            "spouse_name": "蔡文博",
            "owns_home": "no",
            "lease_start": "2025-09-01",
            "monthly_rent": "2800",
            "rental_address": "晋江市青阳街道世纪大道 318 号 12 栋 1503 室",
            "other_subsidy": "no",
            "bank_name": "中国工商银行晋江支行",
            "bank_account": "6222021408001234560",
            "consent": "on",
        },
        files={
            "lease_contract": ["房屋租赁合同.pdf", "租赁登记备案证明.pdf"],
            "id_scan": ["身份证.pdf"],
            "bank_card": ["银行卡.pdf"],
        },
    ),
    DemoApplication(
        label="residence-weber",
        form="waiji-rencai-juliu-xuke",
        applicant="demo-talent-weber",
        days_ago=29,
        answers={
            "chinese_name": "韦卢卡",
            "id_document": ID("passport", "C01X00T47"),
            "gender": "男",
            "birth_date": "1984-06-09",
            "nationality": "德国",
            "passport_expiry": "2031-05-20",
            "work_permit_number": "350583202400012345",
            "work_permit_expiry": "2028-03-31",
            "position": "首席工程师",
            "residence_years": "3年",
            "residence_address": "南安市溪美街道成功街 88 号 2 幢 901 室",
            "accommodation_registered": "yes",
            "family_members": [
                {
                    "member_name": "WEBER ANNA",
                    "relation": "配偶",
                    "member_passport": "C01X00R83",
                    "member_birth_date": "1986-02-11",
                }
            ],
            "consent": "on",
        },
        files={
            "passport_photo_page": ["passport.pdf"],
            "work_permit_scan": ["work-permit.pdf"],
            "photo": ["photo.png"],
            "accommodation_form": ["住宿登记表.pdf"],
        },
    ),
    DemoApplication(
        label="spouse-su",
        form="peiou-jiuye-anzhi",
        applicant="demo-talent-su",
        days_ago=19,
        answers={
            "id_document": ID("resident", IDS["su"]),
            "tier": "第五层次人才",
            "certificate_number": "QZGC-2025-0588",
            "spouse_name": "蔡文博",
            "spouse_id": ID("resident", IDS["su_spouse"]),
            "spouse_mobile": "13900000021",
            "spouse_education": "硕士研究生",
            "spouse_major": "公共管理",
            "spouse_previous_employer": "厦门市湖里区人民政府办公室",
            "spouse_previous_position": "综合科科员",
            "spouse_is_civil_servant": "yes",
            "establishment_type": "公务员（含参照公务员法管理）",
            "current_rank": "二级主任科员",
            "accept_transfer": "yes",
            "employment_preference": ["机关事业单位（限在编人员对口安置）"],
            "preferred_district": Region("350582"),
            "consent": "on",
        },
        files={
            "marriage_certificate": ["结婚证.pdf"],
            "spouse_id_scan": ["配偶身份证.pdf"],
            "spouse_employment_proof": ["原单位工作证明.pdf"],
            "establishment_proof": ["在编证明.pdf"],
        },
    ),
    DemoApplication(
        label="housing-xu-purchase",
        form="jinjiang-anju-buzhu",
        applicant="demo-talent-xu",
        days_ago=9,
        answers={
            "id_document": ID("resident", IDS["xu"]),
            "tier": "第五层次人才",
            "certificate_number": "QZGC-2024-0312",
            "marital_status": "已婚",
            "spouse_name": "王丽华",
            "owns_home": "yes",
            "purchase_date": "2025-12-06",
            "purchase_price": "1860000",
            "floor_area": "128.56",
            "house_address": "晋江市池店镇世茂御龙湾 6 栋 2102 室",
            "other_subsidy": "no",
            "bank_name": "中国建设银行晋江分行",
            "bank_account": "6217001930005678124",
            "consent": "on",
        },
        files={
            "purchase_contract": ["商品房买卖合同.pdf"],
            "id_scan": ["身份证.pdf"],
            "bank_card": ["银行卡.pdf"],
        },
    ),
    # Drafts, recent enough to outlive the draft retention period for a while.
    DemoApplication(
        label="schooling-chen-draft",
        form="zinv-yiwu-jiaoyu-ruxue",
        applicant="demo-talent",
        submit=False,
        days_ago=6,
        through_step=3,
        answers={
            "id_document": ID("resident", IDS["chen"]),
            "tier": "第四层次人才",
            "certificate_number": "QZGC-2026-0041",
            "household_in_quanzhou": "yes",
            "children": [
                {
                    "child_name": "陈语桐",
                    "child_id": ID("resident", IDS["chen_child"]),
                    "child_birth_date": "2017-09-05",
                    "current_school": "泉州市丰泽区第二实验小学",
                    "grade": "小学四年级",
                }
            ],
            "enrolment_type": "插班转学",
        },
        files={"child_documents": ["出生医学证明.pdf"]},
    ),
    DemoApplication(
        label="recognition-weber-draft",
        form="gaocengci-rencai-rending",
        applicant="demo-talent-weber",
        submit=False,
        days_ago=3,
        through_step=4,
        answers={
            "id_document": ID("passport", "C01X00T47"),
            "gender": "男",
            "birth_date": "1984-06-09",
            "nationality": "德国",
            "employer_region": Region("350583"),
            "position": "首席工程师",
            "join_date": "2024-02-19",
        },
        files={"id_scan": ["passport.pdf"]},
    ),
    DemoApplication(
        label="spouse-hong-draft",
        form="peiou-jiuye-anzhi",
        applicant="demo-talent-hong",
        submit=False,
        days_ago=4,
        through_step=3,
        answers={
            "id_document": ID("resident", IDS["hong"]),
            "tier": "第三层次人才",
            "certificate_number": "QZGC-2023-0087",
            "spouse_name": "郭振宇",
            "spouse_id": ID("resident", IDS["hong_spouse"]),
        },
        files={"marriage_certificate": ["结婚证.pdf"]},
    ),
    DemoApplication(
        label="recognition-by-employer-draft",
        form="gaocengci-rencai-rending",
        applicant="demo-employer",
        submit=False,
        days_ago=1,
        through_step=4,
        answers={
            "full_name": "林书瑶",
            "id_document": ID("resident", IDS["lin_talent"]),
            "gender": "女",
            "birth_date": "1992-12-01",
            "nationality": "中国",
        },
        files={"labour_contract": ["劳动合同（林书瑶）.pdf"]},
    ),
]


class DemoDataError(RuntimeError):
    """The demo answers do not pass the form's validation: a bug in this module."""


def _fill(application: Application, demo: DemoApplication) -> None:
    """Save each step as the applicant's browser would, files included."""
    inputs = {**application.get_draft_data(), **post_inputs(demo.answers)}
    post = MultiValueDict(inputs)
    for step in services.steps_of(application):
        if demo.through_step and step.number > demo.through_step:
            break
        keys = {entry.key for entry in step.field_entries}
        uploads = MultiValueDict(
            {
                key: [_upload(name) for name in names]
                for key, names in demo.files.items()
                if key in keys
            }
        )
        result = services.save_step(application, step, post, uploads)
        if demo.submit and not result.form.is_valid():
            raise DemoDataError(
                f"{demo.label}, step {step.number}: {result.form.errors}"
            )


def _spread_in_time(application: Application, days_ago: int) -> None:
    """Backdate the demo case, within this year (receipt numbers carry the year)."""
    # The hall's year and hour (China time): in UTC, 1 January 09:00 is still to
    # come all morning in China, and before 08:00 it falls in the year before.
    now = timezone.localtime()
    start_of_year = now.replace(
        month=1, day=1, hour=9, minute=0, second=0, microsecond=0
    )
    moment = max(
        now - datetime.timedelta(days=days_ago, hours=3), min(start_of_year, now)
    )
    fields = {"created_at": moment - datetime.timedelta(hours=2), "updated_at": moment}
    if application.status != ApplicationStatus.DRAFT:
        fields["submitted_at"] = moment
    Application.objects.filter(pk=application.pk).update(**fields)
    application.refresh_from_db()


def write_applications(
    progress: Progress, pages: dict[str, ApplicationFormPage]
) -> dict[str, Application]:
    """Every demo application by label, created when missing."""
    users = write_applicants(progress)
    found = {
        application.start_token: application
        for application in Application.objects.filter(
            start_token__in=[demo.token for demo in APPLICATIONS]
        )
    }
    applications = {}
    # Oldest first, so receipt numbers grow with the submission dates.
    for demo in sorted(APPLICATIONS, key=lambda demo: -demo.days_ago):
        application = found.get(demo.token)
        progress.record("demo applications", application is None)
        if application is None:
            form = pages[demo.form]
            applicant = users[demo.applicant]
            if not form.accepts(applicant):
                raise DemoDataError(f"{demo.label}: {applicant} may not use this form")
            talent = users[demo.talent] if demo.talent else None
            application = services.start(form, applicant, demo.token, talent=talent)
            _fill(application, demo)
            if demo.submit:
                try:
                    application = services.submit(application)
                except services.SubmitRefused as refused:
                    raise DemoDataError(
                        f"{demo.label}: {refused.evaluation.errors_by_step}"
                    ) from refused
            _spread_in_time(application, demo.days_ago)
        applications[demo.label] = application
    return applications
