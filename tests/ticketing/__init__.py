"""Ticketing: the state function, holds and the ticket-drop concurrency test."""
