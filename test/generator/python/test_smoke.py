"""Smoke test of the Python client that `npm run generate:sdk -- python` makes, against the
emulator over HTTP. Run by test/generator/python-sdk.test.ts, which generates the package
(as pc_referrals), installs it into a virtual environment and passes PCR_API_URL."""

import json
import os
from datetime import datetime

import pytest

import pc_referrals
from pc_referrals.exceptions import ApiException

API_URL = os.environ["PCR_API_URL"]
TOKEN = "python-smoke-token"


@pytest.fixture()
def client():
    config = pc_referrals.Configuration(host=API_URL, access_token=TOKEN)
    with pc_referrals.ApiClient(config) as api_client:
        yield api_client


def new_referral(name):
    return pc_referrals.ReferralCreate.from_dict({
        "name": f"{name} opportunity",
        "type": "Independent",
        "qualification": "SalesQualified",
        "customerProfile": {"name": name, "address": {"country": "US"}},
        "consent": {"consentToContact": True, "consentToToShareInfoWithOthers": True, "consentToShareReferralWithMicrosoftSellers": True},
        "details": {"notes": "Needs a CRM sync", "dealValue": 1000, "currency": "USD"},
    })


def test_lists_two_pages_following_the_next_link(client):
    api = pc_referrals.ReferralsApi(client)
    first = api.get_all_referrals(top=2, count=True, orderby="createdDateTime asc")
    assert len(first.value) == 2
    assert first.odata_count >= 4
    assert first.odata_next_link
    # The client has no call for an opaque next link: send it through the ApiClient by hand.
    raw = client.call_api("GET", first.odata_next_link, header_params={"Authorization": f"Bearer {TOKEN}", "Accept": "application/json"})
    raw.read()
    second = client.response_deserialize(raw, {"200": "ReferralList"}).data
    assert len(second.value) == 2
    assert not {r.id for r in first.value} & {r.id for r in second.value}
    created = [r.created_date_time for r in first.value + second.value]
    assert all(isinstance(c, datetime) for c in created)
    assert created == sorted(created)


def test_creates_gets_and_patches_with_if_match(client):
    api = pc_referrals.ReferralsApi(client)
    created = api.create_referral(new_referral("Contoso"), ms_request_id="3b2f0c1e-6d4a-4f8b-9c2e-1a3b5c7d9e0f")
    assert created.id
    assert created.status == "New"

    got = api.get_referral_by_id(created.id)
    assert got.e_tag == created.e_tag
    assert got.customer_profile.name == "Contoso"

    op = pc_referrals.PatchOperation(op="replace", path="/details/notes", value="Call back Monday")
    patched = api.patch_referral_by_id(created.id, [op], if_match=got.e_tag, prefer="return=representation")
    assert patched.details.notes == "Call back Monday"
    assert patched.e_tag != got.e_tag


def test_a_stale_if_match_is_an_exception_carrying_the_error_body(client):
    api = pc_referrals.ReferralsApi(client)
    created = api.create_referral(new_referral("Fabrikam"))
    op = pc_referrals.PatchOperation(op="replace", path="/details/notes", value="x")
    with pytest.raises(ApiException) as caught:
        api.patch_referral_by_id(created.id, [op], if_match='"stale"')
    err = caught.value
    assert err.status == 412
    body = json.loads(err.body)
    assert body["code"] == "PreconditionFailed"
    assert body["source"] == "PartnerReferrals"
    # The spec declares 412 with the Error schema, so the client also parsed it.
    assert isinstance(err.data, pc_referrals.Error)
    assert err.data.code == "PreconditionFailed"


def test_registers_and_updates_a_deal_with_patch_referral_by_id(client):
    """Deal registration on the endpoint Partner Center serves: the client has no other call for it."""
    assert not hasattr(pc_referrals, "DealRegistrationsApi")
    assert not hasattr(pc_referrals, "TriggersApi")
    api = pc_referrals.ReferralsApi(client)
    created = api.create_referral(new_referral("Tailspin"))
    add = pc_referrals.PatchOperation(op="add", path="/registrations/-", value={
        "type": "AzureIPCoSell",
        "contract": {"value": 50000, "currency": "USD", "term": "Perpetual"},
    })
    registered = api.patch_referral_by_id(created.id, [add], prefer="return=representation")
    assert len(registered.registrations) == 1
    assert registered.registrations[0].status == "ReviewPending"
    assert registered.registration_status == "ReviewPending"

    change = pc_referrals.PatchOperation(op="replace", path="/registrations/0/contract/value", value=75000)
    updated = api.patch_referral_by_id(created.id, [change], if_match=registered.e_tag, prefer="return=representation")
    assert updated.registrations[0].contract.value == 75000
