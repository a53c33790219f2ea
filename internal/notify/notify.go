package notify

import (
	"context"
	"fmt"
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

// Notifier tells members about changes to their account through another channel.
type Notifier struct {
	Sender Sender
	Now    func() time.Time
}

// Change is one security-relevant event to tell a member about.
type Change struct {
	User *twofold.User
	Org  *twofold.Organization
	What string // "An authenticator app was added to your account."
	From twofold.Client
}

// SecurityChange sends the member a notice of c. Until members can register an
// email method, the notice goes to their user name, which is their work mailbox.
func (n *Notifier) SecurityChange(ctx context.Context, c Change) error {
	when := n.Now().UTC().Format("Monday 2 January 2006 at 15:04 MST")
	var b strings.Builder
	fmt.Fprintf(&b, "Hello %s,\n\n%s\n\n", c.User.DisplayName, c.What)
	fmt.Fprintf(&b, "When: %s\nFrom: %s\nBrowser: %s\n\n", when, orUnknown(c.From.IP), useragent.Summary(c.From.UserAgent))
	b.WriteString("If this was you, you don't need to do anything.\n")
	b.WriteString("If it wasn't you, sign in and review your security info now, and contact your help desk")
	if c.Org != nil && c.Org.Policy.HelpdeskContact != "" {
		fmt.Fprintf(&b, " (%s)", c.Org.Policy.HelpdeskContact)
	}
	b.WriteString(".\n")
	orgID := ""
	if c.Org != nil {
		orgID = c.Org.ID
	}
	return n.Sender.Send(ctx, &twofold.Message{
		OrgID:   orgID,
		UserID:  c.User.ID,
		Channel: twofold.ChannelEmail,
		To:      c.User.Username,
		Subject: "Your security info changed",
		Body:    b.String(),
	})
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
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
