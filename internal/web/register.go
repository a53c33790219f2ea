package web

import (
	"net/http"
	"slices"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/httpx"
	"github.com/twofold-id/twofold/internal/methodkind"
	"github.com/twofold-id/twofold/internal/securityinfo"
	"github.com/twofold-id/twofold/internal/signin"
)

// registerView is the "More information required" interrupt card: what the
// member will set up, or a choice when the policy allows more than one kind.
type registerView struct {
	Page
	Username string
	Kinds    []securityinfo.AddOption
	Selected twofold.MethodKind
}

func (registerView) template() string { return "register" }

// registerAppView is the interrupt's authenticator-app step.
type registerAppView struct {
	Page
	appSetup
	Username string
}

func (registerAppView) template() string { return "register-app" }

// registerDoneView tells the member the new method works and they are signed in.
type registerDoneView struct {
	Page
	Outcome string // "Authenticator app was successfully registered."
	Next    string // what the next sign-in asks for
	// Continue is where Done goes: My Account, or the registration campaign
	// when it asks for more.
	Continue string
}

func (registerDoneView) template() string { return "register-done" }

// registering resumes the flow and makes sure it is in the interrupt; otherwise it
// moves the browser on and returns nil.
func (h *handler) registering(w http.ResponseWriter, r *http.Request) *signin.Result {
	return h.resumeAt(w, r, twofold.FlowRegistrationRequired)
}

// verifying resumes the flow and makes sure it waits for a second factor;
// otherwise it moves the browser on and returns nil.
func (h *handler) verifying(w http.ResponseWriter, r *http.Request) *signin.Result {
	return h.resumeAt(w, r, twofold.FlowMFARequired)
}

// resumeAt resumes the flow if it stands at state; otherwise it moves the browser
// to where the flow does stand and returns nil.
func (h *handler) resumeAt(w http.ResponseWriter, r *http.Request, state twofold.FlowState) *signin.Result {
	res := h.resume(w, r)
	if res != nil && res.State != state {
		h.advance(w, r, res)
		return nil
	}
	return res
}

// registerFail answers an interrupt error that no form can show: a flow that is
// over goes back to sign in.
func (h *handler) registerFail(w http.ResponseWriter, r *http.Request, err error) {
	if flowEnded(err) {
		h.restart(w, r, err)
		return
	}
	h.fail(w, r, err)
}

func (h *handler) registerPage(w http.ResponseWriter, r *http.Request) {
	res := h.registering(w, r)
	if res == nil {
		return
	}
	kinds, err := h.Signin.RegistrationKinds(r.Context(), res.FlowID)
	if err != nil {
		h.registerFail(w, r, err)
		return
	}
	h.renderRegister(w, r, res, http.StatusOK, kinds, "", nil)
}

// renderRegister shows the interrupt card with the kinds the flow can set up,
// keeping the choice and the problem. Until the member chooses, the first kind
// (the authenticator app, when allowed) is chosen, so Next alone goes on.
func (h *handler) renderRegister(w http.ResponseWriter, r *http.Request, res *signin.Result, status int, kinds []twofold.MethodKind, selected twofold.MethodKind, errs formErrors) {
	if selected == "" && len(kinds) > 0 {
		selected = kinds[0]
	}
	v := registerView{
		Page:     Page{Title: "More information required", OrgName: res.Org.Name, Errors: errs},
		Username: res.User.Username, Selected: selected,
	}
	for _, k := range kinds {
		v.Kinds = append(v.Kinds, securityinfo.AddOption{Kind: k, Label: methodkind.Label(k), Description: methodkind.Description(k)})
	}
	h.render(w, r, status, v)
}

// registerBegin is "Next" on the interrupt. A phone goes on to its form, which
// creates nothing until the number is verified; an authenticator app is started
// (or the one already started shown) here, which is why this is a POST.
func (h *handler) registerBegin(w http.ResponseWriter, r *http.Request) {
	res := h.registering(w, r)
	if res == nil {
		return
	}
	kinds, err := h.Signin.RegistrationKinds(r.Context(), res.FlowID)
	if err != nil {
		h.registerFail(w, r, err)
		return
	}
	kind := twofold.MethodKind(r.PostFormValue("kind"))
	if kind == "" && len(kinds) == 1 {
		kind = kinds[0]
	}
	switch {
	case kind == twofold.KindPhone && slices.Contains(kinds, kind):
		http.Redirect(w, r, registerPhonePath, http.StatusSeeOther)
	case kind == twofold.KindSoftwareOath || len(kinds) == 0:
		// With nothing to offer, the app's setup says why on the card.
		h.renderRegisterApp(w, r, res, http.StatusOK, "", "", nil)
	default:
		// No choice, or one the flow no longer offers (the policy changed).
		problem := fieldError{Message: "Choose a method to set up."}
		if kind != "" {
			problem.Message = "That method can't be set up here. Choose another."
		}
		if len(kinds) > 1 {
			problem.Field = "kind"
		}
		h.renderRegister(w, r, res, http.StatusBadRequest, kinds, kind, formErrors{problem})
	}
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
		h.registered(w, r, res, "/signin/register/done")
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

// registered ends the interrupt with the member signed in: a brand-new session
// cookie, the flow cookie cleared, and the done page at done.
func (h *handler) registered(w http.ResponseWriter, r *http.Request, res *signin.Result, done string) {
	if res.State != twofold.FlowSignedIn {
		h.advance(w, r, res)
		return
	}
	h.cookies.setSession(w, res.SessionToken)
	h.cookies.clearFlow(w)
	http.Redirect(w, r, done, http.StatusSeeOther)
}

// registerDone says what was registered: an authenticator app, or with ?phone= a
// phone verified by a text (sms) or a call (voice). The query only picks words.
func (h *handler) registerDone(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	v := registerDoneView{Page: Page{Title: "Authenticator app registered", OrgName: p.Org.Name},
		Outcome: "Authenticator app was successfully registered.",
		Next:    "Next time you sign in, you'll enter a code from the app after your password.", Continue: h.landing(r, p)}
	switch r.URL.Query().Get("phone") {
	case twofold.ChannelSMS:
		v.Title, v.Outcome = "Phone registered", "SMS verified. Your phone was registered successfully."
		v.Next = "Next time you sign in, we'll text a code to your phone after your password."
	case twofold.ChannelVoice:
		v.Title, v.Outcome = "Phone registered", "Call answered. Your phone was registered successfully."
		v.Next = "Next time you sign in, we'll call your phone after your password."
	}
	h.render(w, r, http.StatusOK, v)
}
