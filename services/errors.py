"""Errors a customer or staff member can be shown: each carries a clear Hebrew and English message."""

from __future__ import annotations


class BarbyError(Exception):
    """A refusal that changes nothing. `code` is stable for programs; messages are for people."""

    code = "error"

    def __init__(self, message_en: str, message_he: str | None = None, *, code: str | None = None):
        super().__init__(message_en)
        self.message_en = message_en
        self.message_he = message_he or message_en
        if code:
            self.code = code

    def message(self, language: str) -> str:
        return self.message_he if language == "he" else self.message_en


class ValidationFailed(BarbyError):
    """Bad input: `field` names the form field the message belongs beside."""

    code = "invalid"

    def __init__(self, field: str, message_en: str, message_he: str | None = None):
        super().__init__(message_en, message_he)
        self.field = field


class NotFound(BarbyError):
    code = "not_found"


class SoldOut(BarbyError):
    code = "sold_out"


class NotAllowed(BarbyError):
    code = "not_allowed"
