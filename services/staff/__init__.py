"""Staff accounts for the back office: sign-in with signed expiring tokens, and what each role may do."""
