package main

import (
	"context"
	"testing"
	"time"
)

// A used single-use key (a solved proof-of-work challenge) is kept while what
// it names could still be accepted, so it stays used, and swept once that has
// expired.
func TestSweepRemovesExpiredSingleUseKeys(t *testing.T) {
	a, _ := testApp(t, nil)
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Second)
	for _, k := range []string{"pow:live", "pow:old"} {
		if ok, err := a.store.ConsumeOnce(ctx, k, now.Add(5*time.Minute)); err != nil || !ok {
			t.Fatalf("ConsumeOnce(%s) = %v, %v", k, ok, err)
		}
	}
	// Recording a key again reports whether it is still stored.
	stored := func(k string) bool {
		ok, err := a.store.ConsumeOnce(ctx, k, now.Add(5*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		return !ok
	}
	a.sweepOnce(ctx, now.Add(4*time.Minute))
	if !stored("pow:live") {
		t.Fatal("a key whose challenge had not expired was swept: its challenge could be used again")
	}
	a.sweepOnce(ctx, now.Add(6*time.Minute))
	if stored("pow:old") {
		t.Error("an expired key was kept")
	}
}
