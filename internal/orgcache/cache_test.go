package orgcache

import (
	"context"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
)

// fakeStore counts organization reads; the rest of twofold.Store is not used.
type fakeStore struct {
	twofold.Store
	org   twofold.Organization
	reads int
}

func (f *fakeStore) OrgByID(_ context.Context, id string) (*twofold.Organization, error) {
	f.reads++
	if id != f.org.ID {
		return nil, twofold.Errorf(twofold.ENOTFOUND, "no such organization")
	}
	o := f.org
	return &o, nil
}

func (f *fakeStore) UpdatePolicy(_ context.Context, _ string, p twofold.Policy) error {
	f.org.Policy = p
	return nil
}

func TestCacheServesWithinTTLAndSeesLocalChangesAtOnce(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f := &fakeStore{org: twofold.Organization{ID: "o1", Name: "Contoso", Policy: twofold.DefaultPolicy()}}
	s := Wrap(f, 10*time.Second, func() time.Time { return now })

	a, _ := s.OrgByID(ctx, "o1")
	b, _ := s.OrgByID(ctx, "o1")
	if f.reads != 1 {
		t.Fatalf("%d reads within the TTL, want 1", f.reads)
	}
	// A caller changing its copy does not change the cache.
	a.Policy.MaxAuthenticatorApps = 1
	a.Policy.EnabledMethods[0] = "bogus"
	if c, _ := s.OrgByID(ctx, "o1"); c.Policy.MaxAuthenticatorApps != 5 || c.Policy.EnabledMethods[0] != twofold.KindSoftwareOath || b == c {
		t.Fatalf("the cached organization was changed through a copy: %+v", c.Policy)
	}

	// A change made through the cache is seen at once.
	p := twofold.DefaultPolicy()
	p.MaxAuthenticatorApps = 2
	if err := s.UpdatePolicy(ctx, "o1", p); err != nil {
		t.Fatal(err)
	}
	if c, _ := s.OrgByID(ctx, "o1"); c.Policy.MaxAuthenticatorApps != 2 {
		t.Fatalf("after UpdatePolicy: %d apps, want 2", c.Policy.MaxAuthenticatorApps)
	}

	// A change made elsewhere is seen once the TTL has passed.
	f.org.Policy.MaxAuthenticatorApps = 3
	now = now.Add(9 * time.Second)
	if c, _ := s.OrgByID(ctx, "o1"); c.Policy.MaxAuthenticatorApps != 2 {
		t.Fatalf("within the TTL: %d apps, want the cached 2", c.Policy.MaxAuthenticatorApps)
	}
	now = now.Add(2 * time.Second)
	if c, _ := s.OrgByID(ctx, "o1"); c.Policy.MaxAuthenticatorApps != 3 {
		t.Fatalf("after the TTL: %d apps, want 3", c.Policy.MaxAuthenticatorApps)
	}

	// Errors are not cached.
	if _, err := s.OrgByID(ctx, "missing"); twofold.ErrorCode(err) != twofold.ENOTFOUND {
		t.Fatalf("missing org: %v", err)
	}
	reads := f.reads
	_, _ = s.OrgByID(ctx, "missing")
	if f.reads != reads+1 {
		t.Fatal("a failed read was cached")
	}
}
