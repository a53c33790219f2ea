package web

import (
	"net/http"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/httpx"
	"github.com/twofold-id/twofold/internal/signin"
	"github.com/twofold-id/twofold/internal/webauthn"
)

// keyVerifyView is the second step with a security key: one button that asks
// the browser for one of the member's keys.
type keyVerifyView struct {
	Page
	Username string
	Ceremony *webauthn.Challenge
	Helpdesk string
}

func (keyVerifyView) template() string { return "signin-key" }

// usesKey reports whether the verify step should be the key step: the option
// picked (methodID) or, when none was, the one in use is a security key.
func usesKey(res *signin.Result, methodID string) bool {
	if methodID != "" {
		for _, o := range res.Options {
			if o.MethodID == methodID {
				return o.Kind == twofold.KindFido2
			}
		}
		return false
	}
	cur := res.Current
	if cur == nil {
		cur = res.Default
	}
	return cur != nil && cur.Kind == twofold.KindFido2
}

func (h *handler) signinKeyPage(w http.ResponseWriter, r *http.Request) {
	h.renderSigninKey(w, r, http.StatusOK, nil)
}

// renderSigninKey shows the key step with a fresh ceremony and the problem.
// When keys cannot be used now, the other ways are offered with the reason.
func (h *handler) renderSigninKey(w http.ResponseWriter, r *http.Request, status int, errs formErrors) {
	res := h.resume(w, r)
	if res == nil {
		return
	}
	c, err := h.Signin.BeginKey(r.Context(), res.FlowID)
	switch {
	case err == nil:
	case flowEnded(err):
		h.endFlow(w, r, res.FlowID, err)
		return
	case twofold.ErrorCode(err) == twofold.EINTERNAL:
		h.fail(w, r, err)
		return
	default:
		v := newOtherView(res)
		v.Errors = errorsFrom(err, "")
		h.render(w, r, formStatus(w, err), v)
		return
	}
	v := keyVerifyView{Page: Page{Title: "Use your security key", OrgName: res.Org.Name, Errors: errs},
		Username: res.User.Username, Ceremony: c, Helpdesk: res.Org.Policy.HelpdeskContact}
	h.render(w, r, status, v)
}

// signinKeySubmit checks the browser's answer. A post without one (no script)
// asks for the button.
func (h *handler) signinKeySubmit(w http.ResponseWriter, r *http.Request) {
	id, credential := value(r, h.cookies.flow), r.PostFormValue("credential")
	if id == "" {
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
		return
	}
	if credential == "" {
		h.renderSigninKey(w, r, http.StatusBadRequest, formErrors{{Message: "Choose Use your security key, then follow your browser's steps."}})
		return
	}
	res, err := h.Signin.VerifyKey(r.Context(), id, r.PostFormValue("ceremony"), credential, httpx.Client(r))
	switch {
	case err == nil:
		h.advance(w, r, res)
	case flowEnded(err):
		h.endFlow(w, r, id, err)
	case hardFailure(err):
		h.fail(w, r, err)
	default:
		h.renderSigninKey(w, r, formStatus(w, err), errorsFrom(err, ""))
	}
}

// withPasskey adds a passkey ceremony to the sign-in card. Without one (keys
// unavailable, the network's limit on passkey begins) the card is the password
// form alone; only a fault is logged.
func (h *handler) withPasskey(r *http.Request, v signinView) signinView {
	var err error
	v.Passkey, err = h.Signin.BeginPasskey(r.Context(), httpx.Client(r))
	if twofold.ErrorCode(err) == twofold.EINTERNAL {
		httpx.LogError(r.Context(), h.log, err)
	}
	return v
}

// errNoPasskey answers a passkey post without the browser's answer (no script).
var errNoPasskey = twofold.Errorf(twofold.EINVALID, "Choose Sign in with a passkey, then follow your browser's steps.")

// passkeySubmit signs in with the passkey the browser answered with; a
// refusal shows the sign-in card again with the reason.
func (h *handler) passkeySubmit(w http.ResponseWriter, r *http.Request) {
	var (
		res *signin.Result
		err error = errNoPasskey
	)
	if credential := r.PostFormValue("credential"); credential != "" {
		res, err = h.Signin.FinishPasskey(r.Context(), r.PostFormValue("ceremony"), credential, httpx.Client(r))
	}
	switch {
	case err == nil:
		h.advance(w, r, res)
	case twofold.ErrorCode(err) == twofold.EINTERNAL:
		h.fail(w, r, err)
	default:
		v := h.withPasskey(r, signinView{Page: Page{Title: "Sign in", Errors: errorsFrom(err, "")}})
		h.render(w, r, formStatus(w, err), v)
	}
}
