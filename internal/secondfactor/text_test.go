package secondfactor_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/phone"
	"github.com/twofold-id/twofold/internal/secondfactor"
	"github.com/twofold-id/twofold/internal/testkit"
)

// texter sends texts to a member's mobile, each bound to a new flow, as an
// attacker who knows the password gets by starting sign-in after sign-in.
type texter struct {
	t     *testing.T
	k     *testkit.Kit
	m     *testkit.Member
	phone *twofold.Method
	n     int
}

func newTexter(t *testing.T, limit int) (*texter, twofold.Policy) {
	t.Helper()
	k := testkit.New(t)
	org := k.NewOrg("contoso.com")
	m := k.NewMember(org, "ada")
	org = k.SetPolicy(org, func(p *twofold.Policy) { p.MFAFailureLimit = limit })
	return &texter{t: t, k: k, m: m, phone: k.AddPhone(m, twofold.PhoneMobile, testkit.Mobile)}, org.Policy
}

// send texts a new code for a new flow and returns the binding and the code. The
// clock moves on an hour first, past any back-off.
func (x *texter) send() (binding, code string) {
	x.t.Helper()
	x.k.Clock.Advance(time.Hour)
	x.n++
	binding = phone.FlowBinding(fmt.Sprintf("flow-%d", x.n))
	org, err := x.k.Store.OrgByID(x.k.Ctx, x.m.Org.ID)
	if err != nil {
		x.t.Fatal(err)
	}
	ch, err := x.k.Phone.Send(x.k.Ctx, phone.Request{
		User: x.k.User(x.m.User.ID), Org: org, Binding: binding, Purpose: twofold.PurposeSignIn,
		Channel: twofold.ChannelSMS, MethodID: x.phone.ID, PhoneType: twofold.PhoneMobile, Number: x.phone.PhoneNumber,
	})
	if err != nil {
		x.t.Fatalf("text %d: %v", x.n, err)
	}
	return binding, x.k.Code(ch)
}

func (x *texter) check(pol twofold.Policy, binding, code string) error {
	_, err := x.k.Checker.CheckText(x.k.Ctx, x.k.User(x.m.User.ID), pol, binding, twofold.PurposeSignIn, code)
	return err
}

func wrong(code string) string {
	if code == "000000" {
		return "000001"
	}
	return "000000"
}

// Wrong codes count against the member across flows and texts; a right code
// clears the count.
func TestCheckTextCountsAcrossFlows(t *testing.T) {
	x, pol := newTexter(t, 100)
	for i := range 3 {
		b, code := x.send()
		for range 2 {
			if err := x.check(pol, b, wrong(code)); !errors.Is(err, phone.ErrWrongCode) {
				t.Fatalf("text %d: wrong code: %v", i+1, err)
			}
		}
	}
	if n := x.k.User(x.m.User.ID).FailedMFA; n != 6 {
		t.Fatalf("FailedMFA = %d after 6 wrong codes on 3 flows, want 6", n)
	}
	b, code := x.send()
	if err := x.check(pol, b, code); err != nil {
		t.Fatalf("right code: %v", err)
	}
	if n := x.k.User(x.m.User.ID).FailedMFA; n != 0 {
		t.Errorf("FailedMFA = %d after a right code, want 0", n)
	}
	// A malformed code was never a guess.
	b, _ = x.send()
	if err := x.check(pol, b, "12345"); twofold.ErrorCode(err) != twofold.EINVALID {
		t.Fatalf("malformed code: %v, want EINVALID", err)
	}
	if n := x.k.User(x.m.User.ID).FailedMFA; n != 0 {
		t.Errorf("FailedMFA = %d after a malformed code, want 0", n)
	}
}

// Reaching MFAFailureLimit over many texts blocks the member; new texts never
// reset the count, and the right code then fails without being used up.
func TestCheckTextBlocksAtLimit(t *testing.T) {
	const limit = 10
	x, pol := newTexter(t, limit)
	guesses := 0
	for guesses < limit-1 { // 3 wrong codes per text, then a new text
		b, code := x.send()
		for i := 0; i < 3 && guesses < limit-1; i++ {
			guesses++
			if err := x.check(pol, b, wrong(code)); !errors.Is(err, phone.ErrWrongCode) {
				t.Fatalf("wrong code %d: %v", guesses, err)
			}
		}
	}
	b, code := x.send() // a new text: the count stays at limit-1
	if n := x.k.User(x.m.User.ID).FailedMFA; n != limit-1 {
		t.Fatalf("FailedMFA = %d after a new text, want %d", n, limit-1)
	}
	if err := x.check(pol, b, wrong(code)); !errors.Is(err, secondfactor.ErrBlocked) {
		t.Fatalf("wrong code number %d: %v, want ErrBlocked", limit, err)
	}
	u := x.k.User(x.m.User.ID)
	if want := x.k.Clock.Now().Add(time.Duration(pol.MFABlockDuration)); !u.MFABlockedUntil.Equal(want) {
		t.Errorf("MFABlockedUntil = %v, want %v", u.MFABlockedUntil, want)
	}
	if err := x.check(pol, b, code); !errors.Is(err, secondfactor.ErrBlocked) {
		t.Fatalf("right code while blocked: %v, want ErrBlocked", err)
	}
	ch, err := x.k.Store.LatestChallenge(x.k.Ctx, b)
	if err != nil || ch.State == twofold.ChallengeUsed {
		t.Fatalf("the text refused while blocked was used: %+v, %v", ch, err)
	}
	// No new texts while blocked; after the block, a fresh text works.
	org, _ := x.k.Store.OrgByID(x.k.Ctx, x.m.Org.ID)
	_, err = x.k.Phone.Send(x.k.Ctx, phone.Request{User: u, Org: org, Binding: "flow:blocked", Purpose: twofold.PurposeSignIn,
		Channel: twofold.ChannelSMS, MethodID: x.phone.ID, PhoneType: twofold.PhoneMobile, Number: x.phone.PhoneNumber})
	if twofold.ErrorCode(err) != twofold.EFORBIDDEN {
		t.Fatalf("text while blocked: %v, want EFORBIDDEN", err)
	}
	x.k.Clock.Advance(time.Duration(pol.MFABlockDuration))
	b, code = x.send()
	if err := x.check(pol, b, code); err != nil {
		t.Fatalf("right code after the block: %v", err)
	}
}
