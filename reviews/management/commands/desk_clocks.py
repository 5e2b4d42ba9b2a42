"""``manage.py desk_clocks``: one pass of the urgency clocks (``reviews.clocks``).

The task worker runs the pass every minute; this is for cron, or a desk that
runs no worker. Passes may overlap: each notice is sent once.
"""

from django.core.management.base import BaseCommand

from reviews.clocks import clocks_run


class Command(BaseCommand):
    help = "Send the urgency clocks' notices (half and full time) that fell due."

    def handle(self, *args, **options):
        sent = clocks_run()
        self.stdout.write(f"{sent} clock notice(s) sent")
