// Smoke test of the Go client that `npm run generate:sdk -- go` makes, against the emulator over
// HTTP: list a page, get one referral, create one and register a deal on it with PATCH. Run by
// test/generator/go-sdk.test.ts, which generates the module, builds this program against it
// (a replace directive) and passes PCR_API_URL. Prints one line per step for the test to read.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	referrals "example.com/pcreferrals"
)

func check(step string, err error) {
	if err == nil {
		return
	}
	var apiErr *referrals.GenericOpenAPIError
	if errors.As(err, &apiErr) {
		fmt.Fprintf(os.Stderr, "%s: %v: %s\n", step, err, apiErr.Body())
	} else {
		fmt.Fprintf(os.Stderr, "%s: %v\n", step, err)
	}
	os.Exit(1)
}

const newReferral = `{
  "name": "Northwind opportunity",
  "type": "Independent",
  "qualification": "SalesQualified",
  "customerProfile": {"name": "Northwind Traders", "address": {"country": "US"}},
  "consent": {"consentToContact": true, "consentToToShareInfoWithOthers": true, "consentToShareReferralWithMicrosoftSellers": true},
  "details": {"notes": "Needs a CRM sync", "dealValue": 1000, "currency": "USD"}
}`

func main() {
	cfg := referrals.NewConfiguration()
	cfg.Servers = referrals.ServerConfigurations{{URL: os.Getenv("PCR_API_URL")}}
	cfg.AddDefaultHeader("Authorization", "Bearer go-smoke-token")
	api := referrals.NewAPIClient(cfg).ReferralsAPI
	ctx := context.Background()

	page, _, err := api.GetAllReferrals(ctx).Top(2).Count(true).Orderby("createdDateTime asc").Execute()
	check("list", err)
	fmt.Printf("list: %d of %d, next link %t\n", len(page.Value), page.GetOdataCount(), page.GetOdataNextLink() != "")

	got, _, err := api.GetReferralById(ctx, page.Value[0].GetId()).Execute()
	check("get", err)
	fmt.Printf("get: %s %s\n", got.GetId(), got.GetStatus())

	var body referrals.ReferralCreate
	check("create body", json.Unmarshal([]byte(newReferral), &body))
	created, _, err := api.CreateReferral(ctx).Body(body).Execute()
	check("create", err)
	fmt.Printf("create: %s %s/%s\n", created.GetId(), created.GetStatus(), created.GetSubstatus())

	registration := map[string]interface{}{"type": "AzureIPCoSell", "contract": map[string]interface{}{"value": 50000, "currency": "USD", "term": "Perpetual"}}
	add := referrals.NewPatchOperation("add", "/registrations/-", registration)
	registered, _, err := api.PatchReferralById(ctx, created.GetId()).Body([]referrals.PatchOperation{*add}).IfMatch(created.GetETag()).Prefer("return=representation").Execute()
	check("register a deal", err)
	fmt.Printf("register a deal: %d registration, %s\n", len(registered.Registrations), registered.Registrations[0].GetStatus())
}
