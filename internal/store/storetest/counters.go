package storetest

import (
	"testing"
	"time"
)

func testCounters(t *testing.T, f *fixture) {
	s := f.s
	w1, w2 := at(0), at(time.Minute)
	for _, tc := range []struct {
		name   string
		key    string
		window time.Time
		want   int
	}{
		{"First", "ip:192.0.2.1", w1, 1},
		{"Second", "ip:192.0.2.1", w1, 2},
		{"OtherKey", "ip:192.0.2.2", w1, 1},
		{"NextWindow", "ip:192.0.2.1", w2, 1},
		{"Third", "ip:192.0.2.1", w1, 3},
		{"NextWindowAgain", "ip:192.0.2.1", w2, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// expireBefore is far in the past, so nothing may be dropped here.
			n, err := s.Hit(t.Context(), tc.key, tc.window, at(-24*time.Hour))
			must(t, "Hit", err)
			same(t, "count", n, tc.want)
		})
	}
	t.Run("Count", func(t *testing.T) {
		for _, tc := range []struct {
			key    string
			window time.Time
			want   int
		}{
			{"ip:192.0.2.1", w1, 3},
			{"ip:192.0.2.1", w2, 2},
			{"ip:192.0.2.2", w1, 1},
			{"ip:192.0.2.2", w2, 0},
			{"never", w1, 0},
		} {
			n, err := s.Count(t.Context(), tc.key, tc.window)
			must(t, "Count", err)
			same(t, "Count("+tc.key+", "+tc.window.Format(time.TimeOnly)+")", n, tc.want)
		}
		// Counting does not change the counter.
		n, err := s.Count(t.Context(), "ip:192.0.2.1", w1)
		must(t, "Count", err)
		same(t, "Count again", n, 3)
	})
}

func testHitAll(t *testing.T, f *fixture) {
	s := f.s
	w := at(0)
	_, err := s.Hit(t.Context(), "b", w, at(-time.Hour))
	must(t, "Hit", err)
	got, err := s.HitAll(t.Context(), []string{"a", "b", "c"}, w, at(-time.Hour))
	must(t, "HitAll", err)
	same(t, "counts in key order", got, []int{1, 2, 1})
	got, err = s.HitAll(t.Context(), []string{"c", "a"}, w, at(-time.Hour))
	must(t, "HitAll", err)
	same(t, "counts in key order", got, []int{2, 2})
	n, err := s.Count(t.Context(), "b", w)
	must(t, "Count", err)
	same(t, "untouched counter", n, 2)
	n, err = s.Count(t.Context(), "a", at(time.Minute))
	must(t, "Count", err)
	same(t, "other window", n, 0)
	if _, err := s.HitAll(t.Context(), []string{"a", "a"}, w, at(-time.Hour)); err == nil {
		t.Error("repeated keys were accepted")
	}
	n, err = s.Count(t.Context(), "a", w)
	must(t, "Count", err)
	same(t, "counter after the refused call", n, 2)
}

func testCooldowns(t *testing.T, f *fixture) {
	s := f.s
	for _, tc := range []struct {
		name       string
		key        string
		now, until time.Time
		want       bool
	}{
		{"First", "number:+14255550100", at(0), at(30 * time.Second), true},
		{"Running", "number:+14255550100", at(10 * time.Second), at(40 * time.Second), false},
		{"JustBeforeEnd", "number:+14255550100", at(30*time.Second - time.Microsecond), at(time.Minute), false},
		{"OtherKey", "number:+14255550101", at(10 * time.Second), at(40 * time.Second), true},
		{"AtEnd", "number:+14255550100", at(30 * time.Second), at(time.Minute), true},
		// The refused calls did not move the end; the one that started did.
		{"RunningAgain", "number:+14255550100", at(45 * time.Second), at(2 * time.Minute), false},
		{"AfterEnd", "number:+14255550100", at(90 * time.Second), at(2 * time.Minute), true},
		{"OtherKeyEnded", "number:+14255550101", at(time.Minute), at(2 * time.Minute), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ok, err := s.StartCooldown(t.Context(), tc.key, tc.now, tc.until)
			must(t, "StartCooldown", err)
			same(t, "started", ok, tc.want)
		})
	}
}
