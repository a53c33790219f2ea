package fraud_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/fraud"
	"github.com/twofold-id/twofold/internal/notify"
	"github.com/twofold-id/twofold/internal/reportlink"
	"github.com/twofold-id/twofold/internal/testkit"
)

var client = testkit.Client("203.0.113.9")

type fixture struct {
	k      *testkit.Kit
	svc    *fraud.Service
	links  *reportlink.Signer
	member *testkit.Member
	admin  *testkit.Member
	app    *testkit.App
	token  string // a genuine link for the member's registration event
}

func setup(t *testing.T, backend string) *fixture {
	k := testkit.NewWith(t, testkit.Options{Backend: backend})
	org := k.NewOrg("contoso.test")
	f := &fixture{k: k, member: k.NewMember(org, "ada"), admin: k.NewAdmin(org, "boss")}
	f.app, _ = k.Enrol(f.member, client)
	f.links = &reportlink.Signer{Key: reportlink.DeriveKey([]byte("test key")), Now: k.Clock.Now}
	f.svc = &fraud.Service{Store: k.Store, Links: f.links, Audit: k.Audit,
		Alerter: &notify.Notifier{Sender: k.Outbox, Now: k.Clock.Now}, Now: k.Clock.Now}
	events := k.Events(f.member.User.ID, twofold.ActivityRegistered)
	if len(events) == 0 {
		t.Fatal("no registration event to report")
	}
	f.token = f.links.Sign(f.member.User.ID, strconv.FormatInt(events[0].ID, 10))
	return f
}

// A report blocks MFA until the help desk lifts it (the default policy),
// denies the sign-in waiting for a code, ends the member's sessions, alerts
// the admins and is audited; the member's right code is then refused.
func TestReportBlocksMFAAndDeniesThePendingSignIn(t *testing.T) {
	for _, backend := range testkit.Backends() {
		t.Run(backend, func(t *testing.T) {
			f := setup(t, backend)
			k := f.k
			pending, err := k.SignIn.Password(k.Ctx, f.member.Username(), f.member.Password, client)
			if err != nil || pending.State != twofold.FlowMFARequired {
				t.Fatalf("password: %v, %v", pending, err)
			}
			if err := f.svc.Check(k.Ctx, f.token); err != nil {
				t.Fatalf("Check: %v", err)
			}
			if u := k.User(f.member.User.ID); !u.MFABlockedUntil.IsZero() {
				t.Fatalf("Check changed state: MFA blocked until %v", u.MFABlockedUntil)
			}
			out, err := f.svc.Report(k.Ctx, f.token, client)
			if err != nil {
				t.Fatalf("Report: %v", err)
			}
			if !out.BlockedUntil.IsZero() || out.SignInsStopped != 1 || out.SessionsEnded < 1 {
				t.Errorf("outcome %+v, want blocked until lifted, 1 sign-in stopped, the enrolment's session ended", out)
			}
			if u := k.User(f.member.User.ID); !u.MFABlockedUntil.After(k.Clock.Now().Add(50 * 365 * 24 * time.Hour)) {
				t.Errorf("MFA blocked until %v, want until an admin lifts it", u.MFABlockedUntil)
			}
			flow, err := k.Store.FlowByIDHash(k.Ctx, twofold.HashToken(pending.FlowID))
			if err != nil || flow.State != twofold.FlowFailed {
				t.Errorf("the pending flow is %v (%v), want failed", flow.State, err)
			}
			if _, err := k.SignIn.Verify(k.Ctx, pending.FlowID, f.app.MethodID, k.FreshCode(f.app), client); err == nil {
				t.Error("the pending sign-in accepted a right code after the report")
			}
			// A new sign-in is refused at the second factor too.
			again, err := k.SignIn.Password(k.Ctx, f.member.Username(), f.member.Password, client)
			if err == nil && again.State == twofold.FlowMFARequired {
				k.Clock.Advance(30 * time.Second)
				if r, err := k.SignIn.Verify(k.Ctx, again.FlowID, f.app.MethodID, k.FreshCode(f.app), client); err == nil {
					t.Errorf("a new sign-in passed the second factor while blocked: %v", r.State)
				}
			}
			ev := k.Events(f.member.User.ID, twofold.ActivityFraudReported)
			if len(ev) != 1 || ev[0].IP != client.IP || !strings.Contains(ev[0].Reason, "This wasn't me") {
				t.Errorf("audit events %+v, want one fraud report from the link", ev)
			}
			alerts := k.Messages(f.admin)
			if len(alerts) != 1 || alerts[0].Subject != "Fraud reported by "+f.member.Username() {
				t.Errorf("admin messages %+v, want one fraud alert", alerts)
			}
			var notice *twofold.Message
			for _, m := range k.Messages(f.member) {
				if strings.Contains(m.Body, "Two-step verification is blocked") {
					notice = m
				}
			}
			if notice == nil || strings.Contains(notice.Body, "/report/") {
				t.Errorf("the member's notice of the report: %+v, want one without a report link", notice)
			}
		})
	}
}

// The policy's fraud-block period bounds the block.
func TestReportBlocksForThePolicyPeriod(t *testing.T) {
	f := setup(t, testkit.SQLite)
	f.k.SetPolicy(f.member.Org, func(p *twofold.Policy) { p.Phone.FraudBlockDuration = twofold.Duration(90 * 24 * time.Hour) })
	out, err := f.svc.Report(f.k.Ctx, f.token, client)
	if err != nil {
		t.Fatal(err)
	}
	want := f.k.Clock.Now().Add(90 * 24 * time.Hour)
	if !out.BlockedUntil.Equal(want) || !f.k.User(f.member.User.ID).MFABlockedUntil.Equal(want) {
		t.Errorf("blocked until %v (outcome %v), want %v", f.k.User(f.member.User.ID).MFABlockedUntil, out.BlockedUntil, want)
	}
}

// A link reports once: of 50 identical reports at the same instant exactly
// one goes through, and the rest are told the link was used.
func TestReportLinkIsSingleUseUnderABurst(t *testing.T) {
	for _, backend := range testkit.Backends() {
		t.Run(backend, func(t *testing.T) {
			f := setup(t, backend)
			errs := testkit.Simultaneously(250, func(int) error {
				_, err := f.svc.Report(f.k.Ctx, f.token, client)
				return err
			})
			ok := 0
			for _, err := range errs {
				switch twofold.ErrorCode(err) {
				case "":
					ok++
				case twofold.ECONFLICT:
				default:
					t.Errorf("a racing report: %v", err)
				}
			}
			if ok != 1 {
				t.Fatalf("%d reports went through, want 1", ok)
			}
			if n := len(f.k.Events(f.member.User.ID, twofold.ActivityFraudReported)); n != 1 {
				t.Errorf("%d fraud events, want 1", n)
			}
			if n := len(f.k.Messages(f.admin)); n != 1 {
				t.Errorf("%d admin alerts, want 1", n)
			}
		})
	}
}

// Stale, tampered and unknown links are refused without a change, each with
// its own plain sentence and nothing about the member.
func TestBadLinksChangeNothing(t *testing.T) {
	f := setup(t, testkit.SQLite)
	k := f.k
	tampered := f.token[:10] + map[bool]string{true: "1", false: "0"}[f.token[10] == '0'] + f.token[11:]
	ghost := f.links.Sign("no-such-user", "1")
	cases := []struct {
		name, token, code string
	}{
		{"tampered", tampered, twofold.EINVALID},
		{"garbage", "not-a-link", twofold.EINVALID},
		{"unknown member", ghost, twofold.EINVALID},
	}
	for _, tc := range cases {
		if err := f.svc.Check(k.Ctx, tc.token); twofold.ErrorCode(err) != tc.code {
			t.Errorf("Check(%s) = %v, want %s", tc.name, err, tc.code)
		}
		_, err := f.svc.Report(k.Ctx, tc.token, client)
		if twofold.ErrorCode(err) != tc.code {
			t.Errorf("Report(%s) = %v, want %s", tc.name, err, tc.code)
		}
		if msg := twofold.ErrorMessage(err); strings.Contains(msg, f.member.Username()) || strings.Contains(msg, "no-such-user") {
			t.Errorf("Report(%s) says %q", tc.name, msg)
		}
	}
	k.Clock.Advance(reportlink.TTL)
	if _, err := f.svc.Report(k.Ctx, f.token, client); twofold.ErrorCode(err) != twofold.EEXPIRED {
		t.Errorf("Report of a stale link = %v, want EEXPIRED", err)
	}
	if u := k.User(f.member.User.ID); !u.MFABlockedUntil.IsZero() {
		t.Errorf("a refused link blocked MFA until %v", u.MFABlockedUntil)
	}
	if n := len(k.Events(f.member.User.ID, twofold.ActivityFraudReported)); n != 0 {
		t.Errorf("%d fraud events after refused links", n)
	}
}
