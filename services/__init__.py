"""Barby's business rooms: every rule and all persistence live here, free of any web framework."""
