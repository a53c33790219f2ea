package web

import (
	"net/http"
	"net/url"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/email"
	"github.com/twofold-id/twofold/internal/securityinfo"
)

// Paths of the email pages: the address form (to add, or to change the email
// method {id}), then the code mailed to it.
const emailPath = "/my/security-info/email"

func emailChangePath(methodID string) string {
	return emailPath + "/change/" + url.PathEscape(methodID)
}
func emailCodePath(challengeID string) string {
	return emailPath + "/code/" + url.PathEscape(challengeID)
}

// emailFormView is the "Email" card: the address to add, or the new address
// of the email being changed.
type emailFormView struct {
	Page
	Form    *securityinfo.EmailForm
	Address string // as typed
	Action  string // where the form posts
	Back    string // the step before
}

func (emailFormView) template() string { return "email" }

// emailCodeView asks for the code mailed to the address.
type emailCodeView struct {
	Page
	Challenge *twofold.Challenge
	Masked    string // "a•••@contoso.com"
	Code      string
	Back      string
}

func (emailCodeView) template() string { return "email-code" }

// emailDoneView says the address was saved.
type emailDoneView struct {
	Page
	Changed bool
	Address string
}

func (emailDoneView) template() string { return "email-done" }

func (h *handler) emailPage(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	h.renderEmailForm(w, r, p, http.StatusOK, "", nil)
}

// renderEmailForm shows the address form for the email named in the path (a
// change) or a new one, keeping what was typed and the problem.
func (h *handler) renderEmailForm(w http.ResponseWriter, r *http.Request, p *twofold.Principal, status int, address string, errs formErrors) {
	f, err := h.SecurityInfo.EmailForm(r.Context(), p, r.PathValue("id"))
	if err != nil {
		h.phoneFail(w, r, err)
		return
	}
	v := emailFormView{Page: accountPage(p, "Email", "security-info"), Form: f, Address: address,
		Action: emailPath, Back: "/my/security-info/add"}
	if f.Changing != nil {
		v.Title = "Change email address"
		v.Action, v.Back = emailChangePath(f.Changing.ID), "/my/security-info"
	}
	v.Errors = errs
	h.render(w, r, status, v)
}

// emailSubmit is Next on the address form: the code is mailed and the code
// page follows. Nothing is saved yet.
func (h *handler) emailSubmit(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	address := r.PostFormValue("emailAddress")
	ch, err := h.SecurityInfo.BeginEmail(r.Context(), p, securityinfo.EmailRequest{Address: address, MethodID: r.PathValue("id")})
	switch {
	case err == nil:
		http.Redirect(w, r, emailCodePath(ch.ID), http.StatusSeeOther)
	case hardFailure(err) || twofold.ErrorCode(err) == twofold.EREAUTH:
		h.securityFail(w, r, err)
	case twofold.ErrorCode(err) == twofold.ENOTFOUND || twofold.ErrorCode(err) == twofold.EFORBIDDEN:
		h.phoneFail(w, r, err)
	default:
		h.renderEmailForm(w, r, p, formStatus(w, err), address, errorsFrom(err, "emailAddress", "emailAddress"))
	}
}

func (h *handler) emailCodePage(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	h.renderEmailCode(w, r, p, http.StatusOK, "", nil)
}

// renderEmailCode shows the code step for the challenge in the path, keeping
// the code typed and the problem. A code already used goes to the done page.
func (h *handler) renderEmailCode(w http.ResponseWriter, r *http.Request, p *twofold.Principal, status int, code string, errs formErrors) {
	ch, err := h.SecurityInfo.EmailPending(r.Context(), p, r.PathValue("challenge"))
	if err != nil {
		h.phoneFail(w, r, err)
		return
	}
	if ch.State == twofold.ChallengeUsed && status == http.StatusOK {
		http.Redirect(w, r, emailCodePath(ch.ID)+"/done", http.StatusSeeOther)
		return
	}
	v := emailCodeView{Page: accountPage(p, "Email", "security-info"), Challenge: ch, Masked: email.Mask(ch.Email),
		Code: code, Back: emailPath}
	if ch.MethodID != "" {
		v.Title, v.Back = "Change email address", emailChangePath(ch.MethodID)
	}
	if status == http.StatusOK && r.URL.Query().Get("m") == noticeResent {
		v.Notice = "We emailed you a new code. Codes from earlier emails no longer work."
	}
	v.Errors = errs
	h.render(w, r, status, v)
}

// emailCodeSubmit is Next with the mailed code: the address is saved.
func (h *handler) emailCodeSubmit(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	id, code := r.PathValue("challenge"), r.PostFormValue("code")
	_, err := h.SecurityInfo.FinishEmail(r.Context(), p, id, code)
	switch {
	case err == nil:
		http.Redirect(w, r, emailCodePath(id)+"/done", http.StatusSeeOther)
	case hardFailure(err) || twofold.ErrorCode(err) == twofold.EREAUTH:
		h.securityFail(w, r, err)
	case twofold.ErrorCode(err) == twofold.EFORBIDDEN:
		h.phoneFail(w, r, err)
	default:
		h.renderEmailCode(w, r, p, formStatus(w, err), code, errorsFrom(err, "code", "code"))
	}
}

// emailResend mails a new code to the address of the code on the page; the
// address comes from the use case, never the form, so a resend cannot be
// pointed elsewhere.
func (h *handler) emailResend(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	ch, err := h.SecurityInfo.ResendEmail(r.Context(), p, r.PathValue("challenge"))
	switch {
	case err == nil:
		http.Redirect(w, r, emailCodePath(ch.ID)+"?m="+noticeResent, http.StatusSeeOther)
	case hardFailure(err) || twofold.ErrorCode(err) == twofold.EREAUTH:
		h.securityFail(w, r, err)
	case twofold.ErrorCode(err) == twofold.ENOTFOUND || twofold.ErrorCode(err) == twofold.EFORBIDDEN:
		h.phoneFail(w, r, err)
	default:
		h.renderEmailCode(w, r, p, formStatus(w, err), "", errorsFrom(err, ""))
	}
}

func (h *handler) emailDone(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	ch, err := h.SecurityInfo.EmailPending(r.Context(), p, r.PathValue("challenge"))
	if err == nil && ch.State != twofold.ChallengeUsed {
		err = twofold.Errorf(twofold.ENOTFOUND, "That email address isn't saved yet. Enter the code we emailed you.")
	}
	if err != nil {
		h.phoneFail(w, r, err)
		return
	}
	title := "Email registered"
	if ch.MethodID != "" {
		title = "Email address changed"
	}
	h.render(w, r, http.StatusOK, emailDoneView{Page: accountPage(p, title, "security-info"), Changed: ch.MethodID != "", Address: ch.Email})
}
