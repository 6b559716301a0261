def test_tel_and_mailto(contact_links):
    assert contact_links.tel_link("+56961234501") == "tel:+56961234501"
    assert contact_links.tel_link(False) is False
    assert contact_links.mailto_link("ana@example.com") == "mailto:ana@example.com"
    assert (
        contact_links.mailto_link("ana@example.com", "Factura F/1 & más")
        == "mailto:ana@example.com?subject=Factura%20F%2F1%20%26%20m%C3%A1s"
    )
    assert contact_links.mailto_link("") is False


def test_whatsapp_keeps_digits_and_encodes_text(contact_links):
    assert contact_links.whatsapp_link("+56 9 6123-4501") == "https://wa.me/56961234501"
    assert (
        contact_links.whatsapp_link("+51912345601", "Hola Lucía, ¿factura #12?")
        == "https://wa.me/51912345601?text=Hola%20Luc%C3%ADa%2C%20%C2%BFfactura%20%2312%3F"
    )
    assert contact_links.whatsapp_link(None, "hola") is False
