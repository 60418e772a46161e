from django.urls import path

from prongsai.api import views
from prongsai.api.main import api

urlpatterns = [
    path("api/v1/docs/assets/<str:name>", views.docs_asset, name="api_docs_asset"),
    path("api/v1/", api.urls),
    path("accounts/tokens/", views.tokens, name="api_tokens"),
    path("accounts/tokens/<int:pk>/revoke/", views.token_revoke, name="api_token_revoke"),
]
