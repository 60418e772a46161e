from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("prongsai.accounts.urls")),
    path("", include("prongsai.workspace.urls")),
    path("", include("prongsai.memos.urls")),
    path("", include("prongsai.api.urls")),
    path("", include("prongsai.complaints.urls")),
    path("", include("prongsai.portal.urls")),
    path("", include("prongsai.oit.urls")),
    path("", include("prongsai.framework.urls")),
    path("", include("prongsai.search.urls")),
    path("", include("prongsai.onboarding.urls")),
    path("", include("prongsai.oversight.urls")),
    path("", include("prongsai.web.urls")),
]
