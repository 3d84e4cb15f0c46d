"""The demo season: a dozen upcoming shows covering every sale situation the venue meets.

Dates are relative to the day the seed first runs (days from now, local door/show times), so a
fresh checkout always shows an upcoming season. Each entry's `sale` names its situation.
"""

from __future__ import annotations

# (kind, name_he, name_en, price ₪, allocation, opens days from now (None = already open), closes, public)
DEMO_SHOWS: list[dict] = [
    {"slug": "hadag-nahash-live", "artist_en": "Hadag Nahash", "artist_he": "הדג נחש",
     "title_he": "הדג נחש – הופעה חיה", "title_en": "Hadag Nahash Live", "days": 9, "hour": 21,
     "capacity": 700, "featured": True, "sale": "on_sale",
     "tiers": [("regular", "כרטיס רגיל", "Regular", 159, 700, None, None, True)]},
    {"slug": "ester-rada", "artist_en": "Ester Rada", "artist_he": "אסתר רדה",
     "title_he": "אסתר רדה", "title_en": "Ester Rada", "days": 16, "hour": 21,
     "capacity": 650, "featured": True, "sale": "presale_only",
     "tiers": [("presale", "מכירה מוקדמת", "Presale", 129, 200, None, None, True),
               ("regular", "כרטיס רגיל", "Regular", 159, 450, 5, None, True)]},
    {"slug": "tuna-winter-tour", "artist_en": "Tuna", "artist_he": "טונה",
     "title_he": "טונה – סיבוב חורף", "title_en": "Tuna – Winter Tour", "days": 12, "hour": 22,
     "capacity": 700, "featured": True, "sale": "presale_sold_out_regular_on_sale",
     "tiers": [("presale", "מכירה מוקדמת", "Presale", 119, 150, None, None, True),
               ("regular", "כרטיס רגיל", "Regular", 149, 550, None, None, True)],
     "sold": {"presale": 150, "regular": 40}},
    {"slug": "noga-erez", "artist_en": "Noga Erez", "artist_he": "נוגה ארז",
     "title_he": "נוגה ארז", "title_en": "Noga Erez", "days": 6, "hour": 21,
     "capacity": 500, "featured": True, "sale": "sold_out_waiting_list", "waiting_list": True,
     "tiers": [("regular", "כרטיס רגיל", "Regular", 189, 500, None, None, True)],
     "sold": {"regular": 500}},
    {"slug": "jane-bordeaux", "artist_en": "Jane Bordeaux", "artist_he": "ג'יין בורדו",
     "title_he": "ג'יין בורדו – אקוסטי", "title_en": "Jane Bordeaux – Acoustic", "days": 20, "hour": 20,
     "capacity": 350, "seating": "seated", "sale": "closed", "status": "closed",
     "tiers": [("regular", "כרטיס רגיל", "Regular", 139, 350, None, None, True)]},
    {"slug": "shlomo-artzi-intimate", "artist_en": "Shlomo Artzi", "artist_he": "שלמה ארצי",
     "title_he": "שלמה ארצי – ערב אינטימי", "title_en": "Shlomo Artzi – An Intimate Evening", "days": 45,
     "hour": 21, "capacity": 400, "seating": "seated", "sale": "registration",
     "tiers": [("regular", "כרטיס רגיל", "Regular", 249, 400, 10, None, True)]},
    {"slug": "red-axes-night", "artist_en": "Red Axes", "artist_he": "רד אקסס",
     "title_he": "רד אקסס – לילה ארוך", "title_en": "Red Axes – All Night Long", "days": 23, "hour": 23,
     "capacity": 700, "sale": "early_bird_few_left_beside_regular",
     "tiers": [("early_bird", "ציפור מוקדמת", "Early bird", 89, 100, None, 7, True),
               ("regular", "כרטיס רגיל", "Regular", 119, 600, None, None, True)],
     "sold": {"early_bird": 92}},  # 8 early-bird tickets left: the page says "only 8 left"
    {"slug": "ravid-plotnik", "artist_en": "Ravid Plotnik", "artist_he": "רביד פלוטניק",
     "title_he": "רביד פלוטניק", "title_en": "Ravid Plotnik", "days": 4, "hour": 21,
     "capacity": 600, "sale": "regular_sold_out_secret_link",
     "tiers": [("regular", "כרטיס רגיל", "Regular", 169, 560, None, None, True),
               ("internal", "הזמנה פנימית", "Partner allocation", 140, 40, None, None, False)],
     "sold": {"regular": 560}, "secret_link": {"token": "ravid-friends-2026", "tier": "internal",
                                              "allocation": 40, "max_per_order": 2, "campaign": "Partners"}},
    {"slug": "el-khat", "artist_en": "El Khat", "artist_he": "אל ח'את",
     "title_he": "אל ח'את", "title_en": "El Khat", "days": 30, "hour": 21,
     "capacity": 550, "sale": "on_sale",
     "tiers": [("regular", "כרטיס רגיל", "Regular", 139, 550, None, None, True)], "sold": {"regular": 212}},
    {"slug": "marina-maximilian", "artist_en": "Marina Maximilian", "artist_he": "מרינה מקסימיליאן",
     "title_he": "מרינה מקסימיליאן", "title_en": "Marina Maximilian", "days": 27, "hour": 20,
     "capacity": 380, "seating": "seated", "sale": "on_sale",
     "tiers": [("regular", "אולם", "Hall", 179, 300, None, None, True),
               ("regular", "יציע", "Balcony", 149, 80, None, None, True)]},
    {"slug": "teder-closing-party", "artist_en": "Teder DJs", "artist_he": "תדר",
     "title_he": "מסיבת הנעילה של תדר", "title_en": "Teder Closing Party", "days": 35, "hour": 23,
     "capacity": 700, "sale": "hidden", "public": False,
     "tiers": [("regular", "כרטיס רגיל", "Regular", 99, 700, None, None, True)]},
    {"slug": "balkan-beat-box", "artist_en": "Balkan Beat Box", "artist_he": "בלקן ביט בוקס",
     "title_he": "בלקן ביט בוקס", "title_en": "Balkan Beat Box", "days": 52, "hour": 21,
     "capacity": 700, "featured": True, "sale": "presale_and_regular",
     "tiers": [("presale", "מכירה מוקדמת", "Presale", 139, 250, None, 14, True),
               ("regular", "כרטיס רגיל", "Regular", 169, 450, 14, None, True)]},
]

DEMO_STAFF = [
    ("admin@barby.local", "Dana Admin", "admin", "demo-admin-pass"),
    ("manager@barby.local", "Moshe Manager", "manager", "demo-manager-pass"),
    ("boxoffice@barby.local", "Bat-El Box Office", "box_office", "demo-boxoffice-pass"),
    ("support@barby.local", "Sagi Support", "support", "demo-support-pass"),
]

DEMO_CUSTOMERS = [
    ("noa.levi@example.com", "נועה לוי", "0521234567", "000000018"),
    ("yossi.cohen@example.com", "יוסי כהן", "0547654321", "000000026"),
    ("dana.mizrahi@example.com", "Dana Mizrahi", "0509876543", "000000034"),
]

# Gift cards in every situation the back office and the balance page must show. `spent` is what orders
# already took; `issued_days` is how long ago it was paid (over five years: expired); `send_in_days` a
# card paid for now and scheduled for a later date.
DEMO_GIFT_CARDS = [
    {"code": "BRBYGFT3FRSH7777", "amount": 30000, "spent": 0, "issued_days": 3, "recipient_name": "נועה לוי",
     "recipient_email": "noa.levi@example.com", "message": "יום הולדת שמח!"},
    {"code": "BRBYGFT2PART8888", "amount": 20000, "spent": 12000, "issued_days": 60, "recipient_name": "Yossi Cohen",
     "recipient_email": "yossi.cohen@example.com", "message": "Enjoy the show!"},
    {"code": "BRBYGFT1USED5555", "amount": 15000, "spent": 15000, "issued_days": 200, "recipient_name": "Dana Mizrahi",
     "recipient_email": "dana.mizrahi@example.com", "message": ""},
    {"code": "BRBYGFT2XPRD2222", "amount": 20000, "spent": 5000, "issued_days": 5 * 365 + 30,
     "recipient_name": "נועה לוי", "recipient_email": "noa.levi@example.com", "message": "מזל טוב"},
    {"code": "BRBYGFT5LATR6666", "amount": 50000, "spent": 0, "issued_days": 0, "send_in_days": 10,
     "recipient_name": "Tamar Ben-David", "recipient_email": "tamar@example.com", "message": "לחג!"},
]


# Entry age per show (0: all ages); the rest of the season is 18+.
DEMO_AGES = {"shlomo-artzi-intimate": 0, "marina-maximilian": 0, "jane-bordeaux": 16, "ester-rada": 16,
             "red-axes-night": 21}


def _describe(show: dict) -> tuple[str, str]:
    age = show["min_age"]
    he = (f"{show['artist_he']} עולים לבמת הבארבי לערב בלתי נשכח. פתיחת דלתות שעה לפני תחילת המופע."
          + (f" המופע מגיל {age} ומעלה, יש להציג תעודה מזהה בכניסה." if age else " המופע לכל הגילים."))
    en = (f"{show['artist_en']} take the Barby stage for an unforgettable night. Doors open one hour before the show."
          + (f" {age}+, please bring photo ID." if age else " All ages welcome."))
    return he, en


for _show in DEMO_SHOWS:
    _show["min_age"] = DEMO_AGES.get(_show["slug"], 18)
    _show["description_he"], _show["description_en"] = _describe(_show)
