package storetest

import (
	"testing"
	"time"

	"github.com/twofold-id/twofold"
)

// newPass stores an active Temporary Access Pass for userID that works from
// start until end.
func (f *fixture) newPass(t *testing.T, userID string, start, end time.Time, once bool) *twofold.Method {
	t.Helper()
	m := &twofold.Method{
		ID: f.id("pass"), UserID: userID, Kind: twofold.KindTemporaryAccessPass, State: twofold.MethodActive,
		Name: "Temporary Access Pass", PassHash: twofold.HashToken(f.id("secret")),
		ExpiresAt: end, UsableOnce: once, CreatedAt: start, ActivatedAt: start,
	}
	must(t, "CreateMethod pass", f.s.CreateMethod(t.Context(), m))
	return m
}

func testTAP(t *testing.T, f *fixture) {
	s, ctx := f.s, t.Context()
	use := func(t *testing.T, userID, id string, now time.Time) bool {
		t.Helper()
		ok, err := s.UseTemporaryAccessPass(ctx, userID, id, now)
		must(t, "UseTemporaryAccessPass", err)
		return ok
	}
	t.Run("round trip keeps the hash, the end and one-time use", func(t *testing.T) {
		u := f.newUser(t, f.org.ID, "trip@example.com")
		m := f.newPass(t, u.ID, at(0), at(time.Hour), true)
		got, err := s.MethodByID(ctx, u.ID, m.ID)
		must(t, "MethodByID", err)
		same(t, "pass", *got, *m)
	})
	t.Run("one pass per member", func(t *testing.T) {
		u := f.newUser(t, f.org.ID, "twice@example.com")
		f.newPass(t, u.ID, at(0), at(time.Hour), false)
		err := s.CreateMethod(ctx, &twofold.Method{ID: f.id("pass"), UserID: u.ID, Kind: twofold.KindTemporaryAccessPass,
			State: twofold.MethodActive, Name: "Temporary Access Pass", CreatedAt: at(0), ActivatedAt: at(0), ExpiresAt: at(time.Hour)})
		wantCode(t, "second pass", err, twofold.ECONFLICT)
	})
	t.Run("a reusable pass works until it expires", func(t *testing.T) {
		u := f.newUser(t, f.org.ID, "reuse@example.com")
		m := f.newPass(t, u.ID, at(0), at(time.Hour), false)
		same(t, "first use", use(t, u.ID, m.ID, at(time.Minute)), true)
		same(t, "second use", use(t, u.ID, m.ID, at(2*time.Minute)), true)
		same(t, "at expiry", use(t, u.ID, m.ID, at(time.Hour)), false)
		same(t, "after expiry", use(t, u.ID, m.ID, at(2*time.Hour)), false)
		got, err := s.MethodByID(ctx, u.ID, m.ID)
		must(t, "MethodByID", err)
		same(t, "last used", got.LastUsedAt, at(2*time.Minute))
	})
	t.Run("a pass does not work before it starts", func(t *testing.T) {
		u := f.newUser(t, f.org.ID, "later@example.com")
		m := f.newPass(t, u.ID, at(time.Hour), at(2*time.Hour), false)
		same(t, "before start", use(t, u.ID, m.ID, at(59*time.Minute)), false)
		same(t, "at start", use(t, u.ID, m.ID, at(time.Hour)), true)
	})
	t.Run("another member's pass, another kind or a pending pass never works", func(t *testing.T) {
		u := f.newUser(t, f.org.ID, "scoped@example.com")
		m := f.newPass(t, u.ID, at(0), at(time.Hour), false)
		same(t, "other member", use(t, f.user.ID, m.ID, at(time.Minute)), false)
		app := f.newMethod(t, u.ID, twofold.MethodActive, at(0))
		same(t, "an authenticator app", use(t, u.ID, app.ID, at(time.Minute)), false)
		p := &twofold.Method{ID: f.id("pass"), UserID: f.user.ID, Kind: twofold.KindTemporaryAccessPass,
			State: twofold.MethodPending, Name: "Temporary Access Pass", CreatedAt: at(0), ActivatedAt: at(0), ExpiresAt: at(time.Hour)}
		must(t, "CreateMethod pending", s.CreateMethod(ctx, p))
		same(t, "pending", use(t, f.user.ID, p.ID, at(time.Minute)), false)
		same(t, "unknown", use(t, u.ID, "no-such-method", at(time.Minute)), false)
	})
	t.Run("the sweep removes ended passes only", func(t *testing.T) {
		u := f.newUser(t, f.org.ID, "sweep@example.com")
		v := f.newUser(t, f.org.ID, "sweep2@example.com")
		ended := f.newPass(t, u.ID, at(0), at(time.Hour), false)
		live := f.newPass(t, v.ID, at(0), at(3*time.Hour), false)
		app := f.newMethod(t, u.ID, twofold.MethodActive, at(0))
		// Passes of the subtests before this one may end before t too.
		n, err := s.DeletePassesEndedBefore(ctx, at(2*time.Hour))
		must(t, "DeletePassesEndedBefore", err)
		if n < 1 {
			t.Errorf("swept %d passes, want the ended one at least", n)
		}
		_, err = s.MethodByID(ctx, u.ID, ended.ID)
		wantCode(t, "ended pass", err, twofold.ENOTFOUND)
		for _, m := range []*twofold.Method{live, app} {
			_, err := s.MethodByID(ctx, m.UserID, m.ID)
			must(t, "kept "+m.ID, err)
		}
	})
	t.Run("exactly one of 250 racers uses a one-time pass", func(t *testing.T) {
		u := f.newUser(t, f.org.ID, "once@example.com")
		m := f.newPass(t, u.ID, at(0), at(time.Hour), true)
		got := raceN(t, 250, func(int) (bool, error) {
			return s.UseTemporaryAccessPass(t.Context(), u.ID, m.ID, at(time.Minute))
		})
		same(t, "racers that used the pass", wins(got), 1)
		same(t, "used again later", use(t, u.ID, m.ID, at(2*time.Minute)), false)
	})
}
