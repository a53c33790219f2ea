package web

import (
	"net/http"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/httpx"
	"github.com/twofold-id/twofold/internal/signin"
)

// registerView is the "More information required" interrupt card.
type registerView struct {
	Page
	Username string
}

func (registerView) template() string { return "register" }

// registerAppView is the interrupt's authenticator-app step.
type registerAppView struct {
	Page
	appSetup
	Username string
}

func (registerAppView) template() string { return "register-app" }

// registerDoneView tells the member the app works and they are signed in.
type registerDoneView struct {
	Page
}

func (registerDoneView) template() string { return "register-done" }

// registering resumes the flow and makes sure it is in the interrupt; otherwise it
// moves the browser on and returns nil.
func (h *handler) registering(w http.ResponseWriter, r *http.Request) *signin.Result {
	res := h.resume(w, r)
	if res != nil && res.State != twofold.FlowRegistrationRequired {
		h.advance(w, r, res)
		return nil
	}
	return res
}

func (h *handler) registerPage(w http.ResponseWriter, r *http.Request) {
	res := h.registering(w, r)
	if res == nil {
		return
	}
	h.render(w, r, http.StatusOK, registerView{
		Page:     Page{Title: "More information required", OrgName: res.Org.Name},
		Username: res.User.Username,
	})
}

// registerBegin is "Next" on the interrupt: it starts the app setup (or shows the
// one already started) and renders it. It is a POST because it creates the
// pending method.
func (h *handler) registerBegin(w http.ResponseWriter, r *http.Request) {
	res := h.registering(w, r)
	if res == nil {
		return
	}
	h.renderRegisterApp(w, r, res, http.StatusOK, "", "", nil)
}

// renderRegisterApp shows the app step, keeping what was typed and the problem.
func (h *handler) renderRegisterApp(w http.ResponseWriter, r *http.Request, res *signin.Result, status int, name, code string, errs formErrors) {
	e, err := h.Signin.BeginRegistration(r.Context(), res.FlowID)
	switch {
	case flowEnded(err):
		h.restart(w, r, err)
		return
	case err != nil && !hardFailure(err):
		// Nothing to set up here (the policy allows no method): say so on the card.
		h.render(w, r, formStatus(w, err), registerView{
			Page:     Page{Title: "More information required", OrgName: res.Org.Name, Errors: errorsFrom(err, "")},
			Username: res.User.Username,
		})
		return
	case err != nil:
		h.fail(w, r, err)
		return
	}
	h.render(w, r, status, registerAppView{
		Page:     Page{Title: "Set up your authenticator app", OrgName: res.Org.Name, Errors: errs},
		appSetup: appSetup{Enrolment: e, Account: res.User.Username, Name: name, Code: code},
		Username: res.User.Username,
	})
}

// registerFinish checks the code, activates the app and signs the member in.
func (h *handler) registerFinish(w http.ResponseWriter, r *http.Request) {
	methodID, name, code := r.PostFormValue("method"), r.PostFormValue("name"), r.PostFormValue("code")
	flowID := value(r, h.cookies.flow)
	res, err := h.Signin.FinishRegistration(r.Context(), flowID, methodID, name, code, httpx.Client(r))
	switch {
	case err == nil:
		if res.State != twofold.FlowSignedIn {
			h.advance(w, r, res)
			return
		}
		h.cookies.setSession(w, res.SessionToken)
		h.cookies.clearFlow(w)
		http.Redirect(w, r, "/signin/register/done", http.StatusSeeOther)
		return
	case flowEnded(err):
		h.restart(w, r, err)
		return
	case hardFailure(err):
		h.fail(w, r, err)
		return
	}
	again := h.registering(w, r)
	if again == nil {
		return
	}
	h.renderRegisterApp(w, r, again, formStatus(w, err), name, code, errorsFrom(err, "code", "code", "name"))
}

func (h *handler) registerDone(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	h.render(w, r, http.StatusOK, registerDoneView{Page: Page{Title: "Authenticator app registered", OrgName: p.Org.Name}})
}
