"""Plain builders: make_<thing>(parent=None, **overrides). No JSON fixtures."""

import datetime
import itertools

from wagtail.models import Page

from cms.accounts.models import Employer, User
from cms.core.identifiers import USCC_CHARSET, uscc_check_char
from cms.core.models import ServiceCategory, TalentTier
from cms.departments.models import Department, District
from cms.home.models import HomePage, StandardPage
from cms.news.models import NewsPage
from cms.policies.models import PolicyPage
from cms.services.models import ServiceGuidePage, ServiceItem

_counter = itertools.count(1)
PASSWORD = "Xq7!mPz2#vLw9"


def home_page() -> HomePage:
    return HomePage.objects.order_by("path").first()


def make_district(**overrides) -> District:
    n = next(_counter)
    fields = {"name": f"测试区{n}", "code": f"35{n:04d}"}
    fields.update(overrides)
    return District.objects.create(**fields)


def make_department(**overrides) -> Department:
    n = next(_counter)
    fields = {"name": f"测试部门{n}", "short_name": f"测试{n}"}
    fields.update(overrides)
    return Department.objects.create(**fields)


def valid_uscc(seed: int | None = None) -> str:
    seed = next(_counter) if seed is None else seed
    body = f"91350500{seed:09d}"[:17]
    body = "".join(c if c in USCC_CHARSET else "0" for c in body)
    return body + uscc_check_char(body)


def make_employer(**overrides) -> Employer:
    fields = {"name": f"测试企业{next(_counter)}有限公司", "uscc": valid_uscc()}
    fields.update(overrides)
    return Employer.objects.create(**fields)


def make_user(password: str = PASSWORD, groups=(), **overrides) -> User:
    n = next(_counter)
    fields = {
        "username": f"user{n}",
        "real_name": f"测试用户{n}",
        "mobile": f"139{n:08d}",
        "email": f"user{n}@example.com",
        "kind": User.Kind.TALENT,
    }
    fields.update(overrides)
    user = User.objects.create_user(password=password, **fields)
    if groups:
        user.groups.add(*groups)
    return user


def make_editor(unit, moderator: bool = False, **overrides) -> User:
    """A staff member in a unit's editor (or moderator) group."""
    group = unit.moderators_group if moderator else unit.editors_group
    department_field = (
        {"department": unit} if isinstance(unit, Department) else {"district": unit}
    )
    return make_user(
        kind=User.Kind.STAFF,
        is_staff=True,
        groups=[group],
        **department_field,
        **overrides,
    )


def _publish(parent: Page, page: Page, live: bool = True) -> Page:
    parent.add_child(instance=page)
    revision = page.save_revision()
    if live:
        revision.publish()
    else:
        page.live = False
        page.save(update_fields=["live"])
    page.refresh_from_db()
    return page


def make_policy(parent=None, live: bool = True, tiers=(), **overrides) -> PolicyPage:
    department = overrides.pop("issuing_department", None) or make_department()
    parent = parent or department.module_page
    n = next(_counter)
    fields = {
        "title": f"关于高层次人才住房补贴的实施办法{n}",
        "slug": f"policy-{n}",
        "issuing_department": department,
        "issued_on": datetime.date(2026, 3, 1),
        "document_number": f"泉人社〔2026〕{n}号",
        "summary": "高层次人才可申请住房补贴。",
        "category": ServiceCategory.objects.get(slug="housing"),
    }
    fields.update(overrides)
    page = _publish(parent, PolicyPage(**fields), live=live)
    if tiers:
        page.tiers.set(tiers)
        page.save_revision().publish() if live else page.save()
    return page


def make_guide(parent=None, live: bool = True, **overrides) -> ServiceGuidePage:
    parent = parent or make_department().module_page
    n = next(_counter)
    fields = {
        "title": f"高层次人才认定办事指南{n}",
        "slug": f"guide-{n}",
        "item_code": f"QZ-RC-{n:04d}",
        "eligible_applicants": "在泉工作的高层次人才",
        "statutory_limit_days": 20,
        "promised_limit_days": 5,
        "conditions": [("condition", "在泉州市工作并签订劳动合同")],
        "materials": [
            (
                "material",
                {
                    "name": "身份证",
                    "form": "copy",
                    "copies": 1,
                    "required": True,
                    "notes": "正反面",
                },
            ),
            (
                "material",
                {
                    "name": "获奖证书",
                    "form": "original_and_copy",
                    "copies": 1,
                    "required": False,
                    "notes": "",
                },
            ),
        ],
        "process": [
            (
                "step",
                {
                    "title": "受理",
                    "description": "窗口受理",
                    "handler": "服务专窗",
                    "time_limit_days": 1,
                },
            )
        ],
        "contact_phone": "0595-12345678",
    }
    fields.update(overrides)
    return _publish(parent, ServiceGuidePage(**fields), live=live)


def make_service_item(guide=None, **overrides) -> ServiceItem:
    fields = {
        "name": f"测试服务事项{next(_counter)}",
        "category": ServiceCategory.objects.get(slug="talent-recognition"),
        "guide": guide,
    }
    fields.update(overrides)
    if "department" not in fields:
        fields["department"] = make_department()
    return ServiceItem.objects.create(**fields)


def make_news(parent=None, live: bool = True, **overrides) -> NewsPage:
    parent = parent or make_department().module_page
    n = next(_counter)
    fields = {"title": f"人才服务新闻{n}", "slug": f"news-{n}", "summary": "新闻摘要"}
    fields.update(overrides)
    return _publish(parent, NewsPage(**fields), live=live)


def make_standard_page(parent=None, live: bool = True, **overrides) -> StandardPage:
    parent = parent or home_page()
    n = next(_counter)
    fields = {"title": f"关于大厅{n}", "slug": f"about-{n}"}
    fields.update(overrides)
    return _publish(parent, StandardPage(**fields), live=live)


def tier(code: str = "tier-1") -> TalentTier:
    return TalentTier.objects.get(code=code)


# A small form with one of most things: two steps, a condition, a group, a file.
SAMPLE_DEFINITION = [
    {"type": "step", "title": "基本信息", "description": "", "condition": None},
    {
        "type": "short_text",
        "key": "full_name",
        "label": "姓名",
        "required": True,
        "help_text": "",
        "condition": None,
        "max_length": 50,
        "prefill": "real_name",
        "pattern": "",
        "pattern_message": "",
    },
    {
        "type": "personal_id",
        "key": "id_number",
        "label": "证件号码",
        "required": True,
        "help_text": "",
        "condition": None,
        "id_kinds": ["resident", "passport"],
        "prefill": "id_number",
    },
    {
        "type": "mobile",
        "key": "mobile",
        "label": "手机号码",
        "required": True,
        "help_text": "",
        "condition": None,
        "prefill": "mobile",
    },
    {
        "type": "yes_no",
        "key": "owns_home",
        "label": "是否已在泉购房",
        "required": True,
        "help_text": "",
        "condition": None,
    },
    {
        "type": "number",
        "key": "home_price",
        "label": "购房金额（万元）",
        "required": True,
        "help_text": "",
        "min_value": "1",
        "max_value": "5000",
        "decimal_places": 0,
        "condition": {"field": "owns_home", "operator": "equals", "value": "yes"},
    },
    {"type": "step", "title": "学历与材料", "description": "", "condition": None},
    {
        "type": "group",
        "key": "education",
        "label": "学习经历",
        "required": True,
        "help_text": "",
        "condition": None,
        "min_rows": 1,
        "max_rows": 3,
        "fields": [
            {
                "type": "short_text",
                "key": "school",
                "label": "学校",
                "required": True,
                "help_text": "",
                "condition": None,
                "max_length": 100,
                "prefill": "",
                "pattern": "",
                "pattern_message": "",
            },
            {
                "type": "dropdown",
                "key": "degree",
                "label": "学位",
                "required": True,
                "help_text": "",
                "condition": None,
                "choices": ["学士", "硕士", "博士"],
            },
        ],
    },
    {
        "type": "file",
        "key": "degree_scan",
        "label": "学位证书",
        "required": True,
        "help_text": "",
        "condition": None,
        "file_types": ["pdf", "jpg", "png"],
        "max_size_mb": 2,
        "max_count": 2,
        "material_form": "原件扫描件",
    },
    {
        "type": "consent",
        "key": "consent",
        "label": "我承诺所填信息真实有效",
        "notice": "我们收集上述信息仅用于人才认定。",
    },
]


def make_form(parent=None, definition=None, live: bool = True, **overrides):
    from forms.builder.definition import stream_data_from_definition
    from forms.models import ApplicationFormPage

    parent = parent or make_guide()
    n = next(_counter)
    fields = {
        "title": f"人才认定申请{n}",
        "slug": f"apply-{n}",
        "applicant_kinds": "both",
        "form_fields": stream_data_from_definition(definition or SAMPLE_DEFINITION),
    }
    fields.update(overrides)
    return _publish(parent, ApplicationFormPage(**fields), live=live)


def english():
    from wagtail.models import Locale

    return Locale.objects.get(language_code="en")


def translate(page, title: str, **fields):
    """The English version of ``page``, published with its new ancestors."""
    locale = english()
    # Ancestors first, each an ordinary copy: Wagtail's copy_parents would
    # make them aliases, which copy every field (a module's unit too).
    for ancestor in page.get_ancestors().filter(depth__gt=1).specific():
        if ancestor.get_translation_or_none(locale) is None:
            ancestor.copy_for_translation(locale).save_revision().publish()
    translated = page.copy_for_translation(locale).specific
    translated.title = title
    for name, value in fields.items():
        setattr(translated, name, value)
    translated.save_revision().publish()
    translated.refresh_from_db()
    return translated
