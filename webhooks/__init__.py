"""Webhooks: the desk's events, signed and delivered to other systems.

- ``models``: subscriptions (URL, events, secret), the outbox of events and
  one delivery per event and subscription, with its log.
- ``events``: what each event says and where it comes from: receivers of
  ``translations.signals`` (connected in ``apps``) write the event and its
  deliveries in the transaction of the move, so a rolled-back move sends
  nothing.
- ``sending``: one attempt at a delivery (signature, timeouts, retry policy),
  run by the task worker through ``tasks.webhook_deliver``.
- ``signing``: the body and its ``X-Tilmash-Signature``.
- ``addresses``, ``transport``: which URLs a subscription may name and which
  addresses a delivery may connect to (no private ones unless
  ``TILMASH_WEBHOOKS_ALLOW_PRIVATE``).
- ``services``: the admin's writes: a new secret, "send again".
"""
