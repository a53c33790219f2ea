package e2e

import (
	"net/http"
	"strings"
	"testing"
)

func TestAPIHeaders(t *testing.T) {
	t.Parallel() // with the other API tests, not with TestAPINoEnumeration, which measures time
	forEachStore(t, func(t *testing.T, postgres bool) {
		s := startServer(t, serverOptions{Postgres: postgres})
		seedOrg(t, s)
		alex := seedMember(t, s, "alex", "Alex Wilber")
		c := newAPIClient(t, s)
		c.rec = true

		// One of each answer: 200, 201, 204, 400, 401, 403 (CSRF), 404, 405, 410.
		c.registerByInterrupt(t, alex, "Phone")
		tok := bearerToken(alex.token)
		c.do("GET", "/me", nil, tok).want(t, 200)
		c.do("GET", "/me/authentication/methods", nil, tok).want(t, 200)
		c.do("GET", "/me/authentication/signInPreferences", nil, tok).want(t, 200)
		c.do("PATCH", "/me/authentication/signInPreferences", map[string]string{"userPreferredMethodForSecondaryAuthentication": "oath"}, tok).want(t, 200)
		c.do("GET", "/me/sessions", nil, tok).want(t, 200)
		var setup oathSetup
		c.do("POST", "/me/authentication/softwareOathMethods", nil, tok).want(t, 201).decode(t, &setup)
		c.do("GET", "/me/authentication/softwareOathMethods/"+setup.ID, nil, tok).want(t, 200)
		c.do("GET", "/me/authentication/softwareOathMethods/"+alex.methodID, nil, tok).want(t, 200)
		c.do("DELETE", "/me/authentication/methods/0123456789abcdef0123456789abcdef", nil, tok).want(t, 404)
		c.do("POST", "/signin", rawBody("[]")).want(t, 400)
		c.do("GET", "/signin", nil).want(t, 405)
		c.do("GET", "/no/such/call", nil).want(t, 404)
		c.do("GET", "/me", nil).want(t, 401)
		c.do("GET", "/signin/"+randomFlowID(), nil).want(t, 410)
		c.do("DELETE", "/signin/"+randomFlowID(), nil).want(t, 204)
		flow := c.signIn(t, alex)
		c.do("DELETE", "/signin/"+flow.FlowID, nil).want(t, 204)
		c.do("DELETE", "/me/authentication/methods/"+setup.ID, nil, tok).want(t, 404) // still pending: not a method
		app := &authApp{secret: setup.SecretKey}
		c.do("POST", "/me/authentication/softwareOathMethods/"+setup.ID+"/activate", map[string]string{"verificationCode": app.code(t)}, tok).want(t, 200)
		c.do("DELETE", "/me/authentication/methods/"+setup.ID, nil, tok).want(t, 204)

		// Cross-site browser requests are refused, and do nothing.
		auditBefore := len(auditLog(t, s))
		crossSite := []reqOpt{header("Origin", "https://evil.test"), header("Sec-Fetch-Site", "cross-site")}
		for _, pw := range []string{alex.Password, "Wrong-Password-x"} {
			r := c.do("POST", "/signin", map[string]string{"username": alex.Username, "password": pw}, crossSite...)
			r.apiErr(t, http.StatusForbidden, "forbidden", "")
		}
		c.do("POST", "/signin", map[string]string{"username": alex.Username, "password": "Wrong-Password-x"},
			header("Origin", "https://evil.test")).apiErr(t, http.StatusForbidden, "forbidden", "")
		c.do("POST", "/me/revokeSignInSessions", nil, append(crossSite, tok)...).apiErr(t, http.StatusForbidden, "forbidden", "")
		c.do("GET", "/me", nil, tok).want(t, http.StatusOK) // not revoked
		if n := len(auditLog(t, s)); n != auditBefore {
			t.Errorf("cross-site requests left %d audit events", n-auditBefore)
		}
		// The same page's own requests pass.
		c.do("POST", "/signin", map[string]string{"username": alex.Username, "password": alex.Password},
			header("Origin", s.URL), header("Sec-Fetch-Site", "same-origin")).want(t, http.StatusOK)

		c.do("POST", "/me/signOut", nil, tok).want(t, 204)
		c.do("GET", "/me", nil, tok).want(t, 401)

		c.rec = false
		seen := map[int]int{}
		for _, r := range c.seen {
			seen[r.Status]++
			checkAPIHeaders(t, r)
		}
		t.Logf("checked the headers of %d API answers by status: %v", len(c.seen), seen)

		for _, path := range []string{"/healthz", "/readyz"} {
			r := c.do("GET", path, nil).want(t, http.StatusOK)
			var v map[string]any
			r.decode(t, &v)
		}
	})
}

// checkAPIHeaders checks what every API answer carries (openapi.yaml).
func checkAPIHeaders(t *testing.T, r *apiResp) {
	t.Helper()
	h := r.Header
	if r.Status == http.StatusNoContent {
		if len(r.Body) != 0 {
			t.Errorf("%s: 204 with a body", r)
		}
	} else if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s: Content-Type %q, want application/json", r, ct)
	}
	if cc := h.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("%s: Cache-Control %q, want no-store", r, cc)
	}
	csp := h.Get("Content-Security-Policy")
	for _, d := range []string{"default-src 'none'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, d) {
			t.Errorf("%s: Content-Security-Policy %q lacks %s", r, csp, d)
		}
	}
	for name, want := range map[string]string{"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff"} {
		if got := h.Get(name); !strings.EqualFold(got, want) {
			t.Errorf("%s: %s %q, want %s", r, name, got, want)
		}
	}
	if h.Get("Referrer-Policy") == "" {
		t.Errorf("%s: no Referrer-Policy", r)
	}
	if r.Status == http.StatusMethodNotAllowed && h.Get("Allow") == "" {
		t.Errorf("%s: 405 without Allow", r)
	}
	if r.Status == http.StatusUnauthorized && r.Path != apiPrefix+"/signin" && !strings.HasPrefix(h.Get("WWW-Authenticate"), "Bearer") {
		t.Errorf("%s: 401 without a Bearer WWW-Authenticate challenge", r)
	}
}
