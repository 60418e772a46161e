"""Roles × HTML views (issue 3): every named staff page and form of the site, asked with GET and with an
empty POST by each persona, answers what the permission policy gives that role, and nobody reaches
another agency's rows. The API has its own matrix (prongsai/api/tests/test_matrix.py).

The URL list is not written by hand: the resolver is walked, every named pattern that is not public
(PUBLIC below) is a staff page, and a staff page missing from ACCESS, or whose kwargs SAMPLE cannot
fill, fails test_every_staff_page_is_in_the_matrix, so a new view cannot escape the matrix.

Design decisions the expectations encode (checked against the views, not assumed):
- Anonymous: every staff URL and method redirects to the login page (login_required runs first, even
  before the method check); file downloads included: there is no public file under /agencies/.
- A method a view does not accept is 405 for every signed-in caller, outsiders included: the method
  check runs before any lookup, so it tells nothing about agency A.
- Outsider (admin and complaint officer of agency B only): 404 for every method a view accepts, both
  under agency A's slug and under their own slug with agency A's ids.
- Members of agency A: a page their roles permit (policy.can) is 200 on GET; a permitted POST (empty
  body) is handled: 200/400 with form errors or 302 after acting; anything the roles do not permit is 403.
- Complaint case pages: only the complaint officer (policy.HANDLE_COMPLAINTS; admins included get 403).
  The complaint settings page is also open to EDIT_AGENCY (it holds no complaint content:
  complaints.views_staff.settings_view), so the admin gets 200 there too.
- Pages of one's own (agency list, inbox, account, password, API tokens): 200 for every signed-in
  user, and the outsider's copy does not show agency A. A token is revoked by its owner only: others
  get 404 (tokens are looked up with user=request.user).
- Refused requests change nothing: per request the row counts of every model (and agency A's audit
  trail) stay the same, and at the end every row of every model is as before. Permitted requests run
  in a savepoint that is rolled back, so each starts from the same data.
"""

from __future__ import annotations

import io
import logging
import time
from urllib.parse import quote

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from prongsai.accounts import services as accounts
from prongsai.agencies import policy
from prongsai.agencies.models import Membership, Person, Unit
from prongsai.api import services as api_services
from prongsai.audit.models import AuditEntry
from prongsai.complaints import crypto, ratelimit
from prongsai.complaints import services as complaints
from prongsai.complaints.models import Attachment
from prongsai.measures import services as measures
from prongsai.memos.access import REGISTER_READERS
from prongsai.memos.models import AgencyChainStep
from prongsai.memos.tests import helpers as memo_helpers
from prongsai.oit import services as oit
from prongsai.portal import services as portal
from prongsai.reports import emblem
from prongsai.web.tests import factories

Role = Membership.Role
YEAR = 2563
A_SLUG, B_SLUG = "tessaban-rae", "tessaban-other"
MEMBERS = ["admin", "planner", "approver", "complaint_officer", "viewer"]
PERSONAS = [*MEMBERS, "outsider", "anonymous"]
METHODS = ["GET", "POST"]

# --- which URLs are public (not in this matrix), by route prefix or name, and why --------------------

PUBLIC_PREFIXES = {
    "a/": "public portal and complaint intake (no login by design)",
    "verify/": "public checking of a published file's SHA-256",
    "i18n/": "language switch",
    "admin/": "Django admin (its own staff/superuser check)",
    "catalogues/": "the install's catalogues: superusers and catalogue editors only (prongsai/framework/tests/test_views.py)",
    "accounts/login/": "login", "accounts/logout/": "logout",
    "fonts/": "the Thai UI font (the login page uses it)",
    "api/v1/": "the API: its own matrix in prongsai/api/tests/test_matrix.py",
    "overview/": "the public national overview (published material only)",
    "oversight/": "oversight scopes, not agency roles: their own matrix in prongsai/oversight/tests/test_scopes.py",
    "search/": "the search: public rows for everyone, others by agencies.access (prongsai/search/tests)",
    "operator/": "the operator's bulk imports, superusers only, 404 otherwise (prongsai/onboarding/tests)",
}
PUBLIC_NAMES = {
    "accounts:password_reset_confirm": "an invitation e-mail's link: opened before the invitee has a password",
    "accounts:set_password_done": "shown after setting the password from an invitation",
    "accounts:invitation": "an invitation e-mail's link: its token is the key (accounts/tests/test_member_invite.py)",
}

# --- what each staff URL needs, per method: (GET, POST) -----------------------------------------------
# A permission of agencies.policy (or a tuple: any of them) in agency A; SIGNED_IN: any signed-in user
# (pages of one's own, no agency); OWNER: the owner of the row only; None: the view refuses the method (405).

SIGNED_IN, OWNER = "signed-in", "owner"
VIEW, EDIT_YEAR, EDIT_AGENCY = policy.VIEW, policy.EDIT_YEAR, policy.EDIT_AGENCY
MEMBERS_PERM, DRAFT, SIGN = policy.MANAGE_MEMBERS, policy.DRAFT_MEMO, policy.SIGN_MEMO
PUBLISH, HANDLE = policy.PUBLISH, policy.HANDLE_COMPLAINTS

ACCESS: dict[str, tuple] = {
    # web
    "web:agency_list": (SIGNED_IN, None),
    "web:agency_detail": (VIEW, None),
    "web:year_detail": (VIEW, None),
    "web:round_report": (VIEW, None),
    # accounts: members, the agency's settings, units and people, my account
    "accounts:members": (MEMBERS_PERM, None),
    "accounts:member_invite": (None, MEMBERS_PERM),
    "accounts:member_detail": (MEMBERS_PERM, None),
    "accounts:member_update": (None, MEMBERS_PERM),
    "accounts:member_remove": (None, MEMBERS_PERM),
    "accounts:member_resend": (None, MEMBERS_PERM),
    "accounts:invitation_cancel": (None, MEMBERS_PERM),
    "accounts:agency_settings": (EDIT_AGENCY, None),
    "accounts:agency_update": (None, EDIT_AGENCY),
    "accounts:agency_emblem": (None, EDIT_AGENCY),
    "accounts:agency_emblem_image": (EDIT_AGENCY, None),
    "accounts:unit_add": (None, EDIT_AGENCY),
    "accounts:unit_detail": (EDIT_AGENCY, None),
    "accounts:unit_update": (None, EDIT_AGENCY),
    "accounts:unit_delete": (None, EDIT_AGENCY),
    "accounts:person_add": (None, EDIT_AGENCY),
    "accounts:person_detail": (EDIT_AGENCY, None),
    "accounts:person_update": (None, EDIT_AGENCY),
    "accounts:person_delete": (None, EDIT_AGENCY),
    "accounts:account": (SIGNED_IN, None),
    "accounts:password_change": (SIGNED_IN, SIGNED_IN),
    # workspace: the year, scores, measures, round results, evidence, Excel
    "workspace:year_new": (EDIT_YEAR, EDIT_YEAR),
    "workspace:dashboard": (VIEW, None),
    "workspace:scores": (EDIT_YEAR, EDIT_YEAR),
    "workspace:scores_upload": (None, EDIT_YEAR),
    "workspace:scores_template": (VIEW, None),
    "workspace:measure_list": (VIEW, None),
    "workspace:measure_new": (EDIT_YEAR, EDIT_YEAR),
    "workspace:measure_adopt": (EDIT_YEAR, EDIT_YEAR),
    "workspace:measure_edit": (VIEW, EDIT_YEAR),
    "workspace:measure_delete": (EDIT_YEAR, EDIT_YEAR),
    "workspace:measure_move": (None, EDIT_YEAR),
    "workspace:round_result": (VIEW, EDIT_YEAR),
    "workspace:round_result_delete": (None, EDIT_YEAR),
    "workspace:evidence_add_link": (None, EDIT_YEAR),
    "workspace:evidence_add_file": (None, EDIT_YEAR),
    "workspace:evidence_delete": (None, EDIT_YEAR),
    "workspace:evidence_download": (VIEW, None),
    "workspace:year_export": (VIEW, None),
    "workspace:results_import": (EDIT_YEAR, EDIT_YEAR),
    # memos
    "memos:inbox": (SIGNED_IN, None),
    "memos:register": (REGISTER_READERS, None),
    "memos:chain_settings": (EDIT_AGENCY, EDIT_AGENCY),
    "memos:memo_new": (DRAFT, DRAFT),
    "memos:memo_detail": (VIEW, None),
    "memos:memo_edit": (DRAFT, DRAFT),
    "memos:memo_send": (None, DRAFT),
    "memos:memo_sign": (None, SIGN),
    "memos:memo_return": (None, SIGN),
    "memos:memo_revise": (None, DRAFT),
    "memos:version_file": (VIEW, None),
    # the year's plan memo (ขออนุมัติมาตรการ), its frozen plan and announcement, the live documents
    "memos:plan_memo_new": (DRAFT, DRAFT),
    "memos:plan_memo_detail": (VIEW, None),
    "memos:plan_memo_edit": (DRAFT, DRAFT),
    "memos:plan_memo_send": (None, DRAFT),
    "memos:plan_memo_sign": (None, SIGN),
    "memos:plan_memo_return": (None, SIGN),
    "memos:plan_memo_revise": (None, DRAFT),
    "memos:plan_version_file": (VIEW, None),
    "memos:announcement_version_file": (VIEW, None),
    "memos:plan_live_document": (VIEW, None),
    # the catalogue version the year is pinned to
    "framework:plan_catalogue": (EDIT_YEAR, EDIT_YEAR),
    # OIT checklist
    "oit:checklist": (VIEW, None),
    "oit:carry_forward": (None, EDIT_YEAR),
    "oit:autofill": (None, EDIT_YEAR),
    "oit:export": (VIEW, None),
    "oit:item_edit": (VIEW, EDIT_YEAR),
    # publishing
    "portal:publishing": (PUBLISH, None),
    "portal:publish_memo": (None, PUBLISH),
    "portal:publish_document": (None, PUBLISH),
    "portal:publish_plan": (None, PUBLISH),
    # complaint officers
    "complaints:case_list": (HANDLE, None),
    "complaints:case_new": (HANDLE, HANDLE),
    "complaints:staff_statistics": (HANDLE, None),
    "complaints:staff_statistics_file": (HANDLE, None),
    "complaints:settings": ((HANDLE, EDIT_AGENCY), (HANDLE, EDIT_AGENCY)),
    "complaints:case": (HANDLE, None),
    "complaints:case_transition": (None, HANDLE),
    "complaints:case_message": (None, HANDLE),
    "complaints:case_reveal": (None, HANDLE),
    "complaints:attachment": (HANDLE, None),
    # API tokens (HTML pages of one's own)
    "api_tokens": (SIGNED_IN, SIGNED_IN),
    "api_token_revoke": (None, OWNER),
}

# --- sample kwargs: by kwarg name (agency A's rows), overridden per URL name ---------------------------
# Values are keys of the world (or literals); memo URLs use round 12 (a draft), except the frozen file
# (round 6, approved); workspace rounds use measure 1's round 6 (it has a result with evidence).

SAMPLE = {"slug": "slug", "year": YEAR, "user_id": "viewer_id", "unit_id": "unit", "person_id": "person",
          "uid": "complaint", "file_uid": "attachment", "code": "O1", "number": 1, "invitation_id": "invitation"}
BY_NAME = {
    "web:round_report": {"round": 6, "fmt": "html"},
    "workspace:scores_template": {"fmt": "csv"},
    "workspace:measure_edit": {"pk": "m1"}, "workspace:measure_delete": {"pk": "m1"},
    "workspace:measure_move": {"pk": "m1"},
    "workspace:round_result": {"pk": "m1", "round": 6}, "workspace:round_result_delete": {"pk": "m1", "round": 6},
    "workspace:evidence_add_link": {"pk": "m1", "round": 6}, "workspace:evidence_add_file": {"pk": "m1", "round": 6},
    "workspace:evidence_delete": {"pk": "file"}, "workspace:evidence_download": {"pk": "file"},
    "memos:memo_detail": {"round": 12}, "memos:memo_edit": {"round": 12}, "memos:memo_send": {"round": 12},
    "memos:memo_sign": {"round": 12}, "memos:memo_return": {"round": 12}, "memos:memo_revise": {"round": 12},
    "memos:version_file": {"round": 6, "fmt": "pdf"},
    # FY 2563 has the draft plan memo; FY 2564 the approved one with its frozen plan and announcement
    "memos:plan_version_file": {"year": YEAR + 1, "fmt": "pdf"},
    "memos:announcement_version_file": {"year": YEAR + 1, "fmt": "pdf"},
    "memos:plan_live_document": {"document": "plan", "fmt": "html"},
    "oit:export": {"fmt": "csv"},
    "portal:publish_memo": {"round": 6},
    "complaints:staff_statistics_file": {"year": YEAR, "fmt": "csv"},
    "api_token_revoke": {"pk": "token"},
}
# A permitted GET that sends on instead of showing a page, and why.
GET_REDIRECTS = {
    "memos:plan_memo_new": "a year has one plan memo: with the draft there, the new-memo page sends to it",
}
# Kwargs that carry an id of agency A's rows (not a year, round or format every agency has).
ID_KWARGS = {"pk", "user_id", "unit_id", "person_id", "uid", "file_uid", "invitation_id"}


# --- the resolver walk ---------------------------------------------------------------------------------

def _walk(patterns, prefix="", namespace="", converters=None):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        found = {**(converters or {}), **getattr(entry.pattern, "converters", {})}
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, route, ns, found)
        elif isinstance(entry, URLPattern):
            yield route, (f"{namespace}{entry.name}" if entry.name else None), set(found)


def _is_public(route: str, name: str | None) -> bool:
    return route.startswith(tuple(PUBLIC_PREFIXES)) or name in PUBLIC_NAMES


def staff_patterns() -> list[tuple[str, str | None, set[str]]]:
    return [(route, name, kwargs) for route, name, kwargs in _walk(get_resolver().url_patterns)
            if not _is_public(route, name)]


def _sample(name: str, kwarg: str):
    return BY_NAME.get(name, {}).get(kwarg, SAMPLE.get(kwarg))


def _kwargs(name: str, kwargs: set[str], world: dict, slug: str | None = None) -> dict:
    filled = {}
    for kwarg in kwargs:
        value = _sample(name, kwarg)
        filled[kwarg] = world.get(value, value) if isinstance(value, str) else value
    if "slug" in filled and slug:
        filled["slug"] = slug
    return filled


def test_every_staff_page_is_in_the_matrix():
    """A named, non-public URL pattern must be in ACCESS with all its kwargs fillable; ACCESS holds no
    stale names; unnamed staff patterns cannot be reversed, so they are refused too."""
    patterns = staff_patterns()
    assert not [route for route, name, _ in patterns if name is None], "unnamed staff URL pattern"
    names = {name for _, name, _ in patterns}
    assert names - ACCESS.keys() == set(), "staff URLs missing from ACCESS (add them with their permission)"
    assert ACCESS.keys() - names == set(), "ACCESS names no URL pattern"
    unfilled = {name: sorted(k for k in kwargs if _sample(name, k) is None) for _, name, kwargs in patterns}
    assert {name: ks for name, ks in unfilled.items() if ks} == {}, "kwargs SAMPLE/BY_NAME cannot fill"
    assert len(patterns) == len(ACCESS) == 87


# --- the world -------------------------------------------------------------------------------------------

def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (32, 32), "gold").save(out, format="PNG")
    return out.getvalue()


def _pdf(name="หลักฐาน.pdf") -> SimpleUploadedFile:
    content = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n%%EOF\n"
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture(autouse=True)
def _quiet_refusals():
    """django.request logs every 403/404/405 with its traceback: hundreds here. Errors (5xx) still log."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.fixture(autouse=True)
def _dirs_and_language(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRONGSAI_PUBLIC_DIR = tmp_path / "public"
    settings.PRONGSAI_PUBLIC_URL = "https://ita.example.go.th"
    settings.PRONGSAI_COMPLAINT_KEYS = ""
    settings.PRONGSAI_COMPLAINT_KEYS_FILE = tmp_path / "complaint-keys"
    settings.PRONGSAI_COMPLAINT_FILES_DIR = tmp_path / "complaint-files"
    crypto.forget()
    ratelimit.reset_all()
    with translation.override("th"):
        yield
    crypto.forget()
    ratelimit.reset_all()


def _agency_with_year(slug: str, name: str, digits: str):
    agency = factories.make_agency(slug=slug, name=name, digits=digits)
    factories.make_people(agency)
    factories.make_result(agency, year=YEAR - 1)
    plan = factories.make_plan(agency, YEAR)
    m1 = factories.make_measure(plan, order=1)
    factories.make_round_result(m1, round=6)
    factories.make_measure(plan, order=2, title="การเปิดเผยข้อมูล", indicator=9, rounds=[12],
                           guideline="", steps="")
    return agency, plan


@pytest.fixture
def world(db) -> dict:
    """Agency A (tessaban-rae) and agency B (tessaban-other), each with FY 2563: people, a prior ITA
    result, two measures, a round-6 result with a link, evidence files, an approved and published
    round-6 memo with its frozen report and a round-12 draft, a draft plan memo (and FY 2564 with an
    approved one, its plan and announcement frozen), an emblem, an OIT answer, a complaint with an
    attachment. Users: one member of A per role, the outsider (admin and complaint officer of B only)."""
    a, plan_a = _agency_with_year(A_SLUG, "เทศบาลตำบลแร่", "thai")
    b, plan_b = _agency_with_year(B_SLUG, "เทศบาลตำบลบ้านอื่น", "arabic")
    users = {role: factories.make_user(role.replace("_", ""), a, getattr(Role, role.upper()))
             for role in MEMBERS}
    outsider = factories.make_user("outsider", b, Role.ADMIN)
    Membership.objects.create(agency=b, user=outsider, role=Role.COMPLAINT_OFFICER)
    users["outsider"] = outsider
    b_planner = factories.make_user("b-planner", b, Role.PLANNER)
    b_approver = factories.make_user("b-approver", b, Role.APPROVER)
    made = {}
    for agency, plan, planner, approver, admin in (
            (b, plan_b, b_planner, b_approver, outsider),
            (a, plan_a, users["planner"], users["approver"], users["admin"])):
        AgencyChainStep.objects.create(agency=agency, order=1, user=approver, position="ปลัดเทศบาล")
        m1 = plan.measures.get(order=1)
        file = measures.add_evidence_file(actor=planner, measure=m1, round=6, upload=_pdf())
        approved = memo_helpers.approved(plan, planner, [approver])
        portal.publish_report(memo=approved, by=admin)
        memo_helpers.draft(plan, planner, round=12)
        memo_helpers.draft_plan(plan, planner)
        next_year = factories.make_plan(agency, YEAR + 1)
        factories.make_measure(next_year, order=1)
        memo_helpers.approved_plan(next_year, planner, [approver])
        emblem.save_for_agency(agency=agency, actor=admin, data=_png())
        oit.save_answer(actor=planner, agency=agency, fiscal_year=YEAR, code="O1", has=True,
                        urls=["https://www.rae.go.th/structure"], explanation="")
        complaint = complaints.submit(agency=agency, category="procurement",
                                      text={"what": "จัดซื้อจัดจ้างไม่โปร่งใส", "when": "มีนาคม 2568",
                                            "where": "ศาลาประชาคม", "who": "ผู้อำนวยการกองช่าง"},
                                      uploads=[_pdf("ภาพถ่าย.pdf")]).complaint
        invitation = accounts.invite_member(agency=agency, actor=admin, email=f"guest@{agency.slug}.go.th",
                                            name="นายแขก รับเชิญ", roles=["viewer"], site_url="http://testserver/")
        made[agency.slug] = {"m1": m1.pk, "file": file.pk, "complaint": complaint.uid,
                             "attachment": Attachment.objects.get(complaint=complaint).uid,
                             "invitation": invitation.pk}
    token, _raw = api_services.create_token(actor=users["admin"], user=users["admin"], name="ระบบงาน")
    ids = made[A_SLUG]
    return {
        "agency": a, "other": b, "users": users, "slug": A_SLUG, "viewer_id": users["viewer"].pk,
        "unit": Unit.objects.filter(agency=a).first().pk, "person": Person.objects.filter(agency=a).first().pk,
        "token": token.pk, **ids,
    }


def _clients(world) -> dict:
    clients = {}
    for persona in PERSONAS:
        client = Client(HTTP_ACCEPT_LANGUAGE="th", raise_request_exception=False)
        if persona != "anonymous":
            client.force_login(world["users"][persona])
        clients[persona] = client
    return clients


# --- database state --------------------------------------------------------------------------------------

def _project_models():
    return [m for m in apps.get_models() if m.__module__.startswith("prongsai.")] + [User]


def counts(agency) -> tuple:
    """Cheap, per request: the row count of every model, and agency A's audit trail (count, newest id)."""
    audit = AuditEntry.objects.filter(agency=agency).order_by("-id").values_list("id", flat=True)
    return (*(m.objects.count() for m in _project_models()), audit.count(), audit.first())


def every_row() -> dict:
    """Once per test: every row of every model (users' last_login aside: signing the personas in sets it)."""
    state = {}
    for model in _project_models():
        rows = list(model.objects.order_by("pk").values())
        if model is User:
            for row in rows:
                row.pop("last_login")
        state[model._meta.label] = rows
    return state


# --- expectations ------------------------------------------------------------------------------------------

def _allowed(perm, persona: str, world: dict) -> bool:
    user = world["users"][persona]
    if perm == SIGNED_IN:
        return True
    if perm == OWNER:
        return persona == "admin"  # the token is the admin's
    perms = perm if isinstance(perm, tuple) else (perm,)
    return any(policy.can(user, world["agency"], p) for p in perms)


def expected(name: str, method: str, persona: str, world: dict) -> set[int]:
    perm = ACCESS[name][METHODS.index(method)]
    if persona == "anonymous":
        return {302}
    if perm is None:
        return {405}
    # a GET shows the page; an empty POST is handled
    handled = ({302} if name in GET_REDIRECTS else {200}) if method == "GET" else {200, 302, 400}
    if persona == "outsider":
        return handled if perm == SIGNED_IN else {404}
    if _allowed(perm, persona, world):
        return handled
    return {404} if perm == OWNER else {403}


def _request(client, method: str, url: str):
    return client.get(url) if method == "GET" else client.post(url, {})


def test_each_persona_gets_what_the_policy_allows(world):
    """Every staff URL × persona × method; refused requests change nothing, permitted ones are rolled back."""
    clients = _clients(world)
    agency = world["agency"]
    start, before_all = time.monotonic(), every_row()
    patterns = staff_patterns()
    wrong, changed, checked = [], [], 0
    for _route, name, kwargs in patterns:
        url = reverse(name, kwargs=_kwargs(name, kwargs, world))
        for persona in PERSONAS:
            for method in METHODS:
                want = expected(name, method, persona, world)
                refused = not (want & {200, 302, 400}) or persona in ("anonymous", "outsider")
                before = counts(agency) if refused else None
                savepoint = transaction.savepoint()
                response = _request(clients[persona], method, url)
                if refused:
                    if counts(agency) != before:
                        changed.append(f"{persona} {method} {url}")
                    transaction.savepoint_commit(savepoint)
                else:
                    transaction.savepoint_rollback(savepoint)
                checked += 1
                got = response.status_code
                if got not in want:
                    wrong.append(f"{persona:17} {method:4} {url}: {got}, expected {sorted(want)}")
                elif persona == "anonymous":
                    login = f"{reverse('login')}?next={quote(url)}"
                    if response["Location"] != login:
                        wrong.append(f"anonymous {method} {url}: redirected to {response['Location']}")
                elif persona == "outsider" and got == 200 and (A_SLUG.encode() in response.content
                                                               or agency.name.encode() in response.content):
                    wrong.append(f"outsider {method} {url}: the page shows agency A")
    assert wrong == [], "\n" + "\n".join(wrong)
    assert changed == [], f"refused requests changed the database: {changed}"
    assert every_row() == before_all, "the data differ after the matrix (refused requests or a leaked rollback)"
    assert checked == len(patterns) * len(PERSONAS) * len(METHODS)
    print(f"\n{len(patterns)} staff URL patterns × {len(PERSONAS)} personas × {len(METHODS)} methods "
          f"= {checked} requests in {time.monotonic() - start:.1f}s")


def test_outsiders_own_slug_does_not_reach_agency_as_ids(world):
    """The outsider asks under their own agency's slug with agency A's ids (measure, evidence, member,
    unit, person, complaint, attachment, token): 404 for every method the view accepts, nothing changes."""
    client = _clients(world)["outsider"]
    before_all = every_row()
    wrong, asked = [], 0
    for _route, name, kwargs in staff_patterns():
        if not kwargs & ID_KWARGS:
            continue
        url = reverse(name, kwargs=_kwargs(name, kwargs, world, slug=B_SLUG))
        for method, perm in zip(METHODS, ACCESS[name]):
            if perm is None:
                continue
            asked += 1
            response = _request(client, method, url)
            if response.status_code != 404:
                wrong.append(f"{method} {url}: {response.status_code}")
    assert wrong == [], "\n" + "\n".join(wrong)
    assert asked == 29
    assert every_row() == before_all
