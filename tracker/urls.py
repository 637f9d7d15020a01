from django.contrib import admin
from django.urls import include, path

from tracker import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", include("policies.urls")),
    path("", include("sources.urls")),
]
