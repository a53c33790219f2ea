package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/httpx"
	"github.com/twofold-id/twofold/internal/signin"
)

// NewPasswordStep is the sign-in's last step for a member holding an admin's
// temporary password (*signin.Service): they choose their own before any
// session is issued.
type NewPasswordStep interface {
	// PasswordChange returns the step of flow id; EEXPIRED for any other flow.
	PasswordChange(ctx context.Context, flowID string) (*signin.Result, error)
	// NewPassword sets the member's own password and signs them in; field
	// errors name newPassword or confirmPassword and leave the step open.
	NewPassword(ctx context.Context, flowID, newPassword, confirm string, c twofold.Client) (*signin.Result, error)
}

const newPasswordPath = "/signin/new-password"

// newPasswordView asks for the member's own password, twice.
type newPasswordView struct {
	Page
	Username  string
	MinLength int
	// Words joins the names the password may not contain with "|", for
	// password-rules.js.
	Words string
}

func (newPasswordView) template() string { return "signin-new-password" }

// newPasswordRoutes serves the step when the sign-in use case has it.
func (h *handler) newPasswordRoutes(mux *http.ServeMux) {
	step, ok := h.Signin.(NewPasswordStep)
	if !ok {
		return
	}
	mux.HandleFunc("GET "+newPasswordPath, func(w http.ResponseWriter, r *http.Request) { h.newPasswordPage(w, r, step) })
	mux.HandleFunc("POST "+newPasswordPath, func(w http.ResponseWriter, r *http.Request) { h.newPasswordSubmit(w, r, step) })
}

func (h *handler) newPasswordPage(w http.ResponseWriter, r *http.Request, step NewPasswordStep) {
	id := value(r, h.cookies.flow)
	if id == "" {
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
		return
	}
	res, err := step.PasswordChange(r.Context(), id)
	if err != nil {
		h.newPasswordFailed(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, newPasswordPageView(res, nil))
}

func (h *handler) newPasswordSubmit(w http.ResponseWriter, r *http.Request, step NewPasswordStep) {
	id := value(r, h.cookies.flow)
	if id == "" {
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
		return
	}
	res, err := step.NewPassword(r.Context(), id, r.PostFormValue("newPassword"), r.PostFormValue("confirmPassword"), httpx.Client(r))
	if err == nil {
		h.advance(w, r, res)
		return
	}
	if flowEnded(err) || hardFailure(err) {
		h.newPasswordFailed(w, r, err)
		return
	}
	shown, serr := step.PasswordChange(r.Context(), id)
	if serr != nil {
		h.newPasswordFailed(w, r, serr)
		return
	}
	// Nothing typed is shown again: both boxes start empty.
	h.render(w, r, formStatus(w, err), newPasswordPageView(shown, errorsFrom(err, "newPassword", "newPassword", "confirmPassword")))
}

// newPasswordFailed sends an ended step back to sign in, saying why; our
// own failures get the error page.
func (h *handler) newPasswordFailed(w http.ResponseWriter, r *http.Request, err error) {
	if flowEnded(err) {
		h.restart(w, r, err)
		return
	}
	h.fail(w, r, err)
}

func newPasswordPageView(res *signin.Result, errs formErrors) newPasswordView {
	v := newPasswordView{
		Page:      Page{Title: "Choose your own password", OrgName: res.Org.Name, Errors: errs},
		Username:  res.User.Username,
		MinLength: res.Org.Policy.PasswordMinimum(),
		Words:     strings.Join([]string{res.User.Username, res.User.DisplayName, res.Org.Name}, "|"),
	}
	return v
}
