# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import io
import json
import threading
from datetime import datetime, time, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import Form, freeze_time, tagged
from odoo.tools import mute_logger
from odoo.tools.pdf import PdfFileWriter

from .common import DUE, CollectionRunCase

RUN_LOGGER = "odoo.addons.collections_workflow.models.collection_run"
OUTBOX_LOGGER = "odoo.addons.collections_workflow.models.collection_outbox"


class _FlakyCloudApi(BaseHTTPRequestHandler):
    """WhatsApp's Cloud API, on loopback: answers with the statuses queued, then 200."""

    statuses = []
    requests_seen = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests_seen.append(body)
        status = type(self).statuses.pop(0) if type(self).statuses else 200
        if status == 200:
            answer = {"messages": [{"id": f"wamid.OK{len(self.requests_seen)}"}]}
        else:
            answer = {"error": {"code": 131000, "message": "Something went wrong"}}
        payload = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@tagged("post_install", "-at_install")
class TestFaultIsolation(CollectionRunCase):
    """One customer's bad data, template or server action never stops the others."""

    def _overdue_invoices(self):
        return (
            self._invoice(self.customer_bruno, 500.0),
            self._invoice(self.customer_carla, 700.0),
            self._invoice(self.customer_elena, 900.0),
        )

    def _mark_reminded(self, invoices, days):
        self.Event.sudo().create(
            [
                self.Run._prepare_event_vals(invoice, self.level[day], DUE)
                for invoice in invoices
                for day in days
            ]
        )

    def _invoice_action(self, name, code):
        """A server action on invoices that runs ``code``."""
        return self.env["ir.actions.server"].create(
            {
                "name": name,
                "model_id": self.env.ref("account.model_account_move").id,
                "state": "code",
                "code": code,
            }
        )

    def test_server_action_raising_for_one_customer(self):
        bruno, carla, elena = invoices = self._overdue_invoices()
        action = self._invoice_action(
            "Flag in the ERP",
            (
                "for record in records:\n"
                "    if record.partner_id.name == 'Viña Santa Emilia':\n"
                "        raise UserError('ERP refused Viña Santa Emilia')\n"
            ),
        )
        self.level[3].server_action_id = action
        self._mark_reminded(invoices, (-3, 0))
        with freeze_time(DUE + timedelta(days=3)), mute_logger(RUN_LOGGER):
            events = self.Run._run()
        by_invoice = {event.invoice_id: event for event in events}
        self.assertEqual(by_invoice[bruno].state, "done")
        self.assertEqual(by_invoice[elena].state, "done")
        self.assertEqual(len(self._mails(bruno)), 1, "the others are reminded")
        self.assertEqual(len(self._mails(elena)), 1)
        failed = by_invoice[carla]
        self.assertEqual(failed.state, "failed")
        self.assertIn("ERP refused Viña Santa Emilia", failed.note)
        self.assertFalse(self._mails(carla), "nothing half-sent for the failing customer")
        task = self._activities(self.customer_carla)
        self.assertEqual(task.user_id, self.user_carla, "its advisor gets a task")
        self.assertIn("ERP refused", str(task.note))
        # the next run does not try it again, nor anything else
        with freeze_time(DUE + timedelta(days=3)):
            self.assertFalse(self.Run._run())

    def test_a_customer_failing_when_its_changes_are_saved(self):
        """A server action whose change the database refuses only when the batch's
        changes are saved (a unique constraint): the customer fails alone, and the run
        returns no event of what was undone."""
        bruno, carla, elena = invoices = self._overdue_invoices()
        other = self.level[7]
        action = self._invoice_action(
            "Move the next level",
            (
                "if any(r.partner_id.name == 'Viña Santa Emilia' for r in records):\n"
                f"    env['collection.level'].browse({other.id}).write({{'day_offset': 15}})\n"
            ),
        )
        self.level[3].server_action_id = action
        self._mark_reminded(invoices, (-3, 0))
        with freeze_time(DUE + timedelta(days=3)), mute_logger(RUN_LOGGER, "odoo.sql_db"):
            events = self.Run._run()
        self.assertEqual(events, events.exists(), "every event returned was kept")
        by_invoice = {event.invoice_id: event for event in events}
        self.assertEqual(by_invoice[bruno].state, "done")
        self.assertEqual(by_invoice[elena].state, "done")
        self.assertEqual(by_invoice[carla].state, "failed")
        self.assertFalse(self._mails(carla))
        self.assertEqual(other.day_offset, 7, "what the failing customer did is undone")

    def test_template_failing_to_render_for_one_customer(self):
        bruno, carla, _elena = invoices = self._overdue_invoices()
        self._mark_reminded(invoices, (-3, 0))
        Template = type(self.env["mail.template"])
        generate = Template._generate_template

        def failing(template, res_ids, render_fields, **kwargs):
            if carla.id in res_ids:
                raise ValueError(f"cannot render {template.name} for {carla.name}")
            return generate(template, res_ids, render_fields, **kwargs)

        log = self.env["collection.run.log"].sudo().create({})
        with (
            freeze_time(DUE + timedelta(days=3)),
            patch.object(Template, "_generate_template", failing),
            mute_logger(RUN_LOGGER),
        ):
            events = self.Run._run(log=log)
        self.assertEqual(len(events), 3)
        self.assertEqual(events.filtered(lambda e: e.state == "failed").invoice_id, carla)
        self.assertEqual(len(self._mails(bruno)), 1)
        self.assertEqual(log.state, "done")
        self.assertEqual((log.done_count, log.failed_count, log.customer_count), (2, 1, 3))
        self.assertIn("Viña Santa Emilia", log.failures)
        self.assertIn("cannot render", log.failures)
        preview = self.env["collection.run.preview"].create({})
        self.assertEqual(preview.last_run_id, log)
        self.assertIn("2 acted", preview.last_run_summary)
        self.assertIn("1 failed", preview.last_run_summary)

    def test_a_pass_that_cannot_act_ends(self):
        invoice = self._invoice(self.customer_bruno)
        # a stored next date with no level due behind it (a partial recompute left it)
        invoice.flush_recordset()
        self.env.cr.execute(
            "UPDATE account_move SET collection_next_date = %s WHERE id = %s",
            (DUE - timedelta(days=20), invoice.id),
        )
        invoice.invalidate_recordset()
        with freeze_time(DUE - timedelta(days=10)):
            events = self.Run._run(batch_size=1)
        self.assertFalse(events, "nothing to do, and the run ended")


@tagged("post_install", "-at_install")
class TestOutbox(CollectionRunCase):
    """Letters' PDFs and automatic WhatsApp messages go out after the run, once each."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = HTTPServer(("127.0.0.1", 0), _FlakyCloudApi)
        thread = threading.Thread(target=cls.server.serve_forever, daemon=True)
        thread.start()
        cls.addClassCleanup(cls.server.shutdown)
        cls.env["ir.config_parameter"].set_param(
            "collections_workflow.whatsapp_api_url",
            f"http://127.0.0.1:{cls.server.server_port}/v19.0",
        )
        cls.company.write(
            {
                "collection_whatsapp_mode": "automatic",
                "collection_whatsapp_phone_number_id": "1055",
                "collection_whatsapp_token": "secret-token",
            }
        )
        cls.level[7].write(
            {
                "use_whatsapp": True,
                "whatsapp_template_id": cls.env.ref(
                    "collections_workflow.sms_template_collection_due_today"
                ).id,
                "whatsapp_cloud_template_ids": [
                    Command.create(
                        {"lang": "en_US", "template_name": "overdue_v1", "language_code": "en_US"}
                    )
                ],
            }
        )
        cls.Outbox = cls.env["collection.outbox"]

    def setUp(self):
        super().setUp()
        _FlakyCloudApi.requests_seen.clear()
        _FlakyCloudApi.statuses.clear()

    def _whatsapp_day(self):
        invoice = self._invoice(self.customer_bruno, 1500.0)
        self.Event.sudo().create(
            [self.Run._prepare_event_vals(invoice, self.level[day], DUE) for day in (-3, 0, 3)]
        )
        with freeze_time(DUE + timedelta(days=7)):
            events = self.Run._run()
        return invoice, events

    def test_whatsapp_error_then_success_sends_once(self):
        _invoice, events = self._whatsapp_day()
        self.assertFalse(_FlakyCloudApi.requests_seen, "no network call inside the run")
        item = events.outbox_ids
        self.assertEqual((item.kind, item.state), ("whatsapp", "pending"))
        _FlakyCloudApi.statuses.append(503)
        with mute_logger(OUTBOX_LOGGER):
            self.Outbox._deliver()
        self.assertEqual(item.state, "pending", "the provider's error passes: retried later")
        self.assertIn("Something went wrong", item.error)
        self.assertEqual(item.attempt_count, 1)
        # not before its time
        self.Outbox._deliver()
        self.assertEqual(len(_FlakyCloudApi.requests_seen), 1)
        with freeze_time(item.next_attempt_at + timedelta(minutes=1)):
            self.Outbox._deliver()
            self.Outbox._deliver()
        self.assertEqual(len(_FlakyCloudApi.requests_seen), 2, "exactly one send succeeded")
        self.assertEqual(item.state, "done")
        self.assertEqual(item.external_ref, "wamid.OK2")
        self.assertIn("wamid.OK2", events.note)
        self.assertEqual(events.state, "done")
        self.assertEqual(
            _FlakyCloudApi.requests_seen[1]["biz_opaque_callback_data"],
            f"collection.event:{events.id}",
        )

    def test_interrupted_call_is_not_sent_again(self):
        invoice, events = self._whatsapp_day()
        item = events.outbox_ids
        # a job killed during the call: its item committed as sending, never finished
        item.sudo().write({"state": "sending", "attempt_count": 1})
        item.flush_recordset()
        self.env.cr.execute(
            "UPDATE collection_outbox SET write_date = now() - interval '1 hour' WHERE id = %s",
            (item.id,),
        )
        item.invalidate_recordset()
        self.Outbox._deliver()
        self.assertFalse(_FlakyCloudApi.requests_seen, "nothing sent again")
        self.assertEqual(item.state, "failed")
        self.assertEqual(events.state, "failed")
        self.assertFalse(events.sent_whatsapp)
        self.assertIn("may have been sent", events.note)
        task = self._activities(self.customer_bruno).filtered(lambda a: "another way" in a.summary)
        self.assertEqual(task.user_id, self.user_bruno)
        self.assertIn(invoice.name, str(task.note))

    def test_pdf_failure_retried_then_failed_on_its_event(self):
        invoice = self._invoice(self.customer_bruno, 500.0)
        self.Event.sudo().create(
            [
                self.Run._prepare_event_vals(invoice, self.level[day], DUE)
                for day in (-3, 0, 3, 7, 15)
            ]
        )
        with freeze_time(DUE + timedelta(days=30)):
            events = self.Run._run()
        letter = events.filtered("letter_html")
        item = letter.outbox_ids
        self.assertEqual(item.kind, "letter")
        Report = type(self.env["ir.actions.report"])
        with (
            patch.object(
                Report, "_render_qweb_pdf", side_effect=UserError("wkhtmltopdf: exit code 1")
            ),
            mute_logger(OUTBOX_LOGGER),
        ):
            moment = datetime.combine(DUE + timedelta(days=30), time(12))
            for attempt in range(3):
                with freeze_time(moment):
                    self.Outbox._deliver()
                self.assertEqual(item.attempt_count, attempt + 1)
                moment += timedelta(hours=1)
        self.assertEqual(item.state, "failed")
        self.assertEqual(letter.state, "failed")
        self.assertFalse(letter.sent_letter)
        self.assertIn("wkhtmltopdf: exit code 1", letter.note)
        self.assertTrue(
            self._activities(self.customer_bruno).filtered(lambda a: "another way" in a.summary)
        )

    def test_statements_of_a_batch_rendered_together_then_converted_one_by_one(self):
        """With Debian's wkhtmltopdf (one document per call), the statements of a batch are
        prepared in one rendering, then each converted alone (the converter, an external
        program, is replaced by a stub that counts its calls)."""
        customers = self.customer_bruno | self.customer_carla | self.customer_elena
        for customer in customers:
            self._invoice(customer)
        Report = type(self.env["ir.actions.report"])
        writer = PdfFileWriter()
        writer.addBlankPage(595, 842)
        blank = io.BytesIO()
        writer.write(blank)
        conversions = []

        def convert(report, bodies, **kwargs):
            conversions.append(len(bodies))
            return blank.getvalue()

        with (
            patch.object(Report, "_collection_can_batch_pdf", return_value=False),
            patch.object(Report, "_run_wkhtmltopdf", autospec=True, side_effect=convert),
            patch.object(
                Report, "_render_qweb_html", autospec=True, side_effect=Report._render_qweb_html
            ) as render,
        ):
            contents = (
                self.env["ir.actions.report"]
                .with_context(force_report_rendering=True)
                ._collection_render_pdfs(
                    "collections_workflow.action_report_collection_statement", customers.ids
                )
            )
        self.assertEqual(render.call_count, 1, "one rendering for the three statements")
        self.assertEqual(conversions, [1, 1, 1], "each converted on its own")
        self.assertEqual(set(contents), set(customers.ids))
        self.assertTrue(all(content.startswith(b"%PDF") for content in contents.values()))

    def test_the_emails_of_a_batch_get_their_statements(self):
        self.level[3].write(
            {
                "attach_pdf": True,
                "group_invoices": True,
                "email_template_id": self.env.ref(
                    "collections_workflow.mail_template_collection_overdue_customer"
                ).id,
            }
        )
        for customer in self.customer_bruno | self.customer_carla:
            self._invoice(customer)
        Channel = type(self.env["collection.channel"])
        with freeze_time(DUE + timedelta(days=3)):
            self.Run._run()
            self.assertEqual(self.Outbox.search_count([("kind", "=", "attachment")]), 2)
            with patch.object(
                Channel,
                "_get_pdf_attachments",
                autospec=True,
                side_effect=Channel._get_pdf_attachments,
            ) as prepare:
                self.Outbox._deliver()
        self.assertEqual(prepare.call_count, 1, "the batch's PDFs prepared together")
        self.assertEqual(len(prepare.call_args.args[1]), 2)
        for customer in self.customer_bruno | self.customer_carla:
            mail = self._mails(customer)
            self.assertEqual(len(mail.attachment_ids), 1)
            self.assertIn(customer.name, mail.attachment_ids.name)
            self.assertFalse(mail.scheduled_date)

    def test_email_waits_for_its_pdf(self):
        self.level[3].attach_pdf = True
        invoice = self._invoice(self.customer_bruno)
        with freeze_time(DUE + timedelta(days=3)):
            events = self.Run._run()
        mail = self._mails(invoice)
        self.assertTrue(mail.scheduled_date, "held until its PDF is attached")
        self.assertFalse(mail.attachment_ids)
        self.assertEqual(events.outbox_ids.mail_id, mail)
        with freeze_time(DUE + timedelta(days=3)):
            self.Outbox._deliver()
        self.assertFalse(mail.scheduled_date, "free to leave")
        self.assertEqual(len(mail.attachment_ids), 1)


@tagged("post_install", "-at_install")
class TestAutomaticSwitch(CollectionRunCase):
    """A collections manager switches the scheduled run on, in the settings."""

    def test_settings_switch_as_manager_refused_for_an_advisor(self):
        cron = self.env.ref("collections_workflow.ir_cron_collection_run")
        self.assertFalse(cron.active, "shipped off")
        # the administrator who runs collections: settings and accounting rights too
        self.user_manager.group_ids += self.env.ref("base.group_system") | self.env.ref(
            "account.group_account_manager"
        )
        settings = Form(self.env["res.config.settings"].with_user(self.user_manager))
        self.assertFalse(settings.collection_auto_run)
        self.env["collection.run.log"].search([]).unlink()
        self.assertEqual(
            Form(
                self.env["res.config.settings"].with_user(self.user_manager)
            ).collection_last_run_summary,
            "No run yet.",
            "a fresh database says so, not an empty line",
        )
        worker = self.env.ref("collections_workflow.ir_cron_collection_run_worker")
        self.assertFalse(worker.active)
        settings.collection_auto_run = True
        settings.save().execute()
        self.assertTrue(cron.active)
        self.assertTrue(worker.active, "the second worker's job follows the run")
        self.assertTrue(self.env["res.config.settings"].with_user(self.user_manager).create({}))
        # Today's Collections offers the same switch
        preview = self.env["collection.run.preview"].with_user(self.user_manager).create({})
        self.assertTrue(preview.auto_run)
        preview.action_switch_off()
        self.assertFalse(cron.active)
        self.assertFalse(worker.active)
        with self.assertRaises(AccessError):
            self.env["collection.run"].with_user(self.user_bruno)._set_automatic(True)
        self.assertFalse(cron.active)

    def test_a_second_worker_shares_the_scheduled_run(self):
        """The server's second cron worker takes its own customers of the run under
        way; the run's summary counts both."""
        self._invoice(self.customer_bruno)
        self._invoice(self.customer_carla)
        Log = self.env["collection.run.log"].sudo()
        Log.search([]).unlink()
        worker = self.env.ref("collections_workflow.ir_cron_collection_run_worker")
        with freeze_time(DUE + timedelta(days=3)), self.enter_registry_test_mode():
            # no scheduled run under way: the second worker has nothing to share
            worker.method_direct_trigger()
            self.assertFalse(Log.search([]))
            main = Log.create({"automatic": True})
            worker.method_direct_trigger()
        share = Log.search([("main_log_id", "=", main.id)])
        self.assertEqual(share.customer_count, 2, "it took the customers left")
        self.assertEqual(Log._get_last(), main, "the run shown is the one it shared")
        self.assertIn("2 customers", main._get_summary())

    def test_manager_without_settings_rights_configures_collections(self):
        self.assertFalse(self.user_manager.has_group("base.group_system"))
        self.assertTrue(
            self.env.ref("collections_workflow.collection_config_menu")
            .with_user(self.user_manager)
            ._filter_visible_menus()
        )
        self.env["collection.run.log"].search([]).unlink()
        Config = self.env["collection.config"].with_user(self.user_manager)
        self.assertEqual(Config.new({}).display_name, "Collections Settings", "its breadcrumb")
        form = Form(Config)
        self.assertTrue(form.collection_first_go_live)
        form.collection_cap_email = 2
        form.collection_auto_run = True
        form.save().action_save()
        self.assertEqual(self.company.collection_cap_email, 2)
        self.assertTrue(self.env["collection.run"]._is_automatic())
        self.assertTrue(Form(Config).collection_auto_run, "the form shows the run on")
        with self.assertRaises(AccessError):
            self.env["collection.config"].with_user(self.user_bruno).create({})
        other = self.env["res.company"].create({"name": "Other Collections Co"})
        with self.assertRaises(AccessError):
            Config.create({"company_id": other.id, "collection_cap_email": 9})
        self.assertNotEqual(other.collection_cap_email, 9)

    def test_go_live_choice_in_the_settings(self):
        self.user_manager.group_ids += self.env.ref("base.group_system") | self.env.ref(
            "account.group_account_manager"
        )
        self.env["collection.run.log"].search([]).unlink()
        settings = Form(self.env["res.config.settings"].with_user(self.user_manager))
        self.assertTrue(settings.collection_first_go_live, "the choice shows before go-live")
        self.assertEqual(settings.collection_go_live, "first_level", "the safe default")
        settings.collection_auto_run = True
        settings.collection_go_live = "catch_up"
        settings.save().execute()
        Run = self.env["collection.run"]
        self.assertTrue(Run._is_automatic())
        self.assertTrue(Run._is_catch_up_day(fields.Date.context_today(Run)))
        self.assertFalse(
            Form(
                self.env["res.config.settings"].with_user(self.user_manager)
            ).collection_first_go_live,
            "gone live: the choice is not offered again",
        )

    def test_another_engine_reminding_is_shown_and_handed_over(self):
        # Odoo Enterprise's follow-ups, as they would be installed: their job, switched on
        followups = self.env["ir.cron"].create(
            {
                "name": "Account Report Followup; Execute followup",
                "model_id": self.env.ref("base.model_res_partner").id,
                "state": "code",
                "code": "pass",
                "active": True,
            }
        )
        self.env["ir.model.data"].create(
            {
                "module": "account_followup",
                "name": "ir_cron_follow_up",
                "model": "ir.cron",
                "res_id": followups.id,
            }
        )
        preview = self.env["collection.run.preview"].with_user(self.user_manager).create({})
        self.assertIn("Execute followup", preview.other_engines)
        self.assertIn("Both would remind the same customers", preview.other_engines)
        with self.assertRaises(AccessError):
            self.env["collection.run"].with_user(self.user_bruno)._hand_over_from_other_engines()
        preview.action_hand_over_from_other_engines()
        self.assertFalse(followups.active, "the job is handed over to Collections")
        self.assertFalse(
            self.env["collection.run.preview"].with_user(self.user_manager).create({}).other_engines
        )
