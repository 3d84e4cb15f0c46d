"""Back-office page states. Every event calls a permission-checked service with the session token,
so the role is checked on the server on every click; nothing here decides who may do what."""
