package storetest

import (
	"testing"
	"time"
)

func testOnce(t *testing.T, f *fixture) {
	s := f.s
	ctx := t.Context()
	t.Run("first use only", func(t *testing.T) {
		ok, err := s.ConsumeOnce(ctx, "pow:first", at(time.Minute))
		if err != nil || !ok {
			t.Fatalf("first ConsumeOnce = %v, %v", ok, err)
		}
		for i := range 3 {
			ok, err := s.ConsumeOnce(ctx, "pow:first", at(time.Hour))
			if err != nil || ok {
				t.Fatalf("ConsumeOnce again (%d) = %v, %v", i, ok, err)
			}
		}
		ok, err = s.ConsumeOnce(ctx, "pow:other", at(time.Minute))
		if err != nil || !ok {
			t.Fatalf("another key = %v, %v", ok, err)
		}
	})
	t.Run("exactly one of 250 racers", func(t *testing.T) {
		got := raceN(t, 250, func(int) (bool, error) { return s.ConsumeOnce(t.Context(), "pow:raced", at(time.Minute)) })
		same(t, "racers that used the key", wins(got), 1)
	})
	t.Run("sweep removes only expired keys", func(t *testing.T) {
		for _, k := range []string{"sweep:a", "sweep:b"} {
			if _, err := s.ConsumeOnce(ctx, k, at(-time.Hour)); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.ConsumeOnce(ctx, "sweep:live", at(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		n, err := s.DeleteOnceBefore(ctx, at(0))
		must(t, "DeleteOnceBefore", err)
		same(t, "swept", n, 2)
		// A live key stays used; a swept one could be recorded again.
		ok, err := s.ConsumeOnce(ctx, "sweep:live", at(2*time.Hour))
		if err != nil || ok {
			t.Errorf("live key after sweep = %v, %v", ok, err)
		}
		ok, err = s.ConsumeOnce(ctx, "sweep:a", at(time.Hour))
		if err != nil || !ok {
			t.Errorf("swept key = %v, %v", ok, err)
		}
	})
}
