import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

/** From the home screen to the Invoicing > Collections menu, opened. */
function openCollectionsMenu() {
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
        ...openCollectionsMenu(),
        {
            content: "Open the worklist",
            trigger: '.dropdown-item[data-menu-xmlid="collections_workflow.collection_worklist_menu"]',
            run: "click",
        },
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
        ...openCollectionsMenu(),
        {
            content: "Open the worklist",
            trigger: '.dropdown-item[data-menu-xmlid="collections_workflow.collection_worklist_menu"]',
            run: "click",
        },
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
