package notify

import (
	"strings"

	"github.com/twofold-id/twofold"
)

// Route is where a member's security notice goes.
type Route struct {
	// Email is the address of the member's email method, "" without one. It is
	// the first choice: a mailbox of their own, which someone who has only their
	// work password can't read or clean up.
	Email string
	// Mobile is the number of the member's mobile phone when there is no Email;
	// it gets a short text.
	Mobile string
	// Work is the member's user name, their work mailbox. It gets the notice in
	// addition to Email or Mobile, and alone only when the member has neither:
	// it is then the only channel we have, and telling someone is better than
	// telling no one.
	Work string
}

// WorkOnly reports whether the notice reaches only the work mailbox.
func (r Route) WorkOnly() bool { return r.Email == "" && r.Mobile == "" }

// everyChannel lists the activities whose notice goes to every channel the
// member has: a password replaced is what someone taking the account over
// does first, so the member hears of it wherever they look.
var everyChannel = map[string]bool{
	twofold.ActivityResetSelfService: true,
	twofold.ActivityChangePassword:   true,
}

// RouteFor chooses where the notice of activity to u goes, from u's active
// methods. A password reset or change reaches every channel: the email
// method, the mobile and the work mailbox.
func RouteFor(u *twofold.User, methods []*twofold.Method, activity string) Route {
	r := route(u, methods)
	if !everyChannel[activity] {
		r.Mobile = r.mobileOnlyWithoutEmail()
	}
	return r
}

// mobileOnlyWithoutEmail is the mobile when there is no email method: one
// channel of the member's own is enough for an ordinary change.
func (r Route) mobileOnlyWithoutEmail() string {
	if r.Email != "" {
		return ""
	}
	return r.Mobile
}

// route finds every channel the member has.
func route(u *twofold.User, methods []*twofold.Method) Route {
	r := Route{Work: u.Username}
	for _, m := range methods {
		if m.State != twofold.MethodActive {
			continue
		}
		switch {
		case m.Kind == twofold.KindEmail && m.Email != "" && r.Email == "":
			r.Email = m.Email
		case m.Kind == twofold.KindPhone && m.PhoneType.CanText() && m.PhoneNumber != "" && r.Mobile == "":
			r.Mobile = m.PhoneNumber
		}
	}
	if r.Email != "" {
		if strings.EqualFold(r.Email, r.Work) {
			// The email method is the work mailbox itself: one copy is enough.
			r.Work = ""
		}
	}
	return r
}
