"""Every customer-facing word of a delivery, in Hebrew and English, in one place."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "he": {
        "subject": "הכרטיסים שלך – הזמנה {number} – {show}",
        "greeting": "שלום {name},",
        "intro": "תודה שרכשת כרטיסים בבארבי! הכרטיסים מצורפים למייל הזה כקובץ PDF.",
        "order_number": "מספר הזמנה",
        "show": "הופעה",
        "date": "תאריך",
        "doors": "פתיחת דלתות",
        "tier": "סוג כרטיס",
        "price": "מחיר",
        "customer": "שם הלקוח",
        "seat": "מקום",
        "age_limit": "הגבלת גיל",
        "quantity": "כמות כרטיסים",
        "ticket_of": "כרטיס {index} מתוך {count}",
        "download": "להורדת הכרטיסים",
        "download_note": "הקישור בתוקף עד {date}.",
        "instructions_title": "הוראות כניסה",
        "footer": "בארבי תל אביב · קיבוץ גלויות 52, תל אביב · barby.co.il",
        "sms": "בארבי: הכרטיסים להזמנה {number} ({show}, {date}) מחכים לך כאן: {url}",
        "venue": "בארבי תל אביב",
    },
    "en": {
        "subject": "Your tickets – order {number} – {show}",
        "greeting": "Hello {name},",
        "intro": "Thank you for buying tickets at Barby! Your tickets are attached to this email as a PDF.",
        "order_number": "Order number",
        "show": "Show",
        "date": "Date",
        "doors": "Doors open",
        "tier": "Ticket type",
        "price": "Price",
        "customer": "Customer",
        "seat": "Seat",
        "age_limit": "Age limit",
        "quantity": "Tickets",
        "ticket_of": "Ticket {index} of {count}",
        "download": "Download your tickets",
        "download_note": "The link is valid until {date}.",
        "instructions_title": "Entry instructions",
        "footer": "Barby Tel Aviv · 52 Kibbutz Galuyot St, Tel Aviv · barby.co.il",
        "sms": "Barby: your tickets for order {number} ({show}, {date}) are here: {url}",
        "venue": "Barby Tel Aviv",
    },
}

INSTRUCTIONS: dict[str, list[str]] = {
    "he": [
        "הציגו את קוד ה-QR בכניסה, מהטלפון או מודפס. כל קוד מכניס אדם אחד, פעם אחת.",
        "הדלתות נפתחות בשעה המצוינת; ההופעה מתחילה כשעה לאחר מכן.",
        "אין להעביר את הכרטיס לאחרים או לפרסם את הקוד: הסורק מקבל רק את הסריקה הראשונה.",
    ],
    "en": [
        "Show the QR code at the door, on your phone or printed. Each code admits one person, once.",
        "Doors open at the time shown; the show starts about an hour later.",
        "Do not share or post the code: the scanner accepts only the first scan.",
    ],
}


def text(language: str, key: str, **values: object) -> str:
    """The phrase in the customer's language (English for anything but Hebrew)."""
    table = TEXTS["he" if language == "he" else "en"]
    return table[key].format(**values)


AGE_LINE = {"he": "הכניסה מגיל {age} ומעלה בלבד; יש להציג תעודה מזהה בכניסה.",
            "en": "Entry is {age}+ only; please bring a photo ID."}


def instructions(language: str, min_age: int = 0) -> list[str]:
    """The entry instructions; the age line only for a show that has an age limit."""
    lang = "he" if language == "he" else "en"
    lines = list(INSTRUCTIONS[lang])
    if min_age:
        lines.insert(1, AGE_LINE[lang].format(age=min_age))
    return lines
