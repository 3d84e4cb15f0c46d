"""The Reflex app: pages, their states and components, and the plain HTTP API beside them."""
