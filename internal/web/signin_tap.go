package web

import (
	"net/http"

	"github.com/twofold-id/twofold/internal/httpx"
)

// tapSigninRoutes registers sign-in with a Temporary Access Pass.
func (h *handler) tapSigninRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /signin/tap", h.signinTapPage)
	mux.HandleFunc("POST /signin/tap", h.signinTapSubmit)
}

// signinTapView is the user name and Temporary Access Pass card.
type signinTapView struct {
	Page
	Username string // kept on error; the pass never is
}

func (signinTapView) template() string { return "signin-tap" }

func (h *handler) signinTapPage(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, signinTapView{Page: Page{Title: "Sign in with a Temporary Access Pass"}})
}

// signinTapSubmit signs in with the pass and goes on as the password step
// does: to the interrupt when the member must register methods, else to the
// account with a brand-new session cookie.
func (h *handler) signinTapSubmit(w http.ResponseWriter, r *http.Request) {
	username := r.PostFormValue("username")
	res, err := h.Signin.TemporaryAccessPass(r.Context(), username, r.PostFormValue("pass"), httpx.Client(r))
	if err != nil {
		if hardFailure(err) {
			h.fail(w, r, err)
			return
		}
		v := signinTapView{Page: Page{Title: "Sign in with a Temporary Access Pass", Errors: errorsFrom(err, "", "username", "pass")}, Username: username}
		h.render(w, r, formStatus(w, err), v)
		return
	}
	h.advance(w, r, res)
}
