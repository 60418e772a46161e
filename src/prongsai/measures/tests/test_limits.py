"""The text limits (measures.limits, issue 9) are one set of numbers: the models, the forms, the API's
schemas and the year file's schema (as published in schema.json and as validation applies it) all say
the same, and a text over its limit is refused with a Thai message naming the field and the limit.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from prongsai.api import schemas as api
from prongsai.measures import limits, services
from prongsai.measures.models import Evidence, Measure, RoundResult
from prongsai.memos import forms as memo_forms
from prongsai.memos.models import AgencyChainStep, Memo, RegisterEntry, Signer
from prongsai.workspace import forms as workspace_forms
from prongsai.yearfile import schema

# (model, field) -> the limit it must have
MODEL_FIELDS = {
    (Measure, "title"): limits.MEASURE_TITLE, (Measure, "guideline"): limits.MEASURE_GUIDELINE,
    (Measure, "steps"): limits.MEASURE_STEPS, (Measure, "responsible"): limits.MEASURE_RESPONSIBLE,
    (Measure, "monitoring"): limits.MEASURE_MONITORING,
    (RoundResult, "label"): limits.RESULT_LABEL, (RoundResult, "details"): limits.RESULT_DETAILS,
    (RoundResult, "period"): limits.RESULT_PERIOD, (RoundResult, "outputs"): limits.RESULT_OUTPUTS,
    (RoundResult, "outcomes"): limits.RESULT_OUTCOMES, (RoundResult, "remarks"): limits.RESULT_REMARKS,
    (Evidence, "title"): limits.EVIDENCE_TITLE, (Evidence, "url"): limits.EVIDENCE_URL,
    (Memo, "subject"): limits.MEMO_SUBJECT, (Memo, "addressee"): limits.MEMO_ADDRESSEE,
    (Memo, "report_preparer_name"): limits.REPORT_PREPARER_NAME,
    (Memo, "report_preparer_position"): limits.REPORT_PREPARER_POSITION,
    (Signer, "name"): limits.SIGNER_NAME, (Signer, "rank"): limits.SIGNER_RANK,
    (Signer, "position"): limits.SIGNER_POSITION, (Signer, "comment"): limits.SIGNER_COMMENT,
    (Signer, "return_reason"): limits.RETURN_REASON,
    (RegisterEntry, "subject"): limits.MEMO_SUBJECT, (AgencyChainStep, "position"): limits.SIGNER_POSITION,
}

# (API schema, field) -> limit
API_FIELDS = {
    (api.MeasureIn, "title"): limits.MEASURE_TITLE, (api.MeasureIn, "guideline"): limits.MEASURE_GUIDELINE,
    (api.MeasureIn, "steps"): limits.MEASURE_STEPS, (api.MeasureIn, "responsible"): limits.MEASURE_RESPONSIBLE,
    (api.MeasureIn, "monitoring"): limits.MEASURE_MONITORING,
    **{(api.RoundResultIn, name): limit for name, (limit, _label) in limits.RESULT.items()},
    (api.EvidenceLinkIn, "title"): limits.EVIDENCE_TITLE, (api.EvidenceLinkIn, "url"): limits.EVIDENCE_URL,
    (api.MemoFieldsIn, "subject"): limits.MEMO_SUBJECT, (api.MemoFieldsIn, "addressee"): limits.MEMO_ADDRESSEE,
    (api.MemoFieldsIn, "report_preparer_name"): limits.REPORT_PREPARER_NAME,
    (api.MemoFieldsIn, "report_preparer_position"): limits.REPORT_PREPARER_POSITION,
    (api.PreparerIn, "name"): limits.SIGNER_NAME, (api.PreparerIn, "rank"): limits.SIGNER_RANK,
    (api.PreparerIn, "position"): limits.SIGNER_POSITION, (api.ApproverIn, "position"): limits.SIGNER_POSITION,
    (api.SignIn, "comment"): limits.SIGNER_COMMENT, (api.ReturnIn, "reason"): limits.RETURN_REASON,
}


def test_the_models_take_the_limits():
    wrong = {f"{m.__name__}.{f}": m._meta.get_field(f).max_length for (m, f), limit in MODEL_FIELDS.items()
             if m._meta.get_field(f).max_length != limit}
    assert wrong == {}


def test_the_api_schemas_take_the_limits():
    wrong = {}
    for (model, name), limit in API_FIELDS.items():
        found = model.model_json_schema()["properties"][name].get("maxLength")
        if found != limit:
            wrong[f"{model.__name__}.{name}"] = found
    assert wrong == {}
    body = api.MemoFieldsIn.model_json_schema()["properties"]["body"]
    assert (body["maxItems"], body["items"]["maxLength"]) == (limits.MEMO_PARAGRAPHS, limits.MEMO_PARAGRAPH)


def test_the_published_year_file_schema_says_what_validation_applies():
    published, applied = schema.published_schema(), schema.schema()
    for pointer, limit in limits.YEAR_FILE_MAX_LENGTH.items():
        assert schema.node(published, pointer)["maxLength"] == limit, pointer
        assert schema.node(applied, pointer)["maxLength"] == limit, pointer
    for pointer, limit in limits.YEAR_FILE_MAX_ITEMS.items():
        assert schema.node(published, pointer)["maxItems"] == limit, pointer
    # Every text of a measure, a result, its evidence, a memo and its signers has a limit.
    for name in ("measure", "result", "evidence", "memo", "signer"):
        for key, spec in published["$defs"][name]["properties"].items():
            if "string" in str(spec.get("type")) and "format" not in spec and "$ref" not in spec:
                assert "maxLength" in spec, f"{name}.{key} has no limit"


@pytest.mark.django_db
def test_the_forms_take_the_limits(plan):
    measure_form = workspace_forms.MeasureForm(plan=plan, framework=None)
    for name, (limit, _label) in limits.MEASURE.items():
        assert measure_form.fields[name].max_length == limit, name
    result_form = workspace_forms.RoundResultForm()
    for name, (limit, _label) in limits.RESULT.items():
        assert result_form.fields[name].max_length == limit, name
        assert result_form.fields[name].widget.attrs["maxlength"] == str(limit), name
    for form in (workspace_forms.EvidenceLinkForm(), workspace_forms.EvidenceFileForm()):
        assert form.fields["title"].max_length == limits.EVIDENCE_TITLE
    assert workspace_forms.EvidenceLinkForm().fields["url"].max_length == limits.EVIDENCE_URL
    memo_form = memo_forms.MemoForm(agency=plan.agency)
    for name, (limit, _label) in limits.MEMO.items():
        assert memo_form.fields[name].max_length == limit, name
    preparer = memo_forms.PreparerForm()
    for name, (limit, _label) in limits.SIGNER.items():
        assert preparer.fields[name].max_length == limit, name
    assert memo_forms.SignForm().fields["comment"].max_length == limits.SIGNER_COMMENT
    assert memo_forms.ReturnForm().fields["reason"].max_length == limits.RETURN_REASON


def test_the_message_names_the_field_and_the_limit_in_the_agencys_digits():
    assert limits.too_long("รายละเอียดการดำเนินงาน", 10_000, 10_001) == (
        "รายละเอียดการดำเนินงาน: ยาวเกินไป (๑๐,๐๐๑ ตัวอักษร) ยาวได้ไม่เกิน ๑๐,๐๐๐ ตัวอักษร")
    assert limits.too_long("ผลผลิต", 5_000, 5_003, "arabic") == (
        "ผลผลิต: ยาวเกินไป (5,003 ตัวอักษร) ยาวได้ไม่เกิน 5,000 ตัวอักษร")


def test_a_typed_line_break_counts_as_one_character():
    assert limits.length("ก\r\nข\nค") == 5
    form = workspace_forms.RoundResultForm({"details": "ก\r\n" * (limits.RESULT_DETAILS // 2)})
    assert form.is_valid(), form.errors  # 5,000 lines of two characters: exactly the limit


@pytest.mark.parametrize("name", list(limits.RESULT))
def test_the_result_form_refuses_one_character_too_many_and_takes_the_limit(name):
    limit, label = limits.RESULT[name]
    form = workspace_forms.RoundResultForm({name: "ก" * (limit + 1)})
    assert not form.is_valid()
    assert form.errors[name] == [limits.too_long(label, limit, limit + 1)]
    assert str(label) in form.errors[name][0]
    assert workspace_forms.RoundResultForm({name: "ก" * limit}).is_valid()


@pytest.mark.django_db
def test_the_services_refuse_what_the_forms_refuse(plan, planner):
    measure = plan.measures.get(order=1)
    with pytest.raises(ValidationError) as caught:
        services.save_round_result(actor=planner, measure=measure, round=12, details="ก" * (limits.RESULT_DETAILS + 1))
    assert list(caught.value.message_dict) == ["details"]
    assert "ยาวได้ไม่เกิน ๑๐,๐๐๐ ตัวอักษร" in caught.value.message_dict["details"][0]
    assert not RoundResult.objects.filter(measure=measure, round=12).exists()
    with pytest.raises(ValidationError) as caught:
        services.update_measure(actor=planner, measure=measure, title=measure.title, rounds=[6, 12],
                                guideline="ก" * (limits.MEASURE_GUIDELINE + 1))
    assert list(caught.value.message_dict) == ["guideline"]
    with pytest.raises(ValidationError) as caught:
        services.add_evidence_link(actor=planner, measure=measure, round=6,
                                   url="https://rae.go.th/" + "a" * limits.EVIDENCE_URL)
    assert list(caught.value.message_dict) == ["url"]
    # The 6,000-character result is well inside.
    result = services.save_round_result(actor=planner, measure=measure, round=12, details="ก" * 6_000)
    assert len(RoundResult.objects.get(pk=result.pk).details) == 6_000


@pytest.mark.django_db
def test_the_round_result_page_says_which_field_is_too_long(planner_client, plan):
    measure = plan.measures.get(order=1)
    url = reverse("workspace:round_result", args=["tessaban-rae", 2563, measure.pk, 12])
    response = planner_client.post(url, {"details": "ก" * 6_000, "outputs": "ข" * (limits.RESULT_OUTPUTS + 1)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "ผลผลิต: ยาวเกินไป (๕,๐๐๑ ตัวอักษร) ยาวได้ไม่เกิน ๕,๐๐๐ ตัวอักษร" in html
    assert 'maxlength="10000"' in html  # the browser stops typing at the limit too
    assert not RoundResult.objects.filter(measure=measure, round=12).exists()
    assert planner_client.post(url, {"details": "ก" * 6_000}).status_code == 302
    assert len(RoundResult.objects.get(measure=measure, round=12).details) == 6_000


@pytest.mark.django_db
def test_the_results_spreadsheet_import_takes_the_same_limits(plan, planner):
    measure = plan.measures.get(order=1)
    row = {"key": services.measure_key(measure), "round": "12", "details": "ก" * (limits.RESULT_DETAILS + 1)}
    with pytest.raises(services.ImportInvalid) as caught:
        services.import_results(actor=planner, plan=plan, rows=[(2, row)])
    assert "ยาวเกิน ๑๐,๐๐๐ ตัวอักษร" in caught.value.errors[0]
    services.import_results(actor=planner, plan=plan, rows=[(2, {**row, "details": "ก" * 6_000})])
    assert len(RoundResult.objects.get(measure=measure, round=12).details) == 6_000
