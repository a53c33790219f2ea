package web

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/securityinfo"
)

func emailForm(address string) url.Values { return url.Values{"emailAddress": {address}} }

func TestAddEmailJourney(t *testing.T) {
	e := newEnv(t, false)
	e.info.canAdd = []securityinfo.AddOption{{Kind: twofold.KindEmail, Label: "Email"}}
	wantRedirect(t, e.do("POST", "/my/security-info/add", url.Values{"kind": {"email"}}, member), "/my/security-info/email")

	w := e.do("GET", "/my/security-info/email", nil, member)
	wantText(t, w, http.StatusOK, "<h1>Email</h1>", `<label for="emailAddress">Email address</label>`,
		`type="email" id="emailAddress" name="emailAddress" value="" autocomplete="email"`,
		`aria-describedby="emailAddress-hint" autofocus`, "Use a personal address, not ada@contoso.test",
		`href="/my/security-info/add">Back`)
	checkPage(t, "email form", w.Body.String())

	// A problem is told beside the field and in the summary; what was typed stays.
	w = e.do("POST", "/my/security-info/email", emailForm("ada@localhost"), member)
	wantText(t, w, http.StatusBadRequest, `id="error-summary" role="alert" tabindex="-1"`,
		`<a href="#emailAddress">The part after @ must be a domain name, like contoso.com.</a>`,
		`<p class="field-error" id="emailAddress-error">`, `value="ada@localhost"`,
		`aria-describedby="emailAddress-hint emailAddress-error" aria-invalid="true"`)
	checkPage(t, "email form error", w.Body.String())
	w = e.do("POST", "/my/security-info/email", emailForm(""), member)
	wantText(t, w, http.StatusBadRequest, `<a href="#emailAddress">Enter your email address, like alex@contoso.com.</a>`)
	// A throttle is told on the form, with Retry-After.
	w = e.do("POST", "/my/security-info/email", emailForm("busy@fabrikam.com"), member)
	wantText(t, w, http.StatusTooManyRequests, "You've hit our limit on emails. Try again in a few minutes.", `value="busy@fabrikam.com"`)
	if w.Header().Get("Retry-After") == "" {
		t.Error("no Retry-After on a throttle")
	}

	wantRedirect(t, e.do("POST", "/my/security-info/email", emailForm("Ada@Fabrikam.com"), member), "/my/security-info/email/code/mail1")
	w = e.do("GET", "/my/security-info/email/code/mail1", nil, member)
	wantText(t, w, http.StatusOK, "We emailed a 6-digit code to A•••@fabrikam.com.", `id="code-hint"`,
		`autocomplete="one-time-code"`, `action="/my/security-info/email/code/mail1/resend"`, "Resend code")
	checkPage(t, "email code", w.Body.String())

	w = e.do("POST", "/my/security-info/email/code/mail1", url.Values{"code": {"12"}}, member)
	wantText(t, w, http.StatusBadRequest, `<a href="#code">The code is 6 digits, like 123456.</a>`, `value="12"`,
		`aria-describedby="code-hint code-error" aria-invalid="true"`)
	w = e.do("POST", "/my/security-info/email/code/mail1", url.Values{"code": {"135791"}}, member)
	wantText(t, w, http.StatusBadRequest, "That code didn't work. Check the code in the email and try again.")

	// Resend mails a new code to the same address; the old page is gone.
	wantRedirect(t, e.do("POST", "/my/security-info/email/code/mail1/resend", nil, member), "/my/security-info/email/code/mail2?m=resent")
	wantText(t, e.do("GET", "/my/security-info/email/code/mail2?m=resent", nil, member), http.StatusOK,
		"We emailed you a new code. Codes from earlier emails no longer work.")
	wantText(t, e.do("GET", "/my/security-info/email/code/mail1", nil, member), http.StatusNotFound,
		"That code was replaced by a newer one.", `href="/my/security-info"`)

	wantRedirect(t, e.do("POST", "/my/security-info/email/code/mail2", url.Values{"code": {rightEmailCode}}, member),
		"/my/security-info/email/code/mail2/done")
	w = e.do("GET", "/my/security-info/email/code/mail2/done", nil, member)
	wantText(t, w, http.StatusOK, "Email registered", "Your email address was registered.", "You'll see Ada@fabrikam.com")
	wantCalls(t, e, "mail code to Ada@fabrikam.com", "mail code to Ada@fabrikam.com",
		"save email Ada@fabrikam.com")

	// The row shows the address with Change and Delete.
	w = e.do("GET", "/my/security-info", nil, member)
	wantText(t, w, http.StatusOK, `<span class="method-label">Email</span>`, "Ada@fabrikam.com",
		`href="/my/security-info/email/change/e1">Change`, `href="/my/security-info/methods/e1/delete">Delete`)
	// A second email is refused with a way back.
	wantText(t, e.do("GET", "/my/security-info/email", nil, member), http.StatusConflict,
		"You already have an email address. Change it instead.", "Back to security info")
}

func TestChangeEmailPages(t *testing.T) {
	e := newEnv(t, false)
	e.info.methods = append(e.info.methods, &twofold.Method{ID: "e1", Kind: twofold.KindEmail, State: twofold.MethodActive,
		Name: "Email", Email: "ada@fabrikam.com"})
	w := e.do("GET", "/my/security-info/email/change/e1", nil, member)
	wantText(t, w, http.StatusOK, "Change email address", "it replaces ada@fabrikam.com once you enter the code",
		`action="/my/security-info/email/change/e1"`, `href="/my/security-info">Back`)
	wantText(t, e.do("GET", "/my/security-info/email/change/m1", nil, member), http.StatusNotFound,
		"That email address isn't part of your security info.")
	wantRedirect(t, e.do("POST", "/my/security-info/email/change/e1", emailForm("ada@tailspin.com"), member),
		"/my/security-info/email/code/mail1")
	wantText(t, e.do("GET", "/my/security-info/email/code/mail1", nil, member), http.StatusOK,
		"Change email address", `href="/my/security-info/email/change/e1">Back`)
	wantRedirect(t, e.do("POST", "/my/security-info/email/code/mail1", url.Values{"code": {rightEmailCode}}, member),
		"/my/security-info/email/code/mail1/done")
	wantText(t, e.do("GET", "/my/security-info/email/code/mail1/done", nil, member), http.StatusOK,
		"Email address changed", "Your email address was changed.")
}

func TestEmailPagesNeedAFreshSecondFactor(t *testing.T) {
	e := newEnv(t, false)
	wantRedirect(t, e.do("GET", "/my/security-info/email", nil, stale), "/my/verify?next=%2Fmy%2Fsecurity-info%2Femail")
	wantRedirect(t, e.do("POST", "/my/security-info/email", emailForm("ada@fabrikam.com"), stale),
		"/my/verify?next=%2Fmy%2Fsecurity-info%2Femail")
	wantRedirect(t, e.do("GET", "/my/security-info/email", nil), "/signin")
	wantCalls(t, e)
}
