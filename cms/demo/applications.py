"""Demo applicants and their applications, drafts and submitted cases.

Everything goes through forms.applying.services (start, save_step, submit) exactly as the
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
from forms.applying import services
from forms.builder.fields import region_index
from forms.models import Application, ApplicationFormPage, ApplicationStatus

from . import DEMO_PASSWORD
from .files import DemoDataError, read_json
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
    """Input names and values (see forms/builder/fields.py) for answers by key."""
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


def _answer(value):
    """An answer of data/applications.json as post_inputs takes it: an ID
    document is {"id": kind, "person": key of IDS} (or "number"), a region
    {"region": code}."""
    if isinstance(value, dict) and set(value) in ({"id", "person"}, {"id", "number"}):
        number = IDS[value["person"]] if "person" in value else value["number"]
        return ID(value["id"], number)
    if isinstance(value, dict) and set(value) == {"region"}:
        return Region(value["region"])
    if isinstance(value, dict):
        return {key: _answer(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_answer(item) for item in value]
    return value


# The demo applications, filled in and submitted through the applicant's
# services (forms/applying/services.py), as the browser would.
APPLICATIONS = [
    DemoApplication(**{**record, "answers": _answer(record["answers"])})
    for record in read_json("applications.json")
]


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
