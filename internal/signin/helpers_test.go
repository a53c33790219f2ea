package signin_test

import (
	"errors"
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/secondfactor"
	"github.com/twofold-id/twofold/internal/signin"
	"github.com/twofold-id/twofold/internal/testkit"
)

// wantCode fails t unless err carries the error code want.
func wantCode(t *testing.T, what string, err error, want string) {
	t.Helper()
	if got := twofold.ErrorCode(err); got != want {
		t.Fatalf("%s: error code %q (%v), want %q", what, got, err, want)
	}
}

// startFlow signs m in with the password and checks the state reached.
func startFlow(t *testing.T, k *testkit.Kit, m *testkit.Member, c twofold.Client, want twofold.FlowState) *signin.Result {
	t.Helper()
	r, err := k.SignIn.Password(k.Ctx, m.Username(), m.Password, c)
	if err != nil {
		t.Fatalf("Password(%s): %v", m.Username(), err)
	}
	if r.State != want {
		t.Fatalf("Password(%s): state %s, want %s", m.Username(), r.State, want)
	}
	return r
}

// enrolled returns a kit with one organization and one member who has
// registered an authenticator app through the interrupt.
func enrolled(t *testing.T) (*testkit.Kit, *testkit.Member, *testkit.App) {
	t.Helper()
	k := testkit.New(t)
	m := k.NewMember(k.NewOrg("contoso.com"), "ada")
	app, _ := k.Enrol(m, testkit.Client("198.51.100.1"))
	return k, m, app
}

// prober enters codes for one member, starting a new flow whenever the last one
// died or finished, as an attacker with unlimited fresh sessions would.
type prober struct {
	t    *testing.T
	k    *testkit.Kit
	m    *testkit.Member
	c    twofold.Client
	flow string
}

// try enters code on the current flow (a new one if needed).
func (p *prober) try(methodID, code string) (*signin.Result, error) {
	p.t.Helper()
	if p.flow == "" {
		// Once the second factor is blocked, the password step itself refuses.
		r, err := p.k.SignIn.Password(p.k.Ctx, p.m.Username(), p.m.Password, p.c)
		if errors.Is(err, signin.ErrMFABlocked) {
			return nil, err
		}
		if err != nil || r.State != twofold.FlowMFARequired {
			p.t.Fatalf("Password: %+v, %v", r, err)
		}
		p.flow = r.FlowID
	}
	r, err := p.k.SignIn.Verify(p.k.Ctx, p.flow, methodID, code, p.c)
	if err == nil || twofold.ErrorCode(err) == twofold.EEXPIRED {
		p.flow = "" // signed in, or the flow died
	}
	return r, err
}

// isWrongCode reports whether err is the answer to a code that was checked and
// found wrong (possibly ending the flow).
func isWrongCode(err error) bool {
	code := twofold.ErrorCode(err)
	return code == twofold.EINVALID && twofold.ErrorField(err) == "code" || code == twofold.EEXPIRED
}

func isBlocked(err error) bool {
	return errors.Is(err, secondfactor.ErrBlocked) || errors.Is(err, signin.ErrMFABlocked)
}
