from django.contrib import admin
from django.urls import path

from tracker import views

admin.site.site_header = "Policy Tracker"
admin.site.site_title = "Policy Tracker admin"
admin.site.index_title = "Curation"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
