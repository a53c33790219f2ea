package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/testkit"
)

// limitRacers is how many activations race for a member's few places: enough
// that on PostgreSQL many transactions count at once.
const limitRacers = 120

// wonOrRefused counts the racers that succeeded, failing the test for any
// error other than the ECONFLICT of a refused racer.
func wonOrRefused(t *testing.T, errs []error) int {
	t.Helper()
	won := 0
	for i, err := range errs {
		switch twofold.ErrorCode(err) {
		case "":
			won++
		case twofold.ECONFLICT:
		default:
			t.Errorf("racer %d: %v", i, err)
		}
	}
	return won
}

// activeOf counts the user's active methods of kind.
func activeOf(t *testing.T, s twofold.Store, userID string, kind twofold.MethodKind) int {
	t.Helper()
	ms, err := s.ListMethods(t.Context(), userID, twofold.MethodActive)
	must(t, "ListMethods", err)
	n := 0
	for _, m := range ms {
		if m.Kind == kind {
			n++
		}
	}
	return n
}

func testLimits(t *testing.T, f *fixture) {
	s := f.s
	t.Run("ActivateWithin", func(t *testing.T) {
		u := f.newUser(t, f.org.ID, "within@example.com")
		a := f.newMethod(t, u.ID, twofold.MethodPending, at(0))
		b := f.newMethod(t, u.ID, twofold.MethodPending, at(time.Second))
		must(t, "first activation", s.ActivateMethodWithin(t.Context(), u.ID, a.ID, twofold.KindSoftwareOath, 1, "Work", 7, at(time.Minute)))
		got, err := s.MethodByID(t.Context(), u.ID, a.ID)
		must(t, "MethodByID", err)
		same(t, "activated", [3]any{got.State, got.Name, got.LastStep}, [3]any{twofold.MethodActive, "Work", int64(7)})
		err = s.ActivateMethodWithin(t.Context(), u.ID, b.ID, twofold.KindSoftwareOath, 1, "Home", 8, at(time.Minute))
		wantCode(t, "activation past the limit", err, twofold.ECONFLICT)
		got, err = s.MethodByID(t.Context(), u.ID, b.ID)
		must(t, "MethodByID", err)
		same(t, "refused method state", got.State, twofold.MethodPending)
		// Raising the limit lets it through; activating twice does not.
		must(t, "activation under a higher limit", s.ActivateMethodWithin(t.Context(), u.ID, b.ID, twofold.KindSoftwareOath, 2, "Home", 8, at(time.Minute)))
		wantCode(t, "second activation", s.ActivateMethodWithin(t.Context(), u.ID, b.ID, twofold.KindSoftwareOath, 5, "Home", 8, at(time.Minute)), twofold.ENOTFOUND)
	})
	t.Run("ActivateWithinCountsOnlyItsKind", func(t *testing.T) {
		u := f.newUser(t, f.org.ID, "kinds@example.com")
		must(t, "CreateMethod", s.CreateMethod(t.Context(), f.phone(u.ID, twofold.PhoneMobile, twofold.MethodActive, "+14255550100")))
		a := f.newMethod(t, u.ID, twofold.MethodPending, at(0))
		must(t, "activation beside a phone", s.ActivateMethodWithin(t.Context(), u.ID, a.ID, twofold.KindSoftwareOath, 1, "", 1, at(time.Minute)))
	})
	t.Run("ActivateWithinScoped", func(t *testing.T) {
		other := f.newUser(t, f.org.ID, "other-limit@example.com")
		theirs := f.newMethod(t, other.ID, twofold.MethodPending, at(0))
		wantCode(t, "another member's method", s.ActivateMethodWithin(t.Context(), f.user.ID, theirs.ID, twofold.KindSoftwareOath, 5, "", 1, at(time.Minute)), twofold.ENOTFOUND)
		wantCode(t, "wrong kind", s.ActivateMethodWithin(t.Context(), other.ID, theirs.ID, twofold.KindFido2, 5, "", 1, at(time.Minute)), twofold.ENOTFOUND)
		wantCode(t, "LockMember of nobody", s.InTx(t.Context(), func(ctx context.Context) error { return s.LockMember(ctx, "user-missing") }), twofold.ENOTFOUND)
	})
	t.Run("ActivateWithinRace", func(t *testing.T) {
		// Every racer activates a different pending app of one member with a
		// limit of 2: a count that is not serialized lets them all through.
		u := f.newUser(t, f.org.ID, "racer@example.com")
		pending := make([]*twofold.Method, limitRacers)
		for i := range pending {
			pending[i] = f.newMethod(t, u.ID, twofold.MethodPending, at(time.Duration(i)*time.Millisecond))
		}
		// Open the pool's connections first, so the racers meet in the database
		// rather than queue for connections.
		testkit.Simultaneously(limitRacers, func(int) error { return s.Ping(t.Context()) })
		errs := testkit.Simultaneously(limitRacers, func(i int) error {
			// As in the use cases, the activation is one step of a longer
			// transaction (the session, the audit event follow it).
			return s.InTx(t.Context(), func(ctx context.Context) error {
				if err := s.ActivateMethodWithin(ctx, u.ID, pending[i].ID, twofold.KindSoftwareOath, 2, "", 1, at(time.Minute)); err != nil {
					return err
				}
				_, err := s.ListMethods(ctx, u.ID, twofold.MethodActive)
				return err
			})
		})
		won := wonOrRefused(t, errs)
		same(t, "activations that succeeded", won, 2)
		same(t, "active apps", activeOf(t, s, u.ID, twofold.KindSoftwareOath), 2)
	})
	t.Run("PhoneTypeRace", func(t *testing.T) {
		// Racing registrations of one phone type leave one phone: the unique
		// index decides, not a check made before the insert.
		u := f.newUser(t, f.org.ID, "phones-race@example.com")
		phones := make([]*twofold.Method, limitRacers)
		for i := range phones {
			phones[i] = f.phone(u.ID, twofold.PhoneMobile, twofold.MethodActive, "+1425555"+fourDigits(i))
		}
		errs := testkit.Simultaneously(limitRacers, func(i int) error { return s.CreateMethod(t.Context(), phones[i]) })
		won := wonOrRefused(t, errs)
		same(t, "phones created", won, 1)
		same(t, "active phones", activeOf(t, s, u.ID, twofold.KindPhone), 1)
	})
}

func fourDigits(i int) string {
	const digits = "0123456789"
	return string([]byte{digits[i/1000%10], digits[i/100%10], digits[i/10%10], digits[i%10]})
}
