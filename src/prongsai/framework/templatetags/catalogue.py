"""`{% catalogue_notice plan %}`: which catalogue the year works against, and whether it is provisional."""

from django import template

from prongsai.framework.catalogue import UnknownFrameworkYear, framework_for_plan, version_note

register = template.Library()


@register.inclusion_tag("framework/_notice.html", takes_context=True)
def catalogue_notice(context, plan):
    try:
        framework = framework_for_plan(plan)
    except UnknownFrameworkYear:
        framework = None
    user = context.get("user")
    from prongsai.agencies import policy

    can_move = bool(user and policy.can(user, plan.agency, policy.EDIT_YEAR))
    note = version_note(framework, plan.agency.digits) if framework else ""
    return {"framework": framework, "note": note, "plan": plan, "agency": plan.agency, "can_move": can_move}
