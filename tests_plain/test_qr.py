import base64
import io


def test_a_payment_link_becomes_a_png_qr_code(qr):
    url = "https://cobranza.example.com/my/invoices/42?access_token=8f2c0a3e"
    png = qr.qr_png(url)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    uri = qr.qr_data_uri(url)
    assert uri.startswith("data:image/png;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]) == png


def test_the_same_link_gives_the_same_code(qr):
    PIL = __import__("pytest").importorskip("PIL.Image")
    first = PIL.open(io.BytesIO(qr.qr_png("https://a.example/1")))
    again = PIL.open(io.BytesIO(qr.qr_png("https://a.example/1")))
    other = PIL.open(io.BytesIO(qr.qr_png("https://a.example/2")))
    assert first.tobytes() == again.tobytes()
    assert first.tobytes() != other.tobytes()


def test_a_reader_finds_the_link_in_the_code(qr):
    """Scanned as a phone would (zxing-cpp, the decoder of ZXing): the fixed mask pattern
    still gives a code that reads back to the payment link."""
    zxingcpp = __import__("pytest").importorskip("zxingcpp")
    image = __import__("pytest").importorskip("PIL.Image")
    url = "https://cobranza.example.com/my/invoices/42?access_token=8f2c0a3e-3a1e-4b5e"
    found = zxingcpp.read_barcodes(image.open(io.BytesIO(qr.qr_png(url))))
    assert [result.text for result in found] == [url]
