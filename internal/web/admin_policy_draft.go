package web

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// An admin whose second factor grew too old while they edited the policy is
// sent to verify again before Save works. Their edits wait for them in a
// short-lived cookie, so they come back to the form as they left it instead
// of starting over. The draft is not secret (it is what the form showed),
// but it is bound to the admin, read only by the policy page, and sent only
// from this site.

// draftLifetime is how long unsaved policy edits wait for the admin.
const draftLifetime = 15 * time.Minute

// maxDraft keeps the cookie within what every browser stores; a larger
// draft (many long custom questions) is not kept.
const maxDraft = 3800

func (h *handler) draftCookie() string {
	if h.cookies.secure {
		return "__Secure-twofold_policy_draft"
	}
	return "twofold_policy_draft"
}

func (h *handler) writeDraftCookie(w http.ResponseWriter, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name: h.draftCookie(), Value: value, Path: "/admin/policy", MaxAge: maxAge,
		HttpOnly: true, Secure: h.cookies.secure, SameSite: http.SameSiteStrictMode,
	})
}

// keepDraft stores the admin's form for their return from verifying again.
func (h *handler) keepDraft(w http.ResponseWriter, userID string, form url.Values) {
	v := base64.RawURLEncoding.EncodeToString([]byte(userID + "\n" + form.Encode()))
	if len(v) <= maxDraft {
		h.writeDraftCookie(w, v, int(draftLifetime/time.Second))
	}
}

// takeDraft returns the form userID left unsaved, and deletes it.
func (h *handler) takeDraft(w http.ResponseWriter, r *http.Request, userID string) (url.Values, bool) {
	raw := value(r, h.draftCookie())
	if raw == "" {
		return nil, false
	}
	h.writeDraftCookie(w, "", -1)
	b, err := base64.RawURLEncoding.DecodeString(raw)
	if err != nil {
		return nil, false
	}
	owner, encoded, ok := strings.Cut(string(b), "\n")
	if !ok || owner != userID || userID == "" {
		return nil, false
	}
	form, err := url.ParseQuery(encoded)
	if err != nil {
		return nil, false
	}
	return form, true
}
