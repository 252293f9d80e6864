"""Route a request to a unit by ordered rules on its type and words (pure: no Django, no I/O).

The keyword syntax a service manager writes is KEYWORD_SYNTAX_HELP below.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "FALLBACK_UNIT",
    "KEYWORD_SYNTAX_HELP",
    "MIN_STEM_LETTERS",
    "Decision",
    "Rule",
    "choose_unit",
    "normalise_text",
    "parse_keywords",
    "validate_keywords",
]

FALLBACK_UNIT = "business-desk"
MIN_STEM_LETTERS = 3

INFIX = "*"  # before a word: also match inside compound words
EXACT = "="  # before a word: match only the whole word

# Runs of anything that is not a letter or a digit separate words (`_` counts as punctuation).
_SEPARATORS = re.compile(r"[\W_]+")
# Punctuation inside a pattern separates words, as in the text, except these: they suggest the
# admin expects another syntax (regular expressions, or ";" between patterns).
_SUSPICIOUS = frozenset(";?()[]{}\\%")


@dataclass(frozen=True)
class Rule:
    id: int | None  # the RoutingRule row's pk (None for ad-hoc rules in tests)
    name: str
    unit: str  # target unit code
    request_type: str | None = None  # request type code; None = any type
    keywords: tuple[str, ...] = ()  # parsed patterns; empty = no word condition
    priority: str | None = None  # e.g. "high"; None = leave as is


@dataclass(frozen=True)
class Decision:
    unit: str
    rule: Rule | None  # None = no rule matched, the fallback unit was used
    matched: tuple[str, ...]  # the words/phrases of the text that matched, for the explanation


def normalise_text(text: str) -> str:
    """Return the text as lower-case words separated by single spaces (NFC, casefolded)."""
    folded = unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold())
    return _SEPARATORS.sub(" ", folded).strip()


def _canonical_pattern(piece: str) -> str:
    """Normalise one pattern like the text is normalised, keeping a leading * or = per word."""
    words: list[str] = []
    for token in piece.split():
        modifier = token[0] if token[0] in (INFIX, EXACT) else ""
        parts = normalise_text(token.replace(INFIX, " ").replace(EXACT, " ")).split()
        if parts:
            parts[0] = modifier + parts[0]
            words.extend(parts)
    return " ".join(words)


def _pieces(raw: str) -> list[str]:
    """Split the admin's text into raw patterns: lines and commas; drop comments and blanks."""
    pieces = []
    for line in raw.splitlines():
        for piece in line.split("#", 1)[0].split(","):
            if piece.strip():
                pieces.append(piece.strip())
    return pieces


@lru_cache(maxsize=1024)
def parse_keywords(raw: str) -> tuple[str, ...]:
    """Parse the keywords field into normalised, de-duplicated patterns, in the order written.

    Cached: every submission parses every active rule's keywords (pure, so a rule edited in the
    admin is simply a new string).
    """
    patterns = (_canonical_pattern(piece) for piece in _pieces(raw or ""))
    return tuple(dict.fromkeys(pattern for pattern in patterns if pattern))


def gettext_noop(message: str) -> str:
    """Mark a message for translation (makemessages finds this name); translate on display."""
    return message


# Shown under the keywords field in the admin, in the admin's language.
KEYWORD_SYNTAX_HELP = gettext_noop(
    "Keywords: write one pattern per line, or several on a line separated by commas; blank "
    "lines and anything after a # are ignored, and capitals and punctuation make no difference."
    ' A pattern is the beginning of a word: "tont" matches tontti, tontin, tonttia and '
    'tonteista. Put * in front to find it inside compound words too: "*tont" also matches '
    'teollisuustontti and yritystontin, "*bygglov" matches bygglovet and bygglovsansökan. Put ='
    ' in front to match only that exact word: "=lån" matches lån but not lånar. Several words '
    "make a phrase, which matches only where the words come one after another, each again the "
    'beginning of a word: "wage subsid" matches "wage subsidy" and "wage subsidies". A pattern '
    "needs a word of at least 3 letters; pick stems that do not also begin common unrelated "
    'words ("lupa" also catches lupaus, a promise: write "=lupa" or a compound such as '
    '"*rakennuslu"). A rule matches when its request type (if set) is the request\'s type and, '
    "if it has keywords, at least one of them is found in the subject or description. Rules are"
    " tried in order; the first match decides the unit, and a request that no rule matches goes"
    " to the Business Porvoo service desk."
)


_TOO_SHORT = gettext_noop(
    "“{pattern}”: a pattern needs a word of at least {minimum} letters, or it matches too many "
    "words."
)
_MISPLACED_MODIFIER = gettext_noop(
    "“{pattern}”: * and = may only stand at the beginning of a word, and only one of them "
    "(“*tont”, “=lov”). A word already matches longer words that begin with it."
)
_UNEXPECTED_CHARACTER = gettext_noop(
    "“{pattern}”: the character “{character}” has no meaning here; separate patterns with a "
    "comma or a new line, and write only letters, digits, spaces and a leading * or =."
)
_NO_LETTERS = gettext_noop("“{pattern}”: there is no word to look for.")
_DUPLICATE = gettext_noop("“{pattern}” is listed more than once.")


def validate_keywords(raw: str, *, translate: Callable[[str], str] = gettext_noop) -> list[str]:
    """Return the problems an admin should fix in the keywords field; [] when it is fine.

    `translate` (e.g. Django's gettext) translates each message before it is filled in.
    """
    problems: list[str] = []
    seen: set[str] = set()
    for piece in _pieces(raw or ""):
        problem = _problem(piece)
        if problem is not None:
            template, values = problem
            problems.append(translate(template).format(pattern=piece, **values))
            continue
        pattern = _canonical_pattern(piece)
        if pattern in seen:
            problems.append(translate(_DUPLICATE).format(pattern=piece))
        seen.add(pattern)
    return problems


def _problem(piece: str) -> tuple[str, dict[str, object]] | None:
    for token in unicodedata.normalize("NFC", piece).split():
        body = token[1:] if token[0] in (INFIX, EXACT) else token
        if not body or INFIX in body or EXACT in body:
            return _MISPLACED_MODIFIER, {}
        for character in body:
            if not _allowed(character):
                return _UNEXPECTED_CHARACTER, {"character": character}
    words = [word.lstrip(INFIX + EXACT) for word in _canonical_pattern(piece).split()]
    if not words:
        return _NO_LETTERS, {}
    if max(len(word) for word in words) < MIN_STEM_LETTERS:
        return _TOO_SHORT, {"minimum": MIN_STEM_LETTERS}
    return None


def _allowed(character: str) -> bool:
    if character.isalnum():
        return True
    # Punctuation (P*) and combining marks (M*) are harmless; symbols such as + | ^ $ are not.
    return character not in _SUSPICIOUS and unicodedata.category(character)[0] in "PM"


def _word_regex(word: str) -> str:
    # The normalised text is words separated by single spaces, so \S is "a letter of this word".
    if word.startswith(EXACT):
        return re.escape(word[1:]) + r"(?!\S)"
    if word.startswith(INFIX):
        return r"\S*?" + re.escape(word[1:]) + r"\S*"
    return re.escape(word) + r"\S*"


@dataclass(frozen=True)
class _Matcher:
    clues: tuple[str, ...]  # one word of each pattern: no clue in the text, no match
    regex: re.Pattern[str]


@lru_cache(maxsize=1024)
def _compile(keywords: tuple[str, ...]) -> _Matcher | None:
    """One regex for a rule's patterns; None when none of them has a word to look for."""
    phrases = {_canonical_pattern(keyword) for keyword in keywords} - {""}
    if not phrases:
        return None
    # Longest phrases first, so that the explanation shows "business plan", not just "business".
    ordered = sorted(phrases, key=lambda p: (-len(p.split()), p))
    alternatives = (" ".join(_word_regex(word) for word in p.split()) for p in ordered)
    # Substring tests are much cheaper than the regex, and most rules miss most texts.
    clues = {max((w.lstrip(INFIX + EXACT) for w in p.split()), key=len) for p in phrases}
    return _Matcher(
        clues=tuple(sorted(clues)),
        regex=re.compile(r"(?<!\S)(?:" + "|".join(alternatives) + ")"),
    )


def _matches(keywords: tuple[str, ...], normalised: str) -> tuple[str, ...]:
    matcher = _compile(keywords)
    if matcher is None or not any(clue in normalised for clue in matcher.clues):
        return ()
    return tuple(dict.fromkeys(match.group(0) for match in matcher.regex.finditer(normalised)))


def choose_unit(
    text: str, request_type: str, rules: Sequence[Rule], *, fallback: str = FALLBACK_UNIT
) -> Decision:
    """Return the unit of the first rule that matches the request, or the fallback unit."""
    normalised = normalise_text(text or "")
    for rule in rules:
        if rule.request_type is not None and rule.request_type != request_type:
            continue
        if not rule.keywords:
            return Decision(unit=rule.unit, rule=rule, matched=())
        matched = _matches(tuple(rule.keywords), normalised)
        if matched:
            return Decision(unit=rule.unit, rule=rule, matched=matched)
    return Decision(unit=fallback, rule=None, matched=())
