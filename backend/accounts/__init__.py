"""Staff authentication for the API (session + CSRF) and the ensure_staff_user command."""
