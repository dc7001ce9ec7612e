"""The national service-guide elements (办事指南要素) as structured blocks."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock

# A context keeps "Copy" (复印件) apart from Django's own "Copy" (复制).
MATERIAL_FORMS = [
    ("original", pgettext_lazy("material form", "Original")),
    ("copy", pgettext_lazy("material form", "Copy")),
    ("original_and_copy", pgettext_lazy("material form", "Original and copy")),
    ("electronic", pgettext_lazy("material form", "Electronic file")),
]


class MaterialBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("material"), max_length=200)
    form = blocks.ChoiceBlock(
        label=_("original or copy"), choices=MATERIAL_FORMS, default="copy"
    )
    copies = blocks.IntegerBlock(label=_("copies"), min_value=0, default=1)
    required = blocks.BooleanBlock(label=_("required"), required=False, default=True)
    notes = blocks.CharBlock(label=_("notes"), required=False, max_length=300)
    sample = DocumentChooserBlock(
        label=_("sample or template"),
        required=False,
        help_text=_("A filled-in sample or a blank template."),
    )

    class Meta:
        icon = "doc-full"
        template = "services/blocks/material_block.html"
        label = _("Material")
        description = _("One material the applicant must provide.")
        preview_value = {
            "name": "身份证",
            "form": "copy",
            "copies": 1,
            "required": True,
            "notes": "正反面复印在同一页",
        }


class ProcessStepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("step"), max_length=60)
    description = blocks.TextBlock(label=_("what happens"), required=False)
    handler = blocks.CharBlock(label=_("handled by"), required=False, max_length=60)
    time_limit_days = blocks.IntegerBlock(
        label=_("time limit (working days)"), required=False, min_value=0
    )

    class Meta:
        icon = "list-ol"
        template = "services/blocks/process_step_block.html"
        label = _("Process step")
        description = _("One step of the handling process.")
        preview_value = {
            "title": "受理",
            "description": "窗口审查材料是否齐全",
            "handler": "服务专窗",
            "time_limit_days": 1,
        }


class LegalBasisBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("document"), max_length=200)
    article = blocks.CharBlock(label=_("article"), required=False, max_length=200)

    class Meta:
        icon = "form"
        template = "services/blocks/legal_basis_block.html"
        label = _("Legal basis")
        description = _("A law, regulation or policy this service rests on.")
        preview_value = {
            "title": "《泉州市高层次人才认定和评价办法》",
            "article": "第五条",
        }


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("question"), max_length=200)
    answer = blocks.TextBlock(label=_("answer"))

    class Meta:
        icon = "help"
        template = "services/blocks/question_block.html"
        label = _("Question and answer")
        description = _("A question applicants often ask, with its answer.")
        preview_value = {
            "question": "可以委托他人办理吗？",
            "answer": "可以，需提供授权委托书。",
        }


class ConditionBlock(blocks.CharBlock):
    class Meta:
        icon = "tick"
        label = _("Condition")
