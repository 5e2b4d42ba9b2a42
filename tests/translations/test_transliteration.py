"""Kazakh Cyrillic → the 2021 Kazakh Latin alphabet (translations.transliteration)."""

import pytest

from translations.transliteration import HIATUS, LOANWORD, MIXED, kazakh_latin, transliterator

# Every letter of the 2021 alphabet, from the Cyrillic letter(s) it stands for,
# in capitals and small letters.
LETTERS = [
    ("А а", "A a"),
    ("Ә ә", "Ä ä"),
    ("Б б", "B b"),
    ("Д д", "D d"),
    ("Е е", "E e"),
    ("Ф ф", "F f"),
    ("Г г", "G g"),
    ("Ғ ғ", "Ğ ğ"),
    ("Х х", "H h"),
    ("Һ һ", "H h"),
    ("І і", "I ı"),
    ("И и", "İ i"),
    ("Й й", "İ i"),
    ("Ж ж", "J j"),
    ("К к", "K k"),
    ("Л л", "L l"),
    ("М м", "M m"),
    ("Н н", "N n"),
    ("Ң ң", "Ñ ñ"),
    ("О о", "O o"),
    ("Ө ө", "Ö ö"),
    ("П п", "P p"),
    ("Қ қ", "Q q"),
    ("Р р", "R r"),
    ("С с", "S s"),
    ("Ш ш", "Ş ş"),
    ("Т т", "T t"),
    ("У у", "U u"),
    ("Ұ ұ", "Ū ū"),
    ("Ү ү", "Ü ü"),
    ("В в", "V v"),
    ("Ы ы", "Y y"),
    ("З з", "Z z"),
]


@pytest.mark.parametrize(("cyrillic", "latin"), LETTERS)
def test_each_letter_of_the_2021_alphabet(cyrillic, latin):
    assert kazakh_latin(cyrillic).text == latin


# Words whose letters all have one Latin letter: sure.
WORDS = [
    ("Қазақстан Республикасы", "Qazaqstan Respublikasy"),
    ("әке", "äke"),
    ("ғалым", "ğalym"),
    ("жаңа", "jaña"),
    ("Өскемен", "Öskemen"),
    ("Шымкент", "Şymkent"),
    ("Үкімет", "Ükımet"),
    ("ұлт", "ūlt"),
    ("кітап", "kıtap"),
    ("Алматы", "Almaty"),
    ("шаһар", "şahar"),
    ("хабар", "habar"),
    ("Иран", "İran"),
    ("ойын", "oiyn"),
    ("сөйлесіп", "söilesıp"),
    ("шахмат", "şahmat"),
    ("чемпион", "çempion"),
    # У is U for the vowel and for the glide alike: the 2021 alphabet has no W.
    ("су", "su"),
    ("тау", "tau"),
    ("уақыт", "uaqyt"),
    ("оқу", "oqu"),
    # Wikipedia's transliteration of the 1902 text into the 2021 alphabet.
    (
        "Бұрыңғы өткен заманда, бір данышпан кісі, Бағдат шаһарының бір үлкен "
        "қазысының үйіне келіп қоныпты.",
        "Būryñğy ötken zamanda, bır danyşpan kısı, Bağdat şaharynyñ bır ülken "
        "qazysynyñ üiıne kelıp qonypty.",
    ),
]


@pytest.mark.parametrize(("cyrillic", "latin"), WORDS)
def test_words_with_one_reading_are_converted_and_sure(cyrillic, latin):
    result = kazakh_latin(cyrillic)
    assert result.text == latin
    assert result.unsure == ()


# Capitals: a word in capitals stays in capitals, a capital initial stays one
# letter; І and И keep their dots apart in both cases.
CASES = [
    ("ҚАЗАҚСТАН", "QAZAQSTAN"),
    ("ҚР", "QR"),
    ("ІІМ", "IIM"),
    ("ИРАН", "İRAN"),
    ("Іс", "Is"),
    ("іс", "ıs"),
    ("ШЫҒЫС", "ŞYĞYS"),
    ("Шығыс", "Şyğys"),
    ("ЦЕНТР", "TSENTR"),
    ("Цирк", "Tsirk"),
    ("ЮНЕСКО", "İUNESKO"),
    ("Ясауи", "İasaui"),
]


@pytest.mark.parametrize(("cyrillic", "latin"), CASES)
def test_capitals_follow_the_word(cyrillic, latin):
    assert kazakh_latin(cyrillic).text == latin


# Loanword letters have a spelling, but the word's Latin orthography may differ:
# the word is converted and reported as unsure.
AMBIGUOUS = [
    ("цирк", "tsirk", LOANWORD),
    ("компьютер", "kompiuter", LOANWORD),
    ("съезд", "sezd", LOANWORD),
    ("экономика", "ekonomika", LOANWORD),
    ("ёлка", "iolka", LOANWORD),
    ("щётка", "şşiotka", LOANWORD),
    ("юрта", "iurta", LOANWORD),
    ("Азия", "Aziia", LOANWORD),
    ("ясли", "iasli", LOANWORD),
    # И after a vowel reads the same as Й: Аида and Айда are both "Aida".
    ("Аида", "Aida", HIATUS),
    ("Tilmashқа", "Tilmashqa", MIXED),
]


@pytest.mark.parametrize(("cyrillic", "latin", "reason"), AMBIGUOUS)
def test_ambiguous_words_are_reported_unsure(cyrillic, latin, reason):
    result = kazakh_latin(cyrillic)
    assert result.text == latin
    assert [(u.start, u.end, u.word, u.reason) for u in result.unsure] == [
        (0, len(latin), latin, reason)
    ]


def test_the_same_letters_without_the_doubt_are_sure():
    assert kazakh_latin("Айда").unsure == ()


def test_unsure_offsets_are_in_the_latin_text():
    result = kazakh_latin("Біз циркке бардық, ал Ясауи кесенесі жабық.")
    found = [result.text[u.start : u.end] for u in result.unsure]
    assert found == [u.word for u in result.unsure]
    assert "İasaui" in found


def test_everything_but_cyrillic_letters_is_kept():
    text = "COVID-19 індеті: 20 000 адам, 12,5% — «Tilmash» https://example.kz/a?b=1"
    assert kazakh_latin(text).text == (
        "COVID-19 ındetı: 20 000 adam, 12,5% — «Tilmash» https://example.kz/a?b=1"
    )


def test_glossary_names_take_their_agreed_spelling_with_the_kazakh_ending():
    names = [("Тоқаев", "Tokayev"), ("Қасым-Жомарт Тоқаев", "Kassym-Jomart Tokayev")]
    result = kazakh_latin("Қасым-Жомарт Тоқаев пен Тоқаевтың ТОҚАЕВҚА хаты", names=names)
    assert result.text == "Kassym-Jomart Tokayev pen Tokayevtyñ TOKAYEVQA haty"


def test_a_glossary_name_is_never_unsure():
    assert kazakh_latin("Ясауи кесенесі", names=[("Ясауи", "Yasawi")]).text == "Yasawi kesenesı"
    assert kazakh_latin("Ясауиге", names=[("Ясауи", "Yasawi")]).unsure == ()


def test_a_name_is_matched_only_from_the_start_of_a_word():
    assert kazakh_latin("Атоқаев", names=[("Тоқаев", "Tokayev")]).text == "Atoqaev"


def test_a_longer_word_is_not_taken_for_a_name():
    # More letters after the name than a Kazakh ending has: another word.
    assert kazakh_latin("Алматылықтардікі", names=[("Алматы", "Almaty!")]).text == (
        "Almatylyqtardıkı"
    )


def test_the_transliterator_is_found_by_language_pair():
    assert transliterator("kk", "kk-latn") is kazakh_latin
    assert transliterator("ru", "kk-latn") is None
