"""The checks read Kazakh in Latin script as they read it in Cyrillic."""

import pytest

from .test_checks import messages

GOOD = [
    ("numbers", "About 2,500 people came.", "Şamamen 2,5 myñ adam keldı.", "en"),
    ("numbers", "3 адам қаза тапты.", "Üş adam qaza taptı.", "kk"),
    ("percentages", "Inflation was 5 percent.", "İnfliatsiia 5 paiyz boldy.", "en"),
    ("dates", "I will announce it in the Mazhilis on January 11.",
     "Men būl turaly 11 qañtarda Mäjılıste jariialaimyn.", "en"),
]  # fmt: skip

BAD = [
    ("numbers", "About 2,500 people came.", "Şamamen 3 myñ adam keldı.", "en"),
    ("dates", "I will announce it in the Mazhilis on January 11.",
     "Men būl turaly 11 aqpanda Mäjılıste jariialaimyn.", "en"),
]  # fmt: skip


@pytest.mark.parametrize(("check_id", "source", "target", "source_language"), GOOD)
def test_latin_kazakh_numbers_months_and_percentages_are_understood(
    check_id, source, target, source_language
):
    assert messages(check_id, source, target, source_language, "kk-latn") == []


@pytest.mark.parametrize(("check_id", "source", "target", "source_language"), BAD)
def test_latin_kazakh_that_drops_an_amount_or_a_date_is_flagged(
    check_id, source, target, source_language
):
    assert messages(check_id, source, target, source_language, "kk-latn") != []
