from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def site_url() -> str:
    """The site's public address (settings.SITE_URL), for absolute links in share tags and feeds."""
    return settings.SITE_URL
