package main

import (
	"context"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
)

// A security-key ceremony that was never finished is swept once it has expired,
// and not before.
func TestSweepRemovesExpiredKeyCeremonies(t *testing.T) {
	a, _ := testApp(t, nil)
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Second)
	for _, id := range []string{"live", "old"} {
		c := &twofold.Ceremony{ID: id, Binding: "session:s", Purpose: twofold.CeremonyRegister, SessionData: []byte("{}"),
			CreatedAt: now, ExpiresAt: now.Add(5 * time.Minute)}
		if err := a.store.CreateCeremony(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	there := func(id string) bool {
		_, ok, err := a.store.ConsumeCeremony(ctx, id, "session:s", twofold.CeremonyRegister, now.Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	a.sweepOnce(ctx, now.Add(4*time.Minute))
	if !there("live") {
		t.Fatal("a ceremony that had not expired was swept")
	}
	a.sweepOnce(ctx, now.Add(6*time.Minute))
	// Consuming at a time before its expiry finds it only if it is still stored.
	if there("old") {
		t.Error("an expired ceremony was kept")
	}
}
