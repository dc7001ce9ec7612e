"""Chinese content on English pages carries lang="zh-Hans" (WCAG 3.1.2)."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from cms.core.content_lang import mark_chinese
from cms.core.templatetags.hall_tags import mark_chinese as mark_filter


def test_runs_of_chinese_are_wrapped_and_the_rest_kept_byte_for_byte():
    html = (
        '<p class="x">Address: 泉州市丰泽区 人才大厦</p>'
        "<p>A &amp; 人才&nbsp;港湾 2026年12月 rated 基本满意 or better</p>"
        '<!-- 注释 --><br/><img src=a.png alt="">'
    )
    assert mark_chinese(html) == (
        '<p class="x">Address: <span lang="zh-Hans">泉州市丰泽区 人才大厦</span></p>'
        '<p>A &amp; <span lang="zh-Hans">人才</span>&nbsp;'
        '<span lang="zh-Hans">港湾 2026年12月</span> rated '
        '<span lang="zh-Hans">基本满意</span> or better</p>'
        '<!-- 注释 --><br/><img src=a.png alt="">'
    )


def test_chinese_elements_scripts_and_attributes_are_left_alone():
    html = (
        '<a lang="zh-hans" href="/">简体中文<b>粗体</b></a>'
        '<script>var a = "中文<b>";</script><style>p::before{content:"注"}</style>'
        '<p title="中文">English only</p><input value="中">'
    )
    assert mark_chinese(html) == html


def test_an_option_takes_the_attribute_itself():
    html = (
        '<select><option value="1">福建省</option><option value="">—</option></select>'
    )
    assert mark_chinese(html) == (
        '<select><option lang="zh-Hans" value="1">福建省</option>'
        '<option value="">—</option></select>'
    )


def test_the_filter_changes_nothing_on_chinese_pages():
    html = "<p>泉州市</p>"
    with translation.override("zh-hans"):
        assert mark_filter(html) == html
    with translation.override("en"):
        assert mark_filter(html) == '<p><span lang="zh-Hans">泉州市</span></p>'


@pytest.mark.django_db
def test_an_english_page_marks_its_chinese_content():
    from tests.factories import make_policy

    policy = make_policy(title="泉州市人才住房补贴实施细则")
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    # At its English address a page with no English version is the Chinese
    # one: its content marked as a whole, the rest run by run.
    html = client.get("/en" + policy.url).content.decode()
    assert '<html lang="en">' in html
    assert re.search(r'<div lang="zh-Hans">.*泉州市人才住房补贴实施细则', html, re.S)
    assert '<span lang="zh-Hans">' in html
    chinese = Client().get(policy.url).content.decode()
    assert ' lang="zh-Hans"' not in chinese  # (hreflang="zh-Hans" is a link)


def test_escaped_markup_in_chinese_text_stays_escaped():
    """The filter marks its output safe again: what was escaped stays so."""
    from cms.core.content_lang import mark_chinese

    marked = mark_chinese("<p>&lt;script&gt;alert(1)&lt;/script&gt;人才</p>")
    assert "<script>" not in marked
    assert marked == (
        '<p>&lt;script&gt;alert(1)&lt;/script&gt;<span lang="zh-Hans">人才</span></p>'
    )
