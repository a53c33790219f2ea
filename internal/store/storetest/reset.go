package storetest

import (
	"testing"
	"time"

	"github.com/twofold-id/twofold"
)

func (f *fixture) newReset(t *testing.T, userID string, required int, expires time.Time) *twofold.ResetAttempt {
	t.Helper()
	a := &twofold.ResetAttempt{
		IDHash: f.id("reset-hash"), UserID: userID, OrgID: f.org.ID, State: twofold.ResetVerifying,
		Required: required, CreatedAt: at(0), ExpiresAt: expires, IP: "192.0.2.1", UserAgent: "test",
	}
	must(t, "CreateResetAttempt", f.s.CreateResetAttempt(t.Context(), a))
	return a
}

const resetWindow = 24 * time.Hour

func testReset(t *testing.T, f *fixture) {
	s := f.s
	ctx := t.Context()
	get := func(t *testing.T, idHash string) *twofold.ResetAttempt {
		t.Helper()
		a, err := s.ResetAttemptByIDHash(ctx, idHash)
		must(t, "ResetAttemptByIDHash", err)
		return a
	}
	prove := func(t *testing.T, idHash, methodID string, now time.Time) (twofold.ResetState, bool) {
		t.Helper()
		st, ok, err := s.ProveResetMethod(ctx, idHash, methodID, now)
		must(t, "ProveResetMethod", err)
		return st, ok
	}

	t.Run("RoundTrip", func(t *testing.T) {
		a := f.newReset(t, f.user.ID, 2, at(15*time.Minute))
		got := get(t, a.IDHash)
		same(t, "attempt", *got, *a)
		unknown := f.newReset(t, "", 0, at(15*time.Minute))
		same(t, "unknown name's user", get(t, unknown.IDHash).UserID, "")
		_, err := s.ResetAttemptByIDHash(ctx, "no-such-hash")
		same(t, "missing attempt", twofold.ErrorCode(err), twofold.ENOTFOUND)
		err = s.CreateResetAttempt(ctx, a)
		same(t, "taken hash", twofold.ErrorCode(err), twofold.ECONFLICT)
	})

	t.Run("ProveDistinctUntilVerified", func(t *testing.T) {
		a := f.newReset(t, f.user.ID, 2, at(15*time.Minute))
		ok, err := s.SetResetStep(ctx, a.IDHash, "m1", "sms", at(time.Minute))
		must(t, "SetResetStep", err)
		same(t, "step set", ok, true)
		same(t, "step", get(t, a.IDHash).StepData, "sms")
		st, ok := prove(t, a.IDHash, "m1", at(time.Minute))
		same(t, "first proof", ok, true)
		same(t, "state after one of two", st, twofold.ResetVerifying)
		same(t, "step cleared", get(t, a.IDHash).StepMethodID, "")
		_, ok = prove(t, a.IDHash, "m1", at(time.Minute))
		same(t, "same method twice", ok, false)
		st, ok = prove(t, a.IDHash, "m2", at(time.Minute))
		same(t, "second method", ok, true)
		same(t, "state after two of two", st, twofold.ResetVerified)
		same(t, "proven", get(t, a.IDHash).Proven, []string{"m1", "m2"})
		_, ok = prove(t, a.IDHash, "m3", at(time.Minute))
		same(t, "proof past required", ok, false)
		ok, err = s.SetResetStep(ctx, a.IDHash, "m3", "", at(time.Minute))
		must(t, "SetResetStep", err)
		same(t, "step after verified", ok, false)
	})

	t.Run("ExpiredRefusesEverything", func(t *testing.T) {
		a := f.newReset(t, f.user.ID, 1, at(15*time.Minute))
		ok, err := s.SetResetStep(ctx, a.IDHash, "m1", "", at(15*time.Minute))
		must(t, "SetResetStep", err)
		same(t, "step at expiry", ok, false)
		_, ok = prove(t, a.IDHash, "m1", at(15*time.Minute))
		same(t, "proof at expiry", ok, false)
		b := f.newReset(t, f.user.ID, 1, at(15*time.Minute))
		_, ok = prove(t, b.IDHash, "m1", at(time.Minute))
		same(t, "proof", ok, true)
		ok, err = s.FinishResetAttempt(ctx, b.IDHash, at(15*time.Minute))
		must(t, "FinishResetAttempt", err)
		same(t, "finish at expiry", ok, false)
	})

	t.Run("FinishOnlyVerifiedOnce", func(t *testing.T) {
		a := f.newReset(t, f.user.ID, 1, at(15*time.Minute))
		ok, err := s.FinishResetAttempt(ctx, a.IDHash, at(time.Minute))
		must(t, "FinishResetAttempt", err)
		same(t, "finish while verifying", ok, false)
		prove(t, a.IDHash, "m1", at(time.Minute))
		ok, err = s.FinishResetAttempt(ctx, a.IDHash, at(time.Minute))
		must(t, "FinishResetAttempt", err)
		same(t, "finish verified", ok, true)
		same(t, "state", get(t, a.IDHash).State, twofold.ResetDone)
		ok, _ = s.FinishResetAttempt(ctx, a.IDHash, at(time.Minute))
		same(t, "finish twice", ok, false)
	})

	t.Run("RaceSameMethodCountsOnce", func(t *testing.T) {
		a := f.newReset(t, f.user.ID, 2, at(15*time.Minute))
		got := burstOf(t, func(int) (bool, error) {
			_, ok, err := s.ProveResetMethod(ctx, a.IDHash, "m1", at(time.Minute))
			return ok, err
		})
		same(t, "proofs of one method won", wins(got), 1)
		same(t, "proven", get(t, a.IDHash).Proven, []string{"m1"})
	})

	t.Run("RaceManyMethodsStopAtRequired", func(t *testing.T) {
		a := f.newReset(t, f.user.ID, 2, at(15*time.Minute))
		got := burstOf(t, func(i int) (bool, error) {
			_, ok, err := s.ProveResetMethod(ctx, a.IDHash, f.idFor("m", i), at(time.Minute))
			return ok, err
		})
		same(t, "proofs of distinct methods won", wins(got), 2)
		after := get(t, a.IDHash)
		same(t, "state", after.State, twofold.ResetVerified)
		same(t, "proven count", len(after.Proven), 2)
	})

	t.Run("RaceFinishOnce", func(t *testing.T) {
		a := f.newReset(t, f.user.ID, 1, at(15*time.Minute))
		prove(t, a.IDHash, "m1", at(time.Minute))
		got := burstOf(t, func(int) (bool, error) {
			return s.FinishResetAttempt(ctx, a.IDHash, at(time.Minute))
		})
		same(t, "finishes won", wins(got), 1)
	})

	t.Run("DeleteExpired", func(t *testing.T) {
		old := f.newReset(t, "", 0, at(time.Minute))
		live := f.newReset(t, "", 0, at(time.Hour))
		_, err := s.DeleteResetAttemptsBefore(ctx, at(30*time.Minute))
		must(t, "DeleteResetAttemptsBefore", err)
		_, err = s.ResetAttemptByIDHash(ctx, old.IDHash)
		same(t, "expired attempt", twofold.ErrorCode(err), twofold.ENOTFOUND)
		get(t, live.IDHash)
	})

	t.Run("ClearPasswordLock", func(t *testing.T) {
		u := f.newUser(t, f.org.ID, "locked@example.com")
		g, _, err := s.ReservePasswordGuess(ctx, u.ID, at(0), 1)
		must(t, "ReservePasswordGuess", err)
		_, err = s.LockUser(ctx, u.ID, g, at(0), []time.Duration{time.Hour})
		must(t, "LockUser", err)
		must(t, "ClearPasswordLock", s.ClearPasswordLock(ctx, u.ID))
		got := f.getUser(t, u.ID)
		same(t, "locked until", got.LockedUntil.IsZero(), true)
		same(t, "lockout level", got.LockoutLevel, 0)
		same(t, "failed passwords", got.FailedPasswords, 0)
		same(t, "missing user", twofold.ErrorCode(s.ClearPasswordLock(ctx, "no-such-user")), twofold.ENOTFOUND)
	})

	testResetGuard(t, f)
}

func (f *fixture) idFor(prefix string, i int) string {
	return prefix + "-" + time.Duration(i).String()
}

func testResetGuard(t *testing.T, f *fixture) {
	s := f.s
	ctx := t.Context()
	reserve := func(t *testing.T, id string, now time.Time) (twofold.ResetGuess, bool) {
		t.Helper()
		g, ok, err := s.ReserveResetCheck(ctx, id, now, 5, resetWindow)
		must(t, "ReserveResetCheck", err)
		return g, ok
	}

	t.Run("GuardReserveUpToLimit", func(t *testing.T) {
		u := f.newUser(t, f.org.ID, "guard-limit@example.com")
		for want := 1; want <= 5; want++ {
			g, ok := reserve(t, u.ID, at(time.Duration(want)*time.Minute))
			same(t, "reserved", ok, true)
			same(t, "count", g.Count, want)
			same(t, "window", g.WindowStart, at(time.Minute))
		}
		_, ok := reserve(t, u.ID, at(time.Hour))
		same(t, "sixth in the window", ok, false)
		// The window began at the first check; it starts again 24 hours later.
		g, ok := reserve(t, u.ID, at(time.Minute+resetWindow))
		same(t, "after the window", ok, true)
		same(t, "count restarts", g.Count, 1)
		same(t, "new window", g.WindowStart, at(time.Minute+resetWindow))
	})

	t.Run("GuardRelease", func(t *testing.T) {
		u := f.newUser(t, f.org.ID, "guard-release@example.com")
		var last twofold.ResetGuess
		for range 5 {
			last, _ = reserve(t, u.ID, at(0))
		}
		must(t, "ReleaseResetCheck", s.ReleaseResetCheck(ctx, u.ID, last))
		g, ok := reserve(t, u.ID, at(0))
		same(t, "place given back", ok, true)
		same(t, "count", g.Count, 5)
		// A place from an old window is not given back into a new one.
		n, _ := reserve(t, u.ID, at(resetWindow))
		must(t, "ReleaseResetCheck", s.ReleaseResetCheck(ctx, u.ID, last))
		g, _ = reserve(t, u.ID, at(resetWindow))
		same(t, "count in new window", g.Count, n.Count+1)
	})

	t.Run("GuardBlock", func(t *testing.T) {
		u := f.newUser(t, f.org.ID, "guard-block@example.com")
		reserve(t, u.ID, at(0))
		ok, err := s.BlockReset(ctx, u.ID, at(0), at(resetWindow))
		must(t, "BlockReset", err)
		same(t, "blocked", ok, true)
		ok, _ = s.BlockReset(ctx, u.ID, at(time.Hour), at(time.Hour+resetWindow))
		same(t, "block while blocked", ok, false)
		until, err := s.ResetBlockedUntil(ctx, u.ID)
		must(t, "ResetBlockedUntil", err)
		same(t, "until", until, at(resetWindow))
		_, ok = reserve(t, u.ID, at(time.Hour))
		same(t, "reserve while blocked", ok, false)
		_, ok = reserve(t, u.ID, at(resetWindow))
		same(t, "reserve after the block", ok, true)
	})

	t.Run("GuardClear", func(t *testing.T) {
		u := f.newUser(t, f.org.ID, "guard-clear@example.com")
		for range 5 {
			reserve(t, u.ID, at(0))
		}
		_, _ = s.BlockReset(ctx, u.ID, at(0), at(resetWindow))
		must(t, "ClearResetBlock", s.ClearResetBlock(ctx, u.ID))
		until, err := s.ResetBlockedUntil(ctx, u.ID)
		must(t, "ResetBlockedUntil", err)
		same(t, "no block", until.IsZero(), true)
		g, ok := reserve(t, u.ID, at(time.Minute))
		same(t, "reserve after clear", ok, true)
		same(t, "count after clear", g.Count, 1)
	})

	t.Run("GuardRace", func(t *testing.T) {
		u := f.newUser(t, f.org.ID, "guard-race@example.com")
		got := burstOf(t, func(int) (bool, error) {
			_, ok, err := s.ReserveResetCheck(ctx, u.ID, at(0), 5, resetWindow)
			return ok, err
		})
		same(t, "checks reserved out of a burst", wins(got), 5)
		blocks := burstOf(t, func(int) (bool, error) {
			return s.BlockReset(ctx, u.ID, at(0), at(resetWindow))
		})
		same(t, "racing blocks", wins(blocks), 1)
	})
}
