"""Reusable page pieces, as plain functions returning components."""
