"""Filters over prongsai.portal.links for the portal templates: {{ version|version_path }}."""

from django import template

from prongsai.portal import links

register = template.Library()


@register.filter
def version_path(version) -> str:
    return links.version_path(version)


@register.filter
def publication_path(publication) -> str:
    return links.publication_path(publication)


@register.filter
def file_path(published_file) -> str:
    return links.file_path(published_file)


@register.filter
def absolute(path: str) -> str:
    return links.absolute(path)


@register.filter
def filesize(size, style=None) -> str:
    """'1.2 MB', '35 KB' in the agency's digits."""
    from prongsai.lib import thai

    style = getattr(style, "digits", style) or thai.THAI
    if size >= 1024 * 1024:
        return thai.format_number(size / 1024 / 1024, style, places=1) + " MB"
    return thai.format_number(max(1, round(size / 1024)), style) + " KB"
