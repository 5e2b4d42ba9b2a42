from django.contrib.admin.apps import AdminConfig


class DeskAdminConfig(AdminConfig):
    """django.contrib.admin with the desk's site (``config.admin_site``) as ``admin.site``."""

    default_site = "config.admin_site.DeskAdminSite"
