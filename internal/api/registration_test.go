package api

import (
	"context"
	"net/http"
	"slices"
	"sync"
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/campaign"
	"github.com/twofold-id/twofold/internal/httpx"
)

// fakeCampaign asks for reset methods until snoozed, counting snoozes as the
// use case does: one per running snooze.
type fakeCampaign struct {
	mu      sync.Mutex
	due     bool
	days    int
	left    int
	snoozes int
}

func (f *fakeCampaign) status() *campaign.Status {
	st := &campaign.Status{Required: []string{campaign.ResetMethods}, ResetMissing: 1,
		CanAdd: []twofold.MethodKind{twofold.KindPhone, twofold.KindFido2}, Due: f.due, SnoozeDays: f.days, SnoozesLeft: f.left}
	if !f.due {
		st.SnoozedUntil = t0.Add(24 * 3600e9)
	}
	return st
}

func (f *fakeCampaign) Status(context.Context, *twofold.Principal) (*campaign.Status, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.status(), nil
}

func (f *fakeCampaign) Snooze(context.Context, *twofold.Principal) (*campaign.Status, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case !f.due:
		return f.status(), nil
	case f.left == 0:
		return nil, campaign.ErrSnoozesUsed
	}
	f.due, f.left, f.snoozes = false, f.left-1, f.snoozes+1
	return f.status(), nil
}

func newCampaignEnv(t *testing.T, fc *fakeCampaign) *env {
	e := newEnv(t)
	e.h = httpx.RequestContext(nil, New(Deps{Signin: e.signin, Sessions: e.sess, SecurityInfo: e.secinfo, Campaign: fc}))
	return e
}

func TestRegistrationCampaignAPI(t *testing.T) {
	fc := &fakeCampaign{due: true, days: 1, left: 3}
	e := newCampaignEnv(t, fc)

	r := e.do("GET", "/api/v1/me/registration", "", goodToken)
	r.want(t, http.StatusOK)
	o := r.object(t)
	wantKeys(t, "registration", o, "registrationRequired", "registrationSnoozed", "resetMethodsMissing", "methodTypes",
		"snoozeDays", "snoozesLeft", "canSnooze")
	if req, _ := o["registrationRequired"].([]any); len(req) != 1 || req[0] != "resetMethods" || o["canSnooze"] != true ||
		o["snoozesLeft"] != float64(3) || !slices.Equal(anyStrings(o["methodTypes"]), []string{"phone", "fido2"}) {
		t.Errorf("registration = %v", o)
	}

	r = e.do("POST", "/api/v1/me/registration/snooze", "", goodToken)
	r.want(t, http.StatusOK)
	o = r.object(t)
	if len(anyStrings(o["registrationRequired"])) != 0 || !slices.Equal(anyStrings(o["registrationSnoozed"]), []string{"resetMethods"}) ||
		o["snoozesLeft"] != float64(2) || o["snoozedUntilDateTime"] != "2026-03-02T09:30:00Z" || o["canSnooze"] != false {
		t.Errorf("after snooze = %v", o)
	}
	// Again while it runs: answered as it stands, not counted.
	e.do("POST", "/api/v1/me/registration/snooze", "", goodToken).want(t, http.StatusOK)
	if fc.snoozes != 1 {
		t.Errorf("%d snoozes, want 1", fc.snoozes)
	}

	fc.due, fc.left = true, 0
	msg, _ := e.do("POST", "/api/v1/me/registration/snooze", "", goodToken).apiError(t, http.StatusForbidden, twofold.EFORBIDDEN)
	if msg != campaign.ErrSnoozesUsed.Message {
		t.Errorf("message %q", msg)
	}
	e.do("GET", "/api/v1/me/registration", "", "").apiError(t, http.StatusUnauthorized, twofold.EUNAUTHORIZED)
	e.do("POST", "/api/v1/me/registration/snooze", "", "").apiError(t, http.StatusUnauthorized, twofold.EUNAUTHORIZED)
}

func TestSignedInAnswerSaysWhatRegistrationIsRequired(t *testing.T) {
	fc := &fakeCampaign{due: true, days: 1, left: 3}
	e := newCampaignEnv(t, fc)
	res := signedIn()
	res.User, res.Org = &twofold.User{ID: "u1", Username: "ada@contoso.com"}, &twofold.Organization{ID: "o1", Policy: twofold.DefaultPolicy()}
	e.signin.result = res
	o := e.do("POST", "/api/v1/signin", `{"username":"ada@contoso.com","password":"pw"}`, "").object(t)
	if !slices.Equal(anyStrings(o["registrationRequired"]), []string{"resetMethods"}) {
		t.Errorf("signed in = %v", o)
	}
	fc.due = false
	o = e.do("POST", "/api/v1/signin", `{"username":"ada@contoso.com","password":"pw"}`, "").object(t)
	if _, ok := o["registrationRequired"]; ok {
		t.Errorf("registrationRequired present with nothing asked: %v", o)
	}
}

func TestRegistrationWithoutCampaignIsNotFound(t *testing.T) {
	e := newEnv(t)
	e.do("GET", "/api/v1/me/registration", "", goodToken).apiError(t, http.StatusNotFound, twofold.ENOTFOUND)
}

func anyStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}
