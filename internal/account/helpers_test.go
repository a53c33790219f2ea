package account_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/account"
	"github.com/twofold-id/twofold/internal/orgcache"
	"github.com/twofold-id/twofold/internal/testkit"
)

var client = testkit.Client("203.0.113.9")

// env is a Kit with the account service wired over it as internal/wire does.
type env struct {
	*testkit.Kit
	acc *account.Service
}

func newEnv(t *testing.T, o testkit.Options) *env {
	k := testkit.NewWith(t, o)
	return &env{Kit: k, acc: account.New(account.Deps{
		Store: orgcache.Wrap(k.Store, 10*time.Second, k.Clock.Now), Hasher: k.Hasher, Audit: k.Audit,
		Now: k.Clock.Now, FreshWindow: o.FreshMFA,
	})}
}

// enrolled is a member with an authenticator app, signed in with it now.
func (e *env) enrolled(t *testing.T, org *twofold.Organization, local string) (*testkit.Member, string) {
	t.Helper()
	m := e.NewMember(org, local)
	_, done := e.Enrol(m, client)
	return m, done.SessionToken
}

// signIn checks the password the way the sign-in page does; nil when it is right.
func (e *env) signIn(m *testkit.Member, pw string) error {
	_, err := e.SignIn.Password(e.Ctx, m.Username(), pw, client)
	return err
}

func wantField(t *testing.T, err error, code, field, msg string) {
	t.Helper()
	if twofold.ErrorCode(err) != code || twofold.ErrorField(err) != field || !strings.Contains(twofold.ErrorMessage(err), msg) {
		t.Fatalf("error = %v; want %s on %q containing %q", err, code, field, msg)
	}
}

func errorsIs(err, target error) bool { return errors.Is(err, target) }
