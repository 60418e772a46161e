import json
import re

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver


EXPECTED = {
    "/api/v1/me": {"get"},
    "/api/v1/inbox": {"get"},
    "/api/v1/agencies": {"get"},
    "/api/v1/agencies/{slug}": {"get"},
    "/api/v1/agencies/{slug}/years": {"get", "post"},
    "/api/v1/agencies/{slug}/years/{year}": {"get"},
    "/api/v1/agencies/{slug}/scores": {"get"},
    "/api/v1/agencies/{slug}/scores/{year}": {"get", "put"},
    "/api/v1/agencies/{slug}/years/{year}/measures": {"get", "post"},
    "/api/v1/agencies/{slug}/years/{year}/measures/reorder": {"post"},
    "/api/v1/agencies/{slug}/years/{year}/measures/{pk}": {"get", "put", "delete"},
    "/api/v1/agencies/{slug}/years/{year}/measures/{pk}/move": {"post"},
    "/api/v1/agencies/{slug}/years/{year}/measures/{pk}/rounds/{round}": {"get", "put", "delete"},
    "/api/v1/agencies/{slug}/years/{year}/measures/{pk}/rounds/{round}/evidence": {"get", "post"},
    "/api/v1/agencies/{slug}/years/{year}/measures/{pk}/rounds/{round}/evidence/file": {"post"},
    "/api/v1/agencies/{slug}/years/{year}/evidence/{evidence_id}": {"delete"},
    "/api/v1/agencies/{slug}/years/{year}/evidence/{evidence_id}/file": {"get"},
    "/api/v1/agencies/{slug}/years/{year}/memos": {"get", "post"},
    "/api/v1/agencies/{slug}/years/{year}/memos/{round}": {"get", "put"},
    "/api/v1/agencies/{slug}/years/{year}/memos/{round}/send": {"post"},
    "/api/v1/agencies/{slug}/years/{year}/memos/{round}/sign": {"post"},
    "/api/v1/agencies/{slug}/years/{year}/memos/{round}/return": {"post"},
    "/api/v1/agencies/{slug}/years/{year}/memos/{round}/revise": {"post"},
    "/api/v1/agencies/{slug}/years/{year}/memos/{round}/versions": {"get"},
    "/api/v1/agencies/{slug}/years/{year}/memos/{round}/versions/{number}/{fmt}": {"get"},
}


def _document() -> dict:
    response = Client().get("/api/v1/openapi.json")  # public: the document describes, it holds no data
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def _served_api_paths() -> set[str]:
    """Every URL the running API answers, as OpenAPI-style templates."""
    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                yield route

    found = set()
    for route in walk(get_resolver().url_patterns):
        # (ninja also answers api/v1/ itself: the docs in DEBUG, else 404)
        if route.startswith("api/v1/") and route != "api/v1/" and "openapi.json" not in route and "docs" not in route:
            found.add("/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route))
    return found


def test_it_publishes_a_valid_document_listing_every_path():
    document = _document()
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Prongsai API"
    paths = {path: set(ops) for path, ops in document["paths"].items()}
    assert paths == EXPECTED
    assert _served_api_paths() == set(EXPECTED)
    # Every reference points at a schema the document defines.
    refs = set(re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', json.dumps(document)))
    assert refs and refs <= set(document["components"]["schemas"])


def test_every_operation_documents_its_auth_and_refusals():
    document = _document()
    schemes = document["components"]["securitySchemes"]
    assert schemes["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert {"TokenAuth": []} in operation["security"], (method, path)
            assert {"401", "403", "404"} <= set(operation["responses"]), (method, path)
            if method != "get" and not path.endswith(("/versions/{number}/{fmt}", "/file")):
                assert "422" in operation["responses"] or method == "delete", (method, path)
            assert operation.get("summary"), (method, path)


def test_the_docs_page_needs_no_cdn():
    client = Client()
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/api/v1/docs/assets/") for s in sources), sources
    assert "cdn" not in html.lower()
    for source in sources:
        asset = client.get(source)
        assert asset.status_code == 200 and b"".join(asset.streaming_content)
    assert client.get("/api/v1/docs/assets/../../settings.py").status_code == 404
    assert client.get("/api/v1/docs/assets/redoc.standalone.js").status_code == 404
