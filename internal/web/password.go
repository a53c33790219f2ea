package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/account"
)

// Account is the My Account use case beyond security info as the pages call
// it (*account.Service).
type Account interface {
	// PasswordForm returns the new-password rules to show; EREAUTH when the
	// member's second factor must be proven again first.
	PasswordForm(ctx context.Context, p *twofold.Principal) (*account.PasswordForm, error)
	// ChangePassword replaces the password; field errors name currentPassword,
	// newPassword or confirmPassword.
	ChangePassword(ctx context.Context, p *twofold.Principal, current, newPassword, confirm string, signOutOthers bool) (*account.Changed, error)
}

const passwordPath = "/my/password"

// noticePasswordChanged is the overview's notice after a change; the words
// depend on whether other sessions were signed out.
const (
	noticePasswordChanged       = "password"
	noticePasswordChangedSigned = "password-everywhere"
)

// passwordView is the "Change password" page.
type passwordView struct {
	Page
	Form *account.PasswordForm
	// SignOutOthers is the checkbox, checked unless the member unchecked it.
	SignOutOthers bool
}

func (passwordView) template() string { return "password" }

// Words joins the names a new password may not contain, for the page's
// script; "|" cannot be typed into a name the rules would match anyway.
func (v passwordView) Words() string { return strings.Join(v.Form.Words, "|") }

func (h *handler) passwordRoutes(mux *http.ServeMux) {
	if h.Account == nil {
		return
	}
	mux.HandleFunc("GET "+passwordPath, h.member(h.passwordPage))
	mux.HandleFunc("POST "+passwordPath, h.member(h.passwordSubmit))
}

func (h *handler) passwordPage(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	h.renderPassword(w, r, p, http.StatusOK, true, nil)
}

// renderPassword shows the form; password fields are never filled in again.
func (h *handler) renderPassword(w http.ResponseWriter, r *http.Request, p *twofold.Principal, status int, signOutOthers bool, errs formErrors) {
	f, err := h.Account.PasswordForm(r.Context(), p)
	if err != nil {
		h.securityFail(w, r, err)
		return
	}
	v := passwordView{Page: accountPage(p, "Change password", "password"), Form: f, SignOutOthers: signOutOthers}
	v.Errors = errs
	h.render(w, r, status, v)
}

func (h *handler) passwordSubmit(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	signOutOthers := r.PostFormValue("signOutOthers") != ""
	_, err := h.Account.ChangePassword(r.Context(), p, r.PostFormValue("currentPassword"),
		r.PostFormValue("newPassword"), r.PostFormValue("confirmPassword"), signOutOthers)
	switch {
	case err == nil:
		key := noticePasswordChanged
		if signOutOthers {
			key = noticePasswordChangedSigned
		}
		http.Redirect(w, r, "/my?m="+key, http.StatusSeeOther)
	case hardFailure(err) || twofold.ErrorCode(err) == twofold.EREAUTH:
		h.securityFail(w, r, err)
	default:
		h.renderPassword(w, r, p, formStatus(w, err), signOutOthers,
			errorsFrom(err, "currentPassword", "currentPassword", "newPassword", "confirmPassword"))
	}
}

// passwordNotice is the overview's sentence after a password change, or "".
// Only these two keys are honoured there.
func passwordNotice(r *http.Request) string {
	switch r.URL.Query().Get("m") {
	case noticePasswordChanged:
		return "Your password was changed. Use your new password the next time you sign in."
	case noticePasswordChangedSigned:
		return "Your password was changed, and you were signed out everywhere else. Use your new password the next time you sign in."
	}
	return ""
}
