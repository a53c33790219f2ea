package storetest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
)

// searchMember is what the search test made of one member, to judge the
// filters against.
type searchMember struct {
	name, display                         string
	role                                  twofold.Role
	disabled, locked, mfaBlocked, blocked bool
	kind                                  twofold.MethodKind // "" for none
}

func testUsersAdmin(t *testing.T, f *fixture) {
	s := f.s
	ctx := t.Context()
	now := at(time.Hour)

	t.Run("MustChangePassword", func(t *testing.T) {
		u := f.newUser(t, f.org.ID, "temp@example.com")
		same(t, "new member must change", f.getUser(t, u.ID).MustChangePassword, false)
		// A wrong password locked the member; the admin's password lifts it.
		g, ok, err := s.ReservePasswordGuess(ctx, u.ID, now, 1)
		must(t, "ReservePasswordGuess", err)
		same(t, "guess reserved", ok, true)
		locked, err := s.LockUser(ctx, u.ID, g, now, lengths)
		must(t, "LockUser", err)
		same(t, "locked", locked, true)
		must(t, "AdminSetPassword", s.AdminSetPassword(ctx, u.ID, "temp-hash", true))
		got := f.getUser(t, u.ID)
		same(t, "after admin password", []any{got.PasswordHash, got.MustChangePassword, got.LockedUntil.IsZero(), got.LockoutLevel, got.FailedPasswords},
			[]any{"temp-hash", true, true, 0, 0})
		wantCode(t, "AdminSetPassword of nobody", s.AdminSetPassword(ctx, "nobody", "h", true), twofold.ENOTFOUND)
		// Setting the hash (as a sign-in's rehash does) keeps the demand.
		must(t, "SetPasswordHash", s.SetPasswordHash(ctx, u.ID, "rehashed"))
		same(t, "after rehash", f.getUser(t, u.ID).MustChangePassword, true)
		// The member's own change meets it.
		ok, err = s.ReplacePasswordHash(ctx, u.ID, "rehashed", "own")
		must(t, "ReplacePasswordHash", err)
		same(t, "replaced", ok, true)
		same(t, "after own change", f.getUser(t, u.ID).MustChangePassword, false)
		must(t, "AdminSetPassword", s.AdminSetPassword(ctx, u.ID, "temp-2", true))
		must(t, "ClearMustChangePassword", s.ClearMustChangePassword(ctx, u.ID))
		same(t, "after clear", f.getUser(t, u.ID).MustChangePassword, false)
		// A member created with the flag keeps it.
		n := &twofold.User{ID: f.id("user"), OrgID: f.org.ID, Username: "created@example.com", DisplayName: "Created",
			Role: twofold.RoleMember, PasswordHash: "h", MustChangePassword: true, CreatedAt: at(0)}
		must(t, "CreateUser", s.CreateUser(ctx, n))
		same(t, "created with flag", f.getUser(t, n.ID).MustChangePassword, true)
	})

	t.Run("ClearLockout", func(t *testing.T) {
		u := f.newUser(t, f.org.ID, "lock@example.com")
		cleared, err := s.ClearLockout(ctx, u.ID, now)
		must(t, "ClearLockout", err)
		same(t, "cleared without a lock", cleared, false)
		g, _, err := s.ReservePasswordGuess(ctx, u.ID, now, 1)
		must(t, "ReservePasswordGuess", err)
		_, err = s.LockUser(ctx, u.ID, g, now, lengths)
		must(t, "LockUser", err)
		cleared, err = s.ClearLockout(ctx, u.ID, now)
		must(t, "ClearLockout", err)
		same(t, "cleared a lock", cleared, true)
		got := f.getUser(t, u.ID)
		same(t, "after clear", []any{got.LockedUntil.IsZero(), got.LockoutLevel, got.FailedPasswords}, []any{true, 0, 0})
		// A lock that has run out is no lock to clear.
		g, _, err = s.ReservePasswordGuess(ctx, u.ID, now, 1)
		must(t, "ReservePasswordGuess", err)
		_, err = s.LockUser(ctx, u.ID, g, now, lengths)
		must(t, "LockUser", err)
		cleared, err = s.ClearLockout(ctx, u.ID, now.Add(time.Hour))
		must(t, "ClearLockout", err)
		same(t, "cleared an ended lock", cleared, false)
	})

	t.Run("CountLiveSessions", func(t *testing.T) {
		u := f.newUser(t, f.org.ID, "sessions@example.com")
		f.newSession(t, u.ID, at(0), now.Add(time.Hour))
		f.newSession(t, u.ID, at(0), now.Add(time.Hour))
		f.newSession(t, u.ID, at(0), now.Add(-time.Minute)) // expired
		gone := f.newSession(t, u.ID, at(0), now.Add(time.Hour))
		must(t, "RevokeSession", s.RevokeSession(ctx, u.ID, gone.ID, now))
		n, err := s.CountLiveSessions(ctx, u.ID, now)
		must(t, "CountLiveSessions", err)
		same(t, "live sessions", n, 2)
	})

	t.Run("LastAdmin", func(t *testing.T) {
		org := f.newOrg(t, "admins.test")
		a := f.newUser(t, org.ID, "a@admins.test")
		b := f.newUser(t, org.ID, "b@admins.test")
		must(t, "SetRole a", s.SetRole(ctx, a.ID, twofold.RoleAdmin))
		wantCode(t, "disable the only admin", s.SetDisabled(ctx, a.ID, true), twofold.ECONFLICT)
		wantCode(t, "demote the only admin", s.SetRole(ctx, a.ID, twofold.RoleHelpdesk), twofold.ECONFLICT)
		must(t, "SetRole b", s.SetRole(ctx, b.ID, twofold.RoleAdmin))
		must(t, "disable a", s.SetDisabled(ctx, a.ID, true))
		// A disabled admin is no admin to keep: b is the last one.
		wantCode(t, "disable b", s.SetDisabled(ctx, b.ID, true), twofold.ECONFLICT)
		must(t, "demote disabled a", s.SetRole(ctx, a.ID, twofold.RoleMember))
		must(t, "enable a", s.SetDisabled(ctx, a.ID, false))
		same(t, "a", []any{f.getUser(t, a.ID).Role, f.getUser(t, a.ID).Disabled}, []any{twofold.RoleMember, false})
		wantCode(t, "disable nobody", s.SetDisabled(ctx, "nobody", true), twofold.ENOTFOUND)
		wantCode(t, "set role of nobody", s.SetRole(ctx, "nobody", twofold.RoleAdmin), twofold.ENOTFOUND)
	})

	// The last two admins, each disabled and demoted by a burst of racing
	// callers: the organization's lock orders the counts, so one stays.
	t.Run("LastAdminBurst", func(t *testing.T) {
		org := f.newOrg(t, "burst.test")
		a := f.newUser(t, org.ID, "a@burst.test")
		b := f.newUser(t, org.ID, "b@burst.test")
		must(t, "SetRole a", s.SetRole(ctx, a.ID, twofold.RoleAdmin))
		must(t, "SetRole b", s.SetRole(ctx, b.ID, twofold.RoleAdmin))
		got := burstOf(t, func(i int) (bool, error) {
			target := a.ID
			if i%2 == 1 {
				target = b.ID
			}
			var err error
			if i%4 < 2 {
				err = s.SetDisabled(ctx, target, true)
			} else {
				err = s.SetRole(ctx, target, twofold.RoleMember)
			}
			if twofold.ErrorCode(err) == twofold.ECONFLICT {
				return false, nil
			}
			return err == nil, err
		})
		if wins(got) == 0 || wins(got) == len(got) {
			t.Errorf("%d of %d changes done; want some refused and some done", wins(got), len(got))
		}
		var admins int
		for _, id := range []string{a.ID, b.ID} {
			if u := f.getUser(t, id); u.Role == twofold.RoleAdmin && !u.Disabled {
				admins++
			}
		}
		same(t, "enabled admins left", admins, 1)
	})

	t.Run("SearchUsers", func(t *testing.T) {
		org := f.newOrg(t, "search.test")
		other := f.newOrg(t, "elsewhere.test")
		f.newUser(t, other.ID, "m01@elsewhere.test") // never in org's results
		var members []searchMember
		ids := map[string]string{}
		for i := range 30 {
			m := searchMember{name: fmt.Sprintf("m%02d@search.test", i), role: twofold.RoleMember}
			var u *twofold.User
			if i == 13 { // a display name holding LIKE's wildcards
				u = &twofold.User{ID: f.id("user"), OrgID: org.ID, Username: m.name, DisplayName: "Zoë 100%_done",
					Role: twofold.RoleMember, PasswordHash: "h", CreatedAt: at(0)}
				must(t, "CreateUser", s.CreateUser(ctx, u))
			} else {
				u = f.newUser(t, org.ID, m.name)
			}
			m.display = u.DisplayName
			ids[m.name] = u.ID
			switch i % 8 {
			case 0:
				m.role = twofold.RoleAdmin
			case 1:
				m.role = twofold.RoleHelpdesk
			}
			must(t, "SetRole", s.SetRole(ctx, u.ID, m.role))
			if i%5 == 0 && i != 0 {
				m.disabled = true
				must(t, "SetDisabled", s.SetDisabled(ctx, u.ID, true))
			}
			if i%7 == 0 {
				m.locked = true
				g, _, err := s.ReservePasswordGuess(ctx, u.ID, now, 1)
				must(t, "ReservePasswordGuess", err)
				_, err = s.LockUser(ctx, u.ID, g, now.Add(-30*time.Second), lengths)
				must(t, "LockUser", err)
			}
			if i%7 == 1 { // a lock that has ended counts for nothing
				g, _, err := s.ReservePasswordGuess(ctx, u.ID, now.Add(-time.Hour), 1)
				must(t, "ReservePasswordGuess", err)
				_, err = s.LockUser(ctx, u.ID, g, now.Add(-time.Hour), lengths)
				must(t, "LockUser", err)
			}
			if i%4 == 0 {
				m.mfaBlocked = true
				must(t, "BlockMFA", s.BlockMFA(ctx, u.ID, now.Add(time.Hour)))
			}
			if i%4 == 1 {
				must(t, "BlockMFA ended", s.BlockMFA(ctx, u.ID, now.Add(-time.Second)))
			}
			if i%6 == 0 || i%6 == 1 {
				_, _, err := s.ReserveResetCheck(ctx, u.ID, now.Add(-time.Hour), 5, 24*time.Hour)
				must(t, "ReserveResetCheck", err)
			}
			if i%6 == 0 {
				m.blocked = true
				_, err := s.BlockReset(ctx, u.ID, now.Add(-time.Hour), now.Add(23*time.Hour))
				must(t, "BlockReset", err)
			}
			switch i % 3 {
			case 0:
				m.kind = twofold.KindSoftwareOath
				f.newMethod(t, u.ID, twofold.MethodActive, at(0))
				f.newMethod(t, u.ID, twofold.MethodActive, at(0)) // two of a kind, listed once
			case 1:
				m.kind = twofold.KindEmail
				must(t, "CreateMethod", s.CreateMethod(ctx, f.email(u.ID, twofold.MethodActive, m.name)))
			case 2:
				f.newMethod(t, u.ID, twofold.MethodPending, at(0)) // pending is no method yet
			}
			members = append(members, m)
		}

		filters := []struct {
			f    twofold.UserFilter
			want func(m searchMember) bool
		}{
			{twofold.UserFilter{}, func(searchMember) bool { return true }},
			{twofold.UserFilter{Text: "M2"}, func(m searchMember) bool { return strings.HasPrefix(m.name, "m2") }},
			{twofold.UserFilter{Text: "100%_"}, func(m searchMember) bool { return m.name == "m13@search.test" }},
			{twofold.UserFilter{Text: "0%"}, func(m searchMember) bool { return m.name == "m13@search.test" }},
			{twofold.UserFilter{Text: "m_1"}, func(searchMember) bool { return false }},
			{twofold.UserFilter{Status: twofold.StatusEnabled}, func(m searchMember) bool { return !m.disabled }},
			{twofold.UserFilter{Status: twofold.StatusDisabled}, func(m searchMember) bool { return m.disabled }},
			{twofold.UserFilter{Status: twofold.StatusLocked}, func(m searchMember) bool { return m.locked }},
			{twofold.UserFilter{Status: twofold.StatusMFABlocked}, func(m searchMember) bool { return m.mfaBlocked }},
			{twofold.UserFilter{Status: twofold.StatusResetBlocked}, func(m searchMember) bool { return m.blocked }},
			{twofold.UserFilter{Method: twofold.KindSoftwareOath}, func(m searchMember) bool { return m.kind == twofold.KindSoftwareOath }},
			{twofold.UserFilter{Method: twofold.KindEmail}, func(m searchMember) bool { return m.kind == twofold.KindEmail }},
			{twofold.UserFilter{Method: twofold.KindFido2}, func(searchMember) bool { return false }},
			{twofold.UserFilter{Method: twofold.MethodNone}, func(m searchMember) bool { return m.kind == "" }},
			{twofold.UserFilter{Role: twofold.RoleAdmin}, func(m searchMember) bool { return m.role == twofold.RoleAdmin }},
			{twofold.UserFilter{Role: twofold.RoleHelpdesk}, func(m searchMember) bool { return m.role == twofold.RoleHelpdesk }},
			{twofold.UserFilter{Role: twofold.RoleMember, Status: twofold.StatusMFABlocked, Method: twofold.KindSoftwareOath, Text: "search"},
				func(m searchMember) bool {
					return m.role == twofold.RoleMember && m.mfaBlocked && m.kind == twofold.KindSoftwareOath
				}},
		}
		for _, fl := range filters {
			var want []string
			for _, m := range members {
				if fl.want(m) {
					want = append(want, m.name)
				}
			}
			for _, limit := range []int{4, 200} {
				q := fl.f
				q.Limit, q.Now = limit, now
				var got []string
				for page := 0; ; page++ {
					if page > 30 {
						t.Fatalf("%+v: paging does not end", q)
					}
					rows, err := s.SearchUsers(ctx, org.ID, q)
					must(t, "SearchUsers", err)
					if len(rows) > limit {
						t.Fatalf("%+v: %d rows, more than the limit", q, len(rows))
					}
					for _, r := range rows {
						got = append(got, r.User.Username)
					}
					if len(rows) < limit {
						break
					}
					q.After = rows[len(rows)-1].User.Username
				}
				same(t, fmt.Sprintf("search %+v", fl.f), got, want)

				// Paging back from past the last name: the same members,
				// each page in user-name order.
				q.After, q.Before = "", "~"
				var back []string
				for page := 0; ; page++ {
					if page > 30 {
						t.Fatalf("%+v: paging back does not end", q)
					}
					rows, err := s.SearchUsers(ctx, org.ID, q)
					must(t, "SearchUsers", err)
					if len(rows) > limit {
						t.Fatalf("%+v: %d rows, more than the limit", q, len(rows))
					}
					var names []string
					for _, r := range rows {
						names = append(names, r.User.Username)
					}
					back = append(names, back...)
					if len(rows) < limit {
						break
					}
					q.Before = rows[0].User.Username
				}
				same(t, fmt.Sprintf("search back %+v", fl.f), back, want)
			}
		}

		// A row carries the member, the kinds of their active methods and the reset block.
		rows, err := s.SearchUsers(ctx, org.ID, twofold.UserFilter{Text: "m06@", Limit: 5, Now: now})
		must(t, "SearchUsers", err)
		if len(rows) != 1 {
			t.Fatalf("m06: %d rows", len(rows))
		}
		r := rows[0]
		same(t, "m06", []any{r.User.ID, r.User.Role, r.User.Disabled, r.Kinds, r.ResetBlockedUntil.Equal(now.Add(23 * time.Hour))},
			[]any{ids["m06@search.test"], twofold.RoleMember, false, []twofold.MethodKind{twofold.KindSoftwareOath}, true})
		rows, err = s.SearchUsers(ctx, org.ID, twofold.UserFilter{Text: "m02@", Limit: 5, Now: now})
		must(t, "SearchUsers", err)
		if len(rows) != 1 || len(rows[0].Kinds) != 0 || !rows[0].ResetBlockedUntil.IsZero() {
			t.Errorf("m02: %+v", rows)
		}
		_, err = s.SearchUsers(ctx, org.ID, twofold.UserFilter{Status: "sleeping", Limit: 5, Now: now})
		if err == nil {
			t.Error("an unknown status is accepted")
		}
		_, err = s.SearchUsers(ctx, org.ID, twofold.UserFilter{After: "a", Before: "b", Limit: 5, Now: now})
		if err == nil {
			t.Error("After and Before together are accepted")
		}
	})
}
