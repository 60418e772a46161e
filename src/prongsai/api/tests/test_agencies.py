from prongsai.api.tests.conftest import OTHER, detail


def test_it_lists_only_the_callers_agencies(clients, agency):
    response = clients["planner"].get("agencies")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [item] = body["items"]
    assert item["slug"] == agency.slug
    assert item["roles"] == ["planner"]
    assert "year.edit" in item["permissions"] and "memo.sign" not in item["permissions"]
    assert item["url"].endswith(f"/agencies/{agency.slug}/")


def test_it_paginates_the_agency_list(clients, users, other_plan):
    from prongsai.agencies.models import Membership

    Membership.objects.create(agency=other_plan.agency, user=users["planner"], role=Membership.Role.VIEWER)
    first = clients["planner"].get("agencies?limit=1").json()
    second = clients["planner"].get("agencies?limit=1&offset=1").json()
    assert first["count"] == second["count"] == 2
    assert len(first["items"]) == len(second["items"]) == 1
    assert {a["slug"] for a in first["items"] + second["items"]} == {OTHER, "tessaban-rae"}
    assert clients["planner"].get("agencies?limit=0").status_code == 422
    assert clients["planner"].get("agencies?limit=201").status_code == 422


def test_it_shows_an_agency_with_its_units_and_years(clients, agency):
    response = clients["viewer"].get(f"agencies/{agency.slug}")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "เทศบาลตำบลแร่"
    assert [u["name"] for u in body["units"]] == ["สำนักปลัด", "กองคลัง"]
    assert body["fiscal_years"] == [2563]
    assert body["roles"] == ["viewer"]


def test_it_hides_another_agency(clients):
    response = clients["planner"].get(f"agencies/{OTHER}")
    assert response.status_code == 404
    assert detail(response) == "ไม่พบข้อมูลที่ขอ"


def test_it_refuses_anonymous_callers(clients, agency):
    for path in ("agencies", f"agencies/{agency.slug}", "me"):
        response = clients["anonymous"].get(path)
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert "Authorization: Bearer" in detail(response)


def test_it_says_who_is_calling(clients, agency):
    body = clients["approver"].get("me").json()
    assert body["username"] == "watchara"
    assert body["superuser"] is False and body["roles"] == ["approver"] and body["oversight_scopes"] == []
    assert body["agencies"]["count"] == 1
    assert body["agencies"]["limit"] == 50 and body["agencies"]["offset"] == 0
    [item] = body["agencies"]["items"]
    assert item["slug"] == agency.slug and item["roles"] == ["approver"] and "memo.sign" in item["permissions"]
