package web

import (
	"net/http"
	"time"
)

// flowLifetime bounds the flow cookie; the server's own flow expiry is shorter or
// equal and is what actually ends a sign-in.
const flowLifetime = 15 * time.Minute

// cookieNames are the two cookies the pages use. With the __Host- prefix a browser
// only accepts the cookie from a secure origin, for the whole host, without a
// Domain: no subdomain or plain-HTTP page can plant or read it.
type cookieNames struct {
	session, flow string
	secure        bool
}

func newCookieNames(insecure bool) cookieNames {
	if insecure {
		return cookieNames{session: "twofold_session", flow: "twofold_flow"}
	}
	return cookieNames{session: "__Host-twofold_session", flow: "__Host-twofold_flow", secure: true}
}

// set writes a cookie with the attributes every twofold cookie has. maxAge 0 makes
// a browser-session cookie; a negative maxAge deletes it.
func (c cookieNames) set(w http.ResponseWriter, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name:     name,
		Value:    value,
		Path:     "/",
		MaxAge:   maxAge,
		HttpOnly: true,
		Secure:   c.secure,
		SameSite: http.SameSiteLaxMode,
	})
}

// value returns the named cookie's value, or "".
func value(r *http.Request, name string) string {
	ck, err := r.Cookie(name)
	if err != nil {
		return ""
	}
	return ck.Value
}

// setSession stores a new session token. The server enforces idle and absolute
// timeouts; the cookie itself ends with the browser session.
func (c cookieNames) setSession(w http.ResponseWriter, token string) { c.set(w, c.session, token, 0) }

func (c cookieNames) clearSession(w http.ResponseWriter) { c.set(w, c.session, "", -1) }

func (c cookieNames) setFlow(w http.ResponseWriter, id string) {
	c.set(w, c.flow, id, int(flowLifetime/time.Second))
}

func (c cookieNames) clearFlow(w http.ResponseWriter) { c.set(w, c.flow, "", -1) }
