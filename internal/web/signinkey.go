package web

import (
	"context"
	"net/http"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/httpx"
	"github.com/twofold-id/twofold/internal/signin"
	"github.com/twofold-id/twofold/internal/webauthn"
)

// keySignin is the part of the sign-in use case that takes security keys: as
// the second factor of a flow, and as a passkey that is both factors.
type keySignin interface {
	// BeginKey starts a key login as the flow's second factor.
	BeginKey(ctx context.Context, flowID string) (*webauthn.Challenge, error)
	// VerifyKey finishes the flow with the browser's answer; a refused answer
	// counts like a wrong code.
	VerifyKey(ctx context.Context, flowID, ceremonyID, credentialJSON string, c twofold.Client) (*signin.Result, error)
	// BeginPasskey starts a sign-in with a passkey, before anyone is known.
	BeginPasskey(ctx context.Context, c twofold.Client) (*webauthn.Challenge, error)
	// FinishPasskey signs the passkey's member in.
	FinishPasskey(ctx context.Context, ceremonyID, credentialJSON string, c twofold.Client) (*signin.Result, error)
}

// signinKeys returns the key part of sign-in, or errNoKeys.
func (h *handler) signinKeys() (keySignin, error) {
	if k, ok := h.Signin.(keySignin); ok {
		return k, nil
	}
	return nil, errNoKeys
}

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
	k, err := h.signinKeys()
	var c *webauthn.Challenge
	if err == nil {
		c, err = k.BeginKey(r.Context(), res.FlowID)
	}
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
	k, err := h.signinKeys()
	var res *signin.Result
	if err == nil {
		res, err = k.VerifyKey(r.Context(), id, r.PostFormValue("ceremony"), credential, httpx.Client(r))
	}
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
// unavailable, a throttle) the card is the password form alone.
func (h *handler) withPasskey(r *http.Request, v signinView) signinView {
	k, err := h.signinKeys()
	if err == nil {
		v.Passkey, err = k.BeginPasskey(r.Context(), httpx.Client(r))
	}
	if err != nil && twofold.ErrorCode(err) != twofold.EUNAVAILABLE {
		httpx.LogError(r.Context(), h.log, err)
	}
	return v
}

// passkeySubmit signs in with the passkey the browser answered with; a
// refusal shows the sign-in card again with the reason.
func (h *handler) passkeySubmit(w http.ResponseWriter, r *http.Request) {
	k, err := h.signinKeys()
	var res *signin.Result
	if err == nil {
		credential := r.PostFormValue("credential")
		if credential == "" {
			err = twofold.Errorf(twofold.EINVALID, "Choose Sign in with a passkey, then follow your browser's steps.")
		} else {
			res, err = k.FinishPasskey(r.Context(), r.PostFormValue("ceremony"), credential, httpx.Client(r))
		}
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
