package main

import (
	"context"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
)

// An authenticator setup that is started and never activated is swept with
// the expired flows once it is an hour old, and not before.
func TestSweepRemovesAbandonedAuthenticatorSetups(t *testing.T) {
	a, srv := testApp(t, nil)
	var flow struct{ FlowID string }
	apiCall(t, srv.URL, "POST", "/api/v1/signin", "", map[string]string{"username": "alex@contoso.test", "password": "correct horse battery staple"}, &flow)
	var app struct{ ID string }
	apiCall(t, srv.URL, "POST", "/api/v1/signin/"+flow.FlowID+"/softwareOathMethods", "", nil, &app)
	if app.ID == "" {
		t.Fatal("no authenticator setup was started; the test would prove nothing")
	}
	ctx := context.Background()
	u, err := a.store.UserByUsername(ctx, "alex@contoso.test")
	if err != nil {
		t.Fatal(err)
	}
	pending := func() int {
		ms, err := a.store.ListMethods(ctx, u.ID, twofold.MethodPending)
		if err != nil {
			t.Fatal(err)
		}
		return len(ms)
	}
	if pending() != 1 {
		t.Fatalf("%d pending methods after starting a setup, want 1", pending())
	}
	a.sweepOnce(ctx, time.Now().Add(50*time.Minute))
	if pending() != 1 {
		t.Error("a setup under an hour old was swept")
	}
	a.sweepOnce(ctx, time.Now().Add(61*time.Minute))
	if n := pending(); n != 0 {
		t.Errorf("%d abandoned setups kept after an hour", n)
	}
}
