"""Each check as a table of good and bad translations, in Kazakh, Russian and English."""

import pytest

from aids.checks import (
    ERROR,
    REGISTRY,
    WARNING,
    Check,
    check_get,
    check_register,
    checks_run,
)
from aids.checks.extract import number_values
from aids.glossary import Term

TOKAYEV = Term(
    renderings={"kk": "Тоқаев", "ru": "Токаев", "en": "Tokayev"},
    forbidden={"en": ("Tokaev",), "ru": ("Тokaev",)},
    kind="person",
)
MAZHILIS = Term(
    renderings={"kk": "Мәжіліс", "ru": "Мажилис", "en": "Mazhilis"},
    forbidden={"en": ("Majilis", "Mazhilis of Parliament")},
    kind="organisation",
)
NATIONAL_GUARD = Term(
    renderings={"kk": "Ұлттық ұлан", "ru": "Национальная гвардия", "en": "National Guard"},
    kind="organisation",
)
GLOSSARY = [TOKAYEV, MAZHILIS, NATIONAL_GUARD]


def messages(check_id, source, target, source_language, target_language):
    issues = checks_run(
        source=source,
        target=target,
        source_language=source_language,
        target_language=target_language,
        glossary=GLOSSARY,
        only={check_id},
    )
    assert all(issue.check_id == check_id for issue in issues)
    return [issue.message for issue in issues]


GOOD = {
    "numbers": [
        ("Almaty alone was attacked by 20,000 bandits.",
         "Только на Алматы напали 20 тысяч бандитов.", "en", "ru"),
        ("Almaty alone was attacked by 20,000 bandits.",
         "Алматының өзіне 20 мың бандит шабуыл жасады.", "en", "kk"),
        ("Только на Алматы напали 20 000 бандитов.",
         "Almaty alone was attacked by 20 thousand bandits.", "ru", "en"),
        ("Бюджет составит 1,5 млн тенге.", "The budget will be 1.5 million tenge.", "ru", "en"),
        ("Бюджет 1,5 млн теңге болады.", "Бюджет составит 1,5 млн тенге.", "kk", "ru"),
        ("20 тыс. человек вышли на улицы.", "20 000 адам көшеге шықты.", "ru", "kk"),
        ("The fund holds $20k.", "В фонде 20 тысяч долларов.", "en", "ru"),
        ("Погибли 3 человека.", "Three people died.", "ru", "en"),
        ("Three people died.", "Погибли 3 человека.", "en", "ru"),
        ("3 адам қаза тапты.", "Погибли три человека.", "kk", "ru"),
        ("In 2022, 1,500 people came.", "В 2022 году пришли 1500 человек.", "en", "ru"),
        ("No figures here.", "Здесь нет цифр.", "en", "ru"),
        ("COVID-19 spread.", "COVID-19 таралды.", "en", "kk"),
    ],
    "percentages": [
        ("Inflation reached 8.4%.", "Инфляция достигла 8,4 %.", "en", "ru"),
        ("Инфляция 5 процентов.", "Инфляция 5 пайыз болды.", "ru", "kk"),
        ("Инфляция 5 пайыз болды.", "Inflation was 5 percent.", "kk", "en"),
        ("Rates rose 5 per cent.", "Ставки выросли на 5%.", "en", "ru"),
        ("Ставка 5%-ға өсті.", "Ставка выросла на 5%.", "kk", "ru"),
    ],
    "dates": [
        ("07.01.2022, 15:23", "7 января 2022 года, 15:23", "en", "ru"),
        ("I will announce it in the Mazhilis on January 11.",
         "Мен бұл туралы 11 қаңтарда Мәжілісте жариялаймын.", "en", "kk"),
        ("Я объявлю это в Мажилисе 11 января.",
         "I will announce it in the Mazhilis on January 11.", "ru", "en"),
        ("2022 жылғы 11 қаңтарда", "11 января 2022 года", "kk", "ru"),
        ("қаңтардың 11-і", "January 11th", "kk", "en"),
        ("On 5 May 2021 they met.", "Они встретились 5 мая 2021 года.", "en", "ru"),
    ],
    "times": [
        ("07.01.2022, 15:23", "07.01.2022, 15:23", "en", "kk"),
        ("At 3:23 p.m. he spoke.", "Он выступил в 15:23.", "en", "ru"),
        ("Сағат 09:05-те басталды.", "It started at 9:05 a.m.", "kk", "en"),
    ],
    "links": [
        ("See https://akorda.kz/en/news.", "Подробнее: https://akorda.kz/en/news", "en", "ru"),
        ("Write to press@akorda.kz #Kazakhstan", "press@akorda.kz жазыңыз #Kazakhstan",
         "en", "kk"),
        ("Подробнее на @akorda_press", "More at @akorda_press.", "ru", "en"),
    ],
    "quotes_balance": [
        ("“Hello,” he said.", "«Привет», — сказал он.", "en", "ru"),
        ("«Сәлем», — деді ол.", "“Hello,” he said.", "kk", "en"),
        ("«Он сказал: „нет“», — пишут.", "«Ол: „жоқ“ деді», — деп жазады.", "ru", "kk"),
        # A quote that runs on into the next paragraph stays open in both.
        ("“Overseas the countries call for talks.", "«За рубежом призывают к переговорам.",
         "en", "ru"),
    ],
    "quotes_style": [
        ("“Hello,” he said.", "«Привет», — сказал он.", "en", "ru"),
        ("“Hello,” he said.", "«Сәлем», — деді ол.", "en", "kk"),
        ("«Привет», — сказал он.", "“Hello,” he said, “it’s fine.”", "ru", "en"),
        ("«Он сказал: „нет“»", "«Он сказал: „нет“»", "kk", "ru"),
    ],
    "empty": [
        ("Paragraph.", "Абзац.", "en", "ru"),
        ("", "", "en", "kk"),
    ],
    "same": [
        ("COVID-19", "COVID-19", "en", "ru"),
        ("akorda.kz", "akorda.kz", "ru", "kk"),
        ("Tokayev spoke today.", "Тоқаев бүгін сөйледі.", "en", "kk"),
    ],
    "length": [
        ("The anti-terrorist operation in the country continues, he said.",
         "Контртеррористическая операция в стране продолжается, сказал он.", "en", "ru"),
        ("Контртеррористическая операция в стране продолжается, сказал он.",
         "The anti-terrorist operation in the country continues, he said.", "ru", "en"),
        ("Елде терроризмге қарсы операция жалғасып жатыр, деді ол.",
         "The anti-terrorist operation in the country continues, he said.", "kk", "en"),
        ("Short title", "Қысқа", "en", "kk"),
    ],
    "whitespace": [
        ("Hello, world.", "Привет, мир.", "en", "ru"),
        ("Inflation 5 %.", "Инфляция 5 %.", "ru", "ru"),
        ("“Yes,” he said.", "«Иә», — деді ол.", "en", "kk"),
    ],
    "glossary": [
        ("Тоқаевтың айтуынша, ел тыныш.", "According to Tokayev, the country is calm.",
         "kk", "en"),
        ("Речь Токаева в Мажилисе.", "Тоқаевтың Мәжілістегі сөзі.", "ru", "kk"),
        ("Tokayev's speech in the Mazhilis.", "Речь Токаева в Мажилисе.", "en", "ru"),
        ("The National Guard is ready.", "Ұлттық ұланның жауынгерлері дайын.", "en", "kk"),
        ("The National Guard is ready.", "Национальной гвардии хватает сил.", "en", "ru"),
        ("He said so.", "Он так сказал.", "en", "ru"),
    ],
}

BAD = {
    "numbers": [
        ("Almaty alone was attacked by 20,000 bandits.",
         "Только на Алматы напали 2 000 бандитов.", "en", "ru",
         "20,000 in the source is missing: found 2 000"),
        ("Almaty alone was attacked by 20,000 bandits.",
         "Алматыға бандиттер шабуыл жасады.", "en", "kk",
         "20,000 in the source is missing from the translation."),
        ("Бюджет составит 1,5 млн тенге.", "The budget will be 15 million tenge.", "ru", "en",
         "1,5 млн in the source is missing: found 15 million"),
        ("2022 жылы", "В 2021 году", "kk", "ru", "2022 in the source is missing: found 2021"),
        ("He spoke.", "Он выступил 2 раза.", "en", "ru",
         "2 in the translation is not in the source."),
    ],
    "percentages": [
        ("Inflation reached 8.4%.", "Инфляция достигла 84 %.", "en", "ru",
         "8.4% in the source is missing: found 84 %"),
        ("Инфляция 5 пайыз болды.", "Inflation was high.", "kk", "en",
         "5 пайыз in the source is missing from the translation."),
        ("Инфляция высокая.", "Инфляция 5 пайыз болды.", "ru", "kk",
         "5 пайыз in the translation is not in the source."),
    ],
    "dates": [
        ("on January 11", "12 января", "en", "ru",
         "January 11 (11 January) in the source is missing: found 12 января (12 January)"),
        ("11 қаңтарда", "in January", "kk", "en",
         "11 қаңтарда (11 January) in the source is missing from the translation."),
        ("07.01.2022", "08.01.2022", "ru", "kk",
         "07.01.2022 (7 January 2022) in the source is missing: found 08.01.2022 (8 January 2022)"),
        ("7 January 2022", "7 января 2021 года", "en", "ru",
         "7 January 2022 in the source is missing: found 7 января 2021 (7 January 2021)"),
    ],
    "times": [
        ("07.01.2022, 15:23", "07.01.2022, 15:32", "en", "kk",
         "15:23 in the source is missing: found 15:32"),
        ("Он выступил в 15:23.", "He spoke at 3:23 a.m.", "ru", "en",
         "15:23 in the source is missing: found 3:23 a.m."),
    ],
    "links": [
        ("See https://akorda.kz/en/news.", "Подробнее: https://akorda.kz/ru/news", "en", "ru",
         "https://akorda.kz/en/news in the source is missing: found https://akorda.kz/ru/news"),
        ("Write to press@akorda.kz", "Жазыңыз.", "en", "kk",
         "press@akorda.kz in the source is missing from the translation."),
        ("Подробнее: #Kazakhstan", "More: #Казахстан", "ru", "en",
         "#Kazakhstan in the source is missing: found #Казахстан"),
    ],
    "quotes_balance": [
        ("“Hello,” he said.", "«Привет, — сказал он.", "en", "ru",
         "Unbalanced quotation marks: 1 × « and 0 × »."),
        ("«Сәлем», — деді ол.", "“Hello, he said.", "kk", "en",
         "Unbalanced quotation marks: 1 × “ and 0 × ”."),
        ("«Сәлем», — деді ол.", '"Привет, — сказал он.', "kk", "ru",
         'Unbalanced quotation marks: an odd number of straight quotes (").'),
        ("“Hello,” he said.", "»Сәлем«, — деді ол.", "en", "kk",
         "Unbalanced quotation marks: 1 × « and 1 × »."),
    ],
    "quotes_style": [
        ("“Hello,” he said.", '"Привет", — сказал он.', "en", "ru",
         'Straight quotes (") are used: Russian uses «…».'),
        ("«Сәлем», — деді ол.", "«Hello», he said.", "kk", "en",
         "« » are not English quotation marks: use “…”."),
        ("“Hello,” he said.", "“Сәлем”, — деді ол.", "en", "kk",
         "“ ” are not Kazakh quotation marks: use «…»."),
    ],
    "empty": [
        ("Paragraph.", "", "en", "ru", "The translation is empty."),
        ("Абзац.", "   ", "ru", "kk", "The translation is empty."),
    ],
    "same": [
        ("Tokayev spoke today.", "Tokayev spoke today.", "en", "kk",
         "The translation is identical to the source."),
        ("Тоқаев бүгін сөйледі.", "Тоқаев бүгін сөйледі. ", "kk", "ru",
         "The translation is identical to the source."),
    ],
    "length": [
        ("The anti-terrorist operation in the country continues, he said.",
         "Операция.", "en", "ru",
         "The translation is 0.14 times as long as the source; from English to Russian "
         "between 0.75 and 2.00 is expected."),
        ("Контртеррористическая операция в стране продолжается.",
         "The anti-terrorist operation in the country continues, he said, and it will go on "
         "for as long as it takes to restore order everywhere.", "ru", "en",
         "The translation is 2.53 times as long as the source; from Russian to English "
         "between 0.50 and 1.35 is expected."),
        ("Елде терроризмге қарсы операция жалғасып жатыр, деді ол.",
         "Операция продолжается.", "kk", "ru",
         "The translation is 0.39 times as long as the source; from Kazakh to Russian "
         "between 0.65 and 1.55 is expected."),
    ],
    "whitespace": [
        ("Hello.", " Сәлем.", "en", "kk", "The translation starts with a space."),
        ("Hello.", "Привет. ", "en", "ru", "The translation ends with a space."),
        ("Hello, world.", "Hello,  world.", "ru", "en", "Double space after “Hello,”."),
        ("Hello, world.", "Привет , мир.", "en", "ru", "Space before “,” after “Привет”."),
        ("One. Two.", "Бір.\nЕкі.", "en", "kk", "The translation has a line break inside it."),
    ],
    "glossary": [
        ("Тоқаевтың айтуынша, ел тыныш.", "According to Tokayev's aide, all is calm.",
         "kk", "en", None),
        ("Tokayev spoke.", "Токаяев выступил.", "en", "ru",
         "Tokayev in the source should be rendered as Токаев."),
        ("Тоқаев сөйледі.", "Tokaev spoke.", "kk", "en",
         "Tokaev is not how English spells it: write Tokayev."),
        ("Мәжілісте сөйледі.", "He spoke in the Majilis.", "kk", "en",
         "Мәжілісте in the source should be rendered as Mazhilis."),
        ("The National Guard is ready.", "Гвардия готова.", "en", "ru",
         "National Guard in the source should be rendered as Национальная гвардия."),
    ],
}


def _cases(table):
    return [
        pytest.param(check_id, *case, id=f"{check_id}-{n}")
        for check_id, cases in table.items()
        for n, case in enumerate(cases)
    ]


@pytest.mark.parametrize("check_id,source,target,source_language,target_language", _cases(GOOD))
def test_good_translations_pass(check_id, source, target, source_language, target_language):
    assert messages(check_id, source, target, source_language, target_language) == []


@pytest.mark.parametrize(
    "check_id,source,target,source_language,target_language,expected", _cases(BAD)
)
def test_bad_translations_are_reported(
    check_id, source, target, source_language, target_language, expected
):
    found = messages(check_id, source, target, source_language, target_language)
    if expected is None:
        assert found == [], "the term is rendered as agreed, only followed by an apostrophe"
    else:
        assert expected in found


def test_every_language_appears_in_both_tables():
    for table in (GOOD, BAD):
        for check_id, cases in table.items():
            languages = {lang for case in cases for lang in case[2:4]}
            assert languages >= {"kk", "ru", "en"} or check_id in {"empty", "same"}, check_id


def test_a_changed_number_is_one_issue_not_two():
    found = messages("numbers", "20,000 bandits", "2,000 бандитов", "en", "ru")
    assert found == ["20,000 in the source is missing: found 2,000"]


@pytest.mark.parametrize(
    "written,values",
    [
        ("20,000", {"20", "20000"}),
        ("20 000", {"20000"}),
        ("20\u00a0000", {"20000"}),
        ("1,5", {"1.5"}),
        ("1.5", {"1.5"}),
        ("1,234,567", {"1234567"}),
        ("1.234,5", {"1234.5"}),
        ("1,234.5", {"1234.5"}),
        ("0,500", {"0.5"}),
    ],
)
def test_written_numbers_stand_for_every_value_they_may_mean(written, values):
    assert {format(v, "f") for v in number_values(written)} == values


def test_every_check_has_an_id_name_description_and_severity():
    for check in REGISTRY.values():
        assert check.id and str(check.name) and str(check.description)
        assert check.severity in (ERROR, WARNING)


def test_an_empty_translation_is_reported_once_by_the_empty_check():
    issues = checks_run(
        source="Almaty alone was attacked by 20,000 bandits.", target="",
        source_language="en", target_language="ru",
    )
    assert [issue.check_id for issue in issues] == ["empty"]
    assert issues[0].blocking


def test_checks_run_reports_errors_before_warnings():
    issues = checks_run(
        source="He said “20,000”.", target=' Он сказал "2 000".',
        source_language="en", target_language="ru",
    )
    severities = [issue.severity for issue in issues]
    assert severities == sorted(severities, key=lambda s: s != ERROR)
    assert {"numbers", "quotes_style", "whitespace"} <= {issue.check_id for issue in issues}


def test_a_registered_check_runs_with_the_others():
    class NoExclamation(Check):
        id = "test_no_exclamation"
        name = "No exclamation"
        description = "Test check."
        severity = WARNING

        def check(self, source, target, source_language, target_language, context):
            return [self.issue("An exclamation mark.")] if "!" in target else []

    check_register(NoExclamation())
    try:
        issues = checks_run(source="Hi.", target="Сәлем!", source_language="en",
                            target_language="kk")
        assert [i.message for i in issues if i.check_id == "test_no_exclamation"] == [
            "An exclamation mark."
        ]
        with pytest.raises(ValueError):
            check_register(NoExclamation())
    finally:
        REGISTRY.pop("test_no_exclamation")
    assert check_get("test_no_exclamation") is None
