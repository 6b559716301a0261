# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools.misc import formatLang

from odoo.addons.phone_validation.tools import phone_validation

from ..tools import portfolio_file

PARTNER_COLUMNS = ("name", "ref", "vat", "email", "phone", "street", "city")
# What a request can check and import well within Odoo's time limit, and what the
# background job takes at most; an administrator may change them as system parameters.
MAX_BYTES_PARAM = "collections_workflow.import_max_bytes"
MAX_ROWS_PARAM = "collections_workflow.import_max_rows"
MAX_BACKGROUND_ROWS_PARAM = "collections_workflow.import_max_rows_background"
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_ROWS = 5000
# about 1.5 ms a row here: 20,000 rows stay well within a cron's default 120 s
DEFAULT_MAX_BACKGROUND_ROWS = 20000
# the refused rows a background import lists; the preview of a shorter file lists them all
MAX_REASONS = 50
MATCH_COLUMNS = ("ref", "vat", "name")


class ResPartnerCollectionImport(models.TransientModel):
    """Import the customer portfolio file: customers, their advisors and supervisors.

    The file is read and checked twice: once for the preview, once again when the user
    confirms, so that what is written is exactly what the file says at that moment.
    Nothing is written while any row is refused.
    """

    _name = "res.partner.collection.import"
    _description = "Import Customer Portfolio File"

    file = fields.Binary(required=True)
    file_name = fields.Char()
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    state = fields.Selection(
        [("upload", "Upload"), ("preview", "Preview"), ("background", "Background")],
        default="upload",
        required=True,
    )
    limits_note = fields.Char(compute="_compute_limits_note")
    background_note = fields.Text(readonly=True)
    line_ids = fields.One2many("res.partner.collection.import.line", "wizard_id")
    create_count = fields.Integer(string="Customers to Create", readonly=True)
    update_count = fields.Integer(string="Customers to Update", readonly=True)
    refuse_count = fields.Integer(string="Rows Refused", readonly=True)
    staff_create_count = fields.Integer(string="Advisors and Supervisors to Create", readonly=True)
    ignored_columns = fields.Char(readonly=True)

    @api.depends("company_id")
    def _compute_limits_note(self):
        limits = self._get_import_limits()
        size = self._format_megabytes(limits["bytes"])
        rows = self._format_count(limits["rows"])
        if limits["background_rows"] > limits["rows"]:
            note = self.env._(
                "Files of up to %(size)s MB. Up to %(rows)s customers are checked here "
                "before you confirm; longer files, up to %(max)s customers, are imported "
                "in the background.",
                size=size,
                rows=rows,
                max=self._format_count(limits["background_rows"]),
            )
        else:
            note = self.env._(
                "Files of up to %(size)s MB and %(rows)s customers.", size=size, rows=rows
            )
        self.limits_note = note

    def action_preview(self):
        """Check the file and show, row by row, what the import would do."""
        self.ensure_one()
        limits = self._get_import_limits()
        plan = self._plan(limits["rows"], background_ok=True)
        self.line_ids.unlink()
        if plan is None:
            self.write(
                {
                    "state": "background",
                    "background_note": self.env._(
                        "%(file)s holds more than %(rows)s customers, more than can be "
                        "checked here. It can be imported in the background, up to %(max)s "
                        "customers: every row is checked the same way, nothing is written "
                        "if any row is refused, and the result (customers created and "
                        "updated, or the refused rows and why) comes to your inbox.",
                        file=self._file_label(),
                        rows=self._format_count(limits["rows"]),
                        max=self._format_count(limits["background_rows"]),
                    ),
                }
            )
            return self._reopen()
        self.env["res.partner.collection.import.line"].create(
            [
                {
                    "wizard_id": self.id,
                    "line_number": row.line,
                    "name": row.values.get("name"),
                    "action": action,
                    "partner_id": partner.id,
                    "advisor_name": self._person_name(row.values, "advisor"),
                    "supervisor_name": self._person_name(row.values, "supervisor"),
                    "message": "\n".join(self._issue_message(issue) for issue in row.issues),
                }
                for row, action, partner in plan["rows"]
            ]
        )
        actions = [action for __, action, __ in plan["rows"]]
        self.write(
            {
                "state": "preview",
                "create_count": actions.count("create"),
                "update_count": actions.count("update"),
                "refuse_count": actions.count("refuse"),
                "staff_create_count": len(plan["new_staff"]),
                "ignored_columns": ", ".join(plan["portfolio"].ignored_headers),
            }
        )
        return self._reopen()

    def action_back(self):
        self.ensure_one()
        self.line_ids.unlink()
        self.state = "upload"
        return self._reopen()

    def action_import(self):
        """Write the whole file, or nothing at all when a row is refused."""
        self.ensure_one()
        plan = self._plan(self._get_import_limits()["rows"])
        refused = [row for row, action, __ in plan["rows"] if action == "refuse"]
        if refused:
            first = refused[0].issues[0]
            raise UserError(
                self.env._(
                    "%(count)s rows of %(file)s are refused, so nothing was imported. "
                    "First refused row: %(reason)s",
                    count=len(refused),
                    file=self._file_label(),
                    reason=self._issue_message(first),
                )
            )
        partners = self._apply(plan)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Imported Customers"),
            "res_model": "res.partner",
            "view_mode": "list,form",
            "domain": [("id", "in", partners.ids)],
        }

    def action_import_background(self):
        """Queue the file for the background job and wake it."""
        self.ensure_one()
        job = (
            self.env["collection.import.job"]
            .with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
            .create(
                {
                    "file": self.file,
                    "file_name": self._file_label(),
                    "company_id": self.company_id.id,
                    "user_id": self.env.user.id,
                }
            )
        )
        # sudo: waking a cron is no right of a collections manager, only of this button
        self.env.ref("collections_workflow.ir_cron_collection_import").sudo()._trigger()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "title": self.env._("Import queued"),
                "message": self.env._(
                    "%(file)s is being imported in the background. The result will come "
                    "to your inbox.",
                    file=job.file_name,
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _import_in_background(self):
        """What the background job does: import the whole file, or nothing when a row is
        refused. Return the job's values; a file that cannot be read raises a UserError."""
        self.ensure_one()
        plan = self._plan(self._get_import_limits()["background_rows"])
        refused = [row for row, action, __ in plan["rows"] if action == "refuse"]
        if refused:
            reasons = [
                self._issue_message(issue) for row in refused[:MAX_REASONS] for issue in row.issues
            ]
            if len(refused) > MAX_REASONS:
                reasons.append(
                    self.env._(
                        "... and %(count)s more refused rows.", count=len(refused) - MAX_REASONS
                    )
                )
            return {
                "state": "refused",
                "refuse_count": len(refused),
                "result": "\n".join(
                    [
                        self.env._(
                            "%(count)s rows of %(file)s are refused, so nothing was "
                            "imported. Fix them in the file and import it again:",
                            count=len(refused),
                            file=self._file_label(),
                        ),
                        *reasons,
                    ]
                ),
            }
        actions = [action for __, action, __ in plan["rows"]]
        self._apply(plan)
        created, updated = actions.count("create"), actions.count("update")
        return {
            "state": "done",
            "create_count": created,
            "update_count": updated,
            "result": self.env._(
                "%(file)s is imported: %(created)s customers created, %(updated)s updated, "
                "%(staff)s advisors and supervisors created.",
                file=self._file_label(),
                created=created,
                updated=updated,
                staff=len(plan["new_staff"]),
            ),
        }

    # ------------------------------------------------------------------ reading
    @api.model
    def _get_import_limits(self):
        """The size and row limits, from the system parameters (defaults otherwise)."""
        # sudo: collections managers import files, they do not read system parameters
        params = self.env["ir.config_parameter"].sudo()

        def limit(key, default):
            try:
                return max(int(params.get_param(key, default)), 0)
            except (TypeError, ValueError):
                return default

        return {
            "bytes": limit(MAX_BYTES_PARAM, DEFAULT_MAX_BYTES) or DEFAULT_MAX_BYTES,
            "rows": limit(MAX_ROWS_PARAM, DEFAULT_MAX_ROWS) or DEFAULT_MAX_ROWS,
            "background_rows": limit(MAX_BACKGROUND_ROWS_PARAM, DEFAULT_MAX_BACKGROUND_ROWS),
        }

    def _read_portfolio(self, max_rows, background_ok=False):
        """The checked file; ``None`` when it is longer than ``max_rows`` and
        ``background_ok`` says it may go to the background job instead."""
        limits = self._get_import_limits()
        try:
            table = portfolio_file.read_table(
                base64.b64decode(self.file or b""),
                self.file_name,
                max_rows=max_rows,
                max_bytes=limits["bytes"],
            )
            return portfolio_file.parse_portfolio(
                table,
                self._normalize_phone,
                default_region=self.company_id.country_id.code,
                countries=self._get_country_codes(),
            )
        except portfolio_file.PortfolioFileError as error:
            if (
                error.issue.code == "too_many_rows"
                and background_ok
                and limits["background_rows"] > max_rows
            ):
                return None
            raise UserError(self._issue_message(error.issue)) from error

    @api.model
    def _get_country_codes(self):
        """Normalised country codes and names (in English and the user's language)."""
        codes = {}
        for lang in {"en_US", self.env.lang or "en_US"}:
            for country in (
                self.env["res.country"].with_context(lang=lang).search_fetch([], ["code", "name"])
            ):
                codes[portfolio_file.normalize_key(country.name)] = country.code
                codes[portfolio_file.normalize_key(country.code)] = country.code
        return codes

    def _normalize_phone(self, number, region):
        try:
            return phone_validation.phone_format(
                number, region, None, force_format="E164", raise_exception=True
            )
        except UserError as error:
            raise ValueError(str(error.args[0])) from error

    # ------------------------------------------------------------------ planning
    def _plan(self, max_rows, background_ok=False):
        """Decide what each row does: ``{'rows': [(row, action, partner)], ...}``;
        ``None`` for a file the background job is to import (see _read_portfolio)."""
        portfolio = self._read_portfolio(max_rows, background_ok=background_ok)
        if portfolio is None:
            return None
        matches, protected = self._match_partners(portfolio.rows)
        staff = self._match_staff(portfolio.rows)
        new_staff = {
            (role, key)
            for row in portfolio.rows
            if not row.issues
            for role, key in (("advisor", row.advisor_key), ("supervisor", row.supervisor_key))
            if key and (role, key) not in staff
        }
        rows = []
        for row in portfolio.rows:
            partner = matches.get(row.line, self.env["res.partner"])
            if row.line in protected:
                row.issues.append(
                    portfolio_file.Issue(
                        "not_a_customer", row.line, protected[row.line], (row.values["name"],)
                    )
                )
                partner = self.env["res.partner"]
            if len(partner) > 1:
                row.issues.append(portfolio_file.Issue("ambiguous", row.line, "name"))
            if row.issues:
                rows.append((row, "refuse", partner[:1]))
            else:
                rows.append((row, "update" if partner else "create", partner))
        return {"portfolio": portfolio, "rows": rows, "staff": staff, "new_staff": new_staff}

    def _match_partners(self, rows):
        """Existing customers by reference, else VAT, else name: a few queries in all.

        Return ``(found, protected)``: line -> matching customers, and line -> column of
        the rows that name the contact of an Odoo user or of a company instead.
        """
        Partner = self.env["res.partner"].with_context(active_test=False)
        base_domain = Domain("company_id", "in", [self.company_id.id, False]) & Domain(
            "parent_id", "=", False
        )
        by_column = {}
        for column in MATCH_COLUMNS:
            wanted = {row.values[column] for row in rows if row.values.get(column)}
            by_value = by_column[column] = defaultdict(lambda: self.env["res.partner"])
            if not wanted:
                continue
            for partner in Partner.search_fetch(
                base_domain & Domain(column, "in", list(wanted)), [column]
            ):
                by_value[partner[column].casefold()] |= partner
        candidates = Partner.concat(
            *(partners for by_value in by_column.values() for partners in by_value.values())
        )
        not_customers = self._get_protected_partners(candidates)
        found, protected = {}, {}
        for row in rows:
            for column in MATCH_COLUMNS:
                value = (row.values.get(column) or "").casefold()
                if not value or value not in by_column[column]:
                    continue
                customers = by_column[column][value] - not_customers
                if customers:
                    found[row.line] = customers
                elif column != "name" or not (row.values.get("ref") or row.values.get("vat")):
                    # A file that names the administrator or the company by its name,
                    # reference or tax ID would otherwise overwrite a login's email (its
                    # password reset goes there) or the company's letterhead. Creating a
                    # second partner of the same name would leave the accountant with a
                    # duplicate they did not ask for: the row is refused and says why.
                    # A row whose own reference or tax ID matches nobody is another
                    # customer that happens to share the name: it is created.
                    protected[row.line] = column
                break
        return found, protected

    @api.model
    def _get_protected_partners(self, partners):
        """Those of ``partners`` that belong to a user (portal users included) or a company.

        The import never changes them: they are not customers' records to maintain.
        """
        if not partners:
            return partners
        # sudo: a collections manager may not read other companies or archived users,
        # whose contacts must be protected all the same
        users = (
            self.env["res.users"]
            .sudo()
            .with_context(active_test=False)
            .search_fetch([("partner_id", "in", partners.ids)], ["partner_id"])
        )
        companies = (
            self.env["res.company"]
            .sudo()
            .with_context(active_test=False)
            .search_fetch([("partner_id", "in", partners.ids)], ["partner_id"])
        )
        return partners.browse((users.partner_id | companies.partner_id).ids)

    def _match_staff(self, rows):
        """Existing advisors and supervisors of the company, by first and last name."""
        staff = self.env["collection.staff"].search_fetch(
            [("company_id", "=", self.company_id.id)],
            ["first_name", "last_name", "role", "phone", "supervisor_id"],
        )
        return {
            (person.role, (person.first_name.casefold(), person.last_name.casefold())): person
            for person in staff
        }

    # ------------------------------------------------------------------ writing
    def _apply(self, plan):
        staff = self._create_staff(plan)
        Partner = self.env["res.partner"].with_company(self.company_id)
        to_create, updates, by_advisor = (
            [],
            defaultdict(lambda: Partner),
            defaultdict(lambda: Partner),
        )
        country_ids = {
            country.code: country.id
            for country in self.env["res.country"].search_fetch([], ["code"])
        }
        for row, action, partner in plan["rows"]:
            vals = self._prepare_partner_vals(row, country_ids)
            if action == "create":
                to_create.append((row, vals))
                continue
            changed = {
                fname: value
                for fname, value in vals.items()
                if value and self._field_value(partner, fname) != value
            }
            if changed:
                updates[tuple(sorted(changed.items()))] |= partner
            if row.advisor_key:
                by_advisor[staff[("advisor", row.advisor_key)]] |= partner
        created = Partner.create([dict(vals, customer_rank=1) for __, vals in to_create])
        for (row, __), partner in zip(to_create, created, strict=True):
            if row.advisor_key:
                by_advisor[staff[("advisor", row.advisor_key)]] |= partner
        for changed, partners in updates.items():
            partners.write(dict(changed))
        for advisor, partners in by_advisor.items():
            partners.collection_advisor_id = advisor
        return created | Partner.concat(*(p for __, __, p in plan["rows"] if p))

    def _create_staff(self, plan):
        """Create missing supervisors, then advisors; return the (role, key) index."""
        staff = dict(plan["staff"])
        Staff = self.env["collection.staff"]
        rows = [row for row, action, __ in plan["rows"] if action != "refuse"]
        for role in ("supervisor", "advisor"):
            wanted = {}
            for row in rows:
                key = row.advisor_key if role == "advisor" else row.supervisor_key
                if key and (role, key) not in staff and key not in wanted:
                    wanted[key] = self._prepare_staff_vals(row, role, staff)
            for key, person in zip(wanted, Staff.create(list(wanted.values())), strict=True):
                staff[(role, key)] = person
        self._update_advisors(rows, staff)
        return staff

    def _update_advisors(self, rows, staff):
        """Bring phones and supervisors of existing advisors in line with the file."""
        for row in rows:
            if not row.advisor_key:
                continue
            advisor = staff[("advisor", row.advisor_key)]
            vals = {}
            for column, fname in (
                ("advisor_phone", "phone"),
                ("advisor_whatsapp", "whatsapp"),
                ("advisor_email", "email"),
            ):
                if row.values.get(column) and advisor[fname] != row.values[column]:
                    vals[fname] = row.values[column]
            if row.supervisor_key:
                supervisor = staff[("supervisor", row.supervisor_key)]
                if advisor.supervisor_id != supervisor:
                    vals["supervisor_id"] = supervisor.id
            if vals:
                advisor.write(vals)

    def _prepare_staff_vals(self, row, role, staff):
        values = row.values
        vals = {
            "role": role,
            "first_name": values[f"{role}_first_name"],
            "last_name": values[f"{role}_last_name"],
            "company_id": self.company_id.id,
        }
        if role == "advisor":
            vals.update(
                phone=values.get("advisor_phone") or False,
                whatsapp=values.get("advisor_whatsapp") or values.get("advisor_phone") or False,
                email=values.get("advisor_email") or False,
            )
            if row.supervisor_key:
                vals["supervisor_id"] = staff[("supervisor", row.supervisor_key)].id
        return vals

    def _prepare_partner_vals(self, row, country_ids):
        """Customer values from one row; a hook for extra columns."""
        vals = {fname: row.values[fname] for fname in PARTNER_COLUMNS if row.values.get(fname)}
        if row.values.get("country"):
            vals["country_id"] = country_ids[row.values["country"]]
        vals["is_company"] = bool(row.values.get("vat"))
        return vals

    # ------------------------------------------------------------------ helpers
    @api.model
    def _field_value(self, record, fname):
        value = record[fname]
        return value.id if isinstance(value, models.BaseModel) else value

    @api.model
    def _person_name(self, values, role):
        return " ".join(
            part
            for part in (values.get(f"{role}_first_name"), values.get(f"{role}_last_name"))
            if part
        )

    def _column_label(self, column):
        labels = {
            "name": self.env._("Name"),
            "ref": self.env._("Reference"),
            "vat": self.env._("Tax ID"),
            "email": self.env._("Email"),
            "phone": self.env._("Phone"),
            "country": self.env._("Country"),
            "advisor_first_name": self.env._("Advisor First Name"),
            "advisor_last_name": self.env._("Advisor Last Name"),
            "advisor_phone": self.env._("Advisor Phone"),
            "advisor_whatsapp": self.env._("Advisor WhatsApp"),
            "advisor_email": self.env._("Advisor Email"),
            "supervisor_first_name": self.env._("Supervisor First Name"),
            "supervisor_last_name": self.env._("Supervisor Last Name"),
        }
        return labels.get(column, column)

    def _format_count(self, count):
        return formatLang(self.env, count, digits=0)

    def _format_megabytes(self, size):
        return formatLang(self.env, size / (1024 * 1024), digits=1).removesuffix("0").rstrip(".,")

    def _file_label(self):
        return self.file_name or self.env._("(unnamed file)")

    def _issue_message(self, issue):
        """The issue in the user's language, naming its line and column."""
        column = self._column_label(issue.column)
        messages = {
            "empty": lambda: self.env._(
                "The file is empty: it needs a header row and at least one customer."
            ),
            "encoding": lambda: self.env._(
                "The text encoding of %(file)s is not recognised: its names would be imported "
                "garbled. Save it as CSV UTF-8 or as XLSX and upload it again.",
                file=self._file_label(),
            ),
            "unreadable": lambda: self.env._(
                "%(file)s cannot be read as an XLSX workbook: it is damaged or not an Excel "
                "file. Open it in Excel and save it again as XLSX or as CSV UTF-8.",
                file=self._file_label(),
            ),
            "too_large": lambda: self.env._(
                "%(file)s is %(size)s MB, more than the %(max)s MB a customer file may have. "
                "Split it into smaller files, or save it as XLSX, which takes less room.",
                file=self._file_label(),
                size=self._format_megabytes(issue.params[0]),
                max=self._format_megabytes(issue.params[1]),
            ),
            "too_many_rows": lambda: self.env._(
                "%(file)s holds more than %(max)s customers, the most one file may hold. "
                "Split it into files of at most %(max)s rows.",
                file=self._file_label(),
                max=self._format_count(issue.params[0]),
            ),
            "csv_unreadable": lambda: self.env._(
                "%(file)s cannot be read as a CSV file (%(reason)s): a quote is not "
                "closed or a cell is far too long. Open it in Excel and save it again.",
                file=self._file_label(),
                reason=issue.params[0],
            ),
            "no_sheet": lambda: self.env._(
                "%(file)s has no worksheet: the customers are read from its first sheet.",
                file=self._file_label(),
            ),
            "xls": lambda: self.env._(
                "%(file)s is an Excel 97-2003 workbook (.xls), which cannot be read. Save it "
                "as XLSX or as CSV UTF-8 and upload it again.",
                file=self._file_label(),
            ),
            "duplicate_column": lambda: self.env._(
                "Line 1: the column %(column)s appears twice.", column=issue.column
            ),
            "no_name_column": lambda: self.env._(
                "Line 1: the file has no customer name column (Name or Nombre)."
            ),
            "name_missing": lambda: self.env._(
                "Line %(line)s, column %(column)s: the customer name is missing.",
                line=issue.line,
                column=column,
            ),
            "phone_invalid": lambda: self.env._(
                "Line %(line)s, column %(column)s: the number %(number)s is not valid "
                "(%(reason)s).",
                line=issue.line,
                column=column,
                number=issue.params[0],
                reason=issue.params[1],
            ),
            "email_invalid": lambda: self.env._(
                "Line %(line)s, column %(column)s: %(email)s is not an email address.",
                line=issue.line,
                column=column,
                email=issue.params[0],
            ),
            "country_unknown": lambda: self.env._(
                "Line %(line)s, column %(column)s: unknown country %(country)s.",
                line=issue.line,
                column=column,
                country=issue.params[0],
            ),
            "advisor_incomplete": lambda: self.env._(
                "Line %(line)s, column %(column)s: the advisor needs a first and a last name.",
                line=issue.line,
                column=column,
            ),
            "supervisor_incomplete": lambda: self.env._(
                "Line %(line)s, column %(column)s: the supervisor needs a first and a last name.",
                line=issue.line,
                column=column,
            ),
            "supervisor_without_advisor": lambda: self.env._(
                "Line %(line)s, column %(column)s: a supervisor is given without an advisor.",
                line=issue.line,
                column=column,
            ),
            "duplicate": lambda: self.env._(
                "Line %(line)s: the same customer is already on line %(first)s.",
                line=issue.line,
                first=issue.params[0],
            ),
            "not_a_customer": lambda: self.env._(
                "Line %(line)s: %(name)s is the contact of an Odoo user or of a company of "
                "this database, not a customer, and the import does not change it. If this "
                "row is another customer, give it its own reference or tax ID.",
                line=issue.line,
                name=issue.params[0],
            ),
            "ambiguous": lambda: self.env._(
                "Line %(line)s, column %(column)s: several existing customers have this name; "
                "add their reference or tax ID.",
                line=issue.line,
                column=column,
            ),
        }
        return messages[issue.code]()

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Import Customer File"),
        }


class ResPartnerCollectionImportLine(models.TransientModel):
    _name = "res.partner.collection.import.line"
    _description = "Customer Portfolio File Preview Row"
    _order = "line_number"

    wizard_id = fields.Many2one(
        "res.partner.collection.import", required=True, ondelete="cascade", index=True
    )
    line_number = fields.Integer(string="Line")
    name = fields.Char(string="Customer")
    action = fields.Selection([("create", "Create"), ("update", "Update"), ("refuse", "Refused")])
    partner_id = fields.Many2one("res.partner", string="Existing Customer")
    advisor_name = fields.Char(string="Advisor")
    supervisor_name = fields.Char(string="Supervisor")
    message = fields.Text(string="Reason")
