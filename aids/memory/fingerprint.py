"""What the memory stores about a source text so it can be found again.

- ``source_hash``: SHA-256 of the normalised text (Unicode NFC, spaces
  collapsed, quotation marks and apostrophes unified). Equal hashes are an
  exact (100%) match.
- ``text_bands``: MinHash-LSH band hashes over the text's *content words*
  (case-folded words, stop words of the three languages left out, so that
  "the", "и", "мен" do not make unrelated texts look alike). Two texts whose
  word sets have Jaccard similarity *s* share at least one band with
  probability 1 - (1 - s^ROWS)^BANDS: with 20 bands of 4 rows that is 0.94 at
  s = 0.6 and 0.9996 at s = 0.8 (a 40-word paragraph with three words changed),
  and 0.0002 at s = 0.1 (unrelated news on the same subject). Texts with fewer
  than MIN_WORDS content words get no bands: they are found only exactly.
- ``similarity``: what the translator sees, 0-100: difflib's ratio over the
  two texts' word sequences (stop words included), computed only for the few
  candidates the bands (or the hash) brought back.

Changing BANDS, ROWS, the stop words or the tokenisation changes every
segment's bands: run ``manage.py tm_rebuild`` after.
"""

import difflib
import hashlib
import re
import struct
import unicodedata
from functools import lru_cache

BANDS = 20
ROWS = 4
MIN_WORDS = 3
WORD_RE = re.compile(r"[^\W_]+")
QUOTES = str.maketrans({"«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "’": "'", "‘": "'"})

STOP_WORDS = frozenset(
    # English
    "a an and are as at be been but by for from had has have he her his i in is it its of "
    "on or our that the their them they this to was we were which who will with you your "
    "not no so than then there these those also after before about into over said says "
    "would could should can may more most other some such up out all one new"
    # Russian
    " а без бы был была были было в во вот все всё для до же за и из или их к как когда ко "
    "ли на над не нет но о об однако он она они оно от по под при с со так также то том "
    "того тот у уже чем что чтобы это эти этот его ее её мы вы я ещё еще после ходе также "
    "был будет будут является сказал заявил отметил"
    # Kazakh
    " және мен бен пен да де та те бұл сол осы ол олар біз сіз мен үшін деп деді дейді "
    "бойынша туралы арқылы кейін дейін бірге ғана тек еді болды болып болады екенін "
    "жатыр мұнда онда сондай сонымен қатар атап айтқанда ретінде тиіс керек".split()
)


def normalise(text):
    text = unicodedata.normalize("NFC", text or "").translate(QUOTES)
    return " ".join(text.split())


def source_hash(text):
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


def words(text):
    return [word.casefold().replace("ё", "е") for word in WORD_RE.findall(normalise(text))]


def content_words(text):
    return {word for word in words(text) if word not in STOP_WORDS and len(word) > 1}


@lru_cache(maxsize=262_144)
def _word_hashes(word):
    # One SHAKE-128 call gives this word's value under all BANDS*ROWS hash
    # functions; a word's minimum over a text is then a column-wise min.
    digest = hashlib.shake_128(word.encode("utf-8")).digest(4 * BANDS * ROWS)
    return struct.unpack(f"<{BANDS * ROWS}I", digest)


def minhash(word_set):
    hashes = [_word_hashes(word) for word in word_set]
    return [min(column) for column in zip(*hashes, strict=True)]


def text_bands(text, source_language, target_language):
    """The band hashes of ``text`` as signed 32-bit ints, ``[]`` when too short.

    Each band hash is salted with the language pair, so that a band never
    brings back a segment of another pair.
    """
    word_set = content_words(text)
    if len(word_set) < MIN_WORDS:
        return []
    signature = minhash(word_set)
    salt = f"{source_language}>{target_language}".encode()[:16]
    bands = []
    for band in range(BANDS):
        rows = signature[band * ROWS : (band + 1) * ROWS]
        packed = struct.pack(f"<B{ROWS}I", band, *rows)
        digest = hashlib.blake2b(packed, digest_size=4, person=salt).digest()
        bands.append(struct.unpack("<i", digest)[0])
    return sorted(set(bands))


def similarity(text, other):
    """How alike two texts are, 0-100, by their word sequences."""
    a, b = words(text), words(other)
    if not a and not b:
        return 100
    return round(100 * difflib.SequenceMatcher(None, a, b, autojunk=False).ratio())
