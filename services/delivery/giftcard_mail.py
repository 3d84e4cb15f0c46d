"""What gift-card orders send: the card (PDF + message) to the recipient, a receipt to the buyer.

The recipient's message carries the code, the balance and both dates (issue and expiry, which Israeli
consumer law requires on the voucher); the buyer's receipt names the recipient and when the card goes
out, but never the code, so a surprise stays a surprise and a forwarded receipt cannot be spent.
"""

from __future__ import annotations

import html

import emails

from services.clock import format_date, format_money
from services.delivery.content import OrderView, gift_card_cards, pdf_filename
from services.delivery.documents import Document, render
from services.delivery.texts import text
from services.giftcards import format_code
from services.models import GiftCard
from services.settings import get_settings

WORDS = {
    "he": {
        "card_subject": "{buyer} שלח/ה לך כרטיס מתנה לבארבי",
        "card_intro": "{buyer} שלח/ה לך כרטיס מתנה לבארבי בסך {amount}!",
        "code": "קוד הכרטיס", "balance": "יתרה", "issued": "תאריך הנפקה", "expires": "בתוקף עד",
        "use": "מממשים באתר בטופס ההזמנה (\"מימוש\") או בקופת המועדון, לכל הופעה.",
        "receipt_subject": "קבלה – כרטיס מתנה לבארבי – הזמנה {number}",
        "receipt_intro": "תודה! רכשת כרטיס מתנה בסך {amount} עבור {recipient}.",
        "sent_now": "הכרטיס נשלח אל {to}.", "sent_later": "הכרטיס יישלח אל {to} ב־{date}.",
        "sms": "בארבי: {buyer} שלח/ה לך כרטיס מתנה בסך {amount}. קוד: {code}, בתוקף עד {date}.",
    },
    "en": {
        "card_subject": "{buyer} sent you a Barby gift card",
        "card_intro": "{buyer} sent you a {amount} Barby gift card!",
        "code": "Card code", "balance": "Balance", "issued": "Issued", "expires": "Valid until",
        "use": "Use it online in the order form (\"Apply\") or at the box office, for any show.",
        "receipt_subject": "Receipt – Barby gift card – order {number}",
        "receipt_intro": "Thank you! You bought a {amount} gift card for {recipient}.",
        "sent_now": "The card was sent to {to}.", "sent_later": "The card will be sent to {to} on {date}.",
        "sms": "Barby: {buyer} sent you a {amount} gift card. Code: {code}, valid until {date}.",
    },
}


def word(language: str, key: str, **values: object) -> str:
    return WORDS["he" if language == "he" else "en"][key].format(**values)


def _card_facts(card: GiftCard, lang: str) -> list[tuple[str, str]]:
    return [(word(lang, "code"), format_code(card.code)), (word(lang, "balance"), format_money(card.balance)),
            (word(lang, "issued"), format_date(card.issued_at, lang) if card.issued_at else ""),
            (word(lang, "expires"), format_date(card.expires_at, lang) if card.expires_at else "")]


def _html(lang: str, paragraphs: list[str], facts: list[tuple[str, str]]) -> str:
    direction, align = ("rtl", "right") if lang == "he" else ("ltr", "left")
    esc = html.escape
    rows = "".join(f'<tr><td style="color:#777;padding:4px 12px">{esc(k)}</td>'
                   f'<td style="font-weight:bold;padding:4px 12px">{esc(v)}</td></tr>' for k, v in facts)
    body = "".join(f"<p>{esc(p)}</p>" for p in paragraphs if p)
    return (f'<!doctype html><html lang="{lang}" dir="{direction}"><body style="font-family:Arial,sans-serif;'
            f'direction:{direction};text-align:{align};background:#f4f4f4;margin:0;padding:24px">'
            f'<div style="max-width:600px;margin:auto;background:#fff;padding:24px">'
            f'<h1 style="background:#0c0c0c;color:#fff;padding:12px;margin:0 0 16px">BARBY</h1>{body}'
            f'<table>{rows}</table><p style="color:#999;font-size:12px">{esc(text(lang, "footer"))}</p>'
            f"</div></body></html>")


def _text(lang: str, paragraphs: list[str], facts: list[tuple[str, str]]) -> str:
    return "\n".join([*[p for p in paragraphs if p], "", *(f"{k}: {v}" for k, v in facts), "", text(lang, "footer")])


def build_card_email(view: OrderView, card: GiftCard, *, message_id: str) -> emails.Message:
    """To the recipient: the card as a PDF page, the buyer's message, the code and the dates."""
    lang = card.language or view.language
    amount = format_money(card.initial_amount)
    paragraphs = [f"{card.recipient_name},", word(lang, "card_intro", buyer=view.name, amount=amount),
                  f"“{card.message}”" if card.message else "", word(lang, "use")]
    facts = _card_facts(card, lang)
    message = emails.html(subject=word(lang, "card_subject", buyer=view.name), html=_html(lang, paragraphs, facts),
                          text=_text(lang, paragraphs, facts), mail_from=get_settings().mail_from,
                          message_id=message_id, headers={"X-Barby-Order": view.number})
    pdf = render(Document(language=lang, title=f"Barby {view.number}", created=view.created,
                          cards=[c for c in gift_card_cards(view) if c.qr_value == card.code]))
    message.attach(data=pdf, filename=pdf_filename(view), content_disposition="attachment",
                   mime_type="application/pdf")
    return message


def build_receipt_email(view: OrderView, *, message_id: str) -> emails.Message:
    """To the buyer: what was bought, for whom, and when it goes out; never the code."""
    lang = view.language
    paragraphs = [text(lang, "greeting", name=view.name)]
    for card in view.gift_cards:
        to = card.recipient_email or card.recipient_phone
        paragraphs.append(word(lang, "receipt_intro", amount=format_money(card.initial_amount),
                               recipient=card.recipient_name))
        paragraphs.append(word(lang, "sent_later", to=to, date=format_date(card.send_at, lang)) if card.send_at
                          else word(lang, "sent_now", to=to))
    facts = [(text(lang, "order_number"), view.number),
             (word(lang, "balance"), format_money(sum(c.initial_amount for c in view.gift_cards)))]
    return emails.html(subject=word(lang, "receipt_subject", number=view.number),
                       html=_html(lang, paragraphs, facts), text=_text(lang, paragraphs, facts),
                       mail_from=get_settings().mail_from, message_id=message_id,
                       headers={"X-Barby-Order": view.number})


def card_sms(view: OrderView, card: GiftCard) -> str:
    lang = card.language or view.language
    return word(lang, "sms", buyer=view.name, amount=format_money(card.initial_amount), code=format_code(card.code),
                date=format_date(card.expires_at, lang) if card.expires_at else "")
