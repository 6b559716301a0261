import { registry } from "@web/core/registry";
import { openCollectionsMenu } from "@collections_workflow/../tests/tours/collections_workflow_tour";

/*
 * The flows an advisor, a supervisor and a manager click through: disputes, promises from
 * the invoice, the KPI report, the overview and the customer's Collections tab per role.
 * Steps use selectors (names, xml ids, values) rather than labels, so that they run the
 * same in any language.
 */

/** The Collections menu's entry with ``xmlid``, clicked. */
function openCollectionsEntry(xmlid, content) {
    return [
        ...openCollectionsMenu(),
        {
            content,
            trigger: `.dropdown-item[data-menu-xmlid="collections_workflow.${xmlid}"]`,
            run: "click",
        },
    ];
}

/** A step that fails unless the open dialog has a real title: not empty, not "/". */
function dialogHasTitle(content) {
    return {
        content,
        trigger: ".modal .modal-title",
        run() {
            const title = this.anchor.textContent.trim();
            if (!title || title === "/" || title.includes(",NewId")) {
                throw new Error(`The dialog is titled "${title}"`);
            }
        },
    };
}

/** A step that fails unless the last breadcrumb reads as a name, not as a record's id. */
function breadcrumbIsReadable(content) {
    return {
        content,
        trigger: ".o_breadcrumb .active",
        run() {
            const name = this.anchor.textContent.trim();
            if (!name || name === "/" || /NewId|^[a-z_]+\.[a-z_.]+,/.test(name)) {
                throw new Error(`The breadcrumb reads "${name}"`);
            }
        },
    };
}

/** A step that fails unless the form's heading (the record's name) reads as a name. */
function headingIsReadable(content, scope = "") {
    return {
        content,
        trigger: `${scope} .o_form_view .oe_title h1`,
        run() {
            const heading = this.anchor.textContent.trim();
            if (!heading || heading === "/") {
                throw new Error(`The form's heading reads "${heading}"`);
            }
        },
    };
}

/** The date field ``name`` of the form, set to ``value`` (a filled date shows as a button). */
function editDate(name, value, content) {
    return [
        {
            content,
            trigger: `.o_form_view .o_field_widget[name=${name}] button`,
            run: "click",
        },
        {
            content: `${content}: type the date`,
            trigger: `.o_form_view .o_field_widget[name=${name}] input`,
            run: `edit ${value} && press Enter`,
        },
    ];
}

/** The first proposal of the many2one ``name`` of the dialog, picked. */
function pickFirst(name, content) {
    return [
        {
            content,
            trigger: `.modal .o_field_widget[name=${name}] input`,
            run: "click",
        },
        {
            content: "Take the first proposal",
            trigger: ".o-autocomplete--dropdown-menu .o-autocomplete--dropdown-item:first-child a",
            run: "click",
        },
    ];
}

registry.category("web_tour.tours").add("collections_workflow_dispute_open_tour", {
    steps: () => [
        {
            content: "Open the invoice's Collections tab",
            trigger: ".o_notebook .nav-link[name=collections]",
            run: "click",
        },
        {
            content: "Open a dispute",
            trigger: ".o_notebook button[name=action_collection_open_dispute]",
            run: "click",
        },
        dialogHasTitle("The dialog says what it is for"),
        headingIsReadable("The new dispute is not named \"/\"", ".modal"),
        {
            content: "The invoice is in it",
            trigger: ".modal .o_field_widget[name=invoice_ids] .o_data_row",
        },
        ...pickFirst("reason_id", "Why the customer disputes it"),
        {
            content: "The reason is set",
            trigger: ".modal .o_field_widget[name=reason_id] input:value(/\\w/)",
        },
        {
            content: "What the customer says",
            trigger: ".modal .o_field_widget[name=note] .odoo-editor-editable",
            run: "editor Faltan 3 cajas",
        },
        {
            content: "Save the dispute",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The dialog closes",
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "The invoice is disputed",
            trigger: ".o_notebook .o_field_widget[name=collection_status]:contains(/\\w/)",
        },
        {
            content: "Its dispute is shown on the invoice",
            trigger: ".o_notebook .o_field_widget[name=collection_dispute_ids] .o_tag",
        },
    ],
});

registry.category("web_tour.tours").add("collections_workflow_dispute_resolve_tour", {
    url: "/odoo",
    steps: () => [
        ...openCollectionsEntry("collection_dispute_menu", "Open the disputes"),
        breadcrumbIsReadable("The list is named"),
        {
            content: "A new dispute, from the list",
            trigger: ".o_control_panel .o_list_button_add",
            run: "click",
        },
        breadcrumbIsReadable("The new dispute is not named \"/\" in the breadcrumbs"),
        headingIsReadable("Nor in its heading"),
        {
            content: "Back to the list",
            trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb .breadcrumb-item a",
            run: "click",
        },
        {
            content: "Open the team's dispute",
            trigger: ".o_list_view .o_data_row .o_data_cell[name=partner_id]:contains(Comercial Andes SpA)",
            run: "click",
        },
        breadcrumbIsReadable("The dispute is named by its reference"),
        {
            content: "Resolve it",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_open_resolve]",
            run: "click",
        },
        dialogHasTitle("The resolution dialog says what it is for"),
        {
            content: "The dispute is named in the dialog",
            trigger: ".modal .o_field_widget[name=dispute_ids] .o_tag:contains(DISP/)",
        },
        {
            content: "Resolved for us",
            trigger: ".modal .o_field_widget[name=outcome] input[data-value=company]",
            run: "click",
        },
        {
            content: "How it was settled",
            trigger: ".modal .o_field_widget[name=note] textarea",
            run: "edit Las cajas se entregaron",
        },
        {
            content: "Resolve",
            trigger: ".modal button[name=action_resolve]",
            run: "click",
        },
        {
            content: "The dialog closes",
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "The dispute is resolved for us",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current[data-value=company]",
        },
        {
            content: "Nothing left to resolve",
            trigger: ".o_form_view:not(:has(button[name=action_open_resolve]))",
        },
        {
            content: "The resolution is shown",
            trigger: ".o_form_view .o_field_widget[name=resolution_note]:contains(Las cajas se entregaron)",
        },
    ],
});

registry.category("web_tour.tours").add("collections_workflow_invoice_promise_tour", {
    steps: () => [
        {
            content: "Open the invoice's Collections tab",
            trigger: ".o_notebook .nav-link[name=collections]",
            run: "click",
        },
        {
            content: "Record a promise",
            trigger: ".o_notebook button[name=action_collection_record_promise]",
            run: "click",
        },
        dialogHasTitle("The dialog says what it is for"),
        {
            content: "The invoice is in it",
            trigger: ".modal .o_field_widget[name=invoice_ids] .o_data_row",
        },
        {
            content: "The amount due is filled in",
            trigger: ".modal .o_field_widget[name=amount] input:value(/[1-9]/)",
        },
        {
            content: "The promised date",
            trigger: ".modal .o_field_widget[name=promise_date] input",
            run: "edit 12/24/2026",
        },
        {
            content: "What the customer said",
            trigger: ".modal .o_field_widget[name=note] textarea",
            run: "edit Paga antes de Navidad",
        },
        {
            content: "Save the promise",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The dialog closes",
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "The invoice is promised",
            trigger: ".o_notebook .o_field_widget[name=collection_status]:contains(Promise to Pay)",
        },
        {
            content: "Its promise is shown on the invoice",
            trigger: ".o_notebook .o_field_widget[name=collection_promise_ids] .o_tag:contains(Comercial Andes SpA)",
        },
    ],
});

registry.category("web_tour.tours").add("collections_workflow_kpi_report_tour", {
    url: "/odoo",
    steps: () => [
        ...openCollectionsMenu(),
        {
            content: "Open the KPI report",
            trigger: '.dropdown-item[data-menu-xmlid="collections_workflow.collection_kpi_report_menu"]',
            run: "click",
        },
        breadcrumbIsReadable("The report is named"),
        ...editDate("date_from", "09/01/2026", "From"),
        ...editDate("date_to", "11/30/2026", "To"),
        {
            content: "Compute",
            trigger: ".o_form_view button[name=action_compute]",
            run: "click",
        },
        {
            content: "One line per advisor of the team",
            trigger: ".o_field_widget[name=line_ids] .o_data_row .o_data_cell[name=name]:contains(Bruno Soto)",
        },
        {
            content: "With its numbers",
            trigger: ".o_field_widget[name=line_ids] .o_data_row:contains(Bruno Soto) .o_data_cell[name=ar_end]:contains(900)",
        },
        breadcrumbIsReadable("The result is named too"),
        {
            content: "No technical name in the breadcrumbs",
            trigger: ".o_breadcrumb:not(:contains(NewId)):not(:contains(collection.kpi.report))",
        },
        {
            content: "The report is computed in place: one breadcrumb, not the report twice",
            trigger: ".o_breadcrumb:not(:has(.breadcrumb-item))",
        },
    ],
});

registry.category("web_tour.tours").add("collections_workflow_supervisor_dashboard_tour", {
    url: "/odoo",
    steps: () => [
        ...openCollectionsEntry("collection_dashboard_menu", "Open the overview"),
        breadcrumbIsReadable("The overview is named"),
        {
            content: "The team's receivables",
            trigger: ".o_form_view .o_field_widget[name=receivables]:contains(1,300)",
        },
        {
            content: "The customers to act on today",
            trigger: ".o_form_view .o_field_widget[name=worklist_due]:contains(2)",
        },
        {
            content: "The aging, drawn",
            trigger: ".o_form_view .o_field_widget[name=aging_html] table",
        },
        {
            content: "Open the worklist from it",
            trigger: ".o_form_view button[name=action_open_worklist]",
            run: "click",
        },
        {
            content: "The team's customers",
            trigger: ".o_list_view .o_data_row:contains(Viña Santa Emilia)",
        },
        breadcrumbIsReadable("The worklist is named"),
        {
            content: "Back to the overview",
            trigger: ".o_breadcrumb .breadcrumb-item a",
            run: "click",
        },
        {
            content: "All the KPIs, from the overview",
            trigger: ".o_form_view button[name=action_open_kpis]",
            run: "click",
        },
        {
            content: "The KPI report opens",
            trigger: ".o_form_view button[name=action_compute]",
        },
        breadcrumbIsReadable("The KPI report is named"),
        {
            content: "The overview is named in the breadcrumbs",
            trigger: ".o_breadcrumb .breadcrumb-item a:not(:contains(/)):not(:contains(NewId))",
        },
    ],
});

registry.category("web_tour.tours").add("collections_workflow_supervisor_customer_tour", {
    url: "/odoo",
    steps: () => [
        ...openCollectionsEntry("res_partner_menu_collections", "Open the customers"),
        {
            content: "The other team's customer is not listed",
            trigger: ".o_list_view:not(:has(.o_data_row:contains(Transportes Cordillera)))",
        },
        {
            content: "Open a customer of the team",
            trigger: ".o_data_row .o_data_cell:contains(Comercial Andes SpA)",
            run: "click",
        },
        {
            content: "Open the Collections tab",
            trigger: ".o_notebook .nav-link[name=collections]",
            run: "click",
        },
        {
            content: "Its advisor",
            trigger: ".o_field_widget[name=collection_advisor_id] input:value(Bruno Soto)",
        },
        {
            content: "Its supervisor",
            trigger: ".o_field_widget[name=collection_supervisor_id]:contains(Ana Pérez)",
        },
        {
            content: "Give it to another advisor",
            trigger: ".o_field_widget[name=collection_advisor_id] input",
            run: "edit Carla",
        },
        {
            content: "The team's advisor is proposed",
            trigger: ".o-autocomplete--dropdown-menu .o-autocomplete--dropdown-item a:contains(Carla Muñoz)",
            run: "click",
        },
        {
            content: "Save",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_view .o_form_saved",
        },
        {
            content: "The new advisor's phone is shown",
            trigger: '.o_field_widget[name=collection_advisor_phone] a[href="tel:+56961234502"]',
        },
    ],
});

registry.category("web_tour.tours").add("collections_workflow_advisor_menus_tour", {
    url: "/odoo",
    steps: () => [
        ...openCollectionsMenu(),
        {
            content: "The customers' menu is there",
            trigger: '.o_main_navbar [data-menu-xmlid="account.menu_finance_receivables"]',
        },
        {
            content: "No Vendors menu",
            trigger: '.o_main_navbar:not(:has([data-menu-xmlid="account.menu_finance_payables"]))',
        },
        {
            content: "The advisor's own menu entries",
            trigger: '.dropdown-item[data-menu-xmlid="collections_workflow.collection_worklist_menu"]',
        },
    ],
});
