package store_test

import (
	"testing"
	"time"
)

// TestHitSweeps checks that a hit opening a new window deletes expired counters,
// which the contract allows but does not require.
func TestHitSweeps(t *testing.T) {
	s := openSQLite(t)
	w1 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	w2 := w1.Add(2 * time.Minute)
	for _, step := range []struct {
		window, expire time.Time
		want           int
	}{
		{w1, w1.Add(-time.Hour), 1},
		{w1, w1.Add(-time.Hour), 2},
		{w2, w2, 1}, // a new window, a sweep is due: w1 expires
		{w1, w1.Add(-time.Hour), 1},
	} {
		n, err := s.Hit(t.Context(), "k", step.window, step.expire)
		if err != nil {
			t.Fatalf("Hit: %v", err)
		}
		if n != step.want {
			t.Fatalf("Hit at %v = %d, want %d", step.window, n, step.want)
		}
	}
}
