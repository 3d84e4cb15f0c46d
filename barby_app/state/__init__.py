"""Server-held page states: one small class per page, holding only what that page shows."""
