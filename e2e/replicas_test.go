package e2e

import (
	"net/http"
	"os"
	"sync"
	"testing"
)

// TestReplicasShareEverything runs two replicas on one PostgreSQL database, as
// production does, and checks that nothing a member does depends on which
// replica answers: a sign-in started on one finishes on the other, a session
// from one works on the other and is ended from it, one-time codes stay
// single-use and the lockout holds across both.
func TestReplicasShareEverything(t *testing.T) {
	if os.Getenv("TWOFOLD_TEST_POSTGRES") == "" {
		t.Skip("set TWOFOLD_TEST_POSTGRES=postgres://… to run two replicas on PostgreSQL")
	}
	t.Parallel() // with the other API tests, not with TestAPINoEnumeration, which measures time
	a := startServer(t, serverOptions{Postgres: true})
	b := startServer(t, serverOptions{ReplicaOf: a})
	seedOrg(t, a)
	alex := seedMember(t, a, "alex", "Alex Wilber")
	lee := seedMember(t, b, "lee", "Lee Gu")
	ca, cb := newAPIClient(t, a), newAPIClient(t, b)

	// The interrupt: password on A, setup on B, activation on A.
	flow := ca.signIn(t, alex)
	if flow.Status != "registration_required" {
		t.Fatalf("first sign-in: %+v", flow)
	}
	var setup oathSetup
	cb.do("POST", "/signin/"+flow.FlowID+"/softwareOathMethods", nil).want(t, http.StatusCreated).decode(t, &setup)
	checkSetup(t, setup, alex)
	alex.app = &authApp{secret: setup.SecretKey}
	var done signInAnswer
	ca.do("POST", "/signin/"+flow.FlowID+"/softwareOathMethods/"+setup.ID+"/activate",
		map[string]string{"verificationCode": alex.app.code(t)}).want(t, http.StatusOK).decode(t, &done)
	if done.SessionToken == "" {
		t.Fatalf("activation on the other replica: %+v", done)
	}

	// A session issued by A works on B.
	cb.do("GET", "/me", nil, bearerToken(done.SessionToken)).want(t, http.StatusOK)

	// The same right code sent to both replicas at once signs in exactly once.
	flow = ca.signIn(t, alex)
	code := aheadCode(t, alex.app)
	var mu sync.Mutex
	var wg sync.WaitGroup
	wins := 0
	for i := range 20 {
		c := ca
		if i%2 == 1 {
			c = cb
		}
		wg.Go(func() {
			r := c.do("POST", "/signin/"+flow.FlowID+"/verify", map[string]string{"code": code})
			if r.Status == http.StatusOK {
				mu.Lock()
				wins++
				mu.Unlock()
			} else if r.Status != http.StatusBadRequest && r.Status != http.StatusGone && r.Status != http.StatusConflict {
				// 400 already used, 410 flow finished, 409 sent while the flow's
				// five checks were all in flight (refused unchecked).
				t.Errorf("a racing submission got %s", r)
			}
		})
	}
	wg.Wait()
	if wins != 1 {
		t.Fatalf("%d of 20 identical submissions over two replicas signed in, want exactly 1", wins)
	}

	// Sign out everywhere on B ends the session A issued.
	cb.do("POST", "/me/revokeSignInSessions", nil, bearerToken(done.SessionToken)).want(t, http.StatusOK)
	ca.do("GET", "/me", nil, bearerToken(done.SessionToken)).apiErr(t, http.StatusUnauthorized, "unauthorized", "")

	// Ten wrong passwords spread over both replicas lock the account on both.
	for i := range 10 {
		c := ca
		if i%2 == 1 {
			c = cb
		}
		c.do("POST", "/signin", map[string]string{"username": lee.Username, "password": "Wrong-Password-x"}).
			apiErr(t, http.StatusUnauthorized, "unauthorized", "")
	}
	for _, c := range []*apiClient{ca, cb} {
		c.do("POST", "/signin", map[string]string{"username": lee.Username, "password": lee.Password}).
			apiErr(t, http.StatusUnauthorized, "unauthorized", "")
	}
	locked := 0
	for _, e := range auditLog(t, a) {
		if e.Activity == "Sign-in" && e.Result == "failure" && e.Reason == "account locked" {
			locked++
		}
	}
	if locked != 2 {
		t.Errorf("the audit log records %d sign-ins refused as locked, want 2 (one per replica)", locked)
	}
}
