package web

import (
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/twofold-id/twofold"
)

// reverifyView asks for a fresh authenticator code before Security info changes.
type reverifyView struct {
	Page
	Next string
	Code string
}

func (reverifyView) template() string { return "reverify" }

// safeNext returns next if it is a page of the My Account area, else the Security
// info page. Only local paths under /my/ are followed, so the parameter cannot
// send the browser to another site ("//evil.test", "/my/\\evil", "https://…").
func safeNext(next string) string {
	const fallback = "/my/security-info"
	if !strings.HasPrefix(next, "/my/") || strings.Contains(next, "//") || strings.ContainsAny(next, "\\\x00\r\n\t") {
		return fallback
	}
	u, err := url.Parse(next)
	// A clean path only: http.Redirect would resolve "/my/../../x" to "/x".
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Path != next || path.Clean(next) != next {
		return fallback
	}
	return next
}

func (h *handler) reverifyPage(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	h.render(w, r, http.StatusOK, reverifyView{
		Page: accountPage(p, "Verify your identity", "security-info"),
		Next: safeNext(r.URL.Query().Get("next")),
	})
}

func (h *handler) reverifySubmit(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	next, code := safeNext(r.PostFormValue("next")), r.PostFormValue("code")
	err := h.SecurityInfo.Reverify(r.Context(), p, code)
	switch {
	case err == nil:
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	case hardFailure(err):
		h.fail(w, r, err)
		return
	}
	v := reverifyView{Page: accountPage(p, "Verify your identity", "security-info"), Next: next, Code: code}
	v.Errors = errorsFrom(err, "code", "code")
	h.render(w, r, formStatus(w, err), v)
}
