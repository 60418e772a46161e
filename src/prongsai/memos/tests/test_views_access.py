"""Every memo view against the personas: anonymous visitors go to the login page, a wrong method is
405, members of another agency get 404 (nothing revealed), read-only members get 403 on writes, and
nothing in the database changes when a request is refused."""

import pytest
from django.urls import reverse

from prongsai.audit.models import AuditEntry
from prongsai.memos.models import AgencyChainStep, Memo, RegisterEntry, Signer
from prongsai.memos.tests import helpers
from prongsai.memos.tests.conftest import client_for
from prongsai.reports.models import ReportVersion

SLUG, YEAR, ROUND = "tessaban-rae", 2563, 6

# (view, method, what its URL names)
READS = [("memo_detail", "get", "memo"), ("version_file", "get", "version"), ("register", "get", "agency")]
WRITES = [
    ("chain_settings", "get", "agency"), ("chain_settings", "post", "agency"),
    ("memo_new", "get", "plan"), ("memo_new", "post", "plan"),
    ("memo_edit", "get", "memo"), ("memo_edit", "post", "memo"),
    ("memo_send", "post", "memo"), ("memo_sign", "post", "memo"), ("memo_return", "post", "memo"),
    ("memo_revise", "post", "memo"),
]
GET_ONLY = {"memo_detail", "version_file", "register", "inbox"}
POST_ONLY = {"memo_send", "memo_sign", "memo_return", "memo_revise"}


def url(name: str, scope: str) -> str:
    args = {"agency": [SLUG], "plan": [SLUG, YEAR], "memo": [SLUG, YEAR, ROUND],
            "version": [SLUG, YEAR, ROUND, 1, "pdf"], "none": []}[scope]
    return reverse(f"memos:{name}", args=args)


@pytest.fixture
def memo(plan, planner, default_chain):
    return helpers.sent(plan, planner)


@pytest.fixture
def version(plan, planner, default_chain):
    return ReportVersion.objects.get(memo=helpers.approved(plan, planner, default_chain))


def _needs(scope, request):
    if scope == "version":
        request.getfixturevalue("version")
    elif scope in ("memo", "plan", "agency"):
        request.getfixturevalue("memo")


def _state():
    return (list(Memo.objects.values_list("status", "number")), list(Signer.objects.values_list("status", "comment")),
            RegisterEntry.objects.count(), AgencyChainStep.objects.count(), AuditEntry.objects.count())


@pytest.mark.parametrize("name, method, scope", READS + WRITES + [("inbox", "get", "none")])
def test_it_sends_anonymous_visitors_to_the_login_page(name, method, scope, request, anon_client):
    _needs(scope, request)
    before = _state()
    response = getattr(anon_client, method)(url(name, scope))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")
    assert _state() == before


@pytest.mark.parametrize("name, scope", [(n, s) for n, _m, s in READS + WRITES] + [("inbox", "none")])
def test_it_refuses_a_wrong_method(name, scope, request, planner):
    _needs(scope, request)
    client = client_for(planner)
    before = _state()
    if name in POST_ONLY:
        assert client.get(url(name, scope)).status_code == 405
    else:
        assert client.put(url(name, scope)).status_code == 405
        if name in GET_ONLY:
            assert client.post(url(name, scope)).status_code == 405
    assert _state() == before


@pytest.mark.parametrize("name, method, scope", READS + WRITES)
def test_it_hides_the_agency_from_members_of_another_agency(name, method, scope, request, outsider):
    _needs(scope, request)
    before = _state()
    assert getattr(client_for(outsider), method)(url(name, scope)).status_code == 404
    assert _state() == before


@pytest.mark.parametrize("name, method, scope", WRITES + [("register", "get", "agency")])
def test_it_refuses_read_only_members(name, method, scope, request, viewer):
    _needs(scope, request)
    before = _state()
    assert getattr(client_for(viewer), method)(url(name, scope)).status_code == 403
    assert _state() == before


@pytest.mark.parametrize("name, scope", [("memo_detail", "memo"), ("version_file", "version")])
def test_read_only_members_may_read(name, scope, request, viewer):
    _needs(scope, request)
    assert client_for(viewer).get(url(name, scope)).status_code == 200


@pytest.fixture
def anon_client(db):
    return client_for()
