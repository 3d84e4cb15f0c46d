"""Interface strings in Hebrew (the default, right-to-left) and English."""

from __future__ import annotations

LANGUAGES = ("he", "en")

STRINGS: dict[str, dict[str, str]] = {
    "venue": {"he": "בארבי תל אביב", "en": "Barby Tel Aviv"},
    "nav_shows": {"he": "הופעות", "en": "Shows"},
    "nav_gift_cards": {"he": "כרטיסי מתנה", "en": "Gift cards"},
    "nav_account": {"he": "האזור האישי", "en": "My account"},
    "nav_contact": {"he": "צור קשר", "en": "Contact"},
    "nav_support": {"he": "עזרה", "en": "Support"},
    "switch_language": {"he": "English", "en": "עברית"},
    "upcoming_shows": {"he": "ההופעות הקרובות", "en": "Upcoming shows"},
    "doors": {"he": "פתיחת דלתות", "en": "Doors"},
    "from_price": {"he": "החל מ־", "en": "From "},
    "no_shows": {"he": "אין כרגע הופעות קרובות.", "en": "No upcoming shows right now."},
    "standing": {"he": "עמידה", "en": "Standing"},
    "seated": {"he": "ישיבה", "en": "Seated"},
    "footer": {"he": "בארבי · קיבוץ גלויות 52, תל אביב", "en": "Barby · 52 Kibbutz Galuyot St, Tel Aviv"},
}


def text(key: str, language: str) -> str:
    entry = STRINGS[key]
    return entry.get(language) or entry["he"]


def bundle(language: str) -> dict[str, str]:
    """All strings in one language, for a state to hold as one dict var."""
    return {key: text(key, language) for key in STRINGS}
