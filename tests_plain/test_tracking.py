BASE = "https://erp.example.com"


def test_web_links_go_through_the_route_and_phone_links_stay(tracking):
    body = (
        '<a href="https://erp.example.com/my/invoices/7?access_token=a&amp;payment=True">Pay</a>'
        '<a href="https://erp.example.com/es/collections/AQ-x_1">Account</a>'
        '<a href="https://wa.me/56961234511?text=Hola">WhatsApp</a>'
        '<a href="tel:+56961234501">Call</a><a href="mailto:ana@example.com">Write</a>'
        '<a href="https://erp.example.com/my/invoices/7?access_token=a&amp;payment=True">Again</a>'
    )
    tracked, links = tracking.rewrite(body, "k1", BASE, "e")
    assert links == [
        ("e1", "https://erp.example.com/my/invoices/7?access_token=a&payment=True", "pay"),
        ("e2", "https://erp.example.com/es/collections/AQ-x_1", "page"),
        ("e3", "https://wa.me/56961234511?text=Hola", "advisor"),
    ]
    assert tracked.count('href="https://erp.example.com/collections/r/k1/e1"') == 2
    assert 'href="tel:+56961234501"' in tracked
    assert 'href="mailto:ana@example.com"' in tracked
    # a body already tracked is left as it is
    assert tracking.rewrite(tracked, "k1", BASE, "e") == (tracked, [])


def test_sms_text_links(tracking):
    text = "ACME: pague aqui https://erp.example.com/collections/AQ/instalment/4. Asesor: +569"
    tracked, links = tracking.rewrite(text, "k2", BASE, "s", html_body=False)
    assert tracked == "ACME: pague aqui https://erp.example.com/collections/r/k2/s1. Asesor: +569"
    assert links == [("s1", "https://erp.example.com/collections/AQ/instalment/4", "pay")]
