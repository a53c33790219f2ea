package web

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"time"

	"github.com/twofold-id/twofold"
)

// A temporary password or a Temporary Access Pass is shown once, on a page of
// its own after the POST that made it (so reloading or going back never makes
// another). It travels to that page in a short-lived cookie, never in the URL:
// the cookie is HttpOnly, SameSite=Strict, scoped to the member pages, and
// deleted by the page that shows it. Nothing is kept on the server, so the page
// works on whichever replica answers.

// shownLifetime bounds the cookie: the page is the very next request.
const shownLifetime = 2 * time.Minute

// The kinds of secret the page shows.
const (
	shownPassword = "password" // a temporary password (reset or new member)
	shownPass     = "pass"     // a Temporary Access Pass
)

// shownSecret is what the one-time page shows.
type shownSecret struct {
	UserID string    `json:"u"`
	Kind   string    `json:"k"`
	Secret string    `json:"s"`
	New    bool      `json:"n,omitempty"` // the member was just created
	Starts time.Time `json:"b,omitzero"`  // a pass: when it starts working
	Ends   time.Time `json:"e,omitzero"`  // a pass: when it stops
	Once   bool      `json:"o,omitempty"` // a pass: one sign-in only
}

func (h *handler) shownCookie() string {
	if h.cookies.secure {
		return "__Secure-twofold_shown"
	}
	return "twofold_shown"
}

func (h *handler) writeShownCookie(w http.ResponseWriter, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name: h.shownCookie(), Value: value, Path: "/admin/members/", MaxAge: maxAge,
		HttpOnly: true, Secure: h.cookies.secure, SameSite: http.SameSiteStrictMode,
	})
}

func (h *handler) setShown(w http.ResponseWriter, s shownSecret) {
	b, _ := json.Marshal(s) // a struct of strings, times and bools always marshals
	h.writeShownCookie(w, base64.RawURLEncoding.EncodeToString(b), int(shownLifetime/time.Second))
}

// takeShown returns the secret waiting for member userID and deletes it.
func (h *handler) takeShown(w http.ResponseWriter, r *http.Request, userID string) (shownSecret, bool) {
	var s shownSecret
	raw := value(r, h.shownCookie())
	if raw == "" {
		return s, false
	}
	h.writeShownCookie(w, "", -1)
	b, err := base64.RawURLEncoding.DecodeString(raw)
	if err != nil || json.Unmarshal(b, &s) != nil || s.UserID != userID || s.Secret == "" {
		return shownSecret{}, false
	}
	return s, true
}

// shownView shows a temporary password or a pass once.
type shownView struct {
	Page
	shownSecret
	Name, Username string
	Back           string
	// Gone is set when there is nothing to show: it was shown already.
	Gone bool
}

func (shownView) template() string { return "admin-shown-once" }

// When formats a pass's start or end for the page.
func (shownView) When(t time.Time) string { return t.UTC().Format("2 Jan 2006, 15:04 MST") }

func (h *handler) memberShownPage(w http.ResponseWriter, r *http.Request, p *twofold.Principal, a *twofold.Actor) {
	mv, ok := h.loadMember(w, r, p, a)
	if !ok {
		return
	}
	v := shownView{Name: mv.Name, Username: mv.User.Username, Back: memberPath(mv.User.ID)}
	s, ok := h.takeShown(w, r, mv.User.ID)
	v.shownSecret, v.Gone = s, !ok
	switch {
	case v.Gone:
		v.Page = staffPage(p, a, "Already shown", "members")
	case s.Kind == shownPass:
		v.Page = staffPage(p, a, "Temporary Access Pass for "+mv.Name, "members")
	default:
		v.Page = staffPage(p, a, "Temporary password for "+mv.Name, "members")
	}
	h.render(w, r, http.StatusOK, v)
}
