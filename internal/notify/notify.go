package notify

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/useragent"
)

// Sender delivers one message. Implementations return an error when the provider
// refused or could not be reached; callers decide whether that is fatal.
type Sender interface {
	Send(ctx context.Context, m *twofold.Message) error
}

// MethodLister reads a member's methods, to find where a notice goes.
type MethodLister interface {
	ListMethods(ctx context.Context, userID string, state twofold.MethodState) ([]*twofold.Method, error)
}

// Linker makes the "This wasn't me" link of a notice about the audit event
// eventID (*reportlink.Signer).
type Linker interface {
	URL(userID, eventID string) string
}

// Notifier tells members about changes to their account through another channel.
type Notifier struct {
	Sender Sender
	Now    func() time.Time
	// Methods finds the member's email method or mobile phone; nil sends
	// notices to the work mailbox only.
	Methods MethodLister
	// Phone texts members whose notice goes to their mobile; nil sends no texts.
	Phone Phone
	// Links adds a "This wasn't me" link to notices; nil leaves it out.
	Links Linker
	Log   *slog.Logger // nil discards
}

// NoticeTextPrefix starts every security notice texted to a mobile, so a
// reader (or a test looking for a code) can tell it from a verification text.
const NoticeTextPrefix = "twofold: your security info changed."

// Change is one security-relevant event to tell a member about.
type Change struct {
	User *twofold.User
	Org  *twofold.Organization
	What string // "An authenticator app was added to your account."
	From twofold.Client
	// Activity is the audit activity of the change, and EventID its audit
	// event: the notice's "This wasn't me" link reports that event. A notice
	// of a fraud report itself carries no link.
	Activity string
	EventID  string
}

// SecurityChange tells the member about c through a channel the person who
// made the change may not control: their email method, else a text to their
// mobile phone, with a copy to their work mailbox; only the work mailbox when
// they have neither. It runs in the change's transaction: the mail is queued
// with it, or the change fails. A text goes to a provider at once and can't be
// taken back, so a provider that fails it is logged and does not undo the
// change: the mail copy still tells the member.
func (n *Notifier) SecurityChange(ctx context.Context, c Change) error {
	var methods []*twofold.Method
	if n.Methods != nil {
		var err error
		if methods, err = n.Methods.ListMethods(ctx, c.User.ID, twofold.MethodActive); err != nil {
			return fmt.Errorf("notify: methods of %s: %w", c.User.ID, err)
		}
	}
	route := RouteFor(c.User, methods, c.Activity)
	link := ""
	if n.Links != nil && c.EventID != "" && c.Activity != twofold.ActivityFraudReported {
		link = n.Links.URL(c.User.ID, c.EventID)
	}
	orgID := ""
	if c.Org != nil {
		orgID = c.Org.ID
	}
	for _, to := range []string{route.Email, route.Work} {
		if to == "" {
			continue
		}
		err := n.Sender.Send(ctx, &twofold.Message{
			OrgID: orgID, UserID: c.User.ID, Channel: twofold.ChannelEmail, To: to,
			Subject: "Your security info changed", Body: n.noticeBody(c, link, route.WorkOnly()),
		})
		if err != nil {
			return err
		}
	}
	if route.Mobile != "" && n.Phone != nil {
		body := NoticeTextPrefix + " Not you? " + orText(link, "Contact your help desk.")
		if _, err := n.Phone.SendText(ctx, Text{OrgID: orgID, UserID: c.User.ID, To: route.Mobile, Body: body}); err != nil {
			n.log().WarnContext(ctx, "notify: the security notice text was not sent; the work mailbox copy was",
				"user", c.User.ID, "err", err)
		}
	}
	return nil
}

// noticeBody is the mail: what, when, from where, and what to do if it was
// not the member.
func (n *Notifier) noticeBody(c Change, link string, workOnly bool) string {
	when := n.Now().UTC().Format("Monday 2 January 2006 at 15:04 MST")
	var b strings.Builder
	fmt.Fprintf(&b, "Hello %s,\n\n%s\n\n", c.User.DisplayName, c.What)
	fmt.Fprintf(&b, "When: %s\nFrom: %s\nBrowser: %s\n\n", when, orUnknown(c.From.IP), useragent.Summary(c.From.UserAgent))
	b.WriteString("If this was you, you don't need to do anything.\n")
	helpdesk := ""
	if c.Org != nil && c.Org.Policy.HelpdeskContact != "" {
		helpdesk = " (" + c.Org.Policy.HelpdeskContact + ")"
	}
	if link != "" {
		b.WriteString("If it wasn't you, report it with this link:\n\n" + link + "\n\n")
		b.WriteString("Reporting blocks two-step verification on your account, so nobody can finish signing in as you, and tells your administrators. ")
		fmt.Fprintf(&b, "Then contact your help desk%s to change your password. The link works for 7 days.\n", helpdesk)
	} else {
		fmt.Fprintf(&b, "If it wasn't you, sign in and review your security info now, and contact your help desk%s.\n", helpdesk)
	}
	if workOnly {
		b.WriteString("\nWe sent this to your work mailbox because your security info has no personal email or mobile phone. " +
			"Add one, so notices like this also reach you somewhere that someone with your password can't read.\n")
	}
	return b.String()
}

func (n *Notifier) log() *slog.Logger {
	if n.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return n.Log
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

func orText(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

// AdminAlert tells an admin of org about a security event concerning a member, at
// the admin's user name (their work mailbox).
func (n *Notifier) AdminAlert(ctx context.Context, admin *twofold.User, org *twofold.Organization, subject, what string) error {
	when := n.Now().UTC().Format("Monday 2 January 2006 at 15:04 MST")
	var b strings.Builder
	fmt.Fprintf(&b, "Hello %s,\n\n%s\n\nWhen: %s\n\n", admin.DisplayName, what, when)
	b.WriteString("You are receiving this because you are an administrator of " + org.Name + ".\n")
	return n.Sender.Send(ctx, &twofold.Message{
		OrgID: org.ID, UserID: admin.ID, Channel: twofold.ChannelEmail, To: admin.Username,
		Subject: subject, Body: b.String(),
	})
}
