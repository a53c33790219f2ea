package securityinfo_test

import (
	"strings"
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/securityinfo"
	"github.com/twofold-id/twofold/internal/testkit"
)

// bareMember is a member with no second factor and a signed-in session, as when
// the organization does not require MFA yet.
func bareMember(t *testing.T, k *testkit.Kit, org *twofold.Organization, local string) (*testkit.Member, string) {
	t.Helper()
	m := k.NewMember(org, local)
	return m, k.IssueSession(m, "", client)
}

// begin starts verifying number as a phone of type typ over channel.
func begin(k *testkit.Kit, p *twofold.Principal, typ twofold.PhoneType, number, channel string) (*securityinfo.PhoneStarted, error) {
	return k.SecInfo.BeginPhone(k.Ctx, p, securityinfo.PhoneRequest{Type: typ, Number: number, Channel: channel})
}

// prove plays the member's part in a started verification: returns the texted
// code, or answers the call and presses "#" and returns "".
func prove(t *testing.T, k *testkit.Kit, ch *twofold.Challenge) string {
	t.Helper()
	if ch.Channel == twofold.ChannelSMS {
		return k.Code(ch)
	}
	k.AnswerAndPress(k.Call(ch), "#")
	return ""
}

// addPhone adds a phone through BeginPhone and FinishPhone, failing the test on
// any error.
func addPhone(t *testing.T, k *testkit.Kit, p *twofold.Principal, typ twofold.PhoneType, number, channel string) *twofold.Method {
	t.Helper()
	s, err := begin(k, p, typ, number, channel)
	if err != nil {
		t.Fatalf("BeginPhone %s %s by %s: %v", typ, number, channel, err)
	}
	m, err := k.SecInfo.FinishPhone(k.Ctx, p, s.Challenge.ID, prove(t, k, s.Challenge))
	if err != nil {
		t.Fatalf("FinishPhone %s %s by %s: %v", typ, number, channel, err)
	}
	return m
}

func wantField(t *testing.T, what string, err error, field string) {
	t.Helper()
	if twofold.ErrorCode(err) != twofold.EINVALID || twofold.ErrorField(err) != field {
		t.Fatalf("%s: %v, want EINVALID on %q", what, err, field)
	}
}

func activePhones(t *testing.T, k *testkit.Kit, m *testkit.Member) []*twofold.Method {
	t.Helper()
	ms, err := k.Store.ListMethods(k.Ctx, m.User.ID, twofold.MethodActive)
	if err != nil {
		t.Fatal(err)
	}
	var out []*twofold.Method
	for _, x := range ms {
		if x.Kind == twofold.KindPhone {
			out = append(out, x)
		}
	}
	return out
}

// otherCode returns a well-formed code that is not code.
func otherCode(code string) string {
	if code == "000000" {
		return "000001"
	}
	return "000000"
}

// hasNotice reports whether a notice to m says what. Messages made at one fake
// instant have no order, so it looks at all of them.
func hasNotice(k *testkit.Kit, m *testkit.Member, what string) bool {
	for _, msg := range k.Messages(m) {
		if strings.Contains(msg.Body, what) {
			return true
		}
	}
	return false
}
