package storetest

import (
	"testing"
	"time"

	"github.com/twofold-id/twofold"
)

// email returns an unsaved email method of the user with the next fixture ID.
func (f *fixture) email(userID string, state twofold.MethodState, address string) *twofold.Method {
	m := &twofold.Method{
		ID:        f.id("email"),
		UserID:    userID,
		Kind:      twofold.KindEmail,
		State:     state,
		Name:      "Email",
		Email:     address,
		CreatedAt: at(time.Duration(f.seq) * time.Second),
	}
	if state == twofold.MethodActive {
		m.ActivatedAt = m.CreatedAt
	}
	return m
}

func testEmails(t *testing.T, f *fixture) {
	s := f.s
	other := f.newUser(t, f.org.ID, "eve@example.com")
	get := func(t *testing.T, m *twofold.Method) *twofold.Method {
		t.Helper()
		got, err := s.MethodByID(t.Context(), m.UserID, m.ID)
		must(t, "MethodByID", err)
		return got
	}
	first := f.email(f.user.ID, twofold.MethodActive, "Ada@contoso.com")
	must(t, "CreateMethod", s.CreateMethod(t.Context(), first))

	t.Run("RoundTrip", func(t *testing.T) {
		same(t, "MethodByID", *get(t, first), *first)
		list, err := s.ListMethods(t.Context(), f.user.ID, twofold.MethodActive)
		must(t, "ListMethods", err)
		same(t, "ListMethods", len(list), 1)
	})
	t.Run("OneActivePerMember", func(t *testing.T) {
		err := s.CreateMethod(t.Context(), f.email(f.user.ID, twofold.MethodActive, "ada@fabrikam.com"))
		wantCode(t, "CreateMethod of a second active email", err, twofold.ECONFLICT)
		same(t, "message", twofold.ErrorMessage(err), "You already have an email address. Change it instead.")
		// Another member may have the same address.
		theirs := f.email(other.ID, twofold.MethodActive, "Ada@contoso.com")
		must(t, "CreateMethod of another member's email", s.CreateMethod(t.Context(), theirs))
		same(t, "other member's email", *get(t, theirs), *theirs)
		must(t, "DeleteMethod", s.DeleteMethod(t.Context(), other.ID, theirs.ID))
	})
	t.Run("UpdateEmail", func(t *testing.T) {
		must(t, "UpdateEmail", s.UpdateEmail(t.Context(), f.user.ID, first.ID, "ada@fabrikam.com"))
		want := *first
		want.Email = "ada@fabrikam.com"
		same(t, "updated email", *get(t, first), want)
		wantCode(t, "UpdateEmail of another member's email",
			s.UpdateEmail(t.Context(), other.ID, first.ID, "eve@fabrikam.com"), twofold.ENOTFOUND)
		app := f.newMethod(t, f.user.ID, twofold.MethodActive, at(0))
		wantCode(t, "UpdateEmail of an app", s.UpdateEmail(t.Context(), f.user.ID, app.ID, "x@fabrikam.com"),
			twofold.ENOTFOUND)
		same(t, "app", *get(t, app), *app)
	})
	t.Run("ChallengeRoundTrip", func(t *testing.T) {
		c := &twofold.Challenge{ID: f.id("challenge"), UserID: f.user.ID, OrgID: f.org.ID,
			Binding: "reset:" + twofold.HashToken("r"), Purpose: twofold.PurposeReset,
			Channel: twofold.ChannelEmail, MethodID: first.ID, Email: "ada@fabrikam.com", CodeHash: "h",
			State: twofold.ChallengeSent, CreatedAt: at(0), ExpiresAt: at(5 * time.Minute), UpdatedAt: at(0)}
		must(t, "CreateChallenge", s.CreateChallenge(t.Context(), c))
		got, err := s.ChallengeByID(t.Context(), c.ID)
		must(t, "ChallengeByID", err)
		same(t, "email challenge", *got, *c)
	})
	t.Run("RacingRegistrationsSaveOne", func(t *testing.T) {
		// Of many members' tabs registering an email at once, one succeeds.
		racer := f.newUser(t, f.org.ID, "racer@example.com")
		ms := make([]*twofold.Method, burst)
		for i := range ms {
			ms[i] = f.email(racer.ID, twofold.MethodActive, "racer@contoso.com")
		}
		oks := raceN(t, burst, func(i int) (bool, error) {
			err := s.CreateMethod(t.Context(), ms[i])
			if twofold.ErrorCode(err) == twofold.ECONFLICT {
				return false, nil
			}
			return err == nil, err
		})
		won := 0
		for _, ok := range oks {
			if ok {
				won++
			}
		}
		same(t, "emails saved", won, 1)
		list, err := s.ListMethods(t.Context(), racer.ID, twofold.MethodActive)
		must(t, "ListMethods", err)
		same(t, "active emails", len(list), 1)
	})
}
