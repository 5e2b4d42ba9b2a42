"""E-mail to the people a move concerns, rendered here and sent by the task worker.

Each mail is a ``reviews.tasks.mail_send`` task enqueued in the move's own
transaction: a rolled-back move sends nothing, a committed one is mailed when a
worker runs the task (retried there when the mail server fails; the move is
never undone by it). Mail goes through Django's default mailer (settings.MAILERS).
A source change is the exception: its mails are enqueued just after the commit,
where the once-a-minute cache key is taken (see ``source_changed``). Each recipient gets
it in their desk language (``reviews.preferences``; ``settings.LANGUAGE_CODE``
for those who chose none), with a link to the page it is about under
``settings.TILMASH_SITE_URL``.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from .models import Assignment
from .tasks import mail_send


def _send(users, subject, body):
    recipients = sorted({u.email for u in users if u and u.email and u.is_active})
    if not recipients:
        return
    mail_send.enqueue(recipients=recipients, subject=str(subject), body=str(body))


def notify(users, subject, body):
    """Enqueue in the surrounding transaction: the mail goes only if the move commits."""
    _send(list(users), subject, body)


def notify_each(users, compose):
    """``notify`` each recipient in their own language: ``compose()`` returns the
    subject and body, called once per language with that language active."""
    from .preferences import desk_languages_of

    users = [user for user in users if user is not None]
    languages = desk_languages_of(users=users)
    for language in sorted(set(languages.values())):
        with translation.override(language):
            subject, body = compose()
        notify([u for u in users if languages[u.pk] == language], subject, body)


def link(name, pk):
    """The absolute address of a desk page, for mail (sent outside any request)."""
    return settings.TILMASH_SITE_URL + reverse(name, args=[pk])


def editor_link(edition):
    return link("admin:translations_edition_editor", edition.pk)


def review_link(version):
    return link("admin:reviews_version_review", version.pk)


def _assignees(edition):
    return [a.user for a in Assignment.objects.filter(edition=edition).select_related("user")]


def _people(users):
    """Each person once, in a stable order (a translator may also be the version's writer)."""
    return sorted((u for u in users if u is not None), key=lambda u: u.pk)


def edition_label(edition):
    return f"{edition.article} [{edition.article.source_language} → {edition.language}]"


def assigned(edition, users):
    def compose():
        deadline = edition.deadline
        return (
            _("Assigned to you: %(edition)s") % {"edition": edition_label(edition)},
            _("You have been assigned %(edition)s. Deadline: %(deadline)s.")
            % {
                "edition": edition_label(edition),
                "deadline": formats.date_format(timezone.localtime(deadline), "DATETIME_FORMAT")
                if deadline
                else _("none"),
            }
            + "\n\n"
            + editor_link(edition),
        )

    notify_each(users, compose)


def _editors_for(language):
    """The editors who work into ``language`` (their language pairs say so), else every
    editor: a desk that records no languages for its editors hears of everything."""
    from django.contrib.auth import get_user_model

    from .roles import EDITORS_GROUP

    editors = get_user_model().objects.filter(groups__name=EDITORS_GROUP, is_active=True)
    theirs = list(editors.filter(language_pairs__target_language=language).distinct())
    return theirs or list(editors.distinct())


def submitted(version, user):
    """Tell the language's editors that a version waits for review."""
    edition = version.edition

    def compose():
        return (
            _("Waiting for review: %(edition)s") % {"edition": edition_label(edition)},
            _("Version %(number)d was submitted by %(name)s and waits for review.")
            % {
                "number": version.number,
                "name": user.get_full_name() or user.get_username(),
            }
            + "\n\n"
            + review_link(version),
        )

    notify_each([editor for editor in _editors_for(edition.language) if editor != user], compose)


def changes_requested(version, comment):
    edition = version.edition

    def compose():
        return (
            _("Changes requested: %(edition)s") % {"edition": edition_label(edition)},
            _("Version %(number)d needs changes:\n\n%(comment)s")
            % {"number": version.number, "comment": comment}
            + "\n\n"
            + editor_link(edition),
        )

    notify_each(_people({*_assignees(edition), version.created_by}), compose)


def approved(version):
    edition = version.edition

    def compose():
        return (
            _("Approved and published: %(edition)s") % {"edition": edition_label(edition)},
            _("Version %(number)d is now live.") % {"number": version.number}
            + "\n\n"
            + review_link(version),
        )

    notify_each(_people({*_assignees(edition), version.created_by}), compose)


def source_changed(sender, *, unit, article, user, **kwargs):
    """Tell the translators of an article's other editions that its source moved.

    Sent after the commit; a burst of saves (a whole article re-imported, 300
    paragraphs saved at once) makes one mail per edition a minute, not one per
    paragraph: the first callback takes a short-lived cache key, the rest see it.
    """

    def send():
        if not cache.add(f"tilmash:source-changed-mail:{article.pk}", 1, timeout=60):
            return
        from translations.models import Edition

        from .preferences import desk_languages_of

        editions = Edition.objects.filter(article=article).exclude(
            language=article.source_language
        )
        for edition in editions.select_related("article"):
            users = [u for u in _assignees(edition) if u != user]
            languages = desk_languages_of(users=users)
            for language in sorted(set(languages.values())):
                with translation.override(language):
                    _send(
                        [u for u in users if languages[u.pk] == language],
                        _("Source changed: %(edition)s") % {"edition": edition_label(edition)},
                        _(
                            "The source text of %(edition)s changed; the paragraphs "
                            "concerned are marked outdated in the editor."
                        )
                        % {"edition": edition_label(edition)}
                        + "\n\n"
                        + editor_link(edition),
                    )

    transaction.on_commit(send)
