# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import ast
from datetime import timedelta

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Command
from odoo.tests import freeze_time, tagged
from odoo.tools import mute_logger

from .common import DUE, CollectionRunCase


@tagged("post_install", "-at_install")
class TestCollectionRun(CollectionRunCase):
    def test_standard_strategy_over_90_days(self):
        invoice = self._invoice(self.customer_bruno)
        self.assertEqual(invoice.collection_strategy_id, self.standard)
        self.assertEqual(invoice.collection_next_level_id, self.level[-3])
        self.assertEqual(invoice.collection_next_date, DUE - timedelta(days=3))
        by_day = self._run_days(DUE - timedelta(days=10), DUE + timedelta(days=80))
        offsets = {(day - DUE).days: events.level_id.day_offset for day, events in by_day.items()}
        self.assertEqual(offsets, {-3: -3, 0: 0, 3: 3, 7: 7, 15: 15, 30: 30, 60: 60})
        self.assertEqual(set(invoice.collection_event_ids.mapped("state")), {"done"})
        subjects = self._mails(invoice).mapped("subject")
        self.assertEqual(len(subjects), 3, "before due, due today, overdue")
        self.assertTrue(any("is due soon" in subject for subject in subjects))
        self.assertTrue(any("is due today" in subject for subject in subjects))
        self.assertTrue(any("is overdue" in subject for subject in subjects))
        self.assertEqual(self._mails(invoice).recipient_ids, self.customer_bruno)
        sms = self.env["sms.sms"].search([("partner_id", "=", self.customer_bruno.id)])
        self.assertEqual(len(sms), 1)
        self.assertEqual(sms.number, "+56223456701")
        self.assertIn(invoice.name, sms.body)
        statement = self._mails(self.customer_bruno)
        self.assertEqual(len(statement), 1)
        self.assertIn(invoice.name, statement.body_html)
        activities = self._activities(invoice)
        call = activities.filtered(
            lambda act: act.activity_type_id == self.env.ref("mail.mail_activity_data_call")
        )
        self.assertEqual(call.user_id, self.user_bruno, "the advisor calls on day 7")
        self.assertEqual(call.date_deadline, DUE + timedelta(days=9))
        self.assertEqual(activities, call)
        on_customer = self._activities(self.customer_bruno)
        legal = on_customer.filtered(lambda act: act.summary == "Send the file to legal counsel")
        self.assertEqual(legal.user_id, self.user_ana, "the supervisor sends the file to legal")
        self.assertIn(invoice.name, legal.note, "the file lists the invoices handed over")
        review = on_customer - legal
        self.assertEqual(review.user_id, self.user_ana, "statement review on day 15")
        self.assertEqual(invoice.collection_status, "handed_over")
        self.assertEqual(
            invoice.collection_handover_partner_id,
            self.env.ref("collections_workflow.res_partner_collection_legal_counsel"),
        )
        self.assertFalse(invoice.collection_next_date, "automation stopped")
        letter = invoice.message_ids.filtered(lambda m: "formally ask you" in (m.body or ""))
        self.assertEqual(len(letter), 1)
        traces = self._thread(self.customer_bruno).message_ids.filtered(
            lambda m: "Collections: level" in (m.body or "")
        )
        self.assertEqual(
            len(traces), 6, "each level that reminded invoice by invoice leaves a line"
        )
        self.assertIn(statement.mail_message_id, self._thread(self.customer_bruno).message_ids)
        invoice_traces = invoice.message_ids.filtered(
            lambda m: "Collections: level" in (m.body or "")
        )
        self.assertEqual(
            len(invoice_traces),
            1,
            "the hand-over leaves a line on the invoice; the statement, sent to the customer, "
            "is in the invoice's collection history",
        )
        statement_event = invoice.collection_event_ids.filtered(
            lambda event: event.level_id.use_statement
        )
        self.assertEqual(statement_event.state, "done")

    def test_payment_in_full_stops_everything(self):
        invoice = self._invoice(self.customer_bruno)
        self._run_days(DUE - timedelta(days=5), DUE + timedelta(days=9))
        with freeze_time(DUE + timedelta(days=10)):
            self._register_payment(invoice)
        self.assertEqual(invoice.collection_status, "done")
        self.assertFalse(invoice.collection_next_date)
        later = self._run_days(DUE + timedelta(days=10), DUE + timedelta(days=90))
        self.assertFalse(later)
        self.assertEqual(invoice.collection_last_level_id, self.level[7])

    def test_partial_payment_shows_new_amount(self):
        invoice = self._invoice(self.customer_bruno, amount=1000.0)
        with freeze_time(DUE + timedelta(days=1)):
            self._register_payment(invoice, amount=400.0)
        self._run_days(DUE + timedelta(days=3), DUE + timedelta(days=3))
        overdue = self._mails(invoice).filtered(lambda mail: "is overdue" in mail.subject)
        self.assertIn("600.00", overdue.body_html)
        done = invoice.collection_event_ids.filtered(lambda event: event.state == "done")
        self.assertEqual(done.amount_residual, 600.0)

    def test_rerun_same_day_does_nothing(self):
        self._invoice(self.customer_bruno)
        with freeze_time(DUE):
            first = self.Run._run()
            mails = self.env["mail.mail"].search_count([])
            again = self.Run._run()
        self.assertTrue(first)
        self.assertFalse(again)
        self.assertEqual(self.env["mail.mail"].search_count([]), mails)

    def test_invoice_found_late_starts_at_the_first_reminder(self):
        # escalation never skips contact: the statement (day 15) needs an earlier message
        invoice = self._invoice(self.customer_bruno)
        with freeze_time(DUE + timedelta(days=20)):
            events = self.Run._run()
        done = events.filtered(lambda event: event.state == "done")
        self.assertEqual(done.level_id, self.level[3], "the first reminder after the due date")
        self.assertIn("is overdue", self._mails(invoice).subject)
        skipped = events.filtered(lambda event: event.state == "skipped")
        self.assertEqual(skipped.level_id.mapped("day_offset"), [-3, 0])
        self.assertIn("needs an earlier message", skipped[0].note)
        self.assertFalse(self._mails(self.customer_bruno), "no statement yet")
        # the later levels keep their spacing from today: the call 4 days later
        self.assertEqual(invoice.collection_next_level_id, self.level[7])
        self.assertEqual(invoice.collection_next_date, DUE + timedelta(days=24))
        with freeze_time(DUE + timedelta(days=24)):
            self.assertEqual(self.Run._run().level_id, self.level[7])
        with freeze_time(DUE + timedelta(days=32)):
            statement = self.Run._run()
        self.assertEqual(statement.level_id, self.level[15], "contacted: the statement goes")
        self.assertEqual(len(self._mails(self.customer_bruno)), 1)

    def test_handover_is_one_task_per_customer(self):
        invoices = self._invoice(self.customer_bruno) | self._invoice(
            self.customer_bruno, amount=500.0
        )
        with freeze_time(DUE + timedelta(days=3)):
            self.Run._run()
        with freeze_time(DUE + timedelta(days=60)):
            events = self.Run._run()
        self.assertEqual(events.filtered(lambda e: e.state == "done").level_id, self.level[60])
        tasks = self._activities(self.customer_bruno).filtered(
            lambda act: act.summary == "Send the file to legal counsel"
        )
        self.assertEqual(len(tasks), 1, "one file for the customer, not one per invoice")
        self.assertEqual(tasks.user_id, self.user_ana)
        for invoice in invoices:
            self.assertIn(invoice.name, tasks.note)
            self.assertFalse(self._activities(invoice))
            self.assertEqual(invoice.collection_status, "handed_over")
        row = self.env["collection.worklist"].search([("partner_id", "=", self.customer_bruno.id)])
        self.assertFalse(row.next_level_id)
        self.assertEqual(row.hold_summary, "2 Handed Over", "the worklist says why")

    def test_open_invoices_follow_a_strategy_change(self):
        invoice = self._invoice(self.customer_bruno)
        paid = self._invoice(self.customer_carla)
        with freeze_time(DUE):
            self._register_payment(paid, amount=1000.0)
        self.assertEqual(invoice.collection_strategy_id, self.standard)
        # the company's default strategy changes: the open invoices follow it
        self.company.collection_strategy_id = self.strategic
        self.assertEqual(invoice.collection_strategy_id, self.strategic)
        self.assertEqual(invoice.collection_next_level_id, self.strategic._get_levels_in_order()[0])
        self.assertEqual(paid.collection_strategy_id, self.standard, "a paid invoice stays")
        # a strategy's tags: the tagged customer's open invoices follow them
        self.company.collection_strategy_id = self.standard
        tag = self.env["res.partner.category"].create({"name": "Mayorista"})
        self.customer_bruno.category_id = tag
        self.assertEqual(invoice.collection_strategy_id, self.standard)
        self.strategic.partner_category_ids = tag
        self.assertEqual(invoice.collection_strategy_id, self.strategic)
        self.strategic.partner_category_ids = False
        self.assertEqual(invoice.collection_strategy_id, self.standard)

    def test_contacted_invoice_found_late_acts_at_highest_level_only(self):
        invoice = self._invoice(self.customer_bruno)
        with freeze_time(DUE + timedelta(days=3)):
            self.Run._run()
        with freeze_time(DUE + timedelta(days=20)):
            events = self.Run._run()
        done = events.filtered(lambda event: event.state == "done")
        self.assertEqual(done.level_id, self.level[15])
        skipped = events.filtered(lambda event: event.state == "skipped")
        self.assertEqual(skipped.level_id.mapped("day_offset"), [7])
        self.assertEqual(len(self._mails(self.customer_bruno)), 1, "the statement")
        self.assertEqual(invoice.collection_next_level_id, self.level[30])

    def test_interrupted_run_resumes_without_sending_twice(self):
        invoices = (
            self._invoice(self.customer_bruno)
            | self._invoice(self.customer_carla)
            | self._invoice(self.customer_elena)
        )
        with freeze_time(DUE + timedelta(days=3)):
            first = self.Run._run(batch_size=1, max_batches=1)
            self.assertEqual(len(first.partner_id), 1)
            rest = self.Run._run(batch_size=1)
            self.assertEqual(len(rest.partner_id), 2)
            self.assertFalse(self.Run._run())
        for invoice in invoices:
            done = invoice.collection_event_ids.filtered(lambda event: event.state == "done")
            self.assertEqual(done.level_id, self.level[3])
            self.assertEqual(len(self._mails(invoice)), 1)

    def test_strategic_customer_gets_statement_instead_of_reminders(self):
        self.customer_carla.category_id = self.env.ref(
            "collections_workflow.res_partner_category_strategic"
        )
        self.strategic.partner_category_ids = self.customer_carla.category_id
        invoice = self._invoice(self.customer_carla)
        self.assertEqual(invoice.collection_strategy_id, self.strategic)
        by_day = self._run_days(DUE - timedelta(days=5), DUE + timedelta(days=90))
        self.assertEqual(sorted((day - DUE).days for day in by_day), [-3, 5, 20])
        self.assertFalse(self._mails(invoice), "no reminder")
        self.assertEqual(len(self._mails(self.customer_carla)), 1, "the statement")
        tasks = self._activities(invoice) | self._activities(self.customer_carla)
        self.assertEqual(tasks.user_id, self.user_carla | self.user_ana)
        self.assertEqual(invoice.collection_status, "active", "no hand-over for strategic")

    def test_customer_strategy_wins_over_tags_and_company(self):
        self.customer_bruno.collection_strategy_id = self.strategic
        self.assertEqual(self._invoice(self.customer_bruno).collection_strategy_id, self.strategic)
        self.assertEqual(self._invoice(self.customer_elena).collection_strategy_id, self.standard)

    def test_grouped_level_sends_one_message_for_all_invoices(self):
        self.level[3].write(
            {
                "group_invoices": True,
                "use_email": False,
                "use_statement": True,
                "statement_template_id": self.env.ref(
                    "collections_workflow.mail_template_collection_statement"
                ).id,
            }
        )
        first, second = self._invoice(self.customer_bruno), self._invoice(self.customer_bruno, 250)
        with freeze_time(DUE + timedelta(days=3)):
            self.Run._run()
        mails = self._mails(self.customer_bruno)
        self.assertEqual(len(mails), 1)
        self.assertIn(first.name, mails.body_html)
        self.assertIn(second.name, mails.body_html)
        events = (first | second).collection_event_ids.filtered(lambda e: e.state == "done")
        self.assertEqual(events.level_id, self.level[3])
        self.assertEqual(len(events), 2, "one event per invoice")

    def test_levels_due_the_same_day_send_one_message(self):
        """Two grouped levels reach a customer on the same day: one message, two events."""
        statement = self.env.ref("collections_workflow.mail_template_collection_statement")
        for day in (3, 15):
            self.level[day].write(
                {
                    "group_invoices": True,
                    "use_email": False,
                    "use_statement": True,
                    "statement_template_id": statement.id,
                }
            )
        late = self._invoice(self.customer_bruno, 700.0, due=DUE - timedelta(days=12))
        recent = self._invoice(self.customer_bruno, 300.0)
        self.Event.sudo().create(
            [self.Run._prepare_event_vals(late, self.level[day], DUE) for day in (-3, 0, 3, 7)]
            + [self.Run._prepare_event_vals(recent, self.level[day], DUE) for day in (-3, 0)]
        )
        with freeze_time(DUE + timedelta(days=3)):
            events = self.Run._run()
        self.assertEqual(
            {(event.invoice_id, event.level_id.day_offset) for event in events},
            {(late, 15), (recent, 3)},
        )
        mails = self._mails(self.customer_bruno)
        self.assertEqual(len(mails), 1, "one statement, from the furthest level")
        self.assertIn(late.name, mails.body_html)
        self.assertIn(recent.name, mails.body_html)
        merged = events.filtered(lambda event: event.invoice_id == recent)
        self.assertEqual(merged.note, f"Sent with the message of level {self.level[15].name}.")
        review = self._activities(self.customer_bruno)
        self.assertEqual(review.user_id, self.user_ana, "level 15's task still goes out")

    def test_server_action_runs_once_on_the_invoices(self):
        action = self.env["ir.actions.server"].create(
            {
                "name": "Flag invoices",
                "model_id": self.env.ref("account.model_account_move").id,
                "state": "code",
                "code": "records.message_post(body='server action ran')",
            }
        )
        self.level[3].server_action_id = action
        invoice = self._invoice(self.customer_bruno)
        with freeze_time(DUE + timedelta(days=3)):
            self.Run._run()
            self.Run._run()
        ran = invoice.message_ids.filtered(lambda m: "server action ran" in (m.body or ""))
        self.assertEqual(len(ran), 1)

    def test_excluded_disputed_promised_paused_are_not_reminded(self):
        excluded = self._invoice(self.customer_bruno)
        disputed = self._invoice(self.customer_carla)
        paused = self._invoice(self.customer_elena)
        promised = self._invoice(self.customer_carla, amount=300.0)
        self.customer_bruno.write(
            {"collection_excluded": True, "collection_exclusion_reason": "In negotiation"}
        )
        self.env["collection.dispute"].create(
            {
                "partner_id": self.customer_carla.id,
                "invoice_ids": disputed.ids,
                "reason_id": self.env.ref("collections_workflow.dispute_reason_quality").id,
            }
        )
        with freeze_time(DUE - timedelta(days=5)):
            self.env["collection.promise"].create(
                {
                    "partner_id": self.customer_carla.id,
                    "invoice_ids": promised.ids,
                    "amount": 300.0,
                    "promise_date": DUE + timedelta(days=60),
                }
            )
        paused.collection_paused_until = DUE + timedelta(days=60)
        self.assertEqual(
            (excluded | disputed | paused | promised).mapped("collection_status"),
            ["excluded", "disputed", "paused", "promised"],
        )
        self.assertFalse(self._run_days(DUE - timedelta(days=5), DUE + timedelta(days=30)))

    def test_customer_rollup(self):
        invoice = self._invoice(self.customer_bruno, amount=700.0)
        self._invoice(self.customer_bruno, amount=300.0, due=DUE + timedelta(days=30))
        self._run_days(DUE + timedelta(days=8), DUE + timedelta(days=8))
        with freeze_time(DUE + timedelta(days=9)):
            partner = self.customer_bruno.with_context(tz="UTC")
            partner.invalidate_recordset()
            self.assertEqual(partner.collection_overdue_amount, 700.0)
            self.assertEqual(partner.collection_oldest_due_date, DUE)
            self.assertEqual(partner.collection_max_level_id, self.level[7])
            self.assertEqual(partner.collection_next_date, DUE + timedelta(days=15))
            self.assertEqual(
                partner.collection_next_level_id,
                self.level[15],
                "the action of the earliest date, not the earliest level of the strategy",
            )
            self.assertEqual(invoice.collection_next_level_id, self.level[15])

    def test_level_validation(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self.standard.level_ids = [Command.create({"name": "Twin", "day_offset": 3})]
        with self.assertRaisesRegex(ValidationError, "Email Template"):
            self.level[7].use_email = True
        with self.assertRaisesRegex(ValidationError, "template on Contact"):
            self.level[3].group_invoices = True
        with self.assertRaisesRegex(ValidationError, "agency or lawyer"):
            self.level[30].handover = "agency"
        for day in (-9999, 5000):
            with self.assertRaisesRegex(ValidationError, f"between -90 .* and 1095 .*not {day}"):
                self.level[30].day_offset = day
        with self.assertRaisesRegex(ValidationError, "company and the advisor|advisor"):
            self.level[
                3
            ].email_template_id.body_html = (
                "<p>Please pay.</p><!-- object.company_id.name object.collection_advisor_id -->"
            )

    def test_run_now_for_managers_only(self):
        self._invoice(self.customer_bruno)
        with freeze_time(DUE):
            with self.assertRaises(AccessError):
                self.Run.with_user(self.user_ana)._action_run_now()
            action = self.Run.with_user(self.user_manager)._action_run_now()
        events = self.Event.search(action["domain"] + [("state", "=", "done")])
        self.assertEqual(events.level_id, self.level[0])
        self.assertEqual(
            self.Event.with_user(self.user_bruno).search([("id", "in", events.ids)]),
            events,
            "the advisor sees the events of their customers",
        )
        self.assertFalse(self.Event.with_user(self.user_elena).search([("id", "in", events.ids)]))

    def test_cron_runs_the_job(self):
        self._invoice(self.customer_bruno)
        cron = self.env.ref("collections_workflow.ir_cron_collection_run")
        with freeze_time(DUE), self.enter_registry_test_mode():
            result = cron.method_direct_trigger()
        self.assertFalse(isinstance(result, dict) and result.get("type") == "ir.actions.client")
        self.assertTrue(self.Event.search([("partner_id", "=", self.customer_bruno.id)]))

    def test_preview_shows_today_without_doing_it(self):
        invoice = self._invoice(self.customer_bruno)
        with freeze_time(DUE + timedelta(days=3)):
            preview = self.env["collection.run.preview"].with_user(self.user_manager).create({})
            self.assertEqual((preview.act_count, preview.skip_count), (1, 2))
            acting = preview.line_ids.filtered(lambda line: line.action == "act")
            self.assertEqual(acting.invoice_id, invoice)
            self.assertEqual(acting.level_id, self.level[3])
            self.assertEqual(acting.channels, "Email")
            self.assertFalse(invoice.collection_event_ids, "a preview does nothing")
            self.assertFalse(self._mails(invoice))
            preview.action_run()
        self.assertEqual(len(self._mails(invoice)), 1)

    def _go_live_preview(self):
        self.env["collection.run.log"].search([]).unlink()
        action = self.env["collection.run.preview"].with_user(self.user_manager)._action_open()
        return (
            self.env["collection.run.preview"].with_user(self.user_manager).browse(action["res_id"])
        )

    def test_go_live_starts_everyone_at_the_first_reminder(self):
        invoice = self._invoice(self.customer_bruno)
        with freeze_time(DUE + timedelta(days=61)):
            preview = self._go_live_preview()
            self.assertTrue(preview.first_time, "the run never acted: this is the go-live")
            self.assertEqual(preview.go_live, "first_level")
            self.assertEqual(
                preview.go_live_summary,
                "Start at the first reminder: 1 invoices acted on, 0 formal letters, "
                "0 hand-overs.\n"
                "Catch up today: 1 invoices acted on, 0 formal letters, 1 hand-overs.",
            )
            acting = preview.line_ids.filtered(lambda line: line.action == "act")
            self.assertEqual(acting.level_id, self.level[3], "shown before anything is sent")
            self.assertIn("needs an earlier message", preview.line_ids[0].note)
            self.assertFalse(invoice.collection_event_ids)
            preview.action_switch_on()
            self.assertTrue(self.Run._is_automatic())
            self.Run._run()
        self.assertEqual(invoice.collection_last_level_id, self.level[3])
        self.assertEqual(invoice.collection_status, "active", "not handed over")

    def test_go_live_catching_up_acts_at_the_highest_level(self):
        invoice = self._invoice(self.customer_bruno)
        with freeze_time(DUE + timedelta(days=61)):
            preview = self._go_live_preview()
            preview.go_live = "catch_up"
            preview.action_switch_on()
            self.Run._run()
        self.assertEqual(invoice.collection_last_level_id, self.level[60])
        self.assertEqual(invoice.collection_status, "handed_over")
        # the choice is the go-live day's: from the next day on, contact comes first again
        late = self._invoice(self.customer_carla)
        with freeze_time(DUE + timedelta(days=62)):
            self.assertFalse(self._go_live_preview().first_time, "gone live already")
            self.Run._run()
        self.assertEqual(late.collection_last_level_id, self.level[3])

    def test_worklist_and_planned_call_for_the_advisor(self):
        invoice = self._invoice(self.customer_bruno)
        self._invoice(self.customer_elena)
        action = self.env.ref("collections_workflow.account_move_action_collection_worklist")
        with freeze_time(DUE + timedelta(days=1)):
            mine = (
                self.env["account.move"]
                .with_user(self.user_bruno)
                .search([*ast.literal_eval(action.domain), ("collection_next_date", "<=", "today")])
            )
            self.assertEqual(mine, invoice, "the advisor's own invoice, due for a step")
            mine.action_collection_schedule_call()
        call = self._activities(invoice)
        self.assertEqual(call.user_id, self.user_bruno)
        self.assertEqual(call.date_deadline, DUE + timedelta(days=1))

    def test_customer_worklist_most_urgent_first(self):
        second_customer = self.customer_none.copy({"name": "Ferretería Austral"})
        second_customer.collection_advisor_id = self.bruno
        self._invoice(self.customer_bruno, 400.0, due=DUE + timedelta(days=20))
        self._invoice(self.customer_bruno, 600.0, due=DUE)
        urgent = self._invoice(second_customer, 900.0, due=DUE - timedelta(days=4))
        self._invoice(self.customer_carla, 500.0)
        Worklist = self.env["collection.worklist"]
        with freeze_time(DUE):
            rows = Worklist.with_user(self.user_bruno).search([("next_date", "<=", "today")])
            self.assertEqual(
                rows.partner_id.mapped("name"),
                ["Ferretería Austral", "Comercial Andes SpA"],
                "the advisor's own customers, the earliest next step first",
            )
            self.assertEqual(rows[0].next_level_id, self.level[-3])
            self.assertEqual(rows[0].next_date, DUE - timedelta(days=7))
            self.assertEqual(rows[1].invoice_count, 2)
            self.assertEqual(rows[1].amount_due, 1000.0)
            self.assertEqual(rows[1].next_date, DUE - timedelta(days=3))
            team = Worklist.with_user(self.user_ana).search([])
            self.assertEqual(
                team.partner_id, second_customer | self.customer_bruno | self.customer_carla
            )
            self.assertFalse(Worklist.with_user(self.user_elena).search([]))
            rows[0].action_schedule_call()
            invoices = rows[0].action_open_invoices()
        self.assertEqual(self.env["account.move"].search(invoices["domain"]), urgent)
        self.assertEqual(rows[0].action_open_customer()["res_id"], second_customer.id)
        call = self._activities(second_customer)
        self.assertEqual(call.user_id, self.user_bruno)
        self.assertEqual(call.date_deadline, DUE)
        with freeze_time(DUE):
            self.Run._run()
        Worklist.invalidate_model()  # a SQL view: its rows are read again, as on a new page
        self.assertEqual(
            Worklist.search([("partner_id", "=", second_customer.id)]).next_level_id,
            self.level[7],
            "the row follows the invoices as the run moves them on",
        )

    def test_credit_note_and_foreign_currency_payment_count(self):
        invoice = self._invoice(self.customer_bruno, amount=1000.0)
        refund = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"reason": "descuento", "journal_id": invoice.journal_id.id})
        )
        credit_note = self.env["account.move"].browse(refund.refund_moves()["res_id"])
        credit_note.invoice_line_ids.price_unit = 300.0
        credit_note.action_post()
        (invoice + credit_note).line_ids.filtered(
            lambda line: line.account_type == "asset_receivable"
        ).reconcile()
        self.assertEqual(invoice.amount_residual, 700.0)
        foreign = self.setup_other_currency("EUR", rates=[("2026-01-01", 0.5)])
        with freeze_time(DUE + timedelta(days=1)):
            self._register_payment(invoice, amount=100.0, currency_id=foreign.id)
        self.assertEqual(invoice.amount_residual, 500.0, "100 EUR are 200 at 0.5 EUR each")
        self._run_days(DUE + timedelta(days=3), DUE + timedelta(days=3))
        overdue = self._mails(invoice).filtered(lambda mail: "is overdue" in mail.subject)
        self.assertIn("500.00", overdue.body_html)
        self.assertEqual(credit_note.collection_status, "done", "credit notes are not reminded")

    def test_portfolio_over_90_days(self):
        """Three customers, both strategies, invoices due on different days."""
        self.customer_carla.category_id = self.env.ref(
            "collections_workflow.res_partner_category_strategic"
        )
        self.strategic.partner_category_ids = self.customer_carla.category_id
        bruno_early = self._invoice(self.customer_bruno, 500.0, due=DUE)
        bruno_late = self._invoice(self.customer_bruno, 800.0, due=DUE + timedelta(days=10))
        carla = self._invoice(self.customer_carla, 2000.0, due=DUE + timedelta(days=4))
        elena = self._invoice(self.customer_elena, 300.0, due=DUE + timedelta(days=2))
        first, last = DUE - timedelta(days=15), DUE + timedelta(days=74)  # 90 days
        by_day = self._run_days(first, last)
        done = {
            (event.invoice_id, (event.date - event.invoice_id.invoice_date_due).days)
            for events in by_day.values()
            for event in events
            if event.state == "done"
        }
        standard_days = [-3, 0, 3, 7, 15, 30, 60]
        expected = {
            (invoice, day) for invoice in (bruno_early, bruno_late, elena) for day in standard_days
        }
        expected |= {(carla, day) for day in (-3, 5, 20)}
        self.assertEqual(done, expected)
        self.assertFalse(
            any(event.state == "skipped" for events in by_day.values() for event in events),
            "a run every day never skips a level",
        )
        self.assertEqual(
            set((bruno_early | bruno_late | elena).mapped("collection_status")), {"handed_over"}
        )
        self.assertEqual(carla.collection_status, "active", "strategic accounts stay with us")
        # the last day acted on: the later invoice's hand-over, 60 days after its due date
        self.assertEqual(max(by_day), DUE + timedelta(days=70))
        # one email per invoice and email level, each to its own customer
        for invoice in (bruno_early, bruno_late, elena):
            self.assertEqual(len(self._mails(invoice)), 3)
        self.assertFalse(self._mails(carla))


@tagged("post_install", "-at_install")
class TestShippedGrouping(CollectionRunCase):
    """The shipped Standard strategy writes to a customer once a day, whatever the number of
    its invoices at a level: one message listing them, one event per invoice."""

    per_invoice = False

    def test_one_message_per_customer_and_day_listing_its_invoices(self):
        self.assertTrue(self.level[-3].group_invoices, "shipped so")
        first = self._invoice(self.customer_bruno, 400.0)
        second = self._invoice(self.customer_bruno, 600.0)
        later = self._invoice(self.customer_bruno, 900.0, due=DUE + timedelta(days=5))
        with freeze_time(DUE - timedelta(days=3)):
            events = self.Run._run()
        self.assertEqual(events.invoice_id, first | second)
        self.assertEqual(set(events.mapped("state")), {"done"})
        mail = self._mails(self.customer_bruno)
        self.assertEqual(len(mail), 1, "one reminder, not two")
        self.assertIn("due soon", mail.subject)
        self.assertIn(first.name, mail.body_html)
        self.assertIn(second.name, mail.body_html)
        self.assertNotIn(later.name, mail.body_html, "only the invoices at the level")
        self.assertIn(self.customer_bruno.currency_id.format(1000.0), mail.body_html, "the total")
        self.assertIn(self.bruno.name, mail.body_html, "names the advisor")
        self.assertFalse(self._mails(first) | self._mails(second), "nothing per invoice")

    def test_due_today_sms_and_formal_letter_once_per_customer(self):
        first, second = self._invoice(self.customer_bruno), self._invoice(self.customer_bruno, 250)
        with freeze_time(DUE):
            self.Run._run()
        sms = self.env["sms.sms"].search([("partner_id", "=", self.customer_bruno.id)])
        self.assertEqual(len(sms), 1)
        self.assertIn(first.name, sms.body)
        self.assertIn(second.name, sms.body)
        self.assertIn(self.bruno.name, sms.body)
        self._run_days(DUE + timedelta(days=1), DUE + timedelta(days=30))
        letters = (first | second).collection_event_ids.filtered("letter_html")
        self.assertEqual(len(letters), 1, "one formal letter for the customer")
        self.assertIn(first.name, letters.letter_html)
        self.assertIn(second.name, letters.letter_html)
        self.assertEqual(
            (first | second)
            .collection_event_ids.filtered(lambda event: event.level_id == self.level[30])
            .mapped("state"),
            ["done", "done"],
        )

    def test_a_template_preview_lists_the_open_invoices(self):
        invoice = self._invoice(self.customer_bruno)
        template = self.env.ref("collections_workflow.mail_template_collection_overdue_customer")
        body = template._render_field("body_html", self.customer_bruno.ids)[self.customer_bruno.id]
        self.assertIn(invoice.name, body)
