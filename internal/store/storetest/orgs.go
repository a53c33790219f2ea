package storetest

import (
	"testing"
	"time"

	"github.com/twofold-id/twofold"
)

func testOrgs(t *testing.T, f *fixture) {
	s := f.s
	t.Run("RoundTrip", func(t *testing.T) {
		p := twofold.DefaultPolicy()
		p.EnabledMethods = []twofold.MethodKind{twofold.KindSoftwareOath, twofold.KindFido2}
		p.MFARequired = false
		p.LockoutThreshold = 7
		p.LockoutDuration = twofold.Duration(90 * time.Second)
		p.HelpdeskContact = "help@example.org, +1 555 0100 — “ext” 7"
		berlin := time.FixedZone("CET", 3600)
		o := &twofold.Organization{ID: "org-rt", Name: "Round Trip", Domains: []string{"rt.example", "b.rt.example", "a.rt.example"},
			Policy: p, CreatedAt: at(time.Hour).In(berlin)}
		must(t, "CreateOrg", s.CreateOrg(t.Context(), o))
		want := *o
		want.CreatedAt = at(time.Hour)
		for _, get := range []func() (*twofold.Organization, error){
			func() (*twofold.Organization, error) { return s.OrgByID(t.Context(), "org-rt") },
			func() (*twofold.Organization, error) { return s.OrgByDomain(t.Context(), "b.rt.example") },
		} {
			got, err := get()
			must(t, "get org", err)
			same(t, "org", *got, want)
			if got.CreatedAt.Location() != time.UTC {
				t.Errorf("CreatedAt in %v, want UTC", got.CreatedAt.Location())
			}
		}
	})
	t.Run("NotFound", func(t *testing.T) {
		_, err := s.OrgByID(t.Context(), "org-missing")
		wantCode(t, "OrgByID", err, twofold.ENOTFOUND)
		_, err = s.OrgByDomain(t.Context(), "missing.example")
		wantCode(t, "OrgByDomain", err, twofold.ENOTFOUND)
		wantCode(t, "UpdatePolicy", s.UpdatePolicy(t.Context(), "org-missing", twofold.DefaultPolicy()), twofold.ENOTFOUND)
	})
	t.Run("Conflict", func(t *testing.T) {
		for _, tc := range []struct {
			name string
			org  twofold.Organization
		}{
			{"TakenDomain", twofold.Organization{ID: "org-c1", Name: "C1", Domains: []string{"fresh.example", f.org.Domains[0]}}},
			{"TakenID", twofold.Organization{ID: f.org.ID, Name: "C2", Domains: []string{"fresh2.example"}}},
			{"RepeatedDomain", twofold.Organization{ID: "org-c3", Name: "C3", Domains: []string{"twice.example", "twice.example"}}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				tc.org.Policy, tc.org.CreatedAt = twofold.DefaultPolicy(), at(0)
				wantCode(t, "CreateOrg", s.CreateOrg(t.Context(), &tc.org), twofold.ECONFLICT)
				// Nothing of a refused organization is kept.
				_, err := s.OrgByDomain(t.Context(), tc.org.Domains[0])
				wantCode(t, "OrgByDomain after conflict", err, twofold.ENOTFOUND)
			})
		}
	})
	t.Run("List", func(t *testing.T) {
		got, err := s.ListOrgs(t.Context())
		must(t, "ListOrgs", err)
		var ids []string
		for _, o := range got {
			ids = append(ids, o.ID)
			if len(o.Domains) == 0 {
				t.Errorf("org %s listed without domains", o.ID)
			}
		}
		// f.org was created at at(≈1s), org-rt at at(1h).
		same(t, "ListOrgs order", ids, []string{f.org.ID, "org-rt"})
		same(t, "listed domains", got[1].Domains, []string{"rt.example", "b.rt.example", "a.rt.example"})
	})
	t.Run("UpdatePolicy", func(t *testing.T) {
		p := twofold.DefaultPolicy()
		p.MaxAuthenticatorApps = 2
		p.MFABlockDuration = twofold.Duration(36 * time.Hour)
		p.EnabledMethods = []twofold.MethodKind{}
		must(t, "UpdatePolicy", s.UpdatePolicy(t.Context(), f.org.ID, p))
		got, err := s.OrgByID(t.Context(), f.org.ID)
		must(t, "OrgByID", err)
		same(t, "policy", got.Policy, p)
	})
}
