"""``{% desk_language_choices as languages %}``: the header's language switcher."""

from django import template

from reviews.preferences.services import desk_language_choices as choices

register = template.Library()


@register.simple_tag
def desk_language_choices():
    return choices()
