package storetest

import (
	"testing"
	"time"

	"github.com/twofold-id/twofold"
)

func testMethods(t *testing.T, f *fixture) {
	s := f.s
	other := f.newUser(t, f.org.ID, "eve@example.com")
	pending := f.newMethod(t, f.user.ID, twofold.MethodPending, at(time.Minute))
	active := f.newMethod(t, f.user.ID, twofold.MethodActive, at(2*time.Minute))
	theirs := f.newMethod(t, other.ID, twofold.MethodActive, at(3*time.Minute))

	t.Run("RoundTrip", func(t *testing.T) {
		for _, m := range []*twofold.Method{pending, active} {
			got, err := s.MethodByID(t.Context(), f.user.ID, m.ID)
			must(t, "MethodByID", err)
			same(t, "MethodByID", *got, *m)
		}
	})
	t.Run("Scoped", func(t *testing.T) {
		// Every per-user call treats another member's method as missing, and
		// leaves it alone.
		_, err := s.MethodByID(t.Context(), f.user.ID, theirs.ID)
		wantCode(t, "MethodByID", err, twofold.ENOTFOUND)
		wantCode(t, "DeleteMethod", s.DeleteMethod(t.Context(), f.user.ID, theirs.ID), twofold.ENOTFOUND)
		p := f.newMethod(t, other.ID, twofold.MethodPending, at(4*time.Minute))
		wantCode(t, "ActivateMethod", s.ActivateMethod(t.Context(), f.user.ID, p.ID, "Mine now", 5, at(0)), twofold.ENOTFOUND)
		got, err := s.MethodByID(t.Context(), other.ID, p.ID)
		must(t, "MethodByID of owner", err)
		same(t, "untouched method", *got, *p)
		_, err = s.MethodByID(t.Context(), other.ID, theirs.ID)
		must(t, "MethodByID of owner", err)
		must(t, "DeleteMethod", s.DeleteMethod(t.Context(), other.ID, p.ID))
	})
	t.Run("NotFound", func(t *testing.T) {
		_, err := s.MethodByID(t.Context(), f.user.ID, "method-missing")
		wantCode(t, "MethodByID", err, twofold.ENOTFOUND)
		wantCode(t, "DeleteMethod", s.DeleteMethod(t.Context(), f.user.ID, "method-missing"), twofold.ENOTFOUND)
		wantCode(t, "ActivateMethod", s.ActivateMethod(t.Context(), f.user.ID, "method-missing", "x", 1, at(0)), twofold.ENOTFOUND)
		orphan := *pending
		orphan.ID, orphan.UserID = "method-orphan", "user-missing"
		wantCode(t, "CreateMethod for missing user", s.CreateMethod(t.Context(), &orphan), twofold.ENOTFOUND)
		wantCode(t, "CreateMethod with taken ID", s.CreateMethod(t.Context(), pending), twofold.ECONFLICT)
	})
	t.Run("Activate", func(t *testing.T) {
		m := f.newMethod(t, f.user.ID, twofold.MethodPending, at(5*time.Minute))
		must(t, "ActivateMethod", s.ActivateMethod(t.Context(), f.user.ID, m.ID, "Work phone", 4242, at(6*time.Minute)))
		got, err := s.MethodByID(t.Context(), f.user.ID, m.ID)
		must(t, "MethodByID", err)
		want := *m
		want.State, want.Name, want.LastStep, want.ActivatedAt = twofold.MethodActive, "Work phone", 4242, at(6*time.Minute)
		same(t, "activated method", *got, want)
		// Only a pending method can be activated.
		wantCode(t, "ActivateMethod twice", s.ActivateMethod(t.Context(), f.user.ID, m.ID, "Again", 1, at(7*time.Minute)), twofold.ENOTFOUND)
		must(t, "DeleteMethod", s.DeleteMethod(t.Context(), f.user.ID, m.ID))
	})
	t.Run("List", func(t *testing.T) {
		extra := f.newMethod(t, f.user.ID, twofold.MethodActive, at(30*time.Second))
		defer func() { must(t, "DeleteMethod", s.DeleteMethod(t.Context(), f.user.ID, extra.ID)) }()
		for _, tc := range []struct {
			state twofold.MethodState
			want  []string
		}{
			{"", []string{extra.ID, pending.ID, active.ID}},
			{twofold.MethodActive, []string{extra.ID, active.ID}},
			{twofold.MethodPending, []string{pending.ID}},
		} {
			got, err := s.ListMethods(t.Context(), f.user.ID, tc.state)
			must(t, "ListMethods", err)
			var ids []string
			for _, m := range got {
				ids = append(ids, m.ID)
				if m.UserID != f.user.ID {
					t.Errorf("ListMethods returned %s of user %s", m.ID, m.UserID)
				}
			}
			same(t, "ListMethods("+string(tc.state)+")", ids, tc.want)
		}
		got, err := s.ListMethods(t.Context(), "user-missing", "")
		must(t, "ListMethods of missing user", err)
		same(t, "ListMethods of missing user", len(got), 0)
	})
	t.Run("Delete", func(t *testing.T) {
		m := f.newMethod(t, f.user.ID, twofold.MethodActive, at(8*time.Minute))
		must(t, "DeleteMethod", s.DeleteMethod(t.Context(), f.user.ID, m.ID))
		_, err := s.MethodByID(t.Context(), f.user.ID, m.ID)
		wantCode(t, "MethodByID after delete", err, twofold.ENOTFOUND)
		wantCode(t, "DeleteMethod twice", s.DeleteMethod(t.Context(), f.user.ID, m.ID), twofold.ENOTFOUND)
	})
	t.Run("DeletePendingBefore", func(t *testing.T) {
		old := f.newMethod(t, other.ID, twofold.MethodPending, at(-time.Hour))
		n, err := s.DeletePendingBefore(t.Context(), at(90*time.Second))
		must(t, "DeletePendingBefore", err)
		// old and pending were pending and older; active methods of any age stay.
		same(t, "deleted", n, 2)
		for _, m := range []*twofold.Method{old, pending} {
			_, err := s.MethodByID(t.Context(), m.UserID, m.ID)
			wantCode(t, "MethodByID of abandoned", err, twofold.ENOTFOUND)
		}
		_, err = s.MethodByID(t.Context(), f.user.ID, active.ID)
		must(t, "MethodByID of active", err)
		n, err = s.DeletePendingBefore(t.Context(), at(90*time.Second))
		must(t, "DeletePendingBefore again", err)
		same(t, "deleted again", n, 0)
	})
}

func testConsumeStep(t *testing.T, f *fixture) {
	s := f.s
	m := f.newMethod(t, f.user.ID, twofold.MethodActive, at(0)) // LastStep 100
	p := f.newMethod(t, f.user.ID, twofold.MethodPending, at(0))
	for _, tc := range []struct {
		name   string
		method string
		step   int64
		want   bool
	}{
		{"Newer", m.ID, 101, true},
		{"Same", m.ID, 101, false},
		{"Older", m.ID, 100, false},
		{"MuchOlder", m.ID, 1, false},
		{"SkipAhead", m.ID, 105, true},
		{"BetweenAfterSkip", m.ID, 103, false},
		{"Pending", p.ID, 500, false},
		{"Missing", "method-missing", 500, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ok, err := s.ConsumeStep(t.Context(), tc.method, tc.step, at(time.Duration(tc.step)*time.Second))
			must(t, "ConsumeStep", err)
			same(t, "consumed", ok, tc.want)
		})
	}
	got, err := s.MethodByID(t.Context(), f.user.ID, m.ID)
	must(t, "MethodByID", err)
	same(t, "LastStep", got.LastStep, int64(105))
	same(t, "LastUsedAt", got.LastUsedAt, at(105*time.Second))
	got, err = s.MethodByID(t.Context(), f.user.ID, p.ID)
	must(t, "MethodByID", err)
	same(t, "pending LastStep", got.LastStep, int64(0))
}
