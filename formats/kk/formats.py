"""Kazakh date and number formats, which Django (6.1) does not ship: without them
a Kazakh page falls back to English ones ("Жел. 7, 2026", "1,234.5").

As Kazakh newsrooms write them: the day, the month's name and the year with
"ж." (жыл), 24-hour times, dd.mm.yyyy in short, the week from Monday; a decimal
comma and a non-breaking space between thousands (the national standard, as in
Russian). Month names come from Django's Kazakh catalogue.
"""

DATE_FORMAT = "j E Y ж."
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j E Y ж. H:i"
YEAR_MONTH_FORMAT = "F Y ж."
MONTH_DAY_FORMAT = "j E"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = [
    "%d.%m.%Y",  # '25.10.2026'
    "%d.%m.%y",  # '25.10.26'
]
DATETIME_INPUT_FORMATS = [
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M:%S.%f",
    "%d.%m.%Y %H:%M",
    "%d.%m.%y %H:%M",
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # non-breaking space
NUMBER_GROUPING = 3
