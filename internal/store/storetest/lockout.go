package storetest

import (
	"testing"
	"time"

	"github.com/twofold-id/twofold"
)

// burst is how many goroutines race for the places of a limit: well past any
// threshold, as an attacker's burst of parallel requests would be.
const burst = 250

// burstOf runs fn from burst goroutines released together.
func burstOf[T any](t *testing.T, fn func(i int) (T, error)) []T {
	t.Helper()
	return raceN(t, burst, fn)
}

// lengths are the lock lengths the tests escalate by: 1, 2, 4 minutes, then 4.
var lengths = []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute}

func testLockout(t *testing.T, f *fixture) {
	s := f.s
	get := f.getUser
	reserve := func(t *testing.T, id string, now time.Time) (twofold.PasswordGuess, bool) {
		t.Helper()
		g, ok, err := s.ReservePasswordGuess(t.Context(), id, now, 3)
		must(t, "ReservePasswordGuess", err)
		return g, ok
	}

	t.Run("ReserveUpToThreshold", func(t *testing.T) {
		u := f.newUser(t, f.org.ID, "reserve@example.com")
		for want := 1; want <= 3; want++ {
			g, ok := reserve(t, u.ID, at(0))
			same(t, "reserved", ok, true)
			same(t, "guess", g, twofold.PasswordGuess{Count: want, Level: 0})
		}
		_, ok := reserve(t, u.ID, at(0))
		same(t, "a fourth guess reserved", ok, false)
		// A guess never checked gives its place back.
		must(t, "ReleasePasswordGuess", s.ReleasePasswordGuess(t.Context(), u.ID, twofold.PasswordGuess{Count: 3}))
		g, ok := reserve(t, u.ID, at(0))
		same(t, "reserved after a release", [2]any{g, ok}, [2]any{twofold.PasswordGuess{Count: 3}, true})
	})

	t.Run("LockEscalatesAndHolds", func(t *testing.T) {
		u := f.newUser(t, f.org.ID, "lock@example.com")
		now := at(0)
		for level, want := range []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 4 * time.Minute} {
			var last twofold.PasswordGuess
			for range 3 {
				last, _ = reserve(t, u.ID, now)
			}
			locked, err := s.LockUser(t.Context(), u.ID, last, now, lengths)
			must(t, "LockUser", err)
			same(t, "locked", locked, true)
			got := get(t, u.ID)
			same(t, "count and level after the lock", [2]int{got.FailedPasswords, got.LockoutLevel}, [2]int{0, level + 1})
			same(t, "LockedUntil", got.LockedUntil, now.Add(want))
			// A second lock from the same full threshold does nothing.
			again, err := s.LockUser(t.Context(), u.ID, last, now, lengths)
			must(t, "LockUser again", err)
			same(t, "locked twice", again, false)
			// No place during the lock, nor one second before its end.
			_, ok := reserve(t, u.ID, now.Add(want-time.Second))
			same(t, "reserved during the lock", ok, false)
			// A guess taken before the lock gives back nothing into the next period.
			must(t, "ReleasePasswordGuess", s.ReleasePasswordGuess(t.Context(), u.ID, last))
			now = now.Add(want)
		}
		must(t, "RecordPasswordSuccess", s.RecordPasswordSuccess(t.Context(), u.ID))
		got := get(t, u.ID)
		same(t, "after success", [2]int{got.FailedPasswords, got.LockoutLevel}, [2]int{0, 0})
		must(t, "RecordPasswordSuccess again", s.RecordPasswordSuccess(t.Context(), u.ID))
	})

	t.Run("BurstReservesThreshold", func(t *testing.T) {
		u := f.newUser(t, f.org.ID, "burst@example.com")
		got := burstOf(t, func(int) (bool, error) {
			_, ok, err := s.ReservePasswordGuess(t.Context(), u.ID, at(0), 10)
			return ok, err
		})
		same(t, "guesses reserved out of a burst", wins(got), 10)
	})

	t.Run("BurstLocksOnce", func(t *testing.T) {
		u := f.newUser(t, f.org.ID, "burst-lock@example.com")
		got := burstOf(t, func(int) (bool, error) {
			return s.LockUser(t.Context(), u.ID, twofold.PasswordGuess{Count: 3}, at(0), lengths)
		})
		same(t, "locks out of a burst", wins(got), 1)
		same(t, "level", get(t, u.ID).LockoutLevel, 1)
	})

	t.Run("MFABlockEscalates", func(t *testing.T) {
		u := f.newUser(t, f.org.ID, "block@example.com")
		now := at(0)
		for level, want := range []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 4 * time.Minute} {
			blocked, err := s.EscalateMFABlock(t.Context(), u.ID, now, lengths)
			must(t, "EscalateMFABlock", err)
			same(t, "blocked", blocked, true)
			got := get(t, u.ID)
			same(t, "MFABlockedUntil", got.MFABlockedUntil, now.Add(want))
			same(t, "MFABlockLevel", got.MFABlockLevel, level+1)
			// A running block is not pushed later.
			again, err := s.EscalateMFABlock(t.Context(), u.ID, now.Add(want-time.Second), lengths)
			must(t, "EscalateMFABlock during the block", err)
			same(t, "blocked again during the block", again, false)
			now = now.Add(want)
		}
		must(t, "RecordMFASuccess", s.RecordMFASuccess(t.Context(), u.ID))
		same(t, "level after a right code", get(t, u.ID).MFABlockLevel, 0)
		_, err := s.EscalateMFABlock(t.Context(), u.ID, now, lengths)
		must(t, "EscalateMFABlock", err)
		must(t, "BlockMFA zero", s.BlockMFA(t.Context(), u.ID, time.Time{}))
		got := get(t, u.ID)
		same(t, "after an unblock", [2]any{got.MFABlockedUntil, got.MFABlockLevel}, [2]any{time.Time{}, 0})
	})

	t.Run("BurstBlocksOnce", func(t *testing.T) {
		u := f.newUser(t, f.org.ID, "burst-block@example.com")
		got := burstOf(t, func(int) (bool, error) { return s.EscalateMFABlock(t.Context(), u.ID, at(0), lengths) })
		same(t, "blocks out of a burst", wins(got), 1)
		same(t, "level", get(t, u.ID).MFABlockLevel, 1)
	})
}

func testTake(t *testing.T, f *fixture) {
	s := f.s
	take := func(t *testing.T, key string, limit int) bool {
		t.Helper()
		ok, err := s.Take(t.Context(), key, at(0), limit, at(-time.Hour))
		must(t, "Take", err)
		return ok
	}
	t.Run("UpToLimit", func(t *testing.T) {
		var got []bool
		for range 4 {
			got = append(got, take(t, "take:a", 3))
		}
		same(t, "places taken", got, []bool{true, true, true, false})
		n, err := s.Count(t.Context(), "take:a", at(0))
		must(t, "Count", err)
		same(t, "count", n, 3)
		must(t, "GiveBack", s.GiveBack(t.Context(), "take:a", at(0)))
		same(t, "a place after giving one back", take(t, "take:a", 3), true)
		// Giving back never goes below zero, even for a counter never taken.
		must(t, "GiveBack unknown", s.GiveBack(t.Context(), "take:none", at(0)))
		n, err = s.Count(t.Context(), "take:none", at(0))
		must(t, "Count", err)
		same(t, "count of a counter never taken", n, 0)
	})
	t.Run("Burst", func(t *testing.T) {
		got := burstOf(t, func(int) (bool, error) {
			return s.Take(t.Context(), "take:burst", at(0), 100, at(-time.Hour))
		})
		same(t, "places taken out of a burst", wins(got), 100)
		n, err := s.Count(t.Context(), "take:burst", at(0))
		must(t, "Count", err)
		same(t, "count after the burst", n, 100)
	})
	t.Run("BurstGivesBack", func(t *testing.T) {
		for range 100 {
			take(t, "take:back", 1000)
		}
		burstOf(t, func(int) (struct{}, error) {
			return struct{}{}, s.GiveBack(t.Context(), "take:back", at(0))
		})
		n, err := s.Count(t.Context(), "take:back", at(0))
		must(t, "Count", err)
		same(t, "count after more give-backs than takes", n, 0)
	})
}
