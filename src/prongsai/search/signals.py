"""Which changes mark which index groups (prongsai.search.services.mark; rebuilt after commit).

- saves and deletes of measures, round results, evidence, memos and year plans: the plan's group;
- OIT answers: the agency-year's OIT group;
- publications and published versions: the agency's portal group (documents, reports and the
  measures of the year snapshot a report publishes);
- audit entries about a year plan (the year-file import, a rollover: they write with bulk operations,
  which send no model signals, and audit the plan): the plan's group, its OIT group and the portal group.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from prongsai.search import services, sources

_connected = False


def _plan_of_measure(measure_id) -> int | None:
    from prongsai.measures.models import Measure

    return Measure.objects.filter(pk=measure_id).values_list("plan_id", flat=True).first()


def _plan_of_result(result_id) -> int | None:
    from prongsai.measures.models import RoundResult

    return RoundResult.objects.filter(pk=result_id).values_list("measure__plan_id", flat=True).first()


def on_measure(sender, instance, **kwargs):
    services.mark(sources.plan_group(instance.plan_id))


def on_result(sender, instance, **kwargs):
    plan_id = _plan_of_measure(instance.measure_id)
    if plan_id is not None:  # None: deleted with its measure, whose own signal marks the plan
        services.mark(sources.plan_group(plan_id))


def on_evidence(sender, instance, **kwargs):
    plan_id = _plan_of_result(instance.result_id)
    if plan_id is not None:
        services.mark(sources.plan_group(plan_id))


def on_plan_child(sender, instance, **kwargs):  # Memo
    services.mark(sources.plan_group(instance.plan_id))


def on_plan(sender, instance, **kwargs):
    services.mark(sources.plan_group(instance.pk))
    services.mark(sources.oit_group(instance.agency_id, instance.fiscal_year))
    services.mark(sources.portal_group(instance.agency_id))


def on_oit_answer(sender, instance, **kwargs):
    services.mark(sources.oit_group(instance.agency_id, instance.fiscal_year))


def on_publication(sender, instance, **kwargs):
    services.mark(sources.portal_group(instance.agency_id))


def on_published_version(sender, instance, **kwargs):
    from prongsai.portal.models import Publication

    agency_id = Publication.objects.filter(pk=instance.publication_id).values_list("agency_id", flat=True).first()
    if agency_id is not None:
        services.mark(sources.portal_group(agency_id))


def on_audit(sender, instance, created=False, **kwargs):
    if not created or instance.object_type != "measures.yearplan" or not instance.object_id:
        return
    from prongsai.measures.models import YearPlan

    plan = YearPlan.objects.filter(pk=instance.object_id).values("pk", "agency_id", "fiscal_year").first()
    if plan is not None:
        services.mark(sources.plan_group(plan["pk"]))
        services.mark(sources.oit_group(plan["agency_id"], plan["fiscal_year"]))
        services.mark(sources.portal_group(plan["agency_id"]))


def connect() -> None:
    global _connected
    if _connected:
        return
    from prongsai.audit.models import AuditEntry
    from prongsai.measures.models import Evidence, Measure, RoundResult, YearPlan
    from prongsai.memos.models import Memo
    from prongsai.oit.models import OITAnswer
    from prongsai.portal.models import Publication, PublishedVersion

    for model, handler in ((Measure, on_measure), (RoundResult, on_result), (Evidence, on_evidence),
                           (Memo, on_plan_child), (YearPlan, on_plan), (OITAnswer, on_oit_answer),
                           (Publication, on_publication), (PublishedVersion, on_published_version)):
        uid = f"prongsai.search.{model._meta.label_lower}"
        post_save.connect(handler, sender=model, dispatch_uid=uid + ".save")
        post_delete.connect(handler, sender=model, dispatch_uid=uid + ".delete")
    post_save.connect(on_audit, sender=AuditEntry, dispatch_uid="prongsai.search.audit")
    _connected = True
