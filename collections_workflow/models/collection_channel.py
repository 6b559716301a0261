# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from datetime import timedelta

import requests
from markupsafe import Markup

from odoo import api, fields, models
from odoo.fields import Command
from odoo.tools import email_normalize, formataddr

from ..tools.channels import Delivery, merge

WHATSAPP_API_URL = "https://graph.facebook.com/v19.0"
WHATSAPP_TIMEOUT = 10
# an email waiting for its PDF leaves without it after that long, were the outbox to stop
PDF_HOLD_DAYS = 7


class CollectionChannel(models.AbstractModel):
    """The channels through which a level reaches a customer: email, SMS, letter.

    Each method sends one level's message to a batch of records (customers or invoices) at
    once and returns, per record, a ``Delivery`` (tools/channels.py): the channels that
    reached the customer and why a channel did not.
    """

    _name = "collection.channel"
    _description = "Collections Channels"

    # ------------------------------------------------------------------ the registry's
    # one delivery method per channel of tools/channels.py: what a level's channel does for
    # its records of a batch (the run calls them in the registry's order)
    @api.model
    def _deliver_email(self, level, records, company):
        return self._queue_emails(level.email_template_id, records, company, level.attach_pdf)

    @api.model
    def _deliver_statement(self, level, records, company):
        return self._queue_emails(
            level.statement_template_id, records, company, level.attach_pdf, prefix="t"
        )

    @api.model
    def _deliver_sms(self, level, records, company):
        return self._queue_sms(level.sms_template_id, records, company)

    @api.model
    def _deliver_whatsapp(self, level, records, company):
        # assisted mode: the advisor sends it, from a task (see collection.task)
        if company.collection_whatsapp_mode != "automatic":
            return {}
        return self._send_whatsapp(level, records, company)

    @api.model
    def _deliver_letter(self, level, records, company):
        return self._keep_letters(level.letter_template_id, records, company)

    @api.model
    def _split_opted_out(self, records, channel):
        """``(accepting, {record: Delivery})``: the records whose customer accepts
        ``channel``, and the others with why they get nothing."""
        fname = f"collection_optout_{channel}"
        opted_out = records.filtered(lambda record: record.commercial_partner_id[fname])
        label = records.commercial_partner_id._fields[fname].get_description(self.env)["string"]
        refused = {
            record: Delivery(
                problems=[
                    self.env._(
                        "Not sent: %(customer)s opted out (%(option)s).",
                        customer=record.commercial_partner_id.display_name,
                        option=label,
                    )
                ]
            )
            for record in opted_out
        }
        return records - opted_out, refused

    # ------------------------------------------------------------------ email
    @api.model
    def _get_tracking_keys(self, records, company):
        """``{record: key}`` of the records whose messages are tracked (the run gives the
        keys of a level's records; see ``collection.run._act``)."""
        keys = self.env.context.get("collection_tracking_keys") or {}
        if not keys or not company.collection_tracking:
            return {}
        return {record: keys[record.id] for record in records if record.id in keys}

    @api.model
    def _queue_emails(self, template, records, company, attach=False, prefix="e"):
        """Render ``template`` for ``records`` of ``company`` and queue one email each.

        Emails go to the customer's billing contacts only, in the customer's language
        (else the company's), with a reply-to that reaches the advisor and the record's
        chatter. Each email is also its record's chatter trace.
        """
        records, refused = self._split_opted_out(records, "email")
        recipients = self._get_email_recipients(records)
        reachable = records.filtered(lambda record: recipients[record])
        unreachable = {
            record: Delivery(
                problems=[
                    self.env._(
                        "Email not sent: no billing contact of %(customer)s has a usable email "
                        "address.",
                        customer=record.commercial_partner_id.display_name,
                    )
                ]
            )
            for record in records - reachable
        }
        if not reachable:
            return merge(refused, unreachable)
        # a customer without a language reads the company's; advisors are per company
        values = (
            template.with_company(company)
            .with_context(lang=company.partner_id.lang or self.env.lang)
            ._generate_template(reachable.ids, ["subject", "body_html", "email_from"])
        )
        keys = self._get_tracking_keys(reachable, company)
        if keys:
            bodies = self.env["collection.event.link"]._track(
                {key: values[record.id].get("body_html") for record, key in keys.items()},
                "email",
                company,
                prefix,
            )
            for record, key in keys.items():
                values[record.id]["body_html"] = bodies[key]
        # a customer's messages go on its collections file (see collection.file)
        threads = self.env["collection.file"]._get_threads(reachable, company)
        reply_to = self._get_reply_to(reachable, company, threads)
        # an email that attaches a PDF waits for it: the outbox renders it after the run
        # commits, then lets the email go (see collection.outbox)
        held = fields.Datetime.now() + timedelta(days=PDF_HOLD_DAYS) if attach else False
        # its own subtype: a customer's reply to it is recognised (see collection.reply)
        comment = self.env.ref("collections_workflow.mt_collection_reminder").id
        author = self.env.user.partner_id.id
        # mail.mail is a technical model; the run already checked what it may send
        mails = (
            self.env["mail.mail"]
            .sudo()
            .create(
                [
                    {
                        "model": threads[record]._name,
                        "res_id": threads[record].id,
                        "message_type": "email_outgoing",
                        "subtype_id": comment,
                        "author_id": author,
                        "subject": values[record.id].get("subject"),
                        "body": values[record.id].get("body_html"),
                        "body_html": values[record.id].get("body_html"),
                        "email_from": values[record.id].get("email_from"),
                        "reply_to": reply_to[record.id],
                        "recipient_ids": [Command.set(recipients[record].ids)],
                        "auto_delete": False,
                        "scheduled_date": held,
                    }
                    for record in reachable
                ]
            )
        )
        queued = {
            record: Delivery(sent=["email"], outbox=[("attachment", mail)] if attach else [])
            for record, mail in zip(reachable, mails, strict=True)
        }
        return merge(refused, unreachable, queued)

    @api.model
    def _get_pdf_attachments(self, records, company):
        """``{record: [attachment id, ...]}``: the PDFs a level attaches to its emails.

        The invoice's PDF for an invoice; for a customer, its statement (open items and
        their aging). The statements of one language are prepared and rendered together,
        then converted one by one where wkhtmltopdf requires it.
        """
        Report = self.env["ir.actions.report"].with_company(company).sudo()
        # the documents of one report and language are rendered together
        groups = defaultdict(list)
        for record in records:
            # a customer's statement is rendered on the customer, kept on its file
            rendered = record.partner_id if record._name == "collection.file" else record
            if record._name == "account.move":
                report = "account.account_invoices"
            else:
                report = "collections_workflow.action_report_collection_statement"
            lang = rendered.commercial_partner_id.lang or company.partner_id.lang
            groups[report, lang].append((record, rendered))
        vals_list, owners = [], []
        for (xmlid, lang), pairs in groups.items():
            # the report's record, found once: its name would be looked up at every step
            report = self.env.ref(xmlid).sudo()
            contents = Report.with_context(lang=lang)._collection_render_pdfs(
                report, [rendered.id for _record, rendered in pairs]
            )
            for record, rendered in pairs:
                if record._name == "account.move":
                    name = record._get_invoice_report_filename()
                else:
                    name = self.env._("Statement - %(customer)s.pdf", customer=rendered.name)
                vals_list.append(
                    {
                        "name": name,
                        "raw": contents[rendered.id],
                        "mimetype": "application/pdf",
                        "res_model": record._name,
                        "res_id": record.id,
                    }
                )
                owners.append(record)
        attachments = self.env["ir.attachment"].sudo().create(vals_list)
        return {
            record: [attachment.id] for record, attachment in zip(owners, attachments, strict=True)
        }

    @api.model
    def _get_email_recipients(self, records):
        """``{record: partners}``: whom a message about ``record`` may be emailed to.

        An invoice goes to its invoice address when that is a contact of the customer;
        otherwise, and for a customer, to the customer's billing contacts (its contacts of
        type *Invoice Address*), else to the customer itself. Never to anyone outside the
        customer, and never to a blacklisted address.
        """
        customers = records.commercial_partner_id
        billing = customers._get_collection_billing_contacts()
        blacklisted = self._get_blacklisted_emails(
            records.partner_id if records._name == "account.move" else records,
            *billing.values(),
        )

        def usable(partners):
            return partners.filtered(
                lambda partner: partner.email_normalized
                and partner.email_normalized not in blacklisted
            )

        result = {}
        for record in records:
            customer = record.commercial_partner_id
            own = (
                record.partner_id
                if record._name == "account.move"
                and record.partner_id != customer
                and record.partner_id.commercial_partner_id == customer
                else record.browse()
            )
            result[record] = usable(own) or usable(billing[customer])
        return result

    @api.model
    def _get_blacklisted_emails(self, *partners):
        emails = {
            partner.email_normalized
            for group in partners
            for partner in group
            if partner.email_normalized
        }
        if not emails:
            return set()
        return set(
            self.env["mail.blacklist"]
            .sudo()
            .search([("email", "in", list(emails))])
            .mapped("email")
        )

    @api.model
    def _get_reply_to(self, records, company, threads):
        """``{res_id: reply-to}``: the chatter of the record's thread (catchall) and the
        advisor, ``threads`` mapping each record to its thread.

        A reply then reaches the advisor at once and lands on the thread's chatter.
        """
        advisors = {}
        for record in records.with_company(company):
            advisor = record.commercial_partner_id.collection_advisor_id
            advisors[record.id] = (
                formataddr((advisor.name, advisor.email))
                if advisor.email and email_normalize(advisor.email)
                else False
            )
        chatters = list(threads.values())
        chatters = chatters[0].concat(*chatters[1:]) if chatters else records
        aliases = chatters._notify_get_reply_to_batch(
            defaults=dict.fromkeys(chatters.ids, False),
            author_ids=dict.fromkeys(chatters.ids, False),
        )
        return {
            record.id: ", ".join(
                address
                for address in (aliases.get(threads[record].id), advisors[record.id])
                if address
            )
            or False
            for record in records
        }

    # ------------------------------------------------------------------ SMS
    @api.model
    def _queue_sms(self, template, records, company):
        """Queue one SMS per record through Odoo's SMS queue; report numbers it refused.

        Odoo's SMS composer normalises each number with ``phonenumbers`` and cancels, with
        a reason, the SMS it cannot send (no number, a malformed one, a blacklisted one, the
        same number twice): those reasons go on the event instead of being dropped.
        """
        records, refused = self._split_opted_out(records, "sms")
        if not records:
            return refused
        # a customer's SMS is noted on its collections file, not on the customer
        per_customer = records._name == "res.partner"
        sms_all = records.with_company(company)._message_sms_schedule_mass(
            template=template, mass_keep_log=not per_customer
        )
        reasons = dict(self.env["sms.sms"]._fields["failure_type"]._description_selection(self.env))
        by_res_id = defaultdict(list)
        for sms in sms_all:
            owner = sms.partner_id.commercial_partner_id if per_customer else sms.mail_message_id
            by_res_id[owner.id if per_customer else owner.res_id].append(sms)
        self._track_sms(records, company, by_res_id)
        if per_customer:
            self.env["collection.file"]._log(
                {
                    record: Markup("<p>%s</p><p>%s</p>")
                    % (self.env._("SMS"), by_res_id[record.id][0].body)
                    for record in records
                    if by_res_id.get(record.id)
                },
                company,
            )
        queued = []
        for record in records:
            for sms in by_res_id.get(record.id, []):
                if sms.state in ("outgoing", "pending", "sent"):
                    delivery = Delivery(sent=["sms"], sms=sms)
                else:
                    problem = self.env._(
                        "SMS not sent to %(number)s: %(reason)s",
                        number=sms.number or "-",
                        reason=reasons.get(sms.failure_type, sms.failure_type or "-"),
                    )
                    delivery = Delivery(problems=[problem], sms=sms)
                queued.append({record: delivery})
        return merge(refused, *queued)

    @api.model
    def _track_sms(self, records, company, by_res_id):
        """The links of the SMS still to send go through the tracking route (each record's
        SMS share its key: one per number, the same text)."""
        keys = self._get_tracking_keys(records, company)
        outgoing = {
            key: [sms for sms in by_res_id.get(record.id, []) if sms.state == "outgoing"]
            for record, key in keys.items()
        }
        outgoing = {key: sms_list for key, sms_list in outgoing.items() if sms_list}
        if not outgoing:
            return
        bodies = self.env["collection.event.link"]._track(
            {key: sms_list[0].body for key, sms_list in outgoing.items()},
            "sms",
            company,
            "s",
            html_body=False,
        )
        for key, sms_list in outgoing.items():
            self.env["sms.sms"].concat(*sms_list).sudo().write({"body": bodies[key]})

    # ------------------------------------------------------------------ WhatsApp
    @api.model
    def _send_whatsapp(self, level, records, company):
        """Automatic mode: one message per record through the WhatsApp Business Cloud API.

        The run only checks that the message can go (opt-out, settings, number, the
        level's template in the customer's language) and hands it to the outbox, which
        calls the API after the run's commit (see ``_post_whatsapp_event``).
        """
        records, refused = self._split_opted_out(records, "whatsapp")
        url, problem = self._get_whatsapp_endpoint(company)
        if not url:
            return merge(refused, {record: Delivery(problems=[problem]) for record in records})
        ready = {}
        for record in records.with_company(company):
            _payload, problem = self._prepare_whatsapp_payload(level, record, company)
            ready[record] = (
                Delivery(problems=[problem])
                if problem
                else Delivery(sent=["whatsapp"], outbox=[("whatsapp", False)])
            )
        return merge(refused, ready)

    @api.model
    def _get_whatsapp_endpoint(self, company):
        """``(url, token)`` of the company's Cloud API number, or ``(None, why not)``."""
        company = company.sudo()
        token = company.collection_whatsapp_token
        phone_number_id = company.collection_whatsapp_phone_number_id
        if not token or not phone_number_id:
            return None, self.env._(
                "WhatsApp not sent: the access token or the phone number ID of "
                "%(company)s is missing in the settings.",
                company=company.name,
            )
        base = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("collections_workflow.whatsapp_api_url", WHATSAPP_API_URL)
            .rstrip("/")
        )
        return f"{base}/{phone_number_id}/messages", token

    @api.model
    def _prepare_whatsapp_payload(self, level, record, company):
        """``(payload, None)`` for the level's template message, or ``(None, why not)``."""
        customer = record.commercial_partner_id
        number = customer._phone_format(fname="phone")
        if not number:
            return None, self.env._(
                "WhatsApp not sent: %(customer)s has no usable phone number.",
                customer=customer.display_name,
            )
        templates = level.whatsapp_cloud_template_ids
        lang = customer.lang or company.partner_id.lang
        template = (
            templates.filtered(lambda t: t.lang == lang)
            or templates.filtered(lambda t: t.lang == company.partner_id.lang)
            or templates
        )[:1]
        if not template:
            return None, self.env._(
                "WhatsApp not sent: level %(level)s has no approved WhatsApp template.",
                level=level.name,
            )
        invoices = record if record._name == "account.move" else record.collection_open_invoice_ids
        advisor = customer.with_company(company).collection_advisor_id
        parameters = [
            customer.name,
            company.name,
            self._format_amounts(invoices),
            advisor.name or company.name,
            advisor.phone or company.phone or "-",
        ]
        return {
            "messaging_product": "whatsapp",
            "to": number.lstrip("+"),
            "type": "template",
            "template": {
                "name": template.template_name,
                "language": {"code": template.language_code},
                "components": [
                    {
                        "type": "body",
                        "parameters": [{"type": "text", "text": text} for text in parameters],
                    }
                ],
            },
        }, None

    @api.model
    def _post_whatsapp_event(self, event, record):
        """Send the message of ``event`` about ``record``: ``(message id, problem, retry)``.

        ``retry`` says whether the problem may go away (a network error, the provider's
        own error); a refusal of the message itself is final. The event's id travels with
        the message, so that WhatsApp's status callbacks name it.
        """
        company = event.company_id
        url, token = self._get_whatsapp_endpoint(company)
        if not url:
            return None, token, False
        record = record.with_company(company)
        payload, problem = self._prepare_whatsapp_payload(event.level_id, record, company)
        if problem:
            return None, problem, False
        payload["biz_opaque_callback_data"] = f"collection.event:{event.id}"
        try:
            response = requests.post(
                url,
                json=payload,
                headers={"Authorization": f"Bearer {token}"},
                timeout=WHATSAPP_TIMEOUT,
            )
            answer = response.json()
        except (requests.RequestException, ValueError) as error:
            return None, self.env._("WhatsApp not sent: %(error)s", error=error), True
        if response.ok and answer.get("messages"):
            return answer["messages"][0].get("id"), None, False
        error = answer.get("error") or {}
        problem = self.env._(
            "WhatsApp refused the message (%(code)s): %(message)s",
            code=error.get("code", response.status_code),
            message=error.get("message") or response.reason,
        )
        # the provider's own trouble (5xx, rate limits) passes; a refused message does not
        return None, problem, response.status_code >= 500 or response.status_code == 429

    @api.model
    def _format_amounts(self, invoices):
        """The amount due of ``invoices``, one total per currency."""
        totals = {}
        for invoice in invoices:
            totals[invoice.currency_id] = totals.get(invoice.currency_id, 0.0) + (
                invoice.amount_residual
            )
        return ", ".join(currency.format(amount) for currency, amount in totals.items())

    # ------------------------------------------------------------------ letter
    @api.model
    def _keep_letters(self, template, records, company):
        """Keep each letter on its record's chatter, to print and post."""
        bodies = (
            template.with_company(company)
            .with_context(lang=company.partner_id.lang or self.env.lang)
            ._render_field("body_html", records.ids, compute_lang=True)
        )
        self.env["collection.file"]._log({record: bodies[record.id] for record in records}, company)
        return {record: Delivery(sent=["letter"], letter=bodies[record.id]) for record in records}
