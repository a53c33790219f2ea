package storetest

import (
	"maps"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
)

// testReport covers the registration report's store: counts made in SQL from
// the classes the caller passes, keyset pages of members with their active
// methods, and the daily snapshot written once however many replicas try.
func testReport(t *testing.T, f *fixture) {
	ctx := t.Context()
	s := f.s
	org := f.newOrg(t, "report.example")
	create := func(m *twofold.Method) {
		t.Helper()
		must(t, "CreateMethod", s.CreateMethod(ctx, m))
	}
	// The population: every figure below is counted by hand from it.
	app := f.newUser(t, org.ID, "a-app@report.example")
	f.newMethod(t, app.ID, twofold.MethodActive, at(time.Minute))
	phones := f.newUser(t, org.ID, "b-phones@report.example")
	create(f.phone(phones.ID, twofold.PhoneMobile, twofold.MethodActive, "+14255550101"))
	create(f.phone(phones.ID, twofold.PhoneOffice, twofold.MethodActive, "+14255550102"))
	admin := &twofold.User{ID: f.id("user"), OrgID: org.ID, Username: "c-admin@report.example",
		DisplayName: "An admin", Role: twofold.RoleAdmin, PasswordHash: "$argon2id$x", CreatedAt: at(0)}
	must(t, "CreateUser", s.CreateUser(ctx, admin))
	create(f.email(admin.ID, twofold.MethodActive, "c@mail.example"))
	create(f.questionMethod(admin.ID, at(time.Minute)))
	pending := f.newUser(t, org.ID, "d-pending@report.example")
	f.newMethod(t, pending.ID, twofold.MethodPending, at(time.Minute))
	f.newUser(t, org.ID, "e-none@report.example")
	// Another organization's member never counts.
	f.newMethod(t, f.user.ID, twofold.MethodActive, at(time.Minute))

	cls := func(k twofold.MethodKind, pt twofold.PhoneType) twofold.MethodClass {
		return twofold.MethodClass{Kind: k, PhoneType: pt}
	}
	rules := twofold.RegistrationRules{
		Registered: []twofold.MethodClass{cls(twofold.KindSoftwareOath, ""), cls(twofold.KindFido2, ""),
			cls(twofold.KindPhone, twofold.PhoneMobile), cls(twofold.KindPhone, twofold.PhoneOffice)},
		Usable: []twofold.MethodClass{cls(twofold.KindSoftwareOath, ""), cls(twofold.KindPhone, twofold.PhoneMobile)},
		Reset: map[twofold.Role]twofold.ResetRule{
			twofold.RoleMember: {Required: 2, Classes: []twofold.MethodClass{cls(twofold.KindEmail, ""),
				cls(twofold.KindSecurityQuestions, ""), cls(twofold.KindPhone, twofold.PhoneMobile),
				cls(twofold.KindPhone, twofold.PhoneOffice)}},
			// Questions don't prove an admin here: one email is one method.
			twofold.RoleAdmin: {Required: 1, Classes: []twofold.MethodClass{cls(twofold.KindEmail, "")}},
		},
		Kinds: []twofold.MethodKind{twofold.KindSoftwareOath, twofold.KindPhone, twofold.KindFido2,
			twofold.KindEmail, twofold.KindSecurityQuestions},
	}
	t.Run("counts", func(t *testing.T) {
		c, err := s.RegistrationCounts(ctx, org.ID, rules)
		must(t, "RegistrationCounts", err)
		want := twofold.RegistrationCounts{Members: 5, MFARegistered: 2, MFACapable: 2, SSPRRegistered: 2,
			ByKind: map[twofold.MethodKind]int{twofold.KindSoftwareOath: 1, twofold.KindPhone: 1,
				twofold.KindEmail: 1, twofold.KindSecurityQuestions: 1}}
		if c.Members != want.Members || c.MFARegistered != want.MFARegistered || c.MFACapable != want.MFACapable ||
			c.SSPRRegistered != want.SSPRRegistered || !maps.Equal(c.ByKind, want.ByKind) {
			t.Errorf("counts = %+v, want %+v", *c, want)
		}
	})
	t.Run("counts follow the rules passed", func(t *testing.T) {
		r := rules
		r.Usable = []twofold.MethodClass{cls(twofold.KindPhone, twofold.PhoneOffice)}
		r.Reset = map[twofold.Role]twofold.ResetRule{
			twofold.RoleMember: {Required: 3, Classes: rules.Reset[twofold.RoleMember].Classes},
			twofold.RoleAdmin:  {Required: 2, Classes: []twofold.MethodClass{cls(twofold.KindEmail, ""), cls(twofold.KindSecurityQuestions, "")}},
		}
		c, err := s.RegistrationCounts(ctx, org.ID, r)
		must(t, "RegistrationCounts", err)
		if c.MFACapable != 1 || c.SSPRRegistered != 1 {
			t.Errorf("capable %d (want 1), reset registered %d (want 1: the admin's two)", c.MFACapable, c.SSPRRegistered)
		}
		// ByKind counts only the kinds asked for, each holder once.
		r.Kinds = []twofold.MethodKind{twofold.KindPhone, twofold.KindFido2}
		c, err = s.RegistrationCounts(ctx, org.ID, r)
		must(t, "RegistrationCounts kinds", err)
		if want := map[twofold.MethodKind]int{twofold.KindPhone: 1}; !maps.Equal(c.ByKind, want) {
			t.Errorf("by kind = %v, want %v", c.ByKind, want)
		}
		// A role with no rule is never registered; no classes at all is no error.
		c, err = s.RegistrationCounts(ctx, org.ID, twofold.RegistrationRules{})
		must(t, "RegistrationCounts empty", err)
		if c.Members != 5 || c.MFARegistered != 0 || c.MFACapable != 0 || c.SSPRRegistered != 0 {
			t.Errorf("empty rules = %+v", *c)
		}
		// Required 0 is met by everyone of the role, as a reset needing nothing is.
		c, err = s.RegistrationCounts(ctx, org.ID, twofold.RegistrationRules{Reset: map[twofold.Role]twofold.ResetRule{twofold.RoleMember: {}}})
		must(t, "RegistrationCounts zero", err)
		if c.SSPRRegistered != 4 {
			t.Errorf("required 0: %d registered, want the 4 members", c.SSPRRegistered)
		}
	})
	t.Run("an organization without members", func(t *testing.T) {
		empty := f.newOrg(t, "empty.example")
		c, err := s.RegistrationCounts(ctx, empty.ID, rules)
		must(t, "RegistrationCounts", err)
		if c.Members != 0 || c.MFARegistered != 0 || len(c.ByKind) != 0 {
			t.Errorf("empty org = %+v", *c)
		}
	})
	t.Run("members by keyset pages", func(t *testing.T) {
		var names []string
		after := ""
		for range 10 {
			page, err := s.RegistrationMembers(ctx, org.ID, after, 2)
			must(t, "RegistrationMembers", err)
			if len(page) == 0 {
				break
			}
			for _, mm := range page {
				if mm.User.PasswordHash != "" {
					t.Errorf("%s: password hash returned", mm.User.Username)
				}
				for _, m := range mm.Methods {
					if m.State != twofold.MethodActive || m.UserID != mm.User.ID || m.SecretSealed != nil {
						t.Errorf("%s: method %+v", mm.User.Username, m)
					}
				}
				want := map[string]int{app.Username: 1, phones.Username: 2, admin.Username: 2}[mm.User.Username]
				if len(mm.Methods) != want {
					t.Errorf("%s: %d methods, want %d", mm.User.Username, len(mm.Methods), want)
				}
				names = append(names, mm.User.Username)
			}
			after = page[len(page)-1].User.Username
		}
		want := []string{"a-app@report.example", "b-phones@report.example", "c-admin@report.example",
			"d-pending@report.example", "e-none@report.example"}
		if len(names) != len(want) {
			t.Fatalf("members = %v, want %v", names, want)
		}
		for i := range want {
			if names[i] != want[i] {
				t.Fatalf("members = %v, want %v", names, want)
			}
		}
	})
	t.Run("one snapshot a day however many replicas try", func(t *testing.T) {
		day := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
		won := raceN(t, 250, func(i int) (bool, error) {
			return s.SaveRegistrationSnapshot(ctx, &twofold.RegistrationSnapshot{OrgID: org.ID, Day: day,
				Members: 5 + i, MFARegistered: 2, MFACapable: 2, SSPRRegistered: 2, SSPRCapable: 1,
				ByKind: map[twofold.MethodKind]int{twofold.KindPhone: 1}, CreatedAt: at(time.Duration(i))})
		})
		if n := wins(won); n != 1 {
			t.Fatalf("%d of 250 snapshots stored, want 1", n)
		}
		ok, err := s.SaveRegistrationSnapshot(ctx, &twofold.RegistrationSnapshot{OrgID: org.ID, Day: day.AddDate(0, 0, 1),
			Members: 7, CreatedAt: at(24 * time.Hour)})
		if err != nil || !ok {
			t.Fatalf("next day = %v, %v", ok, err)
		}
		got, err := s.RegistrationSnapshots(ctx, org.ID, day)
		must(t, "RegistrationSnapshots", err)
		if len(got) != 2 || !got[0].Day.Equal(day) || !got[1].Day.Equal(day.AddDate(0, 0, 1)) || got[1].Members != 7 {
			t.Fatalf("snapshots = %+v", got)
		}
		if got[0].Members < 5 || got[0].SSPRCapable != 1 || got[0].ByKind[twofold.KindPhone] != 1 || got[0].OrgID != org.ID {
			t.Errorf("first snapshot = %+v", *got[0])
		}
		later, err := s.RegistrationSnapshots(ctx, org.ID, day.AddDate(0, 0, 1))
		if err != nil || len(later) != 1 {
			t.Errorf("since the second day = %v, %v", later, err)
		}
		if other, err := s.RegistrationSnapshots(ctx, f.org.ID, day); err != nil || len(other) != 0 {
			t.Errorf("another organization's snapshots = %v, %v", other, err)
		}
	})
}
