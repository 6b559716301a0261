def test_a_template_naming_both_passes(identification):
    source = "<p>{{ object.company_id.name }}: <t t-out='object.collection_advisor_id.name'/></p>"
    assert identification.missing_identification(source) == []
    assert (
        identification.missing_identification(
            "{{ user.company_id.name }} {{ object.collection_advisor_phone }}"
        )
        == []
    )


def test_what_is_missing_is_named(identification):
    assert identification.missing_identification("<p>Please pay.</p>") == ["company", "advisor"]
    assert identification.missing_identification("{{ object.company_id.name }}") == ["advisor"]
    assert identification.missing_identification(
        "<t t-out='object.collection_advisor_id.name'/>"
    ) == ["company"]
    assert identification.missing_identification(None) == ["company", "advisor"]
    assert identification.missing_identification("{{ object.companyname }}") == [
        "company",
        "advisor",
    ]


def test_names_in_an_html_comment_do_not_count(identification):
    hidden = "<p>Please pay.</p><!-- {{ object.company_id.name }} object.collection_advisor_id -->"
    assert identification.missing_identification(hidden) == ["company", "advisor"]
    unclosed = "<p>Pay.</p><!-- object.company_id.name object.collection_advisor_id.name"
    assert identification.missing_identification(unclosed) == ["company", "advisor"]
    shown = "<!-- note --><p>{{ object.company_id.name }} object.collection_advisor_id.name</p>"
    assert identification.missing_identification(shown) == []
