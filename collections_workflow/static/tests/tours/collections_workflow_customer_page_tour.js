import { registry } from "@web/core/registry";

/*
 * The customer's collections page, as a customer clicks it: from a message's link (a
 * public visitor) or at /my/collections (a portal user). The customer has three open
 * invoices: it downloads its statement, promises the first within the strategy's limits
 * and the second beyond them, and asks for a payment plan for the third. Steps use
 * selectors, not labels, so that they run the same in Spanish and in English.
 */

function isoDate(days) {
    const date = new Date();
    date.setDate(date.getDate() + days);
    return date.toISOString().slice(0, 10);
}

/** Tick only the ``index``-th invoice of the list (by due date). */
function tickOnly(index) {
    return {
        content: `Select invoice ${index + 1} only`,
        trigger: ".o_collection_page_form input[name=invoice_ids]",
        run() {
            document.querySelectorAll("input[name=invoice_ids]").forEach((box, position) => {
                box.checked = position === index;
            });
        },
    };
}

/** Write ``days`` from today in a date input (as its calendar would). */
function pickDate(selector, days, content) {
    return {
        content,
        trigger: selector,
        run() {
            this.anchor.value = isoDate(days);
            this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
        },
    };
}

function doneReads(code) {
    return {
        content: `The page confirms: ${code}`,
        trigger: `.o_collection_page_done[data-done="${code}"]`,
    };
}

registry.category("web_tour.tours").add("collections_workflow_customer_page_tour", {
    steps: () => [
        {
            content: "The page lists the customer's three open invoices",
            trigger: ".o_collection_page_form input[name=invoice_ids]",
            run() {
                const count = document.querySelectorAll("input[name=invoice_ids]").length;
                if (count !== 3) {
                    throw new Error(`The page lists ${count} invoices, not 3`);
                }
            },
        },
        {
            content: "The advisor can be reached in one click",
            trigger: ".o_collection_page_advisor a[href^='tel:']",
        },
        {
            content: "The statement downloads",
            trigger: "a.o_collection_page_statement",
            async run() {
                const response = await fetch(this.anchor.href);
                if (!response.ok) {
                    throw new Error(`The statement answered ${response.status}`);
                }
            },
        },
        tickOnly(0),
        {
            content: "Open the promise form",
            trigger: ".o_collection_page_promise summary",
            run: "click",
        },
        pickDate("#o_collection_promise_date", 5, "A date within the strategy's days"),
        {
            content: "The whole amount",
            trigger: "#o_collection_promise_amount",
            run: "edit 1000",
        },
        {
            content: "Send the promise",
            trigger: ".o_collection_page_promise_send",
            run: "click",
            expectUnloadPage: true,
        },
        doneReads("promise"),
        tickOnly(1),
        {
            content: "Open the promise form again",
            trigger: ".o_collection_page_promise summary",
            run: "click",
        },
        pickDate("#o_collection_promise_date", 60, "A date beyond the strategy's days"),
        {
            content: "The whole amount",
            trigger: "#o_collection_promise_amount",
            run: "edit 2000",
        },
        {
            content: "Send the promise beyond the limits",
            trigger: ".o_collection_page_promise_send",
            run: "click",
            expectUnloadPage: true,
        },
        doneReads("promise_request"),
        tickOnly(2),
        {
            content: "Open the payment plan form",
            trigger: ".o_collection_page_plan summary",
            run: "click",
        },
        {
            content: "Three monthly instalments",
            trigger: "#o_collection_plan_count",
            run: "edit 3",
        },
        pickDate("#o_collection_plan_first", 7, "The first one next week"),
        {
            content: "Ask for the plan",
            trigger: ".o_collection_page_plan_send",
            run: "click",
            expectUnloadPage: true,
        },
        doneReads("plan"),
        {
            content: "The page shows the promises and the plan, one waiting for the advisor",
            trigger: ".o_collection_page_holds .badge.text-bg-warning",
        },
    ],
});
