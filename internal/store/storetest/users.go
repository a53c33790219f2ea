package storetest

import (
	"testing"
	"time"

	"github.com/twofold-id/twofold"
)

func testUsers(t *testing.T, f *fixture) {
	s := f.s
	t.Run("RoundTrip", func(t *testing.T) {
		for _, u := range []*twofold.User{
			{ID: "user-full", OrgID: f.org.ID, Username: "grace@example.com", DisplayName: "Grace Hopper",
				Role: twofold.RoleAdmin, PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$YQ$Yg", Disabled: true,
				PreferredMethod: twofold.PreferenceOath, CreatedAt: at(time.Minute), FailedPasswords: 3,
				LockoutLevel: 2, LockedUntil: at(2 * time.Minute), FailedMFA: 4, MFABlockedUntil: at(3 * time.Minute),
				MFABlockLevel: 3},
			{ID: "user-zero", OrgID: f.org.ID, Username: "zero@example.com", Role: twofold.RoleMember, CreatedAt: at(0)},
		} {
			t.Run(u.ID, func(t *testing.T) {
				must(t, "CreateUser", s.CreateUser(t.Context(), u))
				got, err := s.UserByID(t.Context(), u.ID)
				must(t, "UserByID", err)
				same(t, "UserByID", *got, *u)
				got, err = s.UserByUsername(t.Context(), u.Username)
				must(t, "UserByUsername", err)
				same(t, "UserByUsername", *got, *u)
			})
		}
	})
	t.Run("Errors", func(t *testing.T) {
		dup := *f.user
		dup.ID = "user-dup"
		upper := *f.user
		upper.ID, upper.Username = "user-upper", "Upper@example.com"
		orphan := *f.user
		orphan.ID, orphan.Username, orphan.OrgID = "user-orphan", "orphan@example.com", "org-missing"
		_, byID := s.UserByID(t.Context(), "user-missing")
		_, byName := s.UserByUsername(t.Context(), "missing@example.com")
		_, byUpper := s.UserByUsername(t.Context(), "ADA@example.com")
		for _, tc := range []struct {
			name string
			err  error
			want string
		}{
			{"TakenUsername", s.CreateUser(t.Context(), &dup), twofold.ECONFLICT},
			{"TakenID", s.CreateUser(t.Context(), &twofold.User{ID: f.user.ID, OrgID: f.org.ID, Username: "other@example.com", CreatedAt: at(0)}), twofold.ECONFLICT},
			{"UpperCase", s.CreateUser(t.Context(), &upper), twofold.EINVALID},
			{"MissingOrg", s.CreateUser(t.Context(), &orphan), twofold.ENOTFOUND},
			{"UserByID", byID, twofold.ENOTFOUND},
			{"UserByUsername", byName, twofold.ENOTFOUND},
			{"UserByUsernameUpper", byUpper, twofold.ENOTFOUND},
			{"SetPasswordHash", s.SetPasswordHash(t.Context(), "user-missing", "x"), twofold.ENOTFOUND},
			{"SetPreferredMethod", s.SetPreferredMethod(t.Context(), "user-missing", twofold.PreferenceOath), twofold.ENOTFOUND},
		} {
			t.Run(tc.name, func(t *testing.T) { wantCode(t, tc.name, tc.err, tc.want) })
		}
	})
	t.Run("List", func(t *testing.T) {
		other := f.newOrg(t, "other.example")
		f.newUser(t, other.ID, "zed@other.example")
		f.newUser(t, f.org.ID, "bob@example.com")
		got, err := s.ListUsers(t.Context(), f.org.ID)
		must(t, "ListUsers", err)
		var names []string
		for _, u := range got {
			names = append(names, u.Username)
		}
		same(t, "ListUsers", names, []string{"ada@example.com", "bob@example.com", "grace@example.com", "zero@example.com"})
		got, err = s.ListUsers(t.Context(), "org-missing")
		must(t, "ListUsers of missing org", err)
		same(t, "ListUsers of missing org", len(got), 0)
	})
	t.Run("Setters", func(t *testing.T) {
		u := f.newUser(t, f.org.ID, "setters@example.com")
		must(t, "SetPasswordHash", s.SetPasswordHash(t.Context(), u.ID, "$argon2id$new"))
		must(t, "SetPreferredMethod", s.SetPreferredMethod(t.Context(), u.ID, twofold.PreferenceFido2))
		got, err := s.UserByID(t.Context(), u.ID)
		must(t, "UserByID", err)
		same(t, "PasswordHash", got.PasswordHash, "$argon2id$new")
		same(t, "PreferredMethod", got.PreferredMethod, twofold.PreferenceFido2)
	})
}

func testUserCounters(t *testing.T, f *fixture) {
	s := f.s
	get := f.getUser
	t.Run("MFA", func(t *testing.T) {
		u := f.newUser(t, f.org.ID, "mfa@example.com")
		for want := 1; want <= 3; want++ {
			n, err := s.RecordMFAFailure(t.Context(), u.ID, at(0))
			must(t, "RecordMFAFailure", err)
			same(t, "failure count", n, want)
		}
		must(t, "BlockMFA", s.BlockMFA(t.Context(), u.ID, at(time.Hour)))
		got := get(t, u.ID)
		same(t, "FailedMFA after block", got.FailedMFA, 3)
		same(t, "MFABlockedUntil", got.MFABlockedUntil, at(time.Hour))
		// During the block the count goes on past the limit…
		n, err := s.RecordMFAFailure(t.Context(), u.ID, at(time.Hour-time.Second))
		must(t, "RecordMFAFailure during block", err)
		same(t, "count during block", n, 4)
		// …and once it has ended, the next failure lifts it and starts again at 1.
		n, err = s.RecordMFAFailure(t.Context(), u.ID, at(time.Hour))
		must(t, "RecordMFAFailure after block", err)
		same(t, "count after block", n, 1)
		same(t, "MFABlockedUntil after block", get(t, u.ID).MFABlockedUntil, time.Time{})
		must(t, "RecordMFASuccess", s.RecordMFASuccess(t.Context(), u.ID))
		same(t, "FailedMFA after success", get(t, u.ID).FailedMFA, 0)
		must(t, "RecordMFASuccess again", s.RecordMFASuccess(t.Context(), u.ID))
		// Clearing the block is BlockMFA with the zero time.
		must(t, "BlockMFA zero", s.BlockMFA(t.Context(), u.ID, time.Time{}))
		same(t, "MFABlockedUntil cleared", get(t, u.ID).MFABlockedUntil, time.Time{})
	})
	t.Run("NotFound", func(t *testing.T) {
		_, _, err := s.ReservePasswordGuess(t.Context(), "user-missing", at(0), 10)
		wantCode(t, "ReservePasswordGuess", err, twofold.ENOTFOUND)
		_, err = s.RecordMFAFailure(t.Context(), "user-missing", at(0))
		wantCode(t, "RecordMFAFailure", err, twofold.ENOTFOUND)
		_, err = s.LockUser(t.Context(), "user-missing", twofold.PasswordGuess{}, at(0), []time.Duration{time.Minute})
		wantCode(t, "LockUser", err, twofold.ENOTFOUND)
		_, err = s.EscalateMFABlock(t.Context(), "user-missing", at(0), []time.Duration{time.Minute})
		wantCode(t, "EscalateMFABlock", err, twofold.ENOTFOUND)
		wantCode(t, "BlockMFA", s.BlockMFA(t.Context(), "user-missing", at(0)), twofold.ENOTFOUND)
	})
}

// getUser reads the user back, failing t if it cannot.
func (f *fixture) getUser(t *testing.T, id string) *twofold.User {
	t.Helper()
	u, err := f.s.UserByID(t.Context(), id)
	must(t, "UserByID", err)
	return u
}
