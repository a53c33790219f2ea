package e2e

import (
	"net/http"
	"slices"
	"sync"
	"testing"
)

// registration is the API's Registration answer.
type registration struct {
	RegistrationRequired []string `json:"registrationRequired"`
	RegistrationSnoozed  []string `json:"registrationSnoozed"`
	ResetMethodsMissing  int      `json:"resetMethodsMissing"`
	MethodTypes          []string `json:"methodTypes"`
	SnoozeDays           int      `json:"snoozeDays"`
	SnoozesLeft          int      `json:"snoozesLeft"`
	CanSnooze            bool     `json:"canSnooze"`
	SnoozedUntilDateTime string   `json:"snoozedUntilDateTime,omitempty"`
}

// TestAPIRegistrationCampaign is the campaign's JSON twin on the real binary,
// both databases: the signed-in answer says reset methods are required, 50
// parallel "Not now" take one snooze, the third is the last, and a member with
// enough methods is asked nothing.
func TestAPIRegistrationCampaign(t *testing.T) {
	forEachStore(t, func(t *testing.T, postgres bool) {
		// The policy changes halfway: no cache keeps the old one.
		s := startServer(t, serverOptions{Postgres: postgres, Env: []string{"TWOFOLD_POLICY_CACHE=0s"}})
		seedOrg(t, s)
		cli(t, s, "", "policy", "set", "--org", apiOrg.Domain, "--reset-methods-required", "2", "--snooze-days", "1")
		m := seedMember(t, s, "casey", "Casey Campaign")
		c := newAPIClient(t, s)
		c.registerByInterrupt(t, m, "")

		a := c.signIn(t, m)
		var done signInAnswer
		c.do("POST", "/signin/"+a.FlowID+"/verify", map[string]string{"code": aheadCode(t, m.app)}).want(t, http.StatusOK).decode(t, &done)
		if !slices.Equal(done.RegistrationRequired, []string{"resetMethods"}) {
			t.Fatalf("signed-in answer: %+v, want registrationRequired [resetMethods]", done)
		}
		tok := bearerToken(done.SessionToken)

		var r registration
		c.do("GET", "/me/registration", nil, tok).want(t, http.StatusOK).decode(t, &r)
		if !slices.Equal(r.RegistrationRequired, []string{"resetMethods"}) || r.ResetMethodsMissing != 1 || !r.CanSnooze ||
			r.SnoozesLeft != 3 || r.SnoozeDays != 1 || !slices.Contains(r.MethodTypes, "phone") {
			t.Fatalf("registration = %+v", r)
		}

		// 50 parallel Not now: one snooze.
		var wg sync.WaitGroup
		for range 50 {
			wg.Go(func() {
				c.do("POST", "/me/registration/snooze", nil, tok).want(t, http.StatusOK)
			})
		}
		wg.Wait()
		c.do("GET", "/me/registration", nil, tok).want(t, http.StatusOK).decode(t, &r)
		if len(r.RegistrationRequired) != 0 || !slices.Equal(r.RegistrationSnoozed, []string{"resetMethods"}) ||
			r.SnoozesLeft != 2 || r.SnoozedUntilDateTime == "" {
			t.Fatalf("after 50 parallel snoozes: %+v, want one taken", r)
		}

		for range 2 {
			endSnooze(t, s, m.Username)
			c.do("POST", "/me/registration/snooze", nil, tok).want(t, http.StatusOK).decode(t, &r)
		}
		if r.SnoozesLeft != 0 {
			t.Fatalf("after three snoozes: %+v", r)
		}
		endSnooze(t, s, m.Username)
		c.do("POST", "/me/registration/snooze", nil, tok).apiErr(t, http.StatusForbidden, "forbidden", "")
		c.do("GET", "/me/registration", nil, tok).want(t, http.StatusOK).decode(t, &r)
		if !slices.Equal(r.RegistrationRequired, []string{"resetMethods"}) || r.CanSnooze {
			t.Fatalf("forced: %+v", r)
		}

		// With reset needing one method, the app is enough: nothing is asked.
		cli(t, s, "", "policy", "set", "--org", apiOrg.Domain, "--reset-methods-required", "1")
		other := seedMember(t, s, "drew", "Drew Enough")
		c.registerByInterrupt(t, other, "")
		b := c.signIn(t, other)
		var enough signInAnswer
		c.do("POST", "/signin/"+b.FlowID+"/verify", map[string]string{"code": aheadCode(t, other.app)}).want(t, http.StatusOK).decode(t, &enough)
		if enough.Status != "signed_in" || len(enough.RegistrationRequired) != 0 {
			t.Errorf("a member with enough methods: %+v, want signed in with nothing required", enough)
		}
		c.do("POST", "/me/registration/snooze", nil, bearerToken(enough.SessionToken)).apiErr(t, http.StatusConflict, "conflict", "")
	})
}
