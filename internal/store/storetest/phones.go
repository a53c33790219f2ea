package storetest

import (
	"testing"
	"time"

	"github.com/twofold-id/twofold"
)

// phone returns an unsaved phone method of the user with the next fixture ID.
func (f *fixture) phone(userID string, typ twofold.PhoneType, state twofold.MethodState, number string) *twofold.Method {
	m := &twofold.Method{
		ID:          f.id("phone"),
		UserID:      userID,
		Kind:        twofold.KindPhone,
		State:       state,
		Name:        "Phone",
		PhoneNumber: number,
		PhoneType:   typ,
		CreatedAt:   at(time.Duration(f.seq) * time.Second),
	}
	if state == twofold.MethodActive {
		m.ActivatedAt = m.CreatedAt
	}
	return m
}

func testPhones(t *testing.T, f *fixture) {
	s := f.s
	other := f.newUser(t, f.org.ID, "eve@example.com")
	create := func(t *testing.T, m *twofold.Method) *twofold.Method {
		t.Helper()
		must(t, "CreateMethod", s.CreateMethod(t.Context(), m))
		return m
	}
	get := func(t *testing.T, m *twofold.Method) *twofold.Method {
		t.Helper()
		got, err := s.MethodByID(t.Context(), m.UserID, m.ID)
		must(t, "MethodByID", err)
		return got
	}
	mobile := create(t, f.phone(f.user.ID, twofold.PhoneMobile, twofold.MethodActive, "+14255550100"))

	t.Run("RoundTrip", func(t *testing.T) {
		same(t, "MethodByID", *get(t, mobile), *mobile)
		list, err := s.ListMethods(t.Context(), f.user.ID, twofold.MethodActive)
		must(t, "ListMethods", err)
		same(t, "ListMethods", len(list), 1)
		if len(list) == 1 {
			same(t, "listed phone", *list[0], *mobile)
		}
	})
	t.Run("SameTypeConflicts", func(t *testing.T) {
		dup := f.phone(f.user.ID, twofold.PhoneMobile, twofold.MethodActive, "+14255550111")
		err := s.CreateMethod(t.Context(), dup)
		wantCode(t, "CreateMethod of a second active mobile", err, twofold.ECONFLICT)
		same(t, "message", twofold.ErrorMessage(err), "You already have a phone of that type.")
		_, err = s.MethodByID(t.Context(), dup.UserID, dup.ID)
		wantCode(t, "MethodByID of refused phone", err, twofold.ENOTFOUND)
		// A taken ID is a different conflict and says so.
		taken := *mobile
		taken.State, taken.ActivatedAt = twofold.MethodPending, time.Time{}
		err = s.CreateMethod(t.Context(), &taken)
		wantCode(t, "CreateMethod with taken ID", err, twofold.ECONFLICT)
		same(t, "message", twofold.ErrorMessage(err), "That method already exists.")
	})
	t.Run("OtherTypes", func(t *testing.T) {
		office := create(t, f.phone(f.user.ID, twofold.PhoneOffice, twofold.MethodActive, "+14255550100"))
		alt := create(t, f.phone(f.user.ID, twofold.PhoneAlternateMobile, twofold.MethodActive, "+14255550102"))
		same(t, "office", *get(t, office), *office)
		same(t, "alternate mobile", *get(t, alt), *alt)
		wantCode(t, "CreateMethod of a second office phone",
			s.CreateMethod(t.Context(), f.phone(f.user.ID, twofold.PhoneOffice, twofold.MethodActive, "+14255550103")),
			twofold.ECONFLICT)
	})
	t.Run("PendingDoesNotConflict", func(t *testing.T) {
		p1 := create(t, f.phone(f.user.ID, twofold.PhoneMobile, twofold.MethodPending, "+14255550104"))
		p2 := create(t, f.phone(f.user.ID, twofold.PhoneMobile, twofold.MethodPending, "+14255550105"))
		same(t, "pending phone", *get(t, p1), *p1)
		// Activating one would make two active mobiles.
		err := s.ActivateMethod(t.Context(), f.user.ID, p2.ID, "Phone", 0, at(time.Hour))
		wantCode(t, "ActivateMethod of a second mobile", err, twofold.ECONFLICT)
		same(t, "message", twofold.ErrorMessage(err), "You already have a phone of that type.")
		same(t, "refused phone", *get(t, p2), *p2)
		must(t, "DeleteMethod", s.DeleteMethod(t.Context(), f.user.ID, p1.ID))
		must(t, "DeleteMethod", s.DeleteMethod(t.Context(), f.user.ID, p2.ID))
	})
	t.Run("OtherUser", func(t *testing.T) {
		theirs := create(t, f.phone(other.ID, twofold.PhoneMobile, twofold.MethodActive, "+14255550100"))
		same(t, "other member's mobile", *get(t, theirs), *theirs)
	})
	t.Run("OtherKinds", func(t *testing.T) {
		// Methods that are not phones have no phone type; any number may be active.
		a := f.newMethod(t, other.ID, twofold.MethodActive, at(0))
		b := f.newMethod(t, other.ID, twofold.MethodActive, at(time.Second))
		same(t, "second app", get(t, b).ID, b.ID)
		same(t, "first app", get(t, a).ID, a.ID)
	})
	t.Run("ReplaceAfterDelete", func(t *testing.T) {
		old := create(t, f.phone(other.ID, twofold.PhoneOffice, twofold.MethodActive, "+14255550106"))
		must(t, "DeleteMethod", s.DeleteMethod(t.Context(), other.ID, old.ID))
		repl := create(t, f.phone(other.ID, twofold.PhoneOffice, twofold.MethodActive, "+14255550107"))
		same(t, "replacement", *get(t, repl), *repl)
	})
	t.Run("UpdatePhoneNumber", func(t *testing.T) {
		must(t, "UpdatePhoneNumber", s.UpdatePhoneNumber(t.Context(), f.user.ID, mobile.ID, "+14255550199"))
		want := *mobile
		want.PhoneNumber = "+14255550199"
		same(t, "updated phone", *get(t, mobile), want)

		theirs := create(t, f.phone(other.ID, twofold.PhoneAlternateMobile, twofold.MethodActive, "+14255550108"))
		wantCode(t, "UpdatePhoneNumber of another member's phone",
			s.UpdatePhoneNumber(t.Context(), f.user.ID, theirs.ID, "+14255550199"), twofold.ENOTFOUND)
		same(t, "other member's phone", *get(t, theirs), *theirs)
		wantCode(t, "UpdatePhoneNumber of missing method",
			s.UpdatePhoneNumber(t.Context(), f.user.ID, "phone-missing", "+14255550199"), twofold.ENOTFOUND)
		app := f.newMethod(t, f.user.ID, twofold.MethodActive, at(0))
		wantCode(t, "UpdatePhoneNumber of an app", s.UpdatePhoneNumber(t.Context(), f.user.ID, app.ID, "+14255550199"),
			twofold.ENOTFOUND)
		same(t, "app", *get(t, app), *app)
	})
}
