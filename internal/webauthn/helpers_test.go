package webauthn_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/testkit"
	"github.com/twofold-id/twofold/internal/testkit/softkey"
	"github.com/twofold-id/twofold/internal/webauthn"
)

// The relying party of every test: keys bound to example.com, pages served
// from id.example.com.
const (
	rpID   = "example.com"
	origin = "https://id.example.com"
)

// env is one backend's kit and a Service over its store and fake clock.
type env struct {
	*testkit.Kit
	svc *webauthn.Service
	org *twofold.Organization
}

// eachBackend runs fn on SQLite, and on PostgreSQL when it is configured.
func eachBackend(t *testing.T, fn func(t *testing.T, e *env)) {
	for _, b := range testkit.Backends() {
		t.Run(b, func(t *testing.T) {
			k := testkit.NewWith(t, testkit.Options{Backend: b})
			svc, err := webauthn.New(k.Store, webauthn.Config{RPID: rpID, Origins: []string{origin}, Now: k.Clock.Now})
			if err != nil {
				t.Fatalf("webauthn.New: %v", err)
			}
			fn(t, &env{Kit: k, svc: svc, org: k.NewOrg("example.com")})
		})
	}
}

// register runs a whole registration of a new key on key for u, and stores it
// with its method as the caller of FinishRegistration will.
func (e *env) register(t *testing.T, u *twofold.User, key *softkey.Authenticator) *twofold.Credential {
	t.Helper()
	id, opts, err := e.svc.BeginRegistration(e.Ctx, u, e.org.Name, "session:"+u.ID)
	must(t, "BeginRegistration", err)
	resp, err := key.Create(opts, origin)
	must(t, "softkey Create", err)
	c, err := e.svc.FinishRegistration(e.Ctx, u, id, "session:"+u.ID, resp, nil)
	must(t, "FinishRegistration", err)
	e.save(t, c)
	return c
}

// save stores c with a new security-key method, in one transaction.
func (e *env) save(t *testing.T, c *twofold.Credential) {
	t.Helper()
	err := e.Store.InTx(e.Ctx, func(ctx context.Context) error {
		m := &twofold.Method{ID: fmt.Sprintf("key-%x", c.CredentialID[:8]),
			UserID: c.UserID, Kind: twofold.KindFido2, State: twofold.MethodActive, Name: "Blue key",
			CreatedAt: e.Clock.Now(), ActivatedAt: e.Clock.Now()}
		if err := e.Store.CreateMethod(ctx, m); err != nil {
			return err
		}
		c.MethodID = m.ID
		return e.Store.CreateCredential(ctx, c)
	})
	must(t, "save credential", err)
}

// login begins a second-factor login of u and returns the ceremony and the
// options.
func (e *env) beginLogin(t *testing.T, u *twofold.User) (string, []byte) {
	t.Helper()
	id, opts, err := e.svc.BeginLogin(e.Ctx, u, "flow:"+u.ID)
	must(t, "BeginLogin", err)
	return id, opts
}

// answerLogin begins a login of u and answers it with key, untampered.
func (e *env) answerLogin(t *testing.T, u *twofold.User, key *softkey.Authenticator) (string, []byte) {
	t.Helper()
	id, opts := e.beginLogin(t, u)
	resp, err := key.Get(opts, origin)
	must(t, "softkey Get", err)
	return id, resp
}

func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// wantCode fails unless err carries the twofold code want and a message that
// is not the library's own words.
func wantCode(t *testing.T, what string, err error, want string) {
	t.Helper()
	if got := twofold.ErrorCode(err); got != want {
		t.Fatalf("%s: error code %q (%v), want %q", what, got, err, want)
	}
	var te *twofold.Error
	if !errors.As(err, &te) || te.Message == "" {
		t.Fatalf("%s: %v has no message for people", what, err)
	}
}

// withoutAllowList removes allowCredentials from request options, as a
// browser offered an attacker's own key would answer anyway.
func withoutAllowList(t *testing.T, opts []byte) []byte {
	t.Helper()
	var o map[string]map[string]any
	must(t, "decode options", json.Unmarshal(opts, &o))
	delete(o["publicKey"], "allowCredentials")
	out, err := json.Marshal(o)
	must(t, "encode options", err)
	return out
}
