"""Template filters for links to the memo pages (the permission policy decides, not the template).

    {% load memo_tags %}
    {% if agency|can_draft_memo:user %}...{% endif %}
"""

from django import template

from prongsai.agencies import policy
from prongsai.memos.access import REGISTER_READERS

register = template.Library()


@register.filter
def can_draft_memo(agency, user) -> bool:
    return policy.can(user, agency, policy.DRAFT_MEMO)


@register.filter
def can_set_memo_chain(agency, user) -> bool:
    return policy.can(user, agency, policy.EDIT_AGENCY)


@register.filter
def can_read_register(agency, user) -> bool:
    return any(policy.can(user, agency, perm) for perm in REGISTER_READERS)


@register.simple_tag
def memo_url(memo, action: str = "memo_detail", *extra) -> str:
    """The URL of an action on a memo of any kind: {% memo_url memo "memo_edit" %},
    {% memo_url memo "version_file" v.number fmt %}."""
    from django.urls import reverse

    return reverse(f"memos:{memo.url_name(action)}", args=[*memo.url_args(), *extra])
