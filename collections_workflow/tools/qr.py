# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""QR codes of payment links, as PNG data URIs a PDF embeds (pure Python, ``qrcode``).

A statement carries one code per open invoice, and a run prepares thousands: the code is
made with the ``qrcode`` package (an Odoo requirement) with a fixed mask pattern. Every
mask gives a valid code (ISO/IEC 18004); trying the eight to keep the best one only
improves scanning at the margin and costs most of the time (about 7 ms against 2 ms a
code; reportlab's drawing, Odoo's ``barcode``, takes about 87 ms). The image is made from
the code's matrix in one step, rather than drawn module by module.
"""

import base64
import functools
import io

import qrcode
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M


def qr_png(data, box_size=4, border=1):
    """The PNG bytes of a QR code of ``data``."""
    code = qrcode.QRCode(
        error_correction=ERROR_CORRECT_M, box_size=box_size, border=border, mask_pattern=0
    )
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()  # the border included, True where a module is dark
    size = len(matrix)
    image = Image.frombytes(
        "L", (size, size), bytes(0 if dark else 255 for row in matrix for dark in row)
    ).resize((size * box_size, size * box_size), Image.Resampling.NEAREST)
    buffer = io.BytesIO()
    image.convert("1").save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


# an invoice's code is the same on each statement that lists it, day after day
@functools.lru_cache(maxsize=10000)
def qr_data_uri(data):
    """A ``data:`` URI of the QR code of ``data``, for an ``<img>`` of a report."""
    return "data:image/png;base64," + base64.b64encode(qr_png(data)).decode()
