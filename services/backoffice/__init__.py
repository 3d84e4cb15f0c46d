"""The back office's services: every public operation takes the staff session token first and is
permission-checked on the server (see services.staff.access.guarded)."""
