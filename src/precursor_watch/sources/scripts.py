"""The writing system of a name as an ISO 15924 code ("Latn", "Hani", "Cyrl", "Arab"...)."""

from __future__ import annotations

from rigour.text.scripts import text_scripts

# rigour reports Unicode script names; ISO 15924 codes for the ones names are written in.
ISO_15924 = {
    "Latin": "Latn",
    "Han": "Hani",
    "Cyrillic": "Cyrl",
    "Arabic": "Arab",
    "Hangul": "Hang",
    "Greek": "Grek",
    "Hebrew": "Hebr",
    "Devanagari": "Deva",
    "Thai": "Thai",
    "Georgian": "Geor",
    "Armenian": "Armn",
    "Hiragana": "Hira",
    "Katakana": "Kana",
    "Bengali": "Beng",
    "Tamil": "Taml",
    "Ethiopic": "Ethi",
    "Khmer": "Khmr",
    "Myanmar": "Mymr",
    "Syriac": "Syrc",
}


def script_of(name: str) -> str | None:
    """The name's script, the non-Latin one when mixed ("有限公司 Ltd" -> "Hani"), else None."""
    scripts = text_scripts(name)
    if not scripts:
        return None
    non_latin = sorted(s for s in scripts if s != "Latin")
    chosen = non_latin[0] if non_latin else "Latin"
    return ISO_15924.get(chosen, chosen[:4].title())
