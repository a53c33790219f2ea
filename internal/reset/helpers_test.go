package reset_test

import (
	"context"
	"crypto/rand"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/email"
	"github.com/twofold-id/twofold/internal/methodkind"
	"github.com/twofold-id/twofold/internal/password"
	"github.com/twofold-id/twofold/internal/questions"
	"github.com/twofold-id/twofold/internal/reset"
	"github.com/twofold-id/twofold/internal/testkit"
)

// fakePoW accepts "ok" and refuses anything else, counting checks.
type fakePoW struct{ checks atomic.Int32 }

var errNoWork = twofold.Errorf(twofold.EINVALID, "Your browser didn't finish the check. Try again.")

func (p *fakePoW) Verify(_ context.Context, purpose, payload string) error {
	p.checks.Add(1)
	if purpose != reset.PoWPurpose || payload != "ok" {
		return errNoWork
	}
	return nil
}

// countingHasher counts the argon2id hashes a reset makes.
type countingHasher struct {
	*password.Hasher
	hashes atomic.Int32
}

func (h *countingHasher) Hash(ctx context.Context, pw string) (string, error) {
	h.hashes.Add(1)
	return h.Hasher.Hash(ctx, pw)
}

type env struct {
	*testkit.Kit
	svc    *reset.Service
	pow    *fakePoW
	hasher *countingHasher
	org    *twofold.Organization
	c      twofold.Client
}

func newEnv(t *testing.T, backend string) *env {
	t.Helper()
	k := testkit.NewWith(t, testkit.Options{Backend: backend})
	e := &env{Kit: k, pow: &fakePoW{}, hasher: &countingHasher{Hasher: k.Hasher}, c: testkit.Client("198.51.100.7")}
	e.svc = reset.New(reset.Deps{
		Store: k.Store, Hasher: e.hasher, PoW: e.pow, Phones: k.Phone, Checker: k.Checker, Audit: k.Audit,
		Mail:      email.New(email.Deps{Store: k.Store, Mail: k.Outbox, Now: k.Clock.Now, CodeKey: []byte("test code key, 32 bytes long...")}),
		Questions: questions.New(k.Store, k.Hasher), Rand: rand.Reader,
		Validate: func(pw string, min int, words ...string) error {
			if len([]rune(pw)) < min {
				return twofold.FieldError("password", "Use a longer password.")
			}
			return password.Validate(pw, words...)
		},
		Keys: k.Keys, Log: k.Log, Now: k.Clock.Now,
	}, reset.Config{})
	e.org = k.NewOrg("contoso.com")
	e.org = k.SetPolicy(e.org, func(p *twofold.Policy) { p.HelpdeskContact = "help@contoso.com, ext. 4357" })
	return e
}

func (e *env) start(t *testing.T, username string) string {
	t.Helper()
	id, err := e.svc.Start(e.Ctx, username, "ok", e.c)
	if err != nil {
		t.Fatalf("Start %s: %v", username, err)
	}
	return id
}

func (e *env) attempt(t *testing.T, id string) *reset.View {
	t.Helper()
	v, err := e.svc.Attempt(e.Ctx, id)
	if err != nil {
		t.Fatalf("Attempt: %v", err)
	}
	return v
}

// choice returns the choice of the view's option by proof.
func choice(t *testing.T, v *reset.View, proof methodkind.ResetProof) reset.Option {
	t.Helper()
	for _, o := range v.Options {
		if o.Proof == proof {
			return o
		}
	}
	t.Fatalf("no %s option among %+v", proof, v.Options)
	return reset.Option{}
}

// memberWithAppAndPhone is a member who enrolled an app at the interrupt
// (signed in, with a session) and has a mobile phone.
func (e *env) memberWithAppAndPhone(t *testing.T, local, number string) (*testkit.Member, *testkit.App, string) {
	t.Helper()
	m := e.NewMember(e.org, local)
	app, r := e.Enrol(m, e.c)
	e.AddPhone(m, twofold.PhoneMobile, number)
	return m, app, r.SessionToken
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if twofold.ErrorCode(err) != code {
		t.Fatalf("%s: error %v (code %q), want code %q", what, err, twofold.ErrorCode(err), code)
	}
}

func wantIs(t *testing.T, what string, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("%s: error %v, want %v", what, err, target)
	}
}
