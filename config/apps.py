from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class DeskAdminConfig(AdminConfig):
    """django.contrib.admin with the desk's site (``config.admin_site``) as ``admin.site``."""

    default_site = "config.admin_site.DeskAdminSite"


class DeskTasksConfig(TasksAppConfig):
    """django-tasks-db under a name the desk translates (its own is a plain English string)."""

    verbose_name = _("Background tasks")
