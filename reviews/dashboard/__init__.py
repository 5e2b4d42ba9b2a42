"""The desk dashboard: time to publish, on-time rate, backlog, output, round trips.

``numbers`` reads what it shows in a fixed number of queries, whatever the
archive holds: the last 30 days of ``PublishTiming`` rows (written as each
translation goes live, read along their ``live_at`` index) and the backlog
of editions not live, counted by state and age in one query. ``charts``
draws them as SVG on the server; ``views`` serves the page and its CSV.
"""
