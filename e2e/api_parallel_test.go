package e2e

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
)

func TestAPIParallelCodeSubmissions(t *testing.T) {
	t.Parallel() // with the other API tests, not with TestAPINoEnumeration, which measures time
	forEachStore(t, func(t *testing.T, postgres bool) {
		s := startServer(t, serverOptions{Postgres: postgres})
		seedOrg(t, s)
		alex := seedMember(t, s, "alex", "Alex Wilber")
		c := newAPIClient(t, s)
		c.registerByInterrupt(t, alex, "")
		flow := c.signIn(t, alex)
		if flow.Status != "mfa_required" {
			t.Fatalf("sign-in: %+v", flow)
		}
		auditBefore := len(auditLog(t, s))
		code := aheadCode(t, alex.app) // a step the activation did not use

		const n = 50
		results := c.simultaneous(t, n, "POST", "/signin/"+flow.FlowID+"/verify", map[string]string{"code": code})

		var tokens []string
		tally := map[string]int{}
		for _, r := range results {
			switch r.Status {
			case http.StatusOK:
				var a signInAnswer
				r.decode(t, &a)
				tally["200 signed_in"]++
				tokens = append(tokens, a.SessionToken)
			case http.StatusBadRequest:
				e := r.apiErr(t, http.StatusBadRequest, "invalid_request", "code")
				if !strings.Contains(e.Error.Message, "already been used") {
					t.Errorf("a loser was told %q, want that the code was already used", e.Error.Message)
				}
				tally["400 already used"]++
			case http.StatusConflict:
				// Sent while the flow's five checks were all in flight: refused
				// unchecked, so a burst cannot get more codes checked.
				e := r.apiErr(t, http.StatusConflict, "conflict", "")
				if !strings.Contains(e.Error.Message, "being checked") {
					t.Errorf("a loser was told %q, want that other codes are being checked", e.Error.Message)
				}
				tally["409 checks busy"]++
			case http.StatusGone:
				// The winner has finished the flow; a loser that loads it
				// afterwards finds it gone, as the contract says for a
				// finished flow.
				r.apiErr(t, http.StatusGone, "expired", "")
				tally["410 flow finished"]++
			default:
				t.Errorf("unexpected answer: %s", r)
				tally[strconv.Itoa(r.Status)]++
			}
		}
		t.Logf("50 identical submissions: %v", tally)
		if len(tokens) != 1 {
			t.Fatalf("%d of %d identical submissions signed in, want exactly 1", len(tokens), n)
		}
		c.do("GET", "/me", nil, bearerToken(tokens[0])).want(t, http.StatusOK)
		var sessions sessionList
		c.do("GET", "/me/sessions", nil, bearerToken(tokens[0])).want(t, http.StatusOK).decode(t, &sessions)
		if len(sessions.Value) != 2 {
			t.Errorf("%d sessions, want 2 (the interrupt's and the one winner)", len(sessions.Value))
		}
		wins := 0
		for _, e := range newerThan(auditLog(t, s), auditBefore) {
			if e.Activity == "Sign-in" && e.Result == "success" {
				wins++
			}
		}
		if wins != 1 {
			t.Errorf("the audit log records %d successful sign-ins from the burst, want 1", wins)
		}
		// The flow is finished; the code stays used.
		c.do("GET", "/signin/"+flow.FlowID, nil).apiErr(t, http.StatusGone, "expired", "")
		again := c.signIn(t, alex)
		e := c.do("POST", "/signin/"+again.FlowID+"/verify", map[string]string{"code": code}).apiErr(t, http.StatusBadRequest, "invalid_request", "code")
		if !strings.Contains(e.Error.Message, "already been used") {
			t.Errorf("the code on a new flow: %q, want already used", e.Error.Message)
		}
	})
}

// TestAPIHeaders checks the headers of every kind of API answer, the
// cross-site refusal and the health checks.
