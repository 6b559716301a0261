"""The channel registry: one entry per channel, read by the run, the rules and the KPIs."""


def test_each_channel_once_with_its_fields(channels):
    codes = [channel.code for channel in channels.CHANNELS]
    assert len(codes) == len(set(codes))
    for channel in channels.CHANNELS:
        assert channel.flag == f"use_{channel.code}"
        assert channel.template == f"{channel.code}_template_id"
        assert channel.delivery in ("mail", "sms", "outbox", "chatter")


def test_messages_counted_and_capped(channels):
    # the statement is an email: it counts, and is capped, as one
    assert channels.MESSAGES == ("email", "sms", "whatsapp", "letter")
    assert channels.sent_field("email") == "sent_email"
    assert channels.cap_fields() == {
        "email": "collection_cap_email",
        "sms": "collection_cap_sms",
        "whatsapp": "collection_cap_whatsapp",
        "letter": None,
    }
    # a letter goes by post: it does not wait for the customer's contact hours
    assert channels.live_messages() == {"email", "sms", "whatsapp"}


def test_deliveries_add_up_record_by_record(channels):
    Delivery = channels.Delivery
    email = {"acme": Delivery(sent=["email"], outbox=[("attachment", "mail-1")])}
    sms = {
        "acme": Delivery(problems=["SMS not sent to -: no number"], sms="sms-1"),
        "globex": Delivery(sent=["sms"], sms="sms-2"),
    }
    total = channels.merge(email, {}, sms)
    assert total["acme"] == Delivery(
        sent=["email"],
        problems=["SMS not sent to -: no number"],
        outbox=[("attachment", "mail-1")],
        sms="sms-1",
    )
    assert total["globex"].sent == ["sms"]
    # nothing handed in is changed: each step's result stays its own
    assert email["acme"].problems == []
    assert channels.merge() == {}
