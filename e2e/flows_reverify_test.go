package e2e

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"
)

// reverified checks the answer of a successful re-verification, which is a
// re-authentication: 200 with a new session token, and the token the request
// was made with (old) refused from then on. It returns the new token.
func reverified(t *testing.T, c *apiClient, r *apiResp, old string) string {
	t.Helper()
	var v struct {
		SessionToken    string `json:"sessionToken"`
		ExpiresDateTime string `json:"expiresDateTime"`
	}
	r.want(t, http.StatusOK).decode(t, &v)
	if v.SessionToken == "" || v.SessionToken == old || v.ExpiresDateTime == "" {
		t.Fatalf("%s: answer %+v, want a new session token", r, v)
	}
	c.do("GET", "/me/authentication/methods", nil, bearerToken(old)).apiErr(t, http.StatusUnauthorized, "unauthorized", "")
	return v.SessionToken
}

// pageClient drives the HTML pages as a browser without JavaScript would: it
// keeps cookies and does not follow redirects, so each answer can be checked.
type pageClient struct {
	t    *testing.T
	base string
	http *http.Client
}

func newPageClient(t *testing.T, s *server) *pageClient {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &pageClient{t: t, base: s.URL, http: &http.Client{
		Jar: jar, Timeout: 20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// send makes one request, with the form when given, and returns the answer.
func (p *pageClient) send(method, path string, form url.Values, cookies ...*http.Cookie) *http.Response {
	p.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, p.base+path, body)
	if err != nil {
		p.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	client := p.http
	if len(cookies) > 0 {
		// Only the given cookies, not the jar's.
		client = &http.Client{Timeout: p.http.Timeout, CheckRedirect: p.http.CheckRedirect}
	}
	resp, err := client.Do(req)
	if err != nil {
		p.t.Fatalf("%s %s: %v", method, path, err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// wantRedirect fails the test unless resp is a 303 to a path starting with prefix.
func wantRedirect(t *testing.T, what string, resp *http.Response, prefix string) {
	t.Helper()
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, prefix) {
		t.Fatalf("%s: %d to %q, want 303 to %s…", what, resp.StatusCode, loc, prefix)
	}
}

// sessionCookie returns the session cookie resp sets, or nil.
func sessionCookie(resp *http.Response) *http.Cookie {
	for _, c := range resp.Cookies() {
		if strings.HasSuffix(c.Name, "twofold_session") && c.Value != "" {
			return c
		}
	}
	return nil
}

// Re-verifying on the pages and through the API is a re-authentication: the
// session gets a new token, and the one it had is refused from then on.
func TestReverifyRotatesSessionToken(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, postgres bool) {
		s := startServer(t, serverOptions{Postgres: postgres})
		seedOrg(t, s)
		m := seedMember(t, s, "rotor", "Rae Rotate")
		c := newAPIClient(t, s)
		withAppWithoutMFA(t, s, c, m)

		// The API, with an app code.
		a := c.signIn(t, m)
		c.do("GET", "/me/authentication/methods", nil, bearerToken(a.SessionToken)).
			apiErr(t, http.StatusForbidden, "reauthentication_required", "")
		tok := reverified(t, c, c.do("POST", "/me/authentication/verify", map[string]string{"code": aheadCode(t, m.app)},
			bearerToken(a.SessionToken)), a.SessionToken)
		c.do("GET", "/me/authentication/methods", nil, bearerToken(tok)).want(t, http.StatusOK)

		// The pages.
		p := newPageClient(t, s)
		resp := p.send("POST", "/signin", url.Values{"username": {m.Username}, "password": {m.Password}})
		wantRedirect(t, "password-only sign-in", resp, "/my")
		old := sessionCookie(resp)
		if old == nil {
			t.Fatal("sign-in set no session cookie")
		}
		wantRedirect(t, "security info before verifying", p.send("GET", "/my/security-info", nil), "/my/verify")
		resp = p.send("POST", "/my/verify", url.Values{"code": {aheadCode(t, m.app)}, "next": {"/my/security-info"}})
		wantRedirect(t, "re-verify", resp, "/my/security-info")
		fresh := sessionCookie(resp)
		if fresh == nil || fresh.Value == old.Value || fresh.Name != old.Name || !fresh.HttpOnly {
			t.Fatalf("re-verify set session cookie %+v, want a new HttpOnly token in %s", fresh, old.Name)
		}
		if resp := p.send("GET", "/my/security-info", nil); resp.StatusCode != http.StatusOK {
			t.Errorf("security info with the new cookie: %d, want 200", resp.StatusCode)
		}
		wantRedirect(t, "security info with the old cookie", p.send("GET", "/my/security-info", nil, old), "/signin")
		c.do("GET", "/me/authentication/methods", nil, bearerToken(old.Value)).apiErr(t, http.StatusUnauthorized, "unauthorized", "")
	})
}
