"""Security primitives every room shares: password hashing, per-purpose keys, rate limits.

- `passwords`: argon2 hashing for staff and customer passwords.
- `keys`: one key per purpose derived from the master secret, so an order key can never pass as a
  staff token or a ticket link.
- `ratelimit`: named limits shared by every app worker through Redis (the `limits` library).
"""

from services.security.passwords import hash_password, verify_password

__all__ = ["hash_password", "verify_password"]
