"""The visitor's language, kept in a cookie: Hebrew (RTL) by default, English on request."""

from __future__ import annotations

import reflex as rx

from barby_app.i18n import LANGUAGES, bundle


class LanguageState(rx.State):
    """Every public page reads its strings and direction from here."""

    lang: str = rx.Cookie("he", name="barby_lang", max_age=365 * 24 * 3600, same_site="lax")

    @rx.var
    def language(self) -> str:
        return self.lang if self.lang in LANGUAGES else "he"

    @rx.var
    def t(self) -> dict[str, str]:
        return bundle(self.language)

    @rx.var
    def direction(self) -> str:
        return "ltr" if self.language == "en" else "rtl"

    @rx.event
    def toggle_language(self):
        """Switch and reload, so every page's server data comes back in the new language."""
        self.lang = "en" if self.language == "he" else "he"
        return rx.call_script("window.location.reload()")

    @rx.event
    def sync_document(self):
        """Make <html lang dir> match the visitor's language (screen readers and browsers read it)."""
        direction = "ltr" if self.language == "en" else "rtl"
        return rx.call_script(
            f"document.documentElement.lang='{self.language}';document.documentElement.dir='{direction}'"
        )
