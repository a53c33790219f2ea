package web

import (
	"net/http"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/securityinfo"
)

// addView is the first step of adding a method: choose which.
type addView struct {
	Page
	Options  []securityinfo.AddOption
	Selected twofold.MethodKind
}

func (addView) template() string { return "add" }

// appSetupView is the authenticator-app step of adding a method.
type appSetupView struct {
	Page
	appSetup
}

func (appSetupView) template() string { return "app-setup" }

// appDoneView says the app was registered.
type appDoneView struct {
	Page
	Method *twofold.Method
}

func (appDoneView) template() string { return "app-done" }

func (h *handler) addPage(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	h.renderAdd(w, r, p, http.StatusOK, "", nil)
}

// renderAdd shows the choice of methods, keeping the choice and the problem.
func (h *handler) renderAdd(w http.ResponseWriter, r *http.Request, p *twofold.Principal, status int, kind twofold.MethodKind, errs formErrors) {
	o, err := h.SecurityInfo.Overview(r.Context(), p)
	if err != nil {
		h.securityFail(w, r, err)
		return
	}
	// The first (strongest) method is chosen already, so Enter alone goes on.
	if kind == "" && len(o.CanAdd) > 0 {
		kind = o.CanAdd[0].Kind
	}
	v := addView{Page: accountPage(p, "Add a method", "security-info"), Options: o.CanAdd, Selected: kind}
	v.Errors = errs
	h.render(w, r, status, v)
}

// addSubmit starts the chosen method's setup: an authenticator app is created
// pending here; a phone and a security key go on to their forms, which create
// nothing until the number or the key is verified.
func (h *handler) addSubmit(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	kind := twofold.MethodKind(r.PostFormValue("kind"))
	switch kind {
	case twofold.KindPhone:
		http.Redirect(w, r, "/my/security-info/phone", http.StatusSeeOther)
		return
	case twofold.KindFido2:
		http.Redirect(w, r, "/my/security-info/key", http.StatusSeeOther)
		return
	case twofold.KindSecurityQuestions:
		http.Redirect(w, r, questionsPath, http.StatusSeeOther)
		return
	case twofold.KindEmail:
		http.Redirect(w, r, emailPath, http.StatusSeeOther)
		return
	}
	if kind != twofold.KindSoftwareOath {
		h.renderAdd(w, r, p, http.StatusBadRequest, kind, formErrors{{Field: "kind", Message: "Choose a method to add."}})
		return
	}
	e, err := h.SecurityInfo.BeginApp(r.Context(), p)
	switch {
	case err == nil:
		http.Redirect(w, r, "/my/security-info/app/"+e.MethodID, http.StatusSeeOther)
	case hardFailure(err) || twofold.ErrorCode(err) == twofold.EREAUTH:
		h.securityFail(w, r, err)
	default:
		h.renderAdd(w, r, p, formStatus(w, err), kind, errorsFrom(err, "kind", "kind"))
	}
}

func (h *handler) appPage(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	h.renderApp(w, r, p, http.StatusOK, "", "", nil)
}

// renderApp shows the pending app's setup, keeping what was typed.
func (h *handler) renderApp(w http.ResponseWriter, r *http.Request, p *twofold.Principal, status int, name, code string, errs formErrors) {
	e, err := h.SecurityInfo.PendingApp(r.Context(), p, r.PathValue("id"))
	if err != nil {
		h.securityFail(w, r, err)
		return
	}
	v := appSetupView{
		Page:     accountPage(p, "Set up your authenticator app", "security-info"),
		appSetup: appSetup{Enrolment: e, Account: p.User.Username, Name: name, Code: code},
	}
	v.Errors = errs
	h.render(w, r, status, v)
}

func (h *handler) appSubmit(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	id, name, code := r.PathValue("id"), r.PostFormValue("name"), r.PostFormValue("code")
	_, err := h.SecurityInfo.ActivateApp(r.Context(), p, id, name, code)
	switch {
	case err == nil:
		http.Redirect(w, r, "/my/security-info/app/"+id+"/done", http.StatusSeeOther)
	case hardFailure(err) || twofold.ErrorCode(err) == twofold.EREAUTH || twofold.ErrorCode(err) == twofold.ENOTFOUND:
		h.securityFail(w, r, err)
	default:
		h.renderApp(w, r, p, formStatus(w, err), name, code, errorsFrom(err, "code", "code", "name"))
	}
}

func (h *handler) appDone(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	m, err := h.SecurityInfo.Method(r.Context(), p, r.PathValue("id"))
	if err != nil {
		h.securityFail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, appDoneView{Page: accountPage(p, "Authenticator app registered", "security-info"), Method: m})
}
