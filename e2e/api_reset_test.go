package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twofold-id/twofold/internal/testkit"
)

// Self-service password reset through the JSON API on the real binary:
// starting answers alike for every name, the method step reads the same for
// unknown and ineligible names, the proof of work is refused when missing or
// reused, an app code proves the step once under 50 parallel submissions,
// and the new password signs every session out without signing anyone in,
// the second factor still asked at the next sign-in.

// resetAttempt is the API's reset attempt.
type resetAttempt struct {
	State           string `json:"state"`
	Eligible        bool   `json:"eligible"`
	Message         string `json:"message"`
	MethodsRequired int    `json:"methodsRequired"`
	MethodsProven   int    `json:"methodsProven"`
	Options         []struct {
		Choice      string `json:"choice"`
		Proof       string `json:"proof"`
		Label       string `json:"label"`
		Masked      string `json:"masked"`
		NeedsTarget bool   `json:"needsTarget"`
	} `json:"options"`
	Step              json.RawMessage `json:"step"`
	MinPasswordLength int             `json:"minPasswordLength"`
	ExpiresDateTime   string          `json:"expiresDateTime"`
}

// solvedPoW fetches a reset challenge and solves it as a browser would.
func solvedPoW(t *testing.T, c *apiClient) string {
	t.Helper()
	r := c.do("GET", "/reset/challenge", nil).want(t, http.StatusOK)
	return testkit.SolvePoW(t, r.Body)
}

// startReset starts a reset for username and returns the raw answer.
func startReset(t *testing.T, c *apiClient, username string) *apiResp {
	t.Helper()
	pow := solvedPoW(t, c)
	return c.do("POST", "/reset", map[string]string{"username": username, "proofOfWork": pow})
}

func attemptID(t *testing.T, r *apiResp) string {
	t.Helper()
	var a struct {
		AttemptID string `json:"attemptId"`
	}
	r.want(t, http.StatusOK).decode(t, &a)
	if a.AttemptID == "" {
		t.Fatalf("%s: no attemptId", r)
	}
	return a.AttemptID
}

// shape is an answer with its variable values (IDs, times) left out.
func shape(t *testing.T, r *apiResp, drop ...string) string {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(r.Body, &v); err != nil {
		t.Fatalf("%s: %v", r, err)
	}
	for _, k := range drop {
		if _, ok := v[k]; ok {
			v[k] = "…"
		}
	}
	b, _ := json.Marshal(v)
	return fmt.Sprintf("%d %s %s", r.Status, r.Header.Get("Content-Type"), b)
}

func TestAPIReset(t *testing.T) {
	forEachStore(t, func(t *testing.T, postgres bool) {
		s := startServer(t, serverOptions{Postgres: postgres, Env: []string{"TWOFOLD_TRUSTED_PROXIES=127.0.0.1,::1,10.0.0.0/8"}})
		seedOrg(t, s)
		cli(t, s, "", "policy", "set", "--org", apiOrg.Domain, "--helpdesk-contact", "helpdesk@contoso.test")
		alex := seedMember(t, s, "alex", "Alex Wilber")
		lee := seedMember(t, s, "lee", "Lee Gu") // no methods: can't reset
		base := newAPIClient(t, s)
		ipN := 0
		nextIP := func() *apiClient {
			ipN++
			return base.withIP(fmt.Sprintf("10.%d.%d.%d", 30+ipN/65536, ipN/256%256, ipN%256))
		}
		base.registerByInterrupt(t, alex, "")

		// 1. The same answer for an eligible member, an ineligible one and names
		// that are nobody's.
		starts := map[string]*apiResp{
			"eligible":       startReset(t, nextIP(), alex.Username),
			"ineligible":     startReset(t, nextIP(), lee.Username),
			"unknown":        startReset(t, nextIP(), "nobody@contoso.test"),
			"unknown domain": startReset(t, nextIP(), "nobody@fabrikam.test"),
		}
		ref := shape(t, starts["unknown"], "attemptId")
		for what, r := range starts {
			if got := shape(t, r, "attemptId"); got != ref {
				t.Errorf("starting a reset for the %s name is told apart:\n  unknown: %s\n  %s: %s", what, ref, what, got)
			}
		}
		steps := map[string]*apiResp{}
		for what, r := range starts {
			steps[what] = nextIP().do("GET", "/reset/"+attemptID(t, r), nil)
		}
		if a, b := shape(t, steps["ineligible"], "expiresDateTime"), shape(t, steps["unknown"], "expiresDateTime"); a != b {
			t.Errorf("the method step tells an ineligible member from an unknown name:\n  %s\n  %s", a, b)
		}
		var refused, eligible resetAttempt
		steps["unknown"].want(t, http.StatusOK).decode(t, &refused)
		if refused.Eligible || refused.Message != "You can't reset your password here. Contact your administrator: helpdesk@contoso.test" {
			t.Errorf("unknown name's method step: %+v", refused)
		}
		steps["eligible"].want(t, http.StatusOK).decode(t, &eligible)
		if !eligible.Eligible || eligible.MethodsRequired != 1 || len(eligible.Options) != 1 || eligible.Options[0].Proof != "appCode" {
			t.Fatalf("eligible method step: %+v", eligible)
		}

		// 2. The proof of work: missing, wrong and reused are refused.
		nextIP().do("POST", "/reset", map[string]string{"username": alex.Username}).apiErr(t, http.StatusBadRequest, "invalid_request", "proofOfWork")
		nextIP().do("POST", "/reset", map[string]string{"username": alex.Username, "proofOfWork": "bm90IGEgc29sdXRpb24="}).
			apiErr(t, http.StatusBadRequest, "invalid_request", "proofOfWork")
		pow := solvedPoW(t, base)
		nextIP().do("POST", "/reset", map[string]string{"username": "nobody@contoso.test", "proofOfWork": pow}).want(t, http.StatusOK)
		nextIP().do("POST", "/reset", map[string]string{"username": "nobody@contoso.test", "proofOfWork": pow}).
			apiErr(t, http.StatusBadRequest, "invalid_request", "proofOfWork")

		// 3. Alex resets with the app; the code proves the step once under 50
		// parallel submissions.
		id := attemptID(t, starts["eligible"])
		c := nextIP()
		c.do("POST", "/reset/"+id+"/step", map[string]string{"choice": eligible.Options[0].Choice}).want(t, http.StatusOK)
		code := aheadCode(t, alex.app)
		var won atomic.Int32
		var wg sync.WaitGroup
		for range 50 {
			wg.Go(func() {
				r, err := c.try("POST", "/reset/"+id+"/verify", map[string]string{"verificationCode": code})
				if err == nil && r.Status == http.StatusOK {
					won.Add(1)
				}
			})
		}
		wg.Wait()
		if won.Load() != 1 {
			t.Fatalf("%d of 50 identical codes proved the step, want 1", won.Load())
		}
		var after resetAttempt
		c.do("GET", "/reset/"+id, nil).want(t, http.StatusOK).decode(t, &after)
		if after.State != "verified" || after.MethodsProven != 1 {
			t.Fatalf("after the code: %+v", after)
		}
		c.do("POST", "/reset/"+id+"/password", map[string]string{"password": "Correct horse battery", "confirmPassword": "Correct horse batery"}).
			apiErr(t, http.StatusBadRequest, "invalid_request", "confirmPassword")
		c.do("POST", "/reset/"+id+"/password", map[string]string{"password": "password", "confirmPassword": "password"}).
			apiErr(t, http.StatusBadRequest, "invalid_request", "password")
		c.do("POST", "/reset/"+id+"/password", map[string]string{"password": "Copper kettle morning", "confirmPassword": "Copper kettle morning"}).
			want(t, http.StatusOK)
		c.do("POST", "/reset/"+id+"/password", map[string]string{"password": "Another fine phrase", "confirmPassword": "Another fine phrase"}).
			apiErr(t, http.StatusGone, "expired", "")

		// 4. Every session is gone, the old password too, and the second
		// factor is still asked.
		c.do("GET", "/me", nil, bearerToken(alex.token)).want(t, http.StatusUnauthorized)
		c.do("POST", "/signin", map[string]string{"username": alex.Username, "password": alex.Password}).want(t, http.StatusUnauthorized)
		alex.Password = "Copper kettle morning"
		if a := c.signIn(t, alex); a.Status != "mfa_required" || a.SessionToken != "" {
			t.Fatalf("sign-in after reset: %+v, want mfa_required", a)
		}
	})
}

// TestAPIResetTiming: starting a reset takes as long for a name that is
// nobody's as for a member's, over interleaved samples.
func TestAPIResetTiming(t *testing.T) {
	s := startServer(t, serverOptions{Env: []string{"TWOFOLD_TRUSTED_PROXIES=127.0.0.1,::1,10.0.0.0/8"}})
	seedOrg(t, s)
	var members []*apiMember
	for i := range 15 {
		members = append(members, seedMember(t, s, fmt.Sprintf("timed%02d", i), fmt.Sprintf("Timed Member %d", i)))
	}
	base := newAPIClient(t, s)
	ipN := 0
	nextIP := func() *apiClient {
		ipN++
		return base.withIP(fmt.Sprintf("10.%d.%d.%d", 40+ipN/65536, ipN/256%256, ipN%256))
	}
	timed := func(username string) time.Duration {
		c := nextIP()
		pow := solvedPoW(t, c)
		r := c.do("POST", "/reset", map[string]string{"username": username, "proofOfWork": pow})
		r.want(t, http.StatusOK)
		return r.Took
	}
	for i := range 5 {
		timed(fmt.Sprintf("warm%d@contoso.test", i))
	}
	// 4 per name, members and unknown names alike (under the per-name limit
	// of 5 an hour), so both sides count their names the same way.
	const samples = 60
	var unknown, known []time.Duration
	for i := range samples {
		u := func() { unknown = append(unknown, timed(fmt.Sprintf("nobody%02d@contoso.test", i%len(members)))) }
		k := func() { known = append(known, timed(members[i%len(members)].Username)) }
		if i%2 == 0 {
			u()
			k()
		} else {
			k()
			u()
		}
	}
	mu, mk := median(unknown), median(known)
	ratio := float64(mk) / float64(mu)
	t.Logf("reset start timing over %d each: median unknown %s, median member %s, ratio %.3f",
		samples, mu.Round(10*time.Microsecond), mk.Round(10*time.Microsecond), ratio)
	// Starting hashes nothing on any path, so a start takes a few
	// milliseconds of database work; one argon2id hash on one path would
	// double it or more. The bound leaves room for a shared machine's noise
	// at that scale (the same comparison in process differs by under 5%).
	if ratio > 1.5 || ratio < 1/1.5 {
		t.Errorf("starting a reset for a member and for nobody differ in timing: medians %s and %s (ratio %.3f)", mk, mu, ratio)
	}
}
