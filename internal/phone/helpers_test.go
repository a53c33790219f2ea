package phone_test

import (
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/phone"
	"github.com/twofold-id/twofold/internal/testkit"
)

var client = testkit.Client("198.51.100.120")

// env is a kit with one organization and one member, ada.
type env struct {
	t   *testing.T
	k   *testkit.Kit
	org *twofold.Organization
	m   *testkit.Member
}

func newEnv(t *testing.T, o testkit.Options) *env {
	t.Helper()
	k := testkit.NewWith(t, o)
	org := k.NewOrg("contoso.com")
	return &env{t: t, k: k, org: org, m: k.NewMember(org, "ada")}
}

// policy changes the organization's policy.
func (e *env) policy(change func(p *twofold.Policy)) {
	e.t.Helper()
	e.org = e.k.SetPolicy(e.org, change)
}

// req is a sign-in request of m on binding: a text (or call) to a mobile number.
func (e *env) req(m *testkit.Member, binding, channel, number string) phone.Request {
	e.t.Helper()
	org, err := e.k.Store.OrgByID(e.k.Ctx, m.Org.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return phone.Request{
		User: e.k.User(m.User.ID), Org: org, Binding: binding, Purpose: twofold.PurposeSignIn,
		Channel: channel, MethodID: "m-" + number, PhoneType: twofold.PhoneMobile, Number: number, Client: client,
	}
}

// text sends ada a text to number on binding and fails the test if it is refused.
func (e *env) text(binding, number string) *twofold.Challenge {
	e.t.Helper()
	ch, err := e.k.Phone.Send(e.k.Ctx, e.req(e.m, binding, twofold.ChannelSMS, number))
	if err != nil {
		e.t.Fatalf("text to %s on %s: %v", number, binding, err)
	}
	return ch
}

// call places a call to ada's number on binding and fails the test if it is refused.
func (e *env) call(binding, number string) *twofold.Challenge {
	e.t.Helper()
	ch, err := e.k.Phone.Send(e.k.Ctx, e.req(e.m, binding, twofold.ChannelVoice, number))
	if err != nil {
		e.t.Fatalf("call to %s on %s: %v", number, binding, err)
	}
	return ch
}

// check checks code on binding for sign-in.
func (e *env) check(binding, code string) (*twofold.Challenge, error) {
	return e.k.Phone.CheckCode(e.k.Ctx, binding, twofold.PurposeSignIn, code)
}

// otherCode returns a well-formed code that is not code.
func otherCode(code string) string {
	if code == "000000" {
		return "000001"
	}
	return "000000"
}

// failures returns the member's failed phone-verification audit events.
func (e *env) failures(m *testkit.Member) []*twofold.AuditEvent {
	e.t.Helper()
	var out []*twofold.AuditEvent
	for _, ev := range e.k.Events(m.User.ID, twofold.ActivityPhoneVerification) {
		if ev.Result == twofold.ResultFailure {
			out = append(out, ev)
		}
	}
	return out
}

func wantCode(t *testing.T, what string, err error, want string) {
	t.Helper()
	if got := twofold.ErrorCode(err); got != want {
		t.Fatalf("%s: error code %q (%v), want %q", what, got, err, want)
	}
}

func wantState(t *testing.T, k *testkit.Kit, id string, state twofold.ChallengeState, reason string) *twofold.Challenge {
	t.Helper()
	c := k.Challenge(id)
	if c.State != state || (reason != "" && c.Reason != reason) {
		t.Fatalf("challenge %s is %s (%q), want %s (%q)", id, c.State, c.Reason, state, reason)
	}
	return c
}
