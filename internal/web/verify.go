package web

import (
	"net/http"
	"net/url"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/httpx"
	"github.com/twofold-id/twofold/internal/signin"
)

// The modes of the second sign-in step.
const (
	modeApp    = "app"    // a code from an authenticator app
	modeText   = "sms"    // a texted code
	modeCall   = "voice"  // a call to answer
	modeUnsent = "unsent" // a phone nothing went to yet (a throttle, the provider)
	modeFraud  = "fraud"  // the member reported the call as fraud: the sign-in is over
)

// verifyView is the second step of sign-in, shown by the option in use: "Enter
// code" for an app or a text, the waiting call, or why the phone got nothing.
type verifyView struct {
	Page
	Username string
	Mode     string
	// MethodID is the option's method; "" accepts a code from any of the member's
	// authenticator apps.
	MethodID string
	Pref     twofold.SignInPreference
	AppName  string // the chosen app's name when one was picked, for the prompt
	Masked   string // the phone's number, masked: "+1 XXXXXXX234"
	Code     string
	// State and Reason are the text's or call's, for the phone modes.
	State    twofold.ChallengeState
	Reason   string
	Wait     callWait
	Options  []signin.Option // the other ways, offered when the phone got nothing
	Helpdesk string
}

func (verifyView) template() string { return "verify" }

// Failed reports whether the text or call can no longer sign the member in.
func (v verifyView) Failed() bool { return v.State == twofold.ChallengeFailed }

// CodeField reports whether the page has the code input.
func (v verifyView) CodeField() bool {
	return v.Mode == modeApp || (v.Mode == modeText && !v.Failed())
}

// Icon names the icon of a sign-in option.
func (verifyView) Icon(o signin.Option) string { return optionIcon(o) }

// otherView lists the second factors the member can use instead.
type otherView struct {
	Page
	Username string
	Options  []signin.Option
	Helpdesk string
}

func (otherView) template() string { return "other" }

// Icon names the icon of a sign-in option.
func (otherView) Icon(o signin.Option) string { return optionIcon(o) }

// optionIcon is a text's bubble, a call's handset, or the method kind's icon.
func optionIcon(o signin.Option) string {
	if o.Channel == twofold.ChannelSMS {
		return "sms"
	}
	return string(o.Kind)
}

// newVerifyView shows the option in use: the app named by methodID when the member
// picked one, else the current option (the newest text or call, else the default).
func newVerifyView(res *signin.Result, methodID string) verifyView {
	v := verifyView{Page: Page{Title: "Enter code", OrgName: res.Org.Name}, Username: res.User.Username, Mode: modeApp,
		Helpdesk: res.Org.Policy.HelpdeskContact}
	for _, o := range res.Options {
		if methodID != "" && o.MethodID == methodID && o.Channel == "" {
			v.MethodID, v.AppName = o.MethodID, o.Name
			return v
		}
	}
	cur := res.Current
	if cur == nil {
		cur = res.Default
	}
	if cur == nil || cur.Channel == "" {
		return v
	}
	v.MethodID, v.Pref, v.Masked = cur.MethodID, cur.Preference, cur.Masked
	ch := res.Challenge
	if ch == nil || ch.MethodID != cur.MethodID || ch.Channel != cur.Channel {
		v.Title, v.Mode = "Verify your identity", modeUnsent
		for _, o := range res.Options {
			if o.MethodID != cur.MethodID || o.Preference != cur.Preference {
				v.Options = append(v.Options, o)
			}
		}
		return v
	}
	v.Mode, v.State = cur.Channel, ch.State
	v.Reason = callMessage(ch, cur.Masked, fraudSignin)
	if v.Mode == modeCall {
		v.Title = "Answer the call"
		v.Wait = callWait{StatusURL: "/signin/call/status", FormID: "call-form", Message: v.Reason}
		if v.Failed() {
			v.Title = "We couldn't verify the call"
		}
	}
	return v
}

func (h *handler) verifyPage(w http.ResponseWriter, r *http.Request) {
	res := h.verifying(w, r)
	if res == nil {
		return
	}
	if usesKey(res, r.URL.Query().Get("method")) {
		http.Redirect(w, r, "/signin/key", http.StatusSeeOther)
		return
	}
	v := newVerifyView(res, r.URL.Query().Get("method"))
	v.Notice = resentNotice(r)
	h.render(w, r, http.StatusOK, v)
}

// verifySubmit either switches to the app chosen on "Sign in another way" (a post
// with a method and no code) or checks the code, from an app or a text.
func (h *handler) verifySubmit(w http.ResponseWriter, r *http.Request) {
	methodID := r.PostFormValue("method")
	if !r.PostForm.Has("code") {
		res := h.verifying(w, r)
		if res == nil {
			return
		}
		h.render(w, r, http.StatusOK, newVerifyView(res, methodID))
		return
	}
	code := r.PostFormValue("code")
	res, err := h.Signin.Verify(r.Context(), value(r, h.cookies.flow), methodID, code, httpx.Client(r))
	switch {
	case err == nil:
		h.advance(w, r, res)
		return
	case flowEnded(err):
		h.restart(w, r, err)
		return
	case hardFailure(err):
		h.fail(w, r, err)
		return
	}
	h.renderVerify(w, r, methodID, code, err)
}

// renderVerify shows the second step again with the problem err, keeping the code.
func (h *handler) renderVerify(w http.ResponseWriter, r *http.Request, methodID, code string, problem error) {
	again := h.verifying(w, r)
	if again == nil {
		return
	}
	v := newVerifyView(again, methodID)
	if v.CodeField() {
		v.Code = code
		v.Errors = errorsFrom(problem, "code", "code")
	} else {
		v.Errors = errorsFrom(problem, "")
	}
	h.render(w, r, formStatus(w, problem), v)
}

func (h *handler) otherPage(w http.ResponseWriter, r *http.Request) {
	res := h.verifying(w, r)
	if res == nil {
		return
	}
	h.render(w, r, http.StatusOK, newOtherView(res))
}

func newOtherView(res *signin.Result) otherView {
	return otherView{
		Page:     Page{Title: "Sign in another way", OrgName: res.Org.Name},
		Username: res.User.Username,
		Options:  res.Options,
		Helpdesk: res.Org.Policy.HelpdeskContact,
	}
}

// chooseSubmit switches to an option: "Sign in another way", "Resend code",
// "Call again". For a phone the text goes out or the call is placed now; the
// verify page then shows it by the flow's newest challenge. An app choice is
// named in the link, since nothing about the flow changes.
func (h *handler) chooseSubmit(w http.ResponseWriter, r *http.Request) {
	id := value(r, h.cookies.flow)
	if id == "" {
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
		return
	}
	methodID, pref := r.PostFormValue("method"), twofold.SignInPreference(r.PostFormValue("pref"))
	res, err := h.Signin.Choose(r.Context(), id, methodID, pref, httpx.Client(r))
	switch {
	case err == nil:
		target := "/signin/verify"
		switch {
		case res.Current != nil && res.Current.Channel == "":
			target += "?method=" + url.QueryEscape(res.Current.MethodID)
		case res.Current != nil && r.PostFormValue("from") == "verify":
			// "Resend code" or "Call again" on the step itself: say it was done.
			target += "?m=" + resentKey(res.Current.Channel)
		}
		http.Redirect(w, r, target, http.StatusSeeOther)
		return
	case flowEnded(err):
		h.endFlow(w, r, id, err)
		return
	case pageFailure(err):
		h.fail(w, r, err)
		return
	}
	again := h.verifying(w, r)
	if again == nil {
		return
	}
	if r.PostFormValue("from") == "verify" {
		v := newVerifyView(again, "")
		v.Errors = errorsFrom(err, "")
		h.render(w, r, formStatus(w, err), v)
		return
	}
	v := newOtherView(again)
	v.Errors = errorsFrom(err, "")
	h.render(w, r, formStatus(w, err), v)
}
