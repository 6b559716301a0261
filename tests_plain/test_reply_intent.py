from datetime import date

import pytest

MONDAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Estimados, ya pagamos esta factura, adjunto comprobante.", "paid"),
        ("La factura ya está cancelada desde el lunes.", "paid"),
        ("Hello, this invoice has been paid last week.", "paid"),
        ("No recibimos la mercadería, por lo que no corresponde el cobro.", "dispute"),
        ("Hay un error en la factura: la cantidad incorrecta.", "dispute"),
        ("No pagaremos hasta recibir la nota de crédito.", "dispute"),
        ("We were overcharged on this invoice.", "dispute"),
        ("Pagaremos el viernes por transferencia.", "promise"),
        ("We will pay on 30/11.", "promise"),
        ("Gracias por el recordatorio.", None),
        ("", None),
    ],
)
def test_intent(reply_intent, text, intent):
    assert reply_intent.read_reply(text, MONDAY)[0] == intent


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pagaremos el viernes", date(2026, 11, 27)),
        ("Vamos a pagar el lunes", date(2026, 11, 30)),
        ("Pagaré mañana", date(2026, 11, 24)),
        ("Pagaremos pasado mañana", date(2026, 11, 25)),
        ("Pagaremos el 5/12", date(2026, 12, 5)),
        ("Pagaremos el 15-01-2027", date(2027, 1, 15)),
        ("Pagaremos el 10/1", date(2027, 1, 10)),
        ("We'll pay next week", date(2026, 11, 30)),
        ("Pagaremos pronto", None),
        ("Pagaremos el 31/02", None),
    ],
)
def test_promised_date(reply_intent, text, expected):
    intent, promised = reply_intent.read_reply(text, MONDAY)
    assert intent == "promise"
    assert promised == expected
