"""``{% page_fragment "name" %}…{% endpage_fragment %}``: a part of a page's
template kept in the cache for the page's live revision, the visitor's
language and site, and the content generation (cms/core/fragments.py).

Only for what is the same for every visitor: never the header (the signed-in
user), messages or a form. A fragment that used a CSRF token is not kept.
"""

import logging

from django import template
from django.conf import settings

from cms.core import fragments

register = template.Library()
logger = logging.getLogger("harbor.pagecache")


class PageFragmentNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        request = context.get("request")
        key = fragments.fragment_key(
            request, self.name.resolve(context), context.get("page")
        )
        if key is None:
            return self.nodelist.render(context)
        cache = fragments.cache()
        try:
            html = cache.get(key)
        except Exception:
            logger.exception("fragment cache unavailable")
            return self.nodelist.render(context)
        if html is not None:
            # A node's output is not escaped again: the cached text goes out as
            # this very nodelist rendered it.
            return html
        token_used = request.META.get("CSRF_COOKIE_USED")
        html = self.nodelist.render(context)
        if request.META.get("CSRF_COOKIE_USED") == token_used:
            try:
                cache.set(key, str(html), settings.PAGE_CACHE_TIMEOUT)
            except Exception:
                logger.exception("fragment cache unavailable")
        return html


@register.tag
def page_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(
            f"{bits[0]} takes one argument: the fragment's name"
        )
    nodelist = parser.parse(("endpage_fragment",))
    parser.delete_first_token()
    return PageFragmentNode(nodelist, parser.compile_filter(bits[1]))
