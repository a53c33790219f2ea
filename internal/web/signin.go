package web

import (
	"errors"
	"net/http"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/httpx"
	"github.com/twofold-id/twofold/internal/phone"
	"github.com/twofold-id/twofold/internal/signin"
	"github.com/twofold-id/twofold/internal/webauthn"
)

// signinView is the user name and password card.
type signinView struct {
	Page
	Username string // kept on error; the password never is
	// Passkey is the ceremony of "Sign in with a passkey"; nil hides it.
	Passkey *webauthn.Challenge
}

func (signinView) template() string { return "signin" }

// signinPage shows the form. An old flow cookie is left alone: a new password step
// replaces it, and the session cookie is only ever replaced, never adopted.
func (h *handler) signinPage(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, h.withPasskey(r, signinView{Page: Page{Title: "Sign in", Notice: noticeText(r.URL.Query().Get("m"))}}))
}

func (h *handler) signinSubmit(w http.ResponseWriter, r *http.Request) {
	username, password := r.PostFormValue("username"), r.PostFormValue("password")
	res, err := h.Signin.Password(r.Context(), username, password, httpx.Client(r))
	if err != nil {
		if hardFailure(err) {
			h.fail(w, r, err)
			return
		}
		v := signinView{Page: Page{Title: "Sign in", Errors: errorsFrom(err, "", "username", "password")}, Username: username}
		h.render(w, r, formStatus(w, err), h.withPasskey(r, v))
		return
	}
	if res.State == twofold.FlowMFARequired && res.SendError != nil {
		// The password was right but the default phone got nothing (a throttle,
		// the provider). Say so here, with the other ways to go on: a redirect
		// would lose the reason.
		httpx.LogError(r.Context(), h.log, res.SendError)
		h.cookies.setFlow(w, res.FlowID)
		v := newVerifyView(res, "")
		v.Errors = errorsFrom(res.SendError, "")
		h.render(w, r, formStatus(w, res.SendError), v)
		return
	}
	h.advance(w, r, res)
}

// advance moves the browser to where a sign-in result says it stands: the next
// step with a flow cookie, or the account with a brand-new session cookie.
func (h *handler) advance(w http.ResponseWriter, r *http.Request, res *signin.Result) {
	switch res.State {
	case twofold.FlowMFARequired:
		h.cookies.setFlow(w, res.FlowID)
		http.Redirect(w, r, "/signin/verify", http.StatusSeeOther)
	case twofold.FlowRegistrationRequired:
		h.cookies.setFlow(w, res.FlowID)
		http.Redirect(w, r, "/signin/register", http.StatusSeeOther)
	case twofold.FlowPasswordChangeRequired:
		h.cookies.setFlow(w, res.FlowID)
		http.Redirect(w, r, newPasswordPath, http.StatusSeeOther)
	case twofold.FlowSignedIn:
		h.cookies.setSession(w, res.SessionToken)
		h.cookies.clearFlow(w)
		http.Redirect(w, r, h.landing(r, signedInPrincipal(r, res)), http.StatusSeeOther)
	default:
		h.restart(w, r, signin.ErrFlowGone)
	}
}

// restart ends a flow that cannot go on and sends the browser back to the sign-in
// card with a sentence saying why.
func (h *handler) restart(w http.ResponseWriter, r *http.Request, err error) {
	h.cookies.clearFlow(w)
	key := noticeFlowFailed
	switch {
	case errors.Is(err, signin.ErrFlowGone):
		key = noticeFlowExpired
	case errors.Is(err, signin.ErrTooManyTries):
		key = noticeTooManyTries
	case errors.Is(err, signin.ErrRegistrationDone):
		key = noticeDoneElsewhere
	}
	http.Redirect(w, r, "/signin?m="+key, http.StatusSeeOther)
}

// flowEnded reports whether err means the flow is over (expired, failed, unknown).
// A texted code that expired or took too many tries is EEXPIRED too, but only the
// code is over: the member can ask for a new one in the same sign-in.
func flowEnded(err error) bool {
	return twofold.ErrorCode(err) == twofold.EEXPIRED &&
		!errors.Is(err, phone.ErrCodeExpired) && !errors.Is(err, phone.ErrTooManyTries)
}

// endFlow answers a flow that is over: if a fraud report on its call ended it,
// the page says so (and who to contact); otherwise back to sign in.
func (h *handler) endFlow(w http.ResponseWriter, r *http.Request, id string, err error) {
	if id != "" {
		if res, serr := h.Signin.CallStatus(r.Context(), id); serr == nil && res.Challenge != nil && res.Challenge.State == twofold.ChallengeFraud {
			h.cookies.clearFlow(w)
			h.render(w, r, http.StatusForbidden, verifyView{
				Page:     Page{Title: "Sign-in stopped", OrgName: res.Org.Name},
				Username: res.User.Username, Mode: modeFraud, State: twofold.ChallengeFraud, Reason: fraudSignin,
				Helpdesk: res.Org.Policy.HelpdeskContact,
			})
			return
		}
	}
	h.restart(w, r, err)
}

// resume loads the flow named by the flow cookie. When there is none or it has
// ended, it sends the browser back to sign in and returns nil.
func (h *handler) resume(w http.ResponseWriter, r *http.Request) *signin.Result {
	id := value(r, h.cookies.flow)
	if id == "" {
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
		return nil
	}
	res, err := h.Signin.Resume(r.Context(), id)
	switch {
	case flowEnded(err):
		h.endFlow(w, r, id, err)
		return nil
	case err != nil:
		h.fail(w, r, err)
		return nil
	}
	return res
}

// signinCancel ends the sign-in in progress at the member's request.
func (h *handler) signinCancel(w http.ResponseWriter, r *http.Request) {
	if id := value(r, h.cookies.flow); id != "" {
		if err := h.Signin.Cancel(r.Context(), id, httpx.Client(r)); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	h.cookies.clearFlow(w)
	http.Redirect(w, r, "/signin?m="+noticeCanceled, http.StatusSeeOther)
}
