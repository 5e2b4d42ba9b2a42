from django.contrib import admin
from django.urls import path

from . import views

app_name = "preferences"

urlpatterns = [
    path("", admin.site.admin_view(views.preferences), name="edit"),
]
