"""Back-office building blocks: the frame around every admin page, tables and messages."""
