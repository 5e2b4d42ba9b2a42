"""What the desk's home page (the admin index) adds: clock notices, dashboard and import links."""

from django import template

from reviews.clocks import desk_notices
from reviews.workflow import import_page_allowed, roles_of

register = template.Library()


@register.inclusion_tag("admin/reviews/_desk_home.html", takes_context=True)
def desk_home(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"notices": [], "is_editor": False, "may_import": False}
    return {
        "notices": desk_notices(user),
        "is_editor": roles_of(user).is_editor,
        "may_import": import_page_allowed(user),
    }
