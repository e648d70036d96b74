"""What outreach holds about a registered person (the requests that became their case), and
how it is anonymised."""

from retorno.accounts.middleware import act_as
from retorno.cases.actions import register_returnee
from retorno.outreach import personal_data
from retorno.testing.audit import assert_audited


def test_a_converted_lead_is_in_the_persons_data_and_is_anonymised(personas, make_lead):
    ana = act_as(personas.ana)
    case = register_returnee(
        actor=ana, person={"given_names": "Rosa Elena", "first_surname": "Quispe"}
    )
    lead = make_lead()
    lead.case = case
    lead.status = "converted"
    lead.save()
    sections = personal_data.person_data(case.person)
    rows = dict(sections[0].rows)
    assert rows["Lead"] == lead.reference
    assert rows["Contact given"] == "+39 333 123 4567"
    assert personal_data.anonymise_person(case.person, actor=ana) == 1
    lead.refresh_from_db()
    assert (lead.given_names, lead.phone) == ("—", "")
    assert_audited("lead.anonymised", actor=ana, target=lead, person=case.person)
