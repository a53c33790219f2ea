package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
)

func (f *fixture) newToken(t *testing.T, orgID, name string) *twofold.APIToken {
	t.Helper()
	tok := &twofold.APIToken{
		ID: f.id("token"), OrgID: orgID, Name: name,
		Scopes:    []twofold.Scope{twofold.ScopeUsersRead, twofold.ScopeAuditRead},
		TokenHash: twofold.HashToken(f.id("secret")),
		CreatedAt: at(0), ExpiresAt: at(90 * 24 * time.Hour), CreatedBy: "cli",
	}
	must(t, "CreateAPIToken", f.s.CreateAPIToken(t.Context(), tok))
	return tok
}

func testTokens(t *testing.T, f *fixture) {
	ctx := t.Context()
	other := f.newOrg(t, "other.example")

	t.Run("stored and found by hash, scopes in order", func(t *testing.T) {
		tok := f.newToken(t, f.org.ID, "hr-sync")
		got, err := f.s.APITokenByHash(ctx, tok.TokenHash)
		must(t, "APITokenByHash", err)
		same(t, "token", got, tok)
		_, err = f.s.APITokenByHash(ctx, twofold.HashToken("nothing"))
		wantCode(t, "unknown hash", err, twofold.ENOTFOUND)
	})

	t.Run("no scopes reads back as an empty list, not nil", func(t *testing.T) {
		tok := &twofold.APIToken{ID: f.id("token"), OrgID: f.org.ID, Name: "empty", Scopes: nil,
			TokenHash: twofold.HashToken(f.id("secret")), CreatedAt: at(0), ExpiresAt: at(time.Hour)}
		must(t, "create", f.s.CreateAPIToken(ctx, tok))
		got, err := f.s.APITokenByHash(ctx, tok.TokenHash)
		must(t, "read", err)
		if got.Scopes == nil || len(got.Scopes) != 0 {
			t.Errorf("scopes = %#v, want an empty non-nil list (nil would mean unlimited to an Actor)", got.Scopes)
		}
	})

	t.Run("names are unique among live tokens of an organization", func(t *testing.T) {
		a := f.newToken(t, f.org.ID, "dup")
		dup := &twofold.APIToken{ID: f.id("token"), OrgID: f.org.ID, Name: "dup", Scopes: a.Scopes,
			TokenHash: twofold.HashToken(f.id("secret")), CreatedAt: at(0), ExpiresAt: at(time.Hour)}
		wantCode(t, "same name", f.s.CreateAPIToken(ctx, dup), twofold.ECONFLICT)
		f.newToken(t, other.ID, "dup") // another organization may use it
		ok, err := f.s.RevokeAPIToken(ctx, f.org.ID, a.ID, at(time.Minute))
		if err != nil || !ok {
			t.Fatalf("revoke = %v, %v", ok, err)
		}
		must(t, "same name after revoke", f.s.CreateAPIToken(ctx, dup))
		missing := &twofold.APIToken{ID: f.id("token"), OrgID: "no-such-org", Name: "x", TokenHash: twofold.HashToken(f.id("s")),
			CreatedAt: at(0), ExpiresAt: at(time.Hour)}
		wantCode(t, "unknown organization", f.s.CreateAPIToken(ctx, missing), twofold.ENOTFOUND)
	})

	t.Run("list by organization or all, oldest first", func(t *testing.T) {
		o := f.newOrg(t, "listing.example")
		a := f.newToken(t, o.ID, "a")
		b := f.newToken(t, o.ID, "b")
		got, err := f.s.ListAPITokens(ctx, o.ID)
		must(t, "list", err)
		if len(got) != 2 || got[0].ID != a.ID || got[1].ID != b.ID {
			t.Errorf("list = %+v", got)
		}
		all, err := f.s.ListAPITokens(ctx, "")
		must(t, "list all", err)
		orgs := map[string]bool{}
		for _, tok := range all {
			orgs[tok.OrgID] = true
		}
		if !orgs[o.ID] || !orgs[f.org.ID] || !orgs[other.ID] {
			t.Errorf("list all covers organizations %v", orgs)
		}
		none, err := f.s.ListAPITokens(ctx, "no-such-org")
		if err != nil || len(none) != 0 {
			t.Errorf("list of unknown organization = %v, %v", none, err)
		}
	})

	t.Run("revoke only within the organization, once", func(t *testing.T) {
		tok := f.newToken(t, f.org.ID, "revokable")
		_, err := f.s.RevokeAPIToken(ctx, other.ID, tok.ID, at(time.Minute))
		wantCode(t, "other organization", err, twofold.ENOTFOUND)
		_, err = f.s.RevokeAPIToken(ctx, f.org.ID, "no-such-token", at(time.Minute))
		wantCode(t, "unknown token", err, twofold.ENOTFOUND)
		if ok, err := f.s.RevokeAPIToken(ctx, f.org.ID, tok.ID, at(time.Minute)); err != nil || !ok {
			t.Fatalf("revoke = %v, %v", ok, err)
		}
		if ok, err := f.s.RevokeAPIToken(ctx, "", tok.ID, at(2*time.Minute)); err != nil || ok {
			t.Fatalf("second revoke = %v, %v", ok, err)
		}
		got, _ := f.s.APITokenByHash(ctx, tok.TokenHash)
		if !got.RevokedAt.Equal(at(time.Minute)) {
			t.Errorf("revoked at %v, want the first revocation's time", got.RevokedAt)
		}
	})

	t.Run("touch at most once per interval, never on a revoked token", func(t *testing.T) {
		tok := f.newToken(t, f.org.ID, "touched")
		step := []struct {
			now  time.Duration
			want bool
		}{{0, true}, {30 * time.Second, false}, {time.Minute, true}, {90 * time.Second, false}, {-time.Hour, false}}
		for _, s := range step {
			ok, err := f.s.TouchAPIToken(ctx, tok.ID, at(s.now), time.Minute)
			if err != nil || ok != s.want {
				t.Errorf("touch at +%v = %v, %v; want %v", s.now, ok, err, s.want)
			}
		}
		got, _ := f.s.APITokenByHash(ctx, tok.TokenHash)
		if !got.LastUsedAt.Equal(at(time.Minute)) {
			t.Errorf("last used %v, want %v", got.LastUsedAt, at(time.Minute))
		}
		_, _ = f.s.RevokeAPIToken(ctx, f.org.ID, tok.ID, at(2*time.Minute))
		if ok, err := f.s.TouchAPIToken(ctx, tok.ID, at(time.Hour), time.Minute); err != nil || ok {
			t.Errorf("touch of revoked token = %v, %v", ok, err)
		}
	})

	const n = 250
	t.Run("racing creations of one name: exactly one wins", func(t *testing.T) {
		created := raceN(t, n, func(i int) (bool, error) {
			err := f.s.CreateAPIToken(ctx, &twofold.APIToken{
				ID: fmt.Sprintf("race-create-%d", i), OrgID: f.org.ID, Name: "contested",
				Scopes: []twofold.Scope{twofold.ScopeUsersRead}, TokenHash: twofold.HashToken(fmt.Sprintf("race-create-%d", i)),
				CreatedAt: at(0), ExpiresAt: at(time.Hour),
			})
			if twofold.ErrorCode(err) == twofold.ECONFLICT {
				return false, nil
			}
			return err == nil, err
		})
		if k := wins(created); k != 1 {
			t.Errorf("%d of %d racing creations won, want 1", k, n)
		}
	})

	t.Run("racing touches in one minute: exactly one writes", func(t *testing.T) {
		tok := f.newToken(t, f.org.ID, "busy")
		touched := raceN(t, n, func(i int) (bool, error) {
			return f.s.TouchAPIToken(ctx, tok.ID, at(time.Duration(i)*time.Millisecond), time.Minute)
		})
		if k := wins(touched); k != 1 {
			t.Errorf("%d of %d racing touches wrote, want 1", k, n)
		}
	})

	t.Run("revoke racing use: one revocation, and nothing written after it", func(t *testing.T) {
		tok := f.newToken(t, f.org.ID, "raced")
		// Half the callers revoke, half record a use a minute apart each, so
		// every touch would write if the token were live.
		results := raceN(t, n, func(i int) (bool, error) {
			if i%2 == 0 {
				return f.s.RevokeAPIToken(ctx, f.org.ID, tok.ID, at(time.Hour))
			}
			_, err := f.s.TouchAPIToken(ctx, tok.ID, at(time.Duration(i)*time.Minute), time.Minute)
			return false, err
		})
		if k := wins(results); k != 1 {
			t.Errorf("%d racing revocations won, want 1", k)
		}
		got, err := f.s.APITokenByHash(ctx, tok.TokenHash)
		must(t, "read", err)
		if !got.RevokedAt.Equal(at(time.Hour)) {
			t.Errorf("revoked at %v, want %v (a touch must not clear or move it)", got.RevokedAt, at(time.Hour))
		}
		before := got.LastUsedAt
		if ok, err := f.s.TouchAPIToken(ctx, tok.ID, at(1000*time.Hour), time.Minute); err != nil || ok {
			t.Errorf("touch after the race = %v, %v", ok, err)
		}
		got, _ = f.s.APITokenByHash(ctx, tok.TokenHash)
		if !got.LastUsedAt.Equal(before) {
			t.Errorf("last used moved from %v to %v on a revoked token", before, got.LastUsedAt)
		}
	})
}
