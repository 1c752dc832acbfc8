"""How usernames compare: what is stored, what must be unique, what counts as a look-alike.

- `normalize`: NFKC, what the panel stores (Django's own normalisation of usernames): a fullwidth "ｇ" is "g".
- `key`: NFKC + case folding (+ NFKC again, as folding may leave unnormalised text): two usernames with the
  same key are the same name. The database holds it in `panel_user.username_key`, unique within a name space
  (core.models.User); the collection computes it the same way (pinned by tests/test_usernames.py).
- `skeleton`: Unicode's confusables skeleton (UTS #39), made case-insensitive: "glоbex" with a Cyrillic "о",
  "gIobex" with a capital "I" and "globex" share one. The mapping comes from the confusables data of Unicode's security mechanisms as packaged by
  confusable-homoglyphs.
"""
import functools
import unicodedata

from confusable_homoglyphs import confusables

_DIRECTION_MARKS = dict.fromkeys(map(ord, "\u200e\u200f"))


def normalize(username):
    return unicodedata.normalize("NFKC", username)


def key(username):
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", username).casefold())


@functools.lru_cache(maxsize=1)
def _prototypes():
    """{character: its prototype} from the package's table, which lists, for a character that has a prototype,
    that prototype alone, and for a prototype, every character that maps to it. A pair listing each other is a
    prototype with one look-alike: both then map to the smaller of the two, which keeps the classes intact."""
    table = {}
    for char, entries in confusables.confusables_data.items():
        if len(char) != 1 or len(entries) != 1:
            continue
        target = entries[0]["c"].translate(_DIRECTION_MARKS)
        back = confusables.confusables_data.get(target)
        if back is not None and len(back) == 1 and back[0]["c"].translate(_DIRECTION_MARKS) == char:
            target = min(char, target)
        if target != char:
            table[char] = target
    return table


def _mapped(text, table):
    """NFD, every character replaced by its prototype, NFD again, until nothing changes."""
    for _round in range(8):
        mapped = unicodedata.normalize("NFD", "".join(table.get(char, char) for char in text))
        if mapped == text:
            break
        text = mapped
    return text


def skeleton(username):
    """UTS #39 skeleton of the username, made case-insensitive: the prototypes of the characters as typed (so
    a capital "I" still looks like "l"), case-folded, then mapped again, until nothing changes."""
    table = _prototypes()
    text = unicodedata.normalize("NFD", normalize(username))
    for _round in range(8):
        folded = _mapped(_mapped(text, table).casefold(), table)
        if folded == text:
            break
        text = folded
    return text
