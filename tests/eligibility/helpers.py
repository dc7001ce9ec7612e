"""A small city for the eligibility tests: two districts, two service items
with guides and rules (one 免申即享)."""

from django.contrib.auth.models import Permission

from forms.models import EligibilityRule
from tests.eligibility.rules import HOUSING_AMOUNT, RULES
from tests.factories import make_district, make_guide, make_service_item, make_user


def make_city():
    district = make_district(name="丰泽测试区", code="350503")
    housing_guide = make_guide(title="购房补贴指南", slug="housing-guide")
    housing = make_service_item(guide=housing_guide, name="购房补贴")
    school_guide = make_guide(title="子女入学指南", slug="school-guide")
    school = make_service_item(guide=school_guide, name="子女入学")
    card_guide = make_guide(title="港湾卡指南", slug="card-guide")
    card = make_service_item(guide=card_guide, name="港湾卡")
    rules = {
        "housing": EligibilityRule.objects.create(
            service_item=housing,
            name="首次购房补贴",
            policy_clause="《购房补贴办法》第五条",
            logic=RULES["housing"],
            amount=HOUSING_AMOUNT,
            amount_text="20万–200万元",
            time_limit="网签后1年内",
        ),
        "school": EligibilityRule.objects.create(
            service_item=school,
            name="子女入学照顾",
            policy_clause="《子女入学保障办法》第三条",
            logic=RULES["school"],
        ),
        "card": EligibilityRule.objects.create(
            service_item=card,
            name="港湾卡发放",
            policy_clause="《服务卡管理办法》第三条",
            logic={"and": [RULES["housing"]["and"][0], RULES["housing"]["and"][1]]},
            automatic=True,
        ),
    }
    return district, rules


def staff_with(*codenames):
    user = make_user(kind="staff")
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="applications", codename__in=codenames
        ),
        Permission.objects.get(codename="access_admin"),
    )
    return user
