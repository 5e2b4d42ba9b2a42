"""What the memory stores about a source text so it can be found again.

- ``source_hash``: SHA-256 of the normalised text (Unicode NFC, spaces
  collapsed, quotation marks and apostrophes unified). Equal hashes are an
  exact (100%) match.
- ``text_bands``: MinHash-LSH band hashes over the text's *content words*
  (case-folded words, stop words of the three languages left out, so that
  "the", "и", "мен" do not make unrelated texts look alike). Two texts whose
  word sets have Jaccard similarity *s* share at least one band with
  probability 1 - (1 - s^ROWS)^BANDS: with 24 bands of 5 rows that is 0.86 at
  s = 0.6, 0.99 at s = 0.7 and 0.9999 at s = 0.8 (a 40-word paragraph with
  three words changed), but 0.00024 at s = 0.1 (unrelated news on the same
  subject), so the band query brings back few candidates: each costs a heap
  page read. (With 20 bands of 4 rows a million segments gave ~300 random
  candidates per lookup and twice the lookup time.) Texts with fewer
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
import zlib
from functools import lru_cache

BANDS = 24
ROWS = 5
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
    return WORD_RE.findall(normalise(text).casefold().replace("ё", "е"))


def content_words(text):
    return {word for word in words(text) if word not in STOP_WORDS and len(word) > 1}


# MinHash in pure Python, BANDS*ROWS hash functions at once: each word's values
# under all of them are packed into one big integer, a 32-bit lane per hash
# function (a 24-bit value under a guard bit), and the signature is the
# lane-wise minimum over the words, taken with a few whole-integer operations
# per word (SWAR) instead of a Python loop per hash function: about five
# times faster, which is what lets a million segments be indexed in minutes.
HASHES = BANDS * ROWS
LANE_BITS = 32
VALUE_BITS = 24
VALUE_MASK = (1 << VALUE_BITS) - 1
GUARDS = sum(1 << (LANE_BITS * lane + VALUE_BITS) for lane in range(HASHES))


@lru_cache(maxsize=262_144)
def _word_lanes(word):
    digest = hashlib.shake_128(word.encode("utf-8")).digest(4 * HASHES)
    values = struct.unpack(f"<{HASHES}I", digest)
    return int.from_bytes(
        struct.pack(f"<{HASHES}I", *(value & VALUE_MASK for value in values)), "little"
    )


def _signature(word_set):
    lanes = iter([_word_lanes(word) for word in word_set])
    signature = next(lanes)
    for other in lanes:
        # Per lane: the guard bit survives (signature | guard) - other exactly
        # where signature >= other; spread it over the lane's value bits and
        # take other's value there.
        guards = ((signature | GUARDS) - other) & GUARDS
        take_other = guards - (guards >> VALUE_BITS)
        signature ^= (signature ^ other) & take_other
    return signature.to_bytes(4 * HASHES, "little")


def minhash(word_set):
    """The MinHash signature of a non-empty set of words: HASHES ints."""
    return struct.unpack(f"<{HASHES}I", _signature(word_set))


@lru_cache(maxsize=64)
def _band_seeds(source_language, target_language):
    pair = f"{source_language}>{target_language}".encode()
    return tuple(zlib.crc32(pair + bytes([band])) for band in range(BANDS))


def text_bands(text, source_language, target_language):
    """The band hashes of ``text`` as signed 32-bit ints, sorted; ``[]`` when too short.

    A band hash is a CRC-32 of the band's ROWS values, seeded per band and per
    language pair, so that a band never brings back a segment of another
    pair. (CRC is not a cryptographic hash; it needs only to spread bands.)
    """
    word_set = content_words(text)
    if len(word_set) < MIN_WORDS:
        return []
    signature = _signature(word_set)
    width = 4 * ROWS
    seeds = _band_seeds(source_language, target_language)
    bands = set()
    for band, seed in enumerate(seeds):
        value = zlib.crc32(signature[band * width : (band + 1) * width], seed)
        bands.add(value - (1 << 32) if value >= 1 << 31 else value)
    return sorted(bands)


def similarity(text, other):
    """How alike two texts are, 0-100, by their word sequences."""
    a, b = words(text), words(other)
    if not a and not b:
        return 100
    return round(100 * difflib.SequenceMatcher(None, a, b, autojunk=False).ratio())
