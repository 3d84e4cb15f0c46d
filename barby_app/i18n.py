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
    "search_label": {"he": "חיפוש הופעה", "en": "Search shows"},
    "search_placeholder": {"he": "חיפוש לפי אמן, שם או תאריך", "en": "Search by artist, title or date"},
    "no_results": {"he": "לא נמצאו הופעות מתאימות.", "en": "No matching shows."},
    "no_shows": {"he": "אין כרגע הופעות קרובות.", "en": "No upcoming shows right now."},
    "standing": {"he": "עמידה", "en": "Standing"},
    "seated": {"he": "ישיבה", "en": "Seated"},
    "show_not_found": {"he": "לא מצאנו את ההופעה.", "en": "We could not find this show."},
    "quantity": {"he": "כמות כרטיסים", "en": "Number of tickets"},
    "continue": {"he": "להמשך הזמנה", "en": "Continue"},
    "secret_offer": {"he": "הצעה בלעדית דרך קישור אישי", "en": "An exclusive offer through your private link"},
    "sale_opens": {"he": "המכירה תיפתח ב־", "en": "Sale opens "},
    "name": {"he": "שם מלא", "en": "Full name"},
    "email": {"he": "דוא״ל", "en": "Email"},
    "phone": {"he": "טלפון נייד", "en": "Mobile phone"},
    "id_number": {"he": "תעודת זהות", "en": "Israeli ID number"},
    "join_waiting_list": {"he": "הצטרפות לרשימת ההמתנה", "en": "Join the waiting list"},
    "register": {"he": "עדכנו אותי", "en": "Tell me when it opens"},
    "joined_waiting_list": {"he": "נרשמת! נעדכן אותך אם יתפנו כרטיסים.", "en": "You're on the list! We'll tell you if tickets come back."},
    "joined_registration": {"he": "נרשמת! נעדכן אותך כשהמכירה תיפתח.", "en": "You're registered! We'll tell you when the sale opens."},
    "checkout_title": {"he": "פרטי הזמנה", "en": "Your order"},
    "tickets_held_for": {"he": "הכרטיסים שמורים עבורך עוד", "en": "Your tickets are held for"},
    "hold_expired": {"he": "זמן השמירה הסתיים והכרטיסים שוחררו.", "en": "Your hold has expired and the tickets were released."},
    "try_again": {"he": "לנסות שוב", "en": "Try again"},
    "date": {"he": "תאריך", "en": "Date"},
    "ticket_type": {"he": "סוג כרטיס", "en": "Ticket type"},
    "price": {"he": "מחיר", "en": "Price"},
    "total": {"he": "סה״כ לתשלום", "en": "Total"},
    "gift_card_code": {"he": "קוד כרטיס מתנה (לא חובה)", "en": "Gift card code (optional)"},
    "delivery": {"he": "איך לשלוח את הכרטיסים?", "en": "How should we send your tickets?"},
    "by_email": {"he": "בדוא״ל", "en": "By email"},
    "by_sms": {"he": "ב־SMS", "en": "By SMS"},
    "terms": {"he": "קראתי ואני מסכים/ה לתקנון", "en": "I have read and agree to the terms"},
    "to_payment": {"he": "למעבר לתשלום", "en": "Continue to payment"},
    "order_number": {"he": "מספר הזמנה", "en": "Order number"},
    "confirming": {"he": "אנחנו מאשרים את התשלום, זה לוקח רק כמה שניות…", "en": "We're confirming your payment, this takes a few seconds…"},
    "thank_you": {"he": "תודה! ההזמנה התקבלה", "en": "Thank you! Your order is confirmed"},
    "tickets_sent_to": {"he": "הכרטיסים נשלחו אל", "en": "Tickets sent to"},
    "sending_tickets_to": {"he": "הכרטיסים בדרך אל", "en": "Sending your tickets to"},
    "download_tickets": {"he": "הורדת הכרטיסים (PDF)", "en": "Download tickets (PDF)"},
    "payment_failed": {"he": "התשלום לא הושלם", "en": "The payment did not go through"},
    "payment_failed_help": {"he": "לא חויבת. הכרטיסים שוחררו, ואפשר לנסות שוב.", "en": "You were not charged. The tickets were released and you can try again."},
    "order_attention": {"he": "התשלום התקבל ואנחנו מטפלים בהזמנה. נציג יחזור אליך בהקדם.", "en": "Your payment was received and our team is handling your order. We'll be in touch shortly."},
    "back_to_show": {"he": "חזרה להופעה", "en": "Back to the show"},
    "footer": {"he": "בארבי · קיבוץ גלויות 52, תל אביב", "en": "Barby · 52 Kibbutz Galuyot St, Tel Aviv"},
}


def text(key: str, language: str) -> str:
    entry = STRINGS[key]
    return entry.get(language) or entry["he"]


def bundle(language: str) -> dict[str, str]:
    """All strings in one language, for a state to hold as one dict var."""
    return {key: text(key, language) for key in STRINGS}
