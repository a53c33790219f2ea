package web

import (
	"net/http"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/httpx"
)

// Page is what every view shares: the layout's data.
type Page struct {
	// Title is the page's heading and the start of its <title>.
	Title string
	// OrgName is shown on top of sign-in cards once the organization is known, and
	// in the account header.
	OrgName string
	// Member is set on My Account pages: the header shows it and the navigation.
	Member *Member
	// Nav marks the current section of the account navigation.
	Nav string
	// Notice is a calm status line ("You've signed out.") shown above the content.
	Notice string
	// Errors are the form's problems, shown in the summary and next to fields.
	Errors formErrors
	// Staff is set on admin-console pages: the layout shows the console's
	// navigation instead of My Account's.
	Staff *Staff
}

// Staff is the signed-in admin or help-desk member as the console shows them.
type Staff struct {
	Role  twofold.Role
	Admin bool // admins see policy and roles; the help desk does not
}

// Member is the signed-in person as the account header shows them.
type Member struct {
	Name     string // display name, or the user name when there is none
	Username string
	// Console is set for admins and the help desk, whose menu links to /admin.
	Console bool
}

func memberOf(p *twofold.Principal) *Member {
	name := p.User.DisplayName
	if name == "" {
		name = p.User.Username
	}
	return &Member{Name: name, Username: p.User.Username, Console: p.User.Role.Staff()}
}

// accountPage returns the shared data of a My Account page.
func accountPage(p *twofold.Principal, title, nav string) Page {
	return Page{Title: title, OrgName: p.Org.Name, Member: memberOf(p), Nav: nav}
}

// fieldError is one problem with a form. Field is the input's id and name, or ""
// when the problem is not about one input.
type fieldError struct {
	Field   string
	Message string
}

// formErrors are a form's problems in the order the summary lists them.
type formErrors []fieldError

// For returns the message about field, or "".
func (e formErrors) For(field string) string {
	for _, fe := range e {
		if fe.Field == field {
			return fe.Message
		}
	}
	return ""
}

// errorsFrom turns a use-case error into form errors. A message about an input the
// form does not have (or about none) is shown against fallback, if the form names
// one, else in the summary only. Only the human message is used, never err.Error().
func errorsFrom(err error, fallback string, fields ...string) formErrors {
	field := twofold.ErrorField(err)
	known := false
	for _, f := range fields {
		if f == field {
			known = true
		}
	}
	if !known {
		field = fallback
	}
	return formErrors{{Field: field, Message: twofold.ErrorMessage(err)}}
}

// Field returns the problem with field (a zero Message when there is none), for
// the "field-error" partial.
func (e formErrors) Field(field string) fieldError {
	return fieldError{Field: field, Message: e.For(field)}
}

// hardFailure reports whether err is one no form can help with: our own failure or
// overload. Those get the error page; everything else is told on the form.
func hardFailure(err error) bool {
	c := twofold.ErrorCode(err)
	return c == twofold.EINTERNAL || c == twofold.EUNAVAILABLE
}

// formStatus returns the status of a form shown again with err, and sets
// Retry-After when err is a throttle.
func formStatus(w http.ResponseWriter, err error) int {
	httpx.SetRetryAfter(w, err)
	return httpx.Status(err)
}
