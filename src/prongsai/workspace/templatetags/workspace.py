"""Template filters the web pages use to show the workspace's buttons only to those who may edit.

    {% load workspace %}{% if agency|can_edit_year:user %}…{% endif %}
"""

from django import template

from prongsai.agencies import policy

register = template.Library()


@register.filter
def can_edit_year(agency, user) -> bool:
    """Whether the user may change the agency's years (policy.EDIT_YEAR)."""
    return policy.can(user, agency, policy.EDIT_YEAR)


@register.filter
def named(error, label) -> str:
    """An error message that names its field: "label: message", unless it already starts with the label."""
    text, name = str(error), str(label or "").rstrip(": ")
    return text if not name or text.startswith(name) else f"{name}: {text}"
