package apitoken_test

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/apitoken"
	"github.com/twofold-id/twofold/internal/testkit"
)

type env struct {
	*testkit.Kit
	svc *apitoken.Service
	org *twofold.Organization
	cli *twofold.Actor
	c   twofold.Client
}

func newEnv(t *testing.T, backend string) *env {
	t.Helper()
	k := testkit.NewWith(t, testkit.Options{Backend: backend})
	return &env{
		Kit: k,
		svc: &apitoken.Service{Store: k.Store, Audit: k.Audit, Now: k.Clock.Now},
		org: k.NewOrg("contoso.com"),
		cli: twofold.CLIActor(),
		c:   testkit.Client("198.51.100.7"),
	}
}

func (e *env) create(t *testing.T, name string, scopes ...twofold.Scope) (*twofold.APIToken, string) {
	t.Helper()
	tok, secret, err := e.svc.Create(e.Ctx, e.cli, apitoken.Request{OrgID: e.org.ID, Name: name, Scopes: scopes})
	if err != nil {
		t.Fatalf("create %q: %v", name, err)
	}
	return tok, secret
}

func wantCode(t *testing.T, what string, err error, want string) {
	t.Helper()
	if got := twofold.ErrorCode(err); got != want {
		t.Errorf("%s: code %q (%v), want %q", what, got, err, want)
	}
}

func each(t *testing.T, f func(t *testing.T, backend string)) {
	for _, b := range testkit.Backends() {
		t.Run(b, func(t *testing.T) { f(t, b) })
	}
}

func TestCreateAndAuthenticate(t *testing.T) {
	each(t, func(t *testing.T, backend string) {
		e := newEnv(t, backend)
		tok, secret := e.create(t, "hr-sync", twofold.ScopeAuditRead, twofold.ScopeUsersRead, twofold.ScopeUsersRead)
		if !strings.HasPrefix(secret, apitoken.Prefix) || len(secret) < 40 {
			t.Errorf("secret %q: want tf_ and 256 random bits", secret)
		}
		if got, want := tok.ExpiresAt.Sub(tok.CreatedAt), apitoken.DefaultLifetime; got != want {
			t.Errorf("lifetime %v, want the default %v", got, want)
		}
		if len(tok.Scopes) != 2 || tok.Scopes[0] != twofold.ScopeUsersRead || tok.Scopes[1] != twofold.ScopeAuditRead {
			t.Errorf("scopes %v: want users.read, audit.read once each", tok.Scopes)
		}
		// Only the hash is stored: no row holds the secret.
		var n int
		if err := e.DB().QueryRowContext(e.Ctx, `SELECT COUNT(*) FROM api_tokens WHERE token_hash = $1`, twofold.HashToken(secret)).Scan(&n); err != nil || n != 1 {
			t.Fatalf("stored hash: %d rows, %v", n, err)
		}
		if err := e.DB().QueryRowContext(e.Ctx, `SELECT COUNT(*) FROM api_tokens WHERE token_hash = $1 OR name = $1`, secret).Scan(&n); err != nil || n != 0 {
			t.Fatalf("secret stored in the clear: %d rows, %v", n, err)
		}

		a, err := e.svc.Authenticate(e.Ctx, secret, e.c)
		if err != nil {
			t.Fatalf("authenticate: %v", err)
		}
		if a.OrgID != e.org.ID || a.Name != "token:hr-sync" || a.UserID != "" || !a.Allows(twofold.ScopeAuditRead) || a.Allows(twofold.ScopeUsersManage) {
			t.Errorf("actor %+v: want the token's organization, name and scopes only", a)
		}
		if a.Client != e.c {
			t.Errorf("actor client %+v, want %+v", a.Client, e.c)
		}

		events := e.Events(tok.ID, twofold.ActivityTokenCreated)
		if len(events) != 1 || events[0].ActorName != "cli" || events[0].TargetName != "hr-sync" || events[0].OrgID != e.org.ID {
			t.Fatalf("audit of creation: %+v", events)
		}
		if strings.Contains(events[0].Reason, secret) {
			t.Error("the audit event holds the secret")
		}
	})
}

func TestCreateRefusals(t *testing.T) {
	each(t, func(t *testing.T, backend string) {
		e := newEnv(t, backend)
		admin := &twofold.Actor{OrgID: e.org.ID, UserID: "u1", Name: "boss@contoso.com", Role: twofold.RoleAdmin}
		token := &twofold.Actor{OrgID: e.org.ID, Name: "token:x", Role: twofold.RoleAdmin, Scopes: twofold.AllScopes()}
		ok := apitoken.Request{OrgID: e.org.ID, Name: "ok", Scopes: []twofold.Scope{twofold.ScopeUsersRead}}
		with := func(f func(r *apitoken.Request)) apitoken.Request { r := ok; f(&r); return r }
		cases := []struct {
			name  string
			actor *twofold.Actor
			req   apitoken.Request
			code  string
			field string
		}{
			{"console admin", admin, ok, twofold.EFORBIDDEN, ""},
			{"a token", token, ok, twofold.EFORBIDDEN, ""},
			{"nobody", nil, ok, twofold.EFORBIDDEN, ""},
			{"empty name", e.cli, with(func(r *apitoken.Request) { r.Name = "  " }), twofold.EINVALID, "name"},
			{"long name", e.cli, with(func(r *apitoken.Request) { r.Name = strings.Repeat("n", 65) }), twofold.EINVALID, "name"},
			{"control in name", e.cli, with(func(r *apitoken.Request) { r.Name = "a\nb" }), twofold.EINVALID, "name"},
			{"bad utf-8 name", e.cli, with(func(r *apitoken.Request) { r.Name = "a\xffb" }), twofold.EINVALID, "name"},
			{"no scopes", e.cli, with(func(r *apitoken.Request) { r.Scopes = nil }), twofold.EINVALID, "scopes"},
			{"unknown scope", e.cli, with(func(r *apitoken.Request) { r.Scopes = []twofold.Scope{"users.read", "root"} }), twofold.EINVALID, "scopes"},
			{"too short", e.cli, with(func(r *apitoken.Request) { r.Lifetime = 59 * time.Minute }), twofold.EINVALID, "lifetime"},
			{"too long", e.cli, with(func(r *apitoken.Request) { r.Lifetime = 366 * 24 * time.Hour }), twofold.EINVALID, "lifetime"},
			{"negative", e.cli, with(func(r *apitoken.Request) { r.Lifetime = -time.Hour }), twofold.EINVALID, "lifetime"},
			{"no org", e.cli, with(func(r *apitoken.Request) { r.OrgID = "" }), twofold.EINVALID, "org"},
			{"unknown org", e.cli, with(func(r *apitoken.Request) { r.OrgID = twofold.NewID() }), twofold.EINVALID, "org"},
		}
		for _, c := range cases {
			_, secret, err := e.svc.Create(e.Ctx, c.actor, c.req)
			wantCode(t, c.name, err, c.code)
			if f := twofold.ErrorField(err); f != c.field {
				t.Errorf("%s: field %q, want %q", c.name, f, c.field)
			}
			if secret != "" {
				t.Errorf("%s: a secret came back with a refusal", c.name)
			}
		}
		ts, err := e.svc.List(e.Ctx, e.cli, "")
		if err != nil || len(ts) != 0 {
			t.Fatalf("refused creations left tokens: %d, %v", len(ts), err)
		}
		for _, lifetime := range []time.Duration{time.Hour, apitoken.MaxLifetime} {
			tok, _, err := e.svc.Create(e.Ctx, e.cli, with(func(r *apitoken.Request) { r.Name = lifetime.String(); r.Lifetime = lifetime }))
			if err != nil || tok.ExpiresAt.Sub(tok.CreatedAt) != lifetime {
				t.Errorf("lifetime %v at the bound refused: %v", lifetime, err)
			}
		}
	})
}

func TestDuplicateNameConflictsWhileLive(t *testing.T) {
	each(t, func(t *testing.T, backend string) {
		e := newEnv(t, backend)
		tok, _ := e.create(t, "hr-sync", twofold.ScopeUsersRead)
		_, _, err := e.svc.Create(e.Ctx, e.cli, apitoken.Request{OrgID: e.org.ID, Name: "hr-sync", Scopes: []twofold.Scope{twofold.ScopeAuditRead}})
		wantCode(t, "live duplicate", err, twofold.ECONFLICT)
		if !strings.Contains(twofold.ErrorMessage(err), "hr-sync") {
			t.Errorf("message %q doesn't name the token", twofold.ErrorMessage(err))
		}
		other := e.NewOrg("fabrikam.com")
		if _, _, err := e.svc.Create(e.Ctx, e.cli, apitoken.Request{OrgID: other.ID, Name: "hr-sync", Scopes: []twofold.Scope{twofold.ScopeUsersRead}}); err != nil {
			t.Errorf("same name in another organization: %v", err)
		}
		if err := e.svc.Revoke(e.Ctx, e.cli, e.org.ID, tok.ID); err != nil {
			t.Fatalf("revoke: %v", err)
		}
		if _, _, err := e.svc.Create(e.Ctx, e.cli, apitoken.Request{OrgID: e.org.ID, Name: "hr-sync", Scopes: []twofold.Scope{twofold.ScopeUsersRead}}); err != nil {
			t.Errorf("name of a revoked token reused: %v", err)
		}
	})
}

func TestAuthenticateRefusesWithOneAnswer(t *testing.T) {
	each(t, func(t *testing.T, backend string) {
		e := newEnv(t, backend)
		_, expiring := e.create(t, "expiring", twofold.ScopeUsersRead)
		revokedTok, revoked := e.create(t, "revoked", twofold.ScopeUsersRead)
		if err := e.svc.Revoke(e.Ctx, e.cli, e.org.ID, revokedTok.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Authenticate(e.Ctx, expiring, e.c); err != nil {
			t.Fatalf("live token refused: %v", err)
		}
		e.Clock.Advance(apitoken.DefaultLifetime - time.Second)
		if _, err := e.svc.Authenticate(e.Ctx, expiring, e.c); err != nil {
			t.Fatalf("token refused a second before it expires: %v", err)
		}
		e.Clock.Advance(time.Second)

		var message string
		for what, secret := range map[string]string{
			"expired":      expiring,
			"revoked":      revoked,
			"unknown":      apitoken.Prefix + twofold.NewToken(),
			"no prefix":    twofold.NewToken(),
			"empty":        "",
			"hash":         twofold.HashToken(revoked),
			"very long":    apitoken.Prefix + strings.Repeat("a", 1<<16),
			"secret+space": revoked + " ",
		} {
			a, err := e.svc.Authenticate(e.Ctx, secret, e.c)
			wantCode(t, what, err, twofold.EUNAUTHORIZED)
			if a != nil {
				t.Errorf("%s: an actor came back", what)
			}
			if message == "" {
				message = twofold.ErrorMessage(err)
			} else if m := twofold.ErrorMessage(err); m != message {
				t.Errorf("%s: message %q differs from %q: it tells which failure this is", what, m, message)
			}
		}
	})
}

func TestLastUseRecordedAtMostOnceAMinute(t *testing.T) {
	each(t, func(t *testing.T, backend string) {
		e := newEnv(t, backend)
		_, secret := e.create(t, "busy", twofold.ScopeUsersRead)
		lastUsed := func() time.Time {
			ts, err := e.svc.List(e.Ctx, e.cli, e.org.ID)
			if err != nil || len(ts) != 1 {
				t.Fatalf("list: %v", err)
			}
			if ts[0].TokenHash != "" {
				t.Error("List shows the token hash")
			}
			return ts[0].LastUsedAt
		}
		if !lastUsed().IsZero() {
			t.Fatal("a new token already shows a use")
		}
		first := e.Clock.Now()
		for range 5 {
			if _, err := e.svc.Authenticate(e.Ctx, secret, e.c); err != nil {
				t.Fatal(err)
			}
			e.Clock.Advance(10 * time.Second)
		}
		if got := lastUsed(); !got.Equal(first) {
			t.Errorf("last used %v after five uses within a minute, want the first, %v", got, first)
		}
		e.Clock.Advance(15 * time.Second) // 65 s after the first use
		now := e.Clock.Now()
		if _, err := e.svc.Authenticate(e.Ctx, secret, e.c); err != nil {
			t.Fatal(err)
		}
		if got := lastUsed(); !got.Equal(now) {
			t.Errorf("last used %v, want %v: a use a minute later is recorded", got, now)
		}
	})
}

func TestListAndRevokeAreTheOperators(t *testing.T) {
	each(t, func(t *testing.T, backend string) {
		e := newEnv(t, backend)
		tok, _ := e.create(t, "hr-sync", twofold.ScopeUsersRead)
		other := e.NewOrg("fabrikam.com")
		if _, _, err := e.svc.Create(e.Ctx, e.cli, apitoken.Request{OrgID: other.ID, Name: "theirs", Scopes: []twofold.Scope{twofold.ScopeAuditRead}}); err != nil {
			t.Fatal(err)
		}
		admin := &twofold.Actor{OrgID: e.org.ID, UserID: "u1", Name: "boss@contoso.com", Role: twofold.RoleAdmin}
		_, err := e.svc.List(e.Ctx, admin, e.org.ID)
		wantCode(t, "console admin lists", err, twofold.EFORBIDDEN)
		wantCode(t, "console admin revokes", e.svc.Revoke(e.Ctx, admin, e.org.ID, tok.ID), twofold.EFORBIDDEN)

		all, err := e.svc.List(e.Ctx, e.cli, "")
		if err != nil || len(all) != 2 {
			t.Fatalf("list all: %d, %v", len(all), err)
		}
		mine, err := e.svc.List(e.Ctx, e.cli, e.org.ID)
		if err != nil || len(mine) != 1 || mine[0].Name != "hr-sync" {
			t.Fatalf("list one organization: %+v, %v", mine, err)
		}
		wantCode(t, "revoke in another organization", e.svc.Revoke(e.Ctx, e.cli, other.ID, tok.ID), twofold.ENOTFOUND)
		wantCode(t, "revoke unknown", e.svc.Revoke(e.Ctx, e.cli, e.org.ID, "nope"), twofold.ENOTFOUND)
		wantCode(t, "revoke without org", e.svc.Revoke(e.Ctx, e.cli, "", tok.ID), twofold.EINVALID)
		if err := e.svc.Revoke(e.Ctx, e.cli, e.org.ID, tok.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "revoke again", e.svc.Revoke(e.Ctx, e.cli, e.org.ID, tok.ID), twofold.ECONFLICT)
		events := e.Events(tok.ID, twofold.ActivityTokenRevoked)
		if len(events) != 1 || events[0].TargetName != "hr-sync" || events[0].ActorName != "cli" || events[0].OrgID != e.org.ID {
			t.Errorf("audit of revocation: %+v", events)
		}
	})
}

// TestConcurrentRevokesOneWins races 250 revocations of one token: exactly one
// revokes it and is audited, the rest hear it was already revoked.
func TestConcurrentRevokesOneWins(t *testing.T) {
	each(t, func(t *testing.T, backend string) {
		e := newEnv(t, backend)
		tok, secret := e.create(t, "leaked", twofold.ScopeUsersManage)
		var won, already atomic.Int32
		errs := testkit.Simultaneously(250, func(int) error {
			err := e.svc.Revoke(e.Ctx, e.cli, e.org.ID, tok.ID)
			switch twofold.ErrorCode(err) {
			case "":
				won.Add(1)
			case twofold.ECONFLICT:
				already.Add(1)
			default:
				return err
			}
			return nil
		})
		for _, err := range errs {
			if err != nil {
				t.Fatalf("revoke: %v", err)
			}
		}
		if won.Load() != 1 || already.Load() != 249 {
			t.Errorf("%d revoked, %d already revoked; want 1 and 249", won.Load(), already.Load())
		}
		if n := len(e.Events(tok.ID, twofold.ActivityTokenRevoked)); n != 1 {
			t.Errorf("%d revocation events, want 1", n)
		}
		_, err := e.svc.Authenticate(e.Ctx, secret, e.c)
		wantCode(t, "revoked token", err, twofold.EUNAUTHORIZED)
	})
}
