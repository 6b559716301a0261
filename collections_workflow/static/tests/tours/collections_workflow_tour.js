import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

/** From the home screen to the Invoicing > Collections menu, opened. */
export function openCollectionsMenu() {
    return [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open Invoicing",
            trigger: '.o_app[data-menu-xmlid="account.menu_finance"]',
            run: "click",
        },
        {
            content: "Open the Collections menu",
            trigger: '.o_main_navbar [data-menu-xmlid="collections_workflow.collections_workflow_menu_root"]',
            run: "click",
        },
    ];
}

/** From the home screen to the advisor's worklist. */
function openWorklist() {
    return [
        ...openCollectionsMenu(),
        {
            content: "Open the worklist",
            trigger: '.dropdown-item[data-menu-xmlid="collections_workflow.collection_worklist_menu"]',
            run: "click",
        },
    ];
}

registry.category("web_tour.tours").add("collections_workflow_advisor_tour", {
    url: "/odoo",
    steps: () => [
        ...openCollectionsMenu(),
        {
            content: "Open my customers",
            trigger: '.dropdown-item[data-menu-xmlid="collections_workflow.res_partner_menu_collections"]',
            run: "click",
        },
        {
            content: "Only my customer is listed",
            trigger: ".o_list_view .o_data_row:only-child:contains(Comercial Andes SpA)",
        },
        {
            content: "Open the customer",
            trigger: ".o_data_row .o_data_cell:contains(Comercial Andes SpA)",
            run: "click",
        },
        {
            content: "Open the Collections tab",
            trigger: ".o_notebook .nav-link:contains(Collections)",
            run: "click",
        },
        {
            content: "The advisor is shown",
            trigger: ".o_field_widget[name=collection_advisor_id]:contains(Bruno Soto)",
        },
        {
            content: "One click to call the advisor",
            trigger: '.o_field_widget[name=collection_advisor_phone] a[href="tel:+56961234501"]',
        },
        {
            content: "One click to write to the advisor",
            trigger: '.o_field_widget[name=collection_advisor_email] a[href^="mailto:bruno@example.com"]',
        },
        {
            content: "One click to chat on WhatsApp",
            trigger: '.o_field_widget[name=collection_advisor_whatsapp_url] a[href^="https://wa.me/56961234511?text="]',
        },
    ],
});

registry.category("web_tour.tours").add("collections_workflow_worklist_tour", {
    url: "/odoo",
    steps: () => [
        ...openWorklist(),
        {
            content: "Today's work, most urgent first: my customer, due for a reminder",
            trigger: ".o_list_view .o_data_row:only-child:contains(Comercial Andes SpA)",
        },
        {
            content: "Plan a call",
            trigger: ".o_data_row button[name=action_schedule_call]",
            run: "click",
        },
        {
            content: "The call is planned",
            trigger: ".o_notification:contains(Call planned for today)",
        },
        {
            content: "Plan it again by mistake",
            trigger: ".o_data_row button[name=action_schedule_call]",
            run: "click",
        },
        {
            content: "Told it is planned already, not planned twice",
            trigger: ".o_notification:contains(is already planned for you)",
        },
        {
            content: "Open the customer",
            trigger: ".o_data_row button[name=action_open_customer]",
            run: "click",
        },
        {
            content: "The customer's form",
            trigger: ".o_form_view .o_field_widget[name=name]:contains(Comercial Andes SpA), .o_form_view .o_field_widget[name=name] input",
        },
    ],
});

registry.category("web_tour.tours").add("collections_workflow_promise_tour", {
    url: "/odoo",
    steps: () => [
        ...openWorklist(),
        {
            content: "The customer called back: record its promise",
            trigger: ".o_data_row:contains(Comercial Andes SpA) button[name=action_record_promise]",
            run: "click",
        },
        {
            content: "The amount due is filled in",
            trigger: ".modal .o_field_widget[name=amount] input",
        },
        {
            content: "The promised date",
            trigger: ".modal .o_field_widget[name=promise_date] input",
            run: "edit 12/31/2026",
        },
        {
            content: "What the customer said",
            trigger: ".modal .o_field_widget[name=note] textarea",
            run: "edit Paga a fin de mes",
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
        ...openCollectionsMenu(),
        {
            content: "Open the overview",
            trigger: '.dropdown-item[data-menu-xmlid="collections_workflow.collection_dashboard_menu"]',
            run: "click",
        },
        {
            content: "The overview opens on my customers",
            trigger: ".o_form_view .o_field_widget[name=scope]:contains(Your customers)",
        },
    ],
});

registry.category("web_tour.tours").add("collections_workflow_invoice_action_tour", {
    steps: () => [
        {
            content: "Open the invoice's Collections tab",
            trigger: ".o_notebook .nav-link:contains(Collections)",
            run: "click",
        },
        {
            content: "Open the collections actions",
            trigger: ".o_notebook button:contains(Collections Action)",
            run: "click",
        },
        {
            content: "The dialog names the invoice and its customer",
            trigger: ".modal .o_field_widget[name=partner_ids] .o_tag:contains(Comercial Andes SpA)",
        },
        {
            content: "Pause the reminders",
            trigger: ".modal .o_field_widget[name=action] label:contains(Pause Until a Date)",
            run: "click",
        },
        {
            content: "Until when",
            trigger: ".modal .o_field_widget[name=pause_until] input",
            run: "edit 12/20/2026",
        },
        {
            content: "Why",
            trigger: ".modal .o_field_widget[name=reason] textarea",
            run: "edit Cliente de viaje",
        },
        {
            content: "Apply",
            trigger: ".modal button[name=action_apply]",
            run: "click",
        },
        {
            content: "The dialog closes",
            trigger: "body:not(:has(.modal))",
        },
    ],
});

registry.category("web_tour.tours").add("collections_workflow_worklist_action_tour", {
    url: "/odoo",
    steps: () => [
        ...openWorklist(),
        {
            content: "Select the customer",
            trigger: ".o_data_row:contains(Comercial Andes SpA) .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Open the Actions menu",
            trigger: ".o_control_panel .o_cp_action_menus .dropdown-toggle",
            run: "click",
        },
        {
            content: "Collections Action",
            trigger: ".o-dropdown--menu .dropdown-item:contains(Collections Action)",
            run: "click",
        },
        {
            content: "The dialog names the customer",
            trigger: ".modal .o_field_widget[name=partner_ids] .o_tag:contains(Comercial Andes SpA)",
        },
        {
            content: "Why send now",
            trigger: ".modal .o_field_widget[name=reason] textarea",
            run: "edit Lo pidió el cliente",
        },
        {
            content: "Apply: send the current level now",
            trigger: ".modal button[name=action_apply]",
            run: "click",
        },
        {
            content: "The step just taken is shown",
            trigger: ".o_list_view .o_data_row:contains(Comercial Andes SpA):contains(Done)",
        },
        {
            content: "Open it",
            trigger: ".o_list_view .o_data_row:contains(Done) .o_data_cell[name=partner_id]",
            run: "click",
        },
        {
            content: "The event's form: what was sent, to whom",
            trigger: ".o_form_view .o_field_widget[name=partner_id]:contains(Comercial Andes SpA)",
        },
        {
            content: "Its state",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Done)",
        },
    ],
});

registry.category("web_tour.tours").add("collections_workflow_go_live_tour", {
    url: "/odoo",
    steps: () => [
        ...openCollectionsMenu(),
        {
            content: "Open Today's Collections",
            trigger: '.dropdown-item[data-menu-xmlid="collections_workflow.collection_run_preview_menu"]',
            run: "click",
        },
        {
            content: "It opens in Spanish, filled with the day's plan",
            trigger: ".modal .modal-title:contains(Cobranza de hoy)",
        },
        {
            content: "The late customer starts at the first reminder",
            trigger: ".modal .o_data_row:contains(Comercial Andes SpA):contains(First overdue reminder)",
        },
        {
            content: "The go-live choice, with what each does today",
            trigger: ".modal .o_field_widget[name=go_live_summary]:contains(1 derivaciones)",
        },
        {
            content: "Catch up instead",
            trigger: ".modal .o_field_widget[name=go_live] input[data-value=catch_up]",
            run: "click",
        },
        {
            content: "Switch the automatic run on",
            trigger: ".modal button[name=action_switch_on]",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal .modal-footer button.btn-primary:not([name])",
            run: "click",
        },
        {
            content: "It says the automatic run is on",
            trigger: ".modal .alert-success",
        },
    ],
});
