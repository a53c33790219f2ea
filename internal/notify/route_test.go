package notify_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/notify"
)

func active(m twofold.Method) *twofold.Method {
	if m.State == "" {
		m.State = twofold.MethodActive
	}
	return &m
}

var (
	app      = active(twofold.Method{Kind: twofold.KindSoftwareOath})
	personal = active(twofold.Method{Kind: twofold.KindEmail, Email: "ada@home.example"})
	mobile   = active(twofold.Method{Kind: twofold.KindPhone, PhoneType: twofold.PhoneMobile, PhoneNumber: "+14255550101"})
	office   = active(twofold.Method{Kind: twofold.KindPhone, PhoneType: twofold.PhoneOffice, PhoneNumber: "+14255550102"})
	pendingE = active(twofold.Method{Kind: twofold.KindEmail, Email: "new@home.example", State: twofold.MethodPending})
	workMail = active(twofold.Method{Kind: twofold.KindEmail, Email: "Ada@Contoso.com"})
)

// The notice goes to the member's own email first, else a text to their
// mobile, each with a work mailbox copy; the work mailbox alone only when
// there is neither.
func TestRouteFor(t *testing.T) {
	u := &twofold.User{ID: "u1", Username: "ada@contoso.com"}
	for _, tc := range []struct {
		name     string
		methods  []*twofold.Method
		activity string
		want     notify.Route
	}{
		{"email", []*twofold.Method{app, personal}, twofold.ActivityRegistered, notify.Route{Email: "ada@home.example", Work: "ada@contoso.com"}},
		{"email before mobile", []*twofold.Method{mobile, personal}, twofold.ActivityRegistered, notify.Route{Email: "ada@home.example", Work: "ada@contoso.com"}},
		{"mobile text", []*twofold.Method{app, mobile}, twofold.ActivityRegistered, notify.Route{Mobile: "+14255550101", Work: "ada@contoso.com"}},
		{"an office phone can't get texts", []*twofold.Method{office}, twofold.ActivityRegistered, notify.Route{Work: "ada@contoso.com"}},
		{"a pending email is not proven", []*twofold.Method{pendingE, mobile}, twofold.ActivityRegistered, notify.Route{Mobile: "+14255550101", Work: "ada@contoso.com"}},
		{"neither", []*twofold.Method{app}, twofold.ActivityRegistered, notify.Route{Work: "ada@contoso.com"}},
		{"nothing", nil, twofold.ActivityRegistered, notify.Route{Work: "ada@contoso.com"}},
		{"email is the work mailbox", []*twofold.Method{workMail, mobile}, twofold.ActivityRegistered, notify.Route{Email: "Ada@Contoso.com"}},
		{"a reset reaches email and mobile", []*twofold.Method{mobile, personal}, twofold.ActivityResetSelfService,
			notify.Route{Email: "ada@home.example", Mobile: "+14255550101", Work: "ada@contoso.com"}},
		{"a password change reaches email and mobile", []*twofold.Method{personal, mobile}, twofold.ActivityChangePassword,
			notify.Route{Email: "ada@home.example", Mobile: "+14255550101", Work: "ada@contoso.com"}},
		{"a reset with only a mobile", []*twofold.Method{mobile}, twofold.ActivityResetSelfService,
			notify.Route{Mobile: "+14255550101", Work: "ada@contoso.com"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := notify.RouteFor(u, tc.methods, tc.activity)
			if got != tc.want {
				t.Errorf("RouteFor = %+v, want %+v", got, tc.want)
			}
			if got.WorkOnly() != (tc.want.Email == "" && tc.want.Mobile == "") {
				t.Errorf("WorkOnly = %v", got.WorkOnly())
			}
		})
	}
}

type methods []*twofold.Method

func (m methods) ListMethods(context.Context, string, twofold.MethodState) ([]*twofold.Method, error) {
	return m, nil
}

type texts struct {
	got  []notify.Text
	fail error
}

func (p *texts) SendText(_ context.Context, t notify.Text) (string, error) {
	p.got = append(p.got, t)
	return "ref", p.fail
}
func (p *texts) PlaceCall(context.Context, notify.Call) (string, error) { return "", nil }
func (p *texts) EndCall(context.Context, string) error                  { return nil }

type linker struct{}

func (linker) URL(userID, eventID string) string {
	return "https://id.contoso.test/report/" + userID + "-" + eventID
}

func notifier(k *keep, p *texts, ms methods) *notify.Notifier {
	return &notify.Notifier{Sender: k, Phone: p, Methods: ms, Links: linker{},
		Now: func() time.Time { return time.Date(2030, 1, 7, 9, 0, 0, 0, time.UTC) }}
}

func change() notify.Change {
	return notify.Change{
		User: &twofold.User{ID: "u1", Username: "ada@contoso.com", DisplayName: "Ada"},
		What: "A phone was added to your account.", From: twofold.Client{IP: "198.51.100.7"},
		Activity: twofold.ActivityRegistered, EventID: "42",
	}
}

const wantLink = "https://id.contoso.test/report/u1-42"

func TestNoticeGoesToTheEmailMethodAndTheWorkMailbox(t *testing.T) {
	k, p := &keep{}, &texts{}
	if err := notifier(k, p, methods{personal, mobile}).SecurityChange(context.Background(), change()); err != nil {
		t.Fatal(err)
	}
	if len(k.got) != 2 || k.got[0].To != "ada@home.example" || k.got[1].To != "ada@contoso.com" {
		t.Fatalf("mail to %v, want the email method then the work mailbox", recipients(k.got))
	}
	if len(p.got) != 0 {
		t.Errorf("texted %+v although the member has an email method", p.got)
	}
	for _, m := range k.got {
		if !strings.Contains(m.Body, "\n"+wantLink+"\n") || strings.Contains(m.Body, "work mailbox because") {
			t.Errorf("mail to %s:\n%s\nwant the report link and no work-mailbox-only note", m.To, m.Body)
		}
	}
}

func TestNoticeTextsTheMobileWithoutAnEmailMethod(t *testing.T) {
	k, p := &keep{}, &texts{}
	if err := notifier(k, p, methods{app, mobile}).SecurityChange(context.Background(), change()); err != nil {
		t.Fatal(err)
	}
	if len(p.got) != 1 || p.got[0].To != "+14255550101" || p.got[0].UserID != "u1" {
		t.Fatalf("texts %+v, want one to the mobile", p.got)
	}
	if want := "twofold: your security info changed. Not you? " + wantLink; p.got[0].Body != want {
		t.Errorf("text %q, want %q", p.got[0].Body, want)
	}
	if len(k.got) != 1 || k.got[0].To != "ada@contoso.com" {
		t.Errorf("mail to %v, want the work mailbox copy", recipients(k.got))
	}
}

// A provider that fails the text doesn't undo the change: the work mailbox
// copy is already queued.
func TestAFailedTextKeepsTheChange(t *testing.T) {
	k, p := &keep{}, &texts{fail: errors.New("provider down")}
	if err := notifier(k, p, methods{mobile}).SecurityChange(context.Background(), change()); err != nil {
		t.Fatalf("SecurityChange with the text failing: %v", err)
	}
	if len(k.got) != 1 {
		t.Errorf("mail to %v, want the work mailbox copy", recipients(k.got))
	}
}

func TestNoticeWithNeitherGoesToTheWorkMailboxAndSaysWhy(t *testing.T) {
	k, p := &keep{}, &texts{}
	if err := notifier(k, p, methods{app}).SecurityChange(context.Background(), change()); err != nil {
		t.Fatal(err)
	}
	if len(k.got) != 1 || k.got[0].To != "ada@contoso.com" || len(p.got) != 0 {
		t.Fatalf("mail to %v, texts %v: want the work mailbox only", recipients(k.got), p.got)
	}
	if body := k.got[0].Body; !strings.Contains(body, wantLink) || !strings.Contains(body, "no personal email or mobile phone") {
		t.Errorf("body:\n%s\nwant the link and why it went to the work mailbox", body)
	}
}

// The notice of a fraud report has no link to report it again.
func TestFraudNoticeHasNoLink(t *testing.T) {
	k, p := &keep{}, &texts{}
	c := change()
	c.Activity = twofold.ActivityFraudReported
	if err := notifier(k, p, methods{mobile}).SecurityChange(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(k.got[0].Body, "/report/") || strings.Contains(p.got[0].Body, "/report/") {
		t.Errorf("a fraud notice carries a report link: %q / %q", k.got[0].Body, p.got[0].Body)
	}
}

func recipients(ms []*twofold.Message) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.To)
	}
	return out
}
