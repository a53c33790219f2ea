package phone_test

import (
	"strings"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/notify"
	"github.com/twofold-id/twofold/internal/testkit"
)

// fraudSetup gives ada a mobile as her default (a call) and the organization an
// admin, a disabled admin and another member; then ada's password is used, so a
// call rings for that sign-in.
func fraudSetup(t *testing.T, e *env) (flowID string, ch *twofold.Challenge, admin, off, bob *testkit.Member) {
	t.Helper()
	e.k.AddPhone(e.m, twofold.PhoneMobile, testkit.Mobile)
	e.k.SetDefault(e.m, twofold.PreferenceVoice)
	admin = e.k.NewAdmin(e.org, "root")
	off = e.k.NewAdmin(e.org, "gone")
	e.k.DisableUser(off.User.ID)
	bob = e.k.NewMember(e.org, "bob")
	r, err := e.k.SignIn.Password(e.k.Ctx, e.m.Username(), e.m.Password, client)
	if err != nil || r.State != twofold.FlowMFARequired || r.Challenge == nil || r.Challenge.Channel != twofold.ChannelVoice {
		t.Fatalf("Password: %+v, %v; want a call placed", r, err)
	}
	return r.FlowID, r.Challenge, admin, off, bob
}

// 0# on a sign-in call: the sign-in is denied, MFA blocked until an admin lifts
// it, the member and the admins told, the audit log records it.
func TestFraudReport(t *testing.T) {
	e := newEnv(t, testkit.Options{})
	flowID, ch, admin, off, bob := fraudSetup(t, e)
	before := len(e.k.Messages(e.m))
	e.k.AnswerAndPress(e.k.Call(ch), "0#")

	wantState(t, e.k, ch.ID, twofold.ChallengeFraud, "You reported this call as fraud.")
	u := e.k.User(e.m.User.ID)
	if !u.MFABlockedUntil.After(e.k.Clock.Now().AddDate(100, 0, 0)) {
		t.Errorf("MFABlockedUntil = %v, want until an admin lifts it", u.MFABlockedUntil)
	}
	f, err := e.k.Store.FlowByIDHash(e.k.Ctx, twofold.HashToken(flowID))
	if err != nil || f.State != twofold.FlowFailed {
		t.Fatalf("flow after the fraud report: %+v, %v; want failed", f, err)
	}
	es := e.k.Events(e.m.User.ID, twofold.ActivityFraudReported)
	if len(es) != 1 || es[0].OrgID != e.org.ID || !strings.Contains(es[0].Reason, "0#") || strings.Contains(es[0].Reason, testkit.Mobile) {
		t.Fatalf("fraud events %+v, want one naming 0#, number masked", es)
	}
	var notice *twofold.Message
	for _, m := range e.k.Messages(e.m)[:len(e.k.Messages(e.m))-before] {
		if strings.Contains(m.Body, "as fraud") {
			notice = m
		}
	}
	if notice == nil || notice.Channel != twofold.ChannelEmail || !strings.Contains(notice.Body, "help desk lifts the block") {
		t.Errorf("no fraud notice to the member among %d new messages", len(e.k.Messages(e.m))-before)
	}
	alerts := e.k.Messages(admin)
	if len(alerts) != 1 || alerts[0].Subject != "Fraud reported by "+e.m.Username() || !strings.Contains(alerts[0].Body, e.m.Username()) {
		t.Errorf("admin alerts %+v, want one naming the member", alerts)
	}
	if n := len(e.k.Messages(off)) + len(e.k.Messages(bob)); n != 0 {
		t.Errorf("%d alerts went to a disabled admin or a member", n)
	}

	// Nothing more happens on this call, and the call cannot be taken.
	if err := e.k.Phone.CallEvent(e.k.Ctx, notify.CallEvent{ChallengeID: ch.ID, Kind: notify.CallKeys, Digits: "#"}); err != nil {
		t.Fatalf("event after the report: %v", err)
	}
	if err := e.k.Phone.CallEvent(e.k.Ctx, notify.CallEvent{ChallengeID: ch.ID, Kind: notify.CallKeys, Digits: "0#"}); err != nil {
		t.Fatalf("second report: %v", err)
	}
	wantState(t, e.k, ch.ID, twofold.ChallengeFraud, "")
	if n := len(e.k.Events(e.m.User.ID, twofold.ActivityFraudReported)); n != 1 {
		t.Errorf("%d fraud events after repeated events, want 1", n)
	}
	if n := len(e.k.Messages(admin)); n != 1 {
		t.Errorf("%d admin alerts after repeated events, want 1", n)
	}
	_, err = e.k.Phone.TakeCall(e.k.Ctx, "flow:"+twofold.HashToken(flowID), twofold.PurposeSignIn)
	wantCode(t, "TakeCall after fraud", err, twofold.EFORBIDDEN)
	// No more texts or calls for the member, even much later.
	e.k.Clock.Advance(365 * 24 * time.Hour)
	_, err = e.k.Phone.Send(e.k.Ctx, e.req(e.m, "flow:later", twofold.ChannelSMS, testkit.Mobile))
	wantCode(t, "text a year after the report", err, twofold.EFORBIDDEN)
}

// The policy may end a fraud block after a period instead.
func TestFraudBlockDuration(t *testing.T) {
	e := newEnv(t, testkit.Options{})
	e.policy(func(p *twofold.Policy) { p.Phone.FraudBlockDuration = twofold.Duration(90 * 24 * time.Hour) })
	_, ch, _, _, _ := fraudSetup(t, e)
	e.k.AnswerAndPress(e.k.Call(ch), "0#")
	want := e.k.Clock.Now().Add(90 * 24 * time.Hour)
	if got := e.k.User(e.m.User.ID).MFABlockedUntil; !got.Equal(want) {
		t.Fatalf("MFABlockedUntil = %v, want %v", got, want)
	}
	e.k.Clock.Advance(90*24*time.Hour - time.Second)
	_, err := e.k.Phone.Send(e.k.Ctx, e.req(e.m, "flow:x", twofold.ChannelVoice, testkit.Mobile))
	wantCode(t, "call just before the block ends", err, twofold.EFORBIDDEN)
	e.k.Clock.Advance(time.Second)
	e.call("flow:x", testkit.Mobile)
}

// Fraud reported on a call that verifies a new number (no sign-in behind it)
// blocks MFA all the same.
func TestFraudOnRegistrationCall(t *testing.T) {
	e := newEnv(t, testkit.Options{})
	r := e.req(e.m, "session:s1", twofold.ChannelVoice, testkit.Mobile)
	r.Purpose, r.MethodID = twofold.PurposeRegister, ""
	ch, err := e.k.Phone.Send(e.k.Ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	e.k.AnswerAndPress(e.k.Call(ch), "0#")
	wantState(t, e.k, ch.ID, twofold.ChallengeFraud, "")
	if u := e.k.User(e.m.User.ID); !e.k.Clock.Now().Before(u.MFABlockedUntil) {
		t.Fatalf("MFABlockedUntil = %v, want blocked", u.MFABlockedUntil)
	}
	if _, err := e.k.Phone.TakeCall(e.k.Ctx, "session:s1", twofold.PurposeRegister); twofold.ErrorCode(err) != twofold.EFORBIDDEN {
		t.Fatalf("TakeCall: %v, want EFORBIDDEN", err)
	}
}
