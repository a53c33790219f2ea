package api

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"github.com/twofold-id/twofold"
)

const policyPath = "/api/v1/policies/authenticationMethodsPolicy"

// TestAdminPolicyPatchMerges: the settings a PATCH names change, the others
// keep their value, and the answer is the whole new policy in the JSON the
// CLI prints.
func TestAdminPolicyPatchMerges(t *testing.T) {
	e := newAdminEnv(t)
	before := e.console.policy
	res := e.do("PATCH", policyPath, `{"lockoutThreshold":12,"phone":{"office":true}}`, allScopes)
	res.want(t, 200)
	var got twofold.Policy
	if err := json.Unmarshal(res.body, &got); err != nil {
		t.Fatal(err)
	}
	if got.LockoutThreshold != 12 || !got.Phone.Office || got.Phone.Text != before.Phone.Text ||
		got.MaxAuthenticatorApps != before.MaxAuthenticatorApps || !slices.Equal(got.EnabledMethods, before.EnabledMethods) {
		t.Errorf("merged policy = %+v", got)
	}
	if e.console.policy.LockoutThreshold != 12 {
		t.Errorf("SetPolicy saw %+v", e.console.policy)
	}
	res = e.do("GET", policyPath, "", allScopes)
	res.want(t, 200)
	if v := res.object(t); v["lockoutThreshold"] != float64(12) {
		t.Errorf("GET lockoutThreshold = %v", v["lockoutThreshold"])
	}
	e.do("PATCH", policyPath, `{"lockoutTreshold":12}`, allScopes).apiError(t, 400, twofold.EINVALID)
}

// TestAdminPolicyPatchShowsEveryProblem: an invalid policy is refused with
// every problem in details, and nothing is saved.
func TestAdminPolicyPatchShowsEveryProblem(t *testing.T) {
	e := newAdminEnv(t)
	res := e.do("PATCH", policyPath, `{"lockoutThreshold":0,"maxAuthenticatorApps":99,"minPasswordLength":2}`, allScopes)
	res.want(t, http.StatusBadRequest)
	var b struct {
		Error struct {
			Code    string
			Message string
			Details []struct{ Code, Message, Target string }
		}
	}
	if err := json.Unmarshal(res.body, &b); err != nil {
		t.Fatal(err)
	}
	var targets []string
	for _, d := range b.Error.Details {
		if d.Message == "" || d.Code != twofold.EINVALID {
			t.Errorf("detail %+v", d)
		}
		targets = append(targets, d.Target)
	}
	for _, want := range []string{"lockoutThreshold", "maxAuthenticatorApps", "minPasswordLength"} {
		if !slices.Contains(targets, want) {
			t.Errorf("details %v miss %s", targets, want)
		}
	}
	if b.Error.Code != twofold.EINVALID || b.Error.Message == "" {
		t.Errorf("error = %+v", b.Error)
	}
	if e.console.policy.LockoutThreshold == 0 {
		t.Error("the invalid policy was saved")
	}
}
