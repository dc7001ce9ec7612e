"""StreamField blocks shared by every page body."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("heading"), max_length=120)
    level = blocks.ChoiceBlock(
        label=_("level"),
        choices=[("h2", _("Section")), ("h3", _("Subsection"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        label = _("Heading")
        description = _("A section heading inside the body.")
        preview_value = {"text": "申报条件", "level": "h2"}


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=200)
    alt_text = blocks.CharBlock(
        label=_("alternative text"),
        required=False,
        max_length=200,
        help_text=_("Describe the image for people who cannot see it."),
    )

    class Meta:
        icon = "image"
        template = "blocks/captioned_image_block.html"
        label = _("Image")
        description = _("An image with a caption.")
        preview_value = {"caption": "人才大厦服务专窗"}


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(label=_("link text"), required=False, max_length=120)

    class Meta:
        icon = "doc-full"
        template = "blocks/document_link_block.html"
        label = _("Document link")
        description = _("A link to download a document.")
        preview_value = {"title": "申报表（模板）"}


class NoticeBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("kind"),
        choices=[("info", _("Information")), ("warning", _("Important"))],
        default="info",
    )
    title = blocks.CharBlock(label=_("title"), required=False, max_length=80)
    text = blocks.RichTextBlock(label=_("text"), features=["bold", "link", "ol", "ul"])

    class Meta:
        icon = "warning"
        template = "blocks/notice_block.html"
        label = _("Notice")
        description = _("A highlighted box for what readers must not miss.")
        preview_value = {
            "kind": "warning",
            "title": "温馨提示",
            "text": "<p>请于截止日期前提交。</p>",
        }


class BodyStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"),
        icon="pilcrow",
        features=["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"],
    )
    image = CaptionedImageBlock()
    document = DocumentLinkBlock()
    notice = NoticeBlock()
    table = TableBlock(label=_("Table"), icon="table")

    class Meta:
        label = _("Body")
