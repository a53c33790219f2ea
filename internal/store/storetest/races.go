package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
)

// racers is how many goroutines race for one thing.
const racers = 50

// race runs fn from racers goroutines released together and returns their results.
func race[T any](t *testing.T, fn func(i int) (T, error)) []T {
	t.Helper()
	return raceN(t, racers, fn)
}

// raceN runs fn from n goroutines released together and returns their results
// in order; any error fails t.
func raceN[T any](t *testing.T, n int, fn func(i int) (T, error)) []T {
	t.Helper()
	var (
		wg    sync.WaitGroup
		start = make(chan struct{})
		out   = make([]T, n)
		errs  = make([]error, n)
	)
	for i := range n {
		wg.Go(func() {
			<-start
			out[i], errs[i] = fn(i)
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("racer %d: %v", i, err)
		}
	}
	return out
}

// wins counts the true results.
func wins(results []bool) int {
	n := 0
	for _, ok := range results {
		if ok {
			n++
		}
	}
	return n
}

func testRaces(t *testing.T, f *fixture) {
	s := f.s
	t.Run("ConsumeStep", func(t *testing.T) {
		m := f.newMethod(t, f.user.ID, twofold.MethodActive, at(0))
		got := race(t, func(int) (bool, error) { return s.ConsumeStep(t.Context(), m.ID, 1000, at(time.Minute)) })
		same(t, "successful consumes", wins(got), 1)
	})
	t.Run("FinishFlow", func(t *testing.T) {
		fl := f.newFlow(t, f.user.ID, twofold.FlowMFARequired, at(time.Hour))
		got := race(t, func(int) (bool, error) {
			return s.FinishFlow(t.Context(), fl.IDHash, twofold.FlowMFARequired, twofold.FlowSignedIn)
		})
		same(t, "successful finishes", wins(got), 1)
	})
	t.Run("Hit", func(t *testing.T) {
		got := race(t, func(int) (int, error) { return s.Hit(t.Context(), "org:day", at(0), at(-time.Hour)) })
		slices.Sort(got)
		want := make([]int, racers)
		for i := range want {
			want[i] = i + 1
		}
		same(t, "counts", got, want)
	})
	t.Run("HitAll", func(t *testing.T) {
		got := race(t, func(int) ([]int, error) {
			return s.HitAll(t.Context(), []string{"all:a", "all:b"}, at(0), at(-time.Hour))
		})
		var a, b []int
		for _, g := range got {
			a, b = append(a, g[0]), append(b, g[1])
		}
		slices.Sort(a)
		slices.Sort(b)
		same(t, "counts of a", a, oneToRacers())
		same(t, "counts of b", b, oneToRacers())
	})
	t.Run("RecordMFAFailure", func(t *testing.T) {
		got := race(t, func(int) (int, error) { return s.RecordMFAFailure(t.Context(), f.user.ID, at(0)) })
		slices.Sort(got)
		same(t, "distinct counts", slices.Compact(got), oneToRacers())
	})
	testPhoneRaces(t, f)
}

// oneToRacers returns 1, 2, …, racers: the counts racing increments must hand out.
func oneToRacers() []int {
	w := make([]int, racers)
	for i := range w {
		w[i] = i + 1
	}
	return w
}

// testPhoneRaces races the single-use steps of texts and calls.
func testPhoneRaces(t *testing.T, f *fixture) {
	s := f.s
	t.Run("MoveChallenge", func(t *testing.T) {
		c := f.newChallenge(t, "flow:race-move", at(0), at(time.Hour))
		got := race(t, func(int) (bool, error) {
			return s.MoveChallenge(t.Context(), c.ID, []twofold.ChallengeState{twofold.ChallengeSent},
				twofold.ChallengeUsed, "", at(time.Minute))
		})
		same(t, "successful moves", wins(got), 1)
		stored, err := s.ChallengeByID(t.Context(), c.ID)
		must(t, "ChallengeByID", err)
		same(t, "state", stored.State, twofold.ChallengeUsed)
	})
	t.Run("RecordChallengeAttempt", func(t *testing.T) {
		c := f.newChallenge(t, "flow:race-attempts", at(0), at(time.Hour))
		got := race(t, func(int) (int, error) { return s.RecordChallengeAttempt(t.Context(), c.ID) })
		slices.Sort(got)
		same(t, "counts", got, oneToRacers())
	})
	t.Run("StartCooldown", func(t *testing.T) {
		got := race(t, func(int) (bool, error) {
			return s.StartCooldown(t.Context(), "number:+14255550100", at(0), at(time.Minute))
		})
		same(t, "cooldowns started", wins(got), 1)
	})
	t.Run("CreateActivePhone", func(t *testing.T) {
		u := f.newUser(t, f.org.ID, "phone-racer@example.com")
		got := race(t, func(i int) (bool, error) {
			m := &twofold.Method{ID: fmt.Sprintf("phone-racer-%02d", i), UserID: u.ID, Kind: twofold.KindPhone,
				State: twofold.MethodActive, Name: "Phone", PhoneNumber: fmt.Sprintf("+142555501%02d", i),
				PhoneType: twofold.PhoneMobile, CreatedAt: at(0), ActivatedAt: at(0)}
			err := s.CreateMethod(t.Context(), m)
			if twofold.ErrorCode(err) == twofold.ECONFLICT {
				return false, nil
			}
			return err == nil, err
		})
		same(t, "phones created", wins(got), 1)
		list, err := s.ListMethods(t.Context(), u.ID, "")
		must(t, "ListMethods", err)
		same(t, "stored phones", len(list), 1)
	})
}
