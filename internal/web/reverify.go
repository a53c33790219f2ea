package web

import (
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/methodkind"
	"github.com/twofold-id/twofold/internal/phone"
	"github.com/twofold-id/twofold/internal/policy"
)

// reverifyView asks for a fresh second factor before Security info changes: a
// code from an authenticator app, or a text or call to one of the member's
// phones.
type reverifyView struct {
	Page
	Next string
	Code string
	// App is set when the member has an authenticator app: the code field is shown.
	App bool
	// Key is set when the member has a security key: a link to its step.
	Key bool
	// Phones are the "Text +1 XXXXXXX234" and "Call +1 XXXXXXX234" buttons.
	Phones []methodkind.Option
	// Mode is "" (choose), "sms" (enter the texted code) or "voice" (answer the call).
	Mode   string
	Option *methodkind.Option // the phone option of Mode
	Masked string
	State  twofold.ChallengeState
	Reason string
	Wait   callWait
}

func (reverifyView) template() string { return "reverify" }

// Failed reports whether the text or call can no longer be used.
func (v reverifyView) Failed() bool {
	return v.State == twofold.ChallengeFailed || v.State == twofold.ChallengeFraud
}

// CodeField reports whether the page has the code input: the texted code's, or
// the authenticator app's on the choices.
func (v reverifyView) CodeField() bool {
	return (v.Mode == modeText && !v.Failed()) || (v.Mode == "" && v.App)
}

// Icon names the icon of a phone option.
func (reverifyView) Icon(o methodkind.Option) string {
	if o.Channel() == twofold.ChannelSMS {
		return "sms"
	}
	return string(o.Method.Kind)
}

// safeNext returns next if it is a page of the My Account area or the admin
// console, else the Security info page. Only local paths under /my/ and
// /admin/ are followed, so the parameter cannot
// send the browser to another site ("//evil.test", "/my/\\evil", "https://…").
func safeNext(next string) string {
	const fallback = "/my/security-info"
	if !(strings.HasPrefix(next, "/my/") || strings.HasPrefix(next, "/admin/")) || strings.Contains(next, "//") || strings.ContainsAny(next, "\\\x00\r\n\t") {
		return fallback
	}
	u, err := url.Parse(next)
	// A clean path only: http.Redirect would resolve "/my/../../x" to "/x".
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Path != next || path.Clean(next) != next {
		return fallback
	}
	return next
}

// reverifyPath is the page for next, showing the phone step when phone is set.
func reverifyPath(next string, phone bool) string {
	p := "/my/verify?next=" + url.QueryEscape(next)
	if phone {
		p += "&phone=1"
	}
	return p
}

func (h *handler) reverifyPage(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	q := r.URL.Query()
	h.renderReverify(w, r, p, http.StatusOK, safeNext(q.Get("next")), q.Get("phone") == "1", "", nil)
}

// renderReverify shows the choices, or (withPhone) the session's newest text or
// call, keeping the code and the problem.
func (h *handler) renderReverify(w http.ResponseWriter, r *http.Request, p *twofold.Principal, status int, next string, withPhone bool, code string, errs formErrors) {
	opts, err := h.SecurityInfo.ReverifyOptions(r.Context(), p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := reverifyView{Page: accountPage(p, "Verify your identity", "security-info"), Next: next}
	v.Notice = resentNotice(r)
	for _, o := range opts {
		if o.Channel() == "" {
			v.App = v.App || o.Method.Kind == twofold.KindSoftwareOath
			v.Key = v.Key || o.Method.Kind == twofold.KindFido2
		} else {
			v.Phones = append(v.Phones, o)
		}
	}
	if len(opts) == 0 {
		v.App = true // nothing else to offer; the use case says what is wrong
	}
	if withPhone {
		ch, err := h.SecurityInfo.ReverifyStatus(r.Context(), p)
		switch {
		case err == nil:
			v.showChallenge(ch, opts)
		case twofold.ErrorCode(err) != twofold.ENOTFOUND:
			h.fail(w, r, err)
			return
		}
	}
	if v.CodeField() {
		v.Code = code
	} else {
		// No code field to point at: the problem is told in the summary only.
		errs = append(formErrors(nil), errs...)
		for i := range errs {
			if errs[i].Field == "code" {
				errs[i].Field = ""
			}
		}
	}
	v.Errors = errs
	h.render(w, r, status, v)
}

// showChallenge puts the text or call ch on the page.
func (v *reverifyView) showChallenge(ch *twofold.Challenge, opts []methodkind.Option) {
	for i, o := range opts {
		if o.Method.ID == ch.MethodID && o.Channel() == ch.Channel {
			v.Option = &opts[i]
		}
	}
	if v.Option == nil || ch.State == twofold.ChallengeUsed {
		return // the phone is gone or no longer allowed, or it was used: the choices
	}
	v.Mode, v.State, v.Masked = ch.Channel, ch.State, phone.Mask(ch.PhoneNumber)
	v.Reason = callMessage(ch, v.Masked, fraudAccount)
	if v.Mode == modeCall {
		v.Wait = callWait{StatusURL: "/my/verify/status", FormID: "call-form", Message: v.Reason}
	}
}

// reverifySubmit checks a code of the method the form names: none on the
// choices (an authenticator app), the texted phone on the text step. The use
// case decides what the code is checked against.
func (h *handler) reverifySubmit(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	next, code, methodID := safeNext(r.PostFormValue("next")), r.PostFormValue("code"), r.PostFormValue("method")
	token, err := h.SecurityInfo.Reverify(r.Context(), p, methodID, code)
	switch {
	case err == nil:
		h.cookies.setSession(w, token)
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	case hardFailure(err):
		h.fail(w, r, err)
		return
	}
	// Only the text step names a method: a problem there stays on that step.
	h.renderReverifyProblem(w, r, p, next, methodID != "", code, err)
}

// renderReverifyProblem shows the page again with the problem next to the code.
func (h *handler) renderReverifyProblem(w http.ResponseWriter, r *http.Request, p *twofold.Principal, next string, withPhone bool, code string, problem error) {
	h.renderReverify(w, r, p, formStatus(w, problem), next, withPhone, code, errorsFrom(problem, "code", "code"))
}

// reverifyPhone texts or calls the chosen phone, then shows the code field or
// the waiting call.
func (h *handler) reverifyPhone(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	next := safeNext(r.PostFormValue("next"))
	pref := twofold.SignInPreference(r.PostFormValue("pref"))
	_, err := h.SecurityInfo.ReverifyByPhone(r.Context(), p, r.PostFormValue("method"), pref)
	switch {
	case err == nil && r.PostFormValue("again") == "1":
		// "Resend code" or "Call me again": the page says it was done.
		http.Redirect(w, r, reverifyPath(next, true)+"&m="+resentKey(policy.Channel(pref)), http.StatusSeeOther)
		return
	case err == nil:
		http.Redirect(w, r, reverifyPath(next, true), http.StatusSeeOther)
		return
	case pageFailure(err):
		h.fail(w, r, err)
		return
	}
	h.renderReverify(w, r, p, formStatus(w, err), next, false, "", errorsFrom(err, ""))
}

// reverifyStatus is the JSON the waiting page polls.
func (h *handler) reverifyStatus(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	ch, err := h.SecurityInfo.ReverifyStatus(r.Context(), p)
	var st callStatus
	if err == nil {
		st = newCallStatus(ch, phone.Mask(ch.PhoneNumber), fraudAccount)
	}
	h.writeStatus(w, r, st, err)
}

// reverifyCall finishes once the call got its "#".
func (h *handler) reverifyCall(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	next := safeNext(r.PostFormValue("next"))
	token, err := h.SecurityInfo.ReverifyCall(r.Context(), p)
	switch {
	case err == nil:
		h.cookies.setSession(w, token)
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	case hardFailure(err):
		h.fail(w, r, err)
		return
	case callRedirects(err):
		// The call still rings or ended: back to its page by GET.
		http.Redirect(w, r, afterCall(reverifyPath(next, true), err), http.StatusSeeOther)
		return
	}
	h.renderReverify(w, r, p, formStatus(w, err), next, true, "", errorsFrom(err, ""))
}
