package web

import (
	"net/http"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/webauthn"
)

// reverifyKeyView re-verifies with a security key: one button that asks the
// browser for one of the member's keys, for a member whose only way left may be
// a key.
type reverifyKeyView struct {
	Page
	Next     string
	Ceremony *webauthn.Challenge
}

func (reverifyKeyView) template() string { return "reverify-key" }

func (h *handler) reverifyKeyPage(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	h.renderReverifyKey(w, r, p, http.StatusOK, safeNext(r.URL.Query().Get("next")), nil)
}

// renderReverifyKey shows the key step with a fresh ceremony and the problem;
// when keys cannot be used, the re-verify choices with the reason.
func (h *handler) renderReverifyKey(w http.ResponseWriter, r *http.Request, p *twofold.Principal, status int, next string, errs formErrors) {
	c, err := h.SecurityInfo.BeginReverifyKey(r.Context(), p)
	switch {
	case err == nil:
	case twofold.ErrorCode(err) == twofold.EINTERNAL:
		h.fail(w, r, err)
		return
	default:
		h.renderReverify(w, r, p, formStatus(w, err), next, false, "", errorsFrom(err, ""))
		return
	}
	v := reverifyKeyView{Page: accountPage(p, "Use your security key", "security-info"), Next: next, Ceremony: c}
	v.Errors = errs
	h.render(w, r, status, v)
}

// reverifyKeySubmit checks the browser's answer and, when the key proves
// itself, sets the session's new token and goes on to next. A post without an
// answer (no script) asks for the button.
func (h *handler) reverifyKeySubmit(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	next, credential := safeNext(r.PostFormValue("next")), r.PostFormValue("credential")
	if credential == "" {
		h.renderReverifyKey(w, r, p, http.StatusBadRequest, next, formErrors{{Message: "Choose Use your security key, then follow your browser's steps."}})
		return
	}
	token, err := h.SecurityInfo.ReverifyKey(r.Context(), p, r.PostFormValue("ceremony"), credential)
	switch {
	case err == nil:
		h.cookies.setSession(w, token)
		http.Redirect(w, r, next, http.StatusSeeOther)
	case hardFailure(err):
		h.fail(w, r, err)
	default:
		h.renderReverifyKey(w, r, p, formStatus(w, err), next, errorsFrom(err, ""))
	}
}
