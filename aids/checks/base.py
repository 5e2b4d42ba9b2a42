"""What a check is and what it reports."""

from abc import ABC, abstractmethod
from dataclasses import dataclass, replace

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Issue:
    """One thing wrong with one translated text.

    ``dismissal`` is set by the reports (``aids.services``) when a translator
    dismissed this check on this exact text; ``unit_key`` names the title or
    paragraph it was found in.
    """

    check_id: str
    name: str
    severity: str
    message: str
    unit_key: str = ""
    dismissal: object = None

    @property
    def dismissed(self):
        return self.dismissal is not None

    @property
    def reason(self):
        return self.dismissal.reason if self.dismissal is not None else ""

    @property
    def blocking(self):
        """An error nobody dismissed: the edition cannot be submitted with it."""
        return self.severity == ERROR and not self.dismissed

    def with_unit(self, unit_key, dismissal=None):
        return replace(self, unit_key=unit_key, dismissal=dismissal)


class Check(ABC):
    """A rule a translated text must follow.

    Subclasses set ``id`` (stable: dismissals refer to it), ``name`` and
    ``description`` (``gettext_lazy``), ``severity`` (``ERROR`` blocks
    submission until dismissed with a reason, ``WARNING`` informs) and
    implement :meth:`check`. A check never sees an empty translation unless
    ``runs_on_empty`` is set: an empty text is reported once, by ``empty``.
    """

    id = ""
    name = ""
    description = ""
    severity = ERROR
    runs_on_empty = False

    @abstractmethod
    def check(self, source, target, source_language, target_language, context):
        """Return the issues (a list, empty when the text passes)."""

    def issue(self, message):
        return Issue(
            check_id=self.id, name=str(self.name), severity=self.severity, message=str(message)
        )
