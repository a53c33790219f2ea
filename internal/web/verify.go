package web

import (
	"net/http"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/httpx"
	"github.com/twofold-id/twofold/internal/signin"
)

// verifyView is the "Enter code" card of two-step verification.
type verifyView struct {
	Page
	Username string
	MethodID string // "" accepts a code from any of the member's authenticator apps
	AppName  string // the chosen app's name when one was picked, for the prompt
	Code     string
}

func (verifyView) template() string { return "verify" }

// otherView lists the second factors the member can use instead.
type otherView struct {
	Page
	Username string
	Options  []signin.Option
	Helpdesk string
}

func (otherView) template() string { return "other" }

func newVerifyView(res *signin.Result, methodID string) verifyView {
	v := verifyView{Page: Page{Title: "Enter code", OrgName: res.Org.Name}, Username: res.User.Username}
	for _, o := range res.Options {
		if methodID != "" && o.MethodID == methodID {
			v.MethodID, v.AppName = o.MethodID, o.Name
		}
	}
	return v
}

func (h *handler) verifyPage(w http.ResponseWriter, r *http.Request) {
	res := h.resume(w, r)
	if res == nil {
		return
	}
	if res.State != twofold.FlowMFARequired {
		h.advance(w, r, res)
		return
	}
	h.render(w, r, http.StatusOK, newVerifyView(res, ""))
}

// verifySubmit either switches to the method chosen on "Sign in another way" (a
// post with a method and no code) or checks the code.
func (h *handler) verifySubmit(w http.ResponseWriter, r *http.Request) {
	methodID := r.PostFormValue("method")
	if !r.PostForm.Has("code") {
		res := h.resume(w, r)
		if res == nil {
			return
		}
		if res.State != twofold.FlowMFARequired {
			h.advance(w, r, res)
			return
		}
		h.render(w, r, http.StatusOK, newVerifyView(res, methodID))
		return
	}
	code := r.PostFormValue("code")
	res, err := h.Signin.Verify(r.Context(), value(r, h.cookies.flow), methodID, code, httpx.Client(r))
	switch {
	case err == nil:
		h.advance(w, r, res)
		return
	case flowEnded(err):
		h.restart(w, r, err)
		return
	case hardFailure(err):
		h.fail(w, r, err)
		return
	}
	again := h.resume(w, r)
	if again == nil {
		return
	}
	v := newVerifyView(again, methodID)
	v.Code = code
	v.Errors = errorsFrom(err, "code", "code")
	h.render(w, r, formStatus(w, err), v)
}

func (h *handler) otherPage(w http.ResponseWriter, r *http.Request) {
	res := h.resume(w, r)
	if res == nil {
		return
	}
	if res.State != twofold.FlowMFARequired {
		h.advance(w, r, res)
		return
	}
	h.render(w, r, http.StatusOK, otherView{
		Page:     Page{Title: "Sign in another way", OrgName: res.Org.Name},
		Username: res.User.Username,
		Options:  res.Options,
		Helpdesk: res.Org.Policy.HelpdeskContact,
	})
}
