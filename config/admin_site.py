"""The admin site the desk runs in, named in the user's language.

Django's defaults ("Django site admin", "Django administration", "Site
administration") would otherwise show in every page title that does not come
from ``templates/admin/base_site.html``, such as the editor's.
"""

from django.contrib.admin import AdminSite
from django.utils.translation import gettext_lazy as _


class DeskAdminSite(AdminSite):
    site_title = _("Tilmash desk")
    site_header = _("Tilmash desk")
    index_title = _("Home")
