"""Reading what a customer received: the PDF's text and the QR codes on its pages."""

from __future__ import annotations

import io
import subprocess
import tempfile
from email.message import EmailMessage
from pathlib import Path

from PIL import Image
from pypdf import PdfReader
from pyzbar.pyzbar import decode


def pdf_attachment(message: EmailMessage) -> bytes:
    parts = [part for part in message.iter_attachments() if part.get_content_type() == "application/pdf"]
    assert len(parts) == 1, "exactly one PDF attached"
    return parts[0].get_payload(decode=True)


def pdf_pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def qr_codes_per_page(pdf: bytes) -> list[list[str]]:
    """Render every page with pdftoppm (150 dpi) and decode its QR codes with zbar."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "doc.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "150", "-png", str(source), str(Path(folder) / "page")], check=True)
        pages = sorted(Path(folder).glob("page-*.png"))
        return [[symbol.data.decode() for symbol in decode(Image.open(page))] for page in pages]


def body_text(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def body_html(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()
