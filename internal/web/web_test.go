package web

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/httpx"
)

// env is one handler over the fakes, wrapped like cmd/twofold wraps it.
type env struct {
	t      *testing.T
	h      http.Handler
	rec    *recorder
	signin *fakeSignin
	info   *fakeSecurityInfo
	outbox *fakeOutbox // nil unless made by newDevEnv
	logs   *bytes.Buffer
}

func newEnv(t *testing.T, insecure bool) *env {
	t.Helper()
	return makeEnv(t, insecure, false)
}

// newDevEnv is newEnv with the development outbox served.
func newDevEnv(t *testing.T) *env {
	t.Helper()
	return makeEnv(t, false, true)
}

func makeEnv(t *testing.T, insecure, outbox bool) *env {
	t.Helper()
	rec := &recorder{}
	info := &fakeSecurityInfo{recorder: rec, methods: []*twofold.Method{
		{ID: "m1", Kind: twofold.KindSoftwareOath, Name: "Work phone", State: twofold.MethodActive},
	}}
	logs := &bytes.Buffer{}
	e := &env{t: t, rec: rec, signin: newFakeSignin(rec), info: info, logs: logs}
	d := Deps{
		Signin: e.signin, Sessions: fakeSessions{rec}, SecurityInfo: info,
		Logger:          slog.New(slog.NewTextHandler(logs, nil)),
		InsecureCookies: insecure,
		Now:             func() time.Time { return testNow },
	}
	if outbox {
		e.outbox = newFakeOutbox(rec)
		d.Outbox = e.outbox
	}
	h, err := New(d)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	e.h = httpx.RequestContext(nil, h)
	return e
}

// do sends one request with the given cookies (name=value) and form.
func (e *env) do(method, target string, form url.Values, cookies ...string) *httptest.ResponseRecorder {
	e.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	r := httptest.NewRequest(method, target, body)
	if form != nil {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for _, c := range cookies {
		name, value, _ := strings.Cut(c, "=")
		r.AddCookie(&http.Cookie{Name: name, Value: value})
	}
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	return w
}

const (
	member  = "__Host-twofold_session=tok"
	stale   = "__Host-twofold_session=tok-stale"
	flowMFA = "__Host-twofold_flow=flow-mfa"
	flowReg = "__Host-twofold_flow=flow-reg"
)

func wantRedirect(t *testing.T, w *httptest.ResponseRecorder, location string) {
	t.Helper()
	if w.Code != http.StatusSeeOther {
		t.Fatalf("status = %d, want 303; body:\n%s", w.Code, w.Body)
	}
	if got := w.Header().Get("Location"); got != location {
		t.Fatalf("Location = %q, want %q", got, location)
	}
}

func wantBody(t *testing.T, w *httptest.ResponseRecorder, status int, parts ...string) {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status = %d, want %d; body:\n%s", w.Code, status, w.Body)
	}
	for _, p := range parts {
		if !strings.Contains(w.Body.String(), p) {
			t.Errorf("body lacks %q; body:\n%s", p, w.Body)
		}
	}
}

func cookie(t *testing.T, w *httptest.ResponseRecorder, name string) *http.Cookie {
	t.Helper()
	for _, c := range w.Result().Cookies() {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no %s cookie set; Set-Cookie: %q", name, w.Header().Values("Set-Cookie"))
	return nil
}

func TestNewChecksEveryViewHasATemplate(t *testing.T) {
	a, err := loadAssets()
	if err != nil {
		t.Fatal(err)
	}
	p, err := parsePages(a)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range allViews() {
		if p.byName[v.template()] == nil {
			t.Errorf("no template for %T", v)
		}
	}
	if len(p.byName) != len(allViews()) {
		t.Errorf("%d page templates but %d views: a page file has no view", len(p.byName), len(allViews()))
	}
}

func TestSigninFailureKeepsUserNameAndShowsTheSentence(t *testing.T) {
	e := newEnv(t, false)
	w := e.do("POST", "/signin", url.Values{"username": {"ada@contoso.test"}, "password": {"hunter2-secret"}})
	wantBody(t, w, http.StatusUnauthorized,
		"Your user name or password is incorrect, or your account is locked for a few minutes after too many tries.",
		`id="error-summary" role="alert" tabindex="-1"`,
		`value="ada@contoso.test"`)
	if strings.Contains(w.Body.String(), "hunter2-secret") {
		t.Error("the password was written back into the page")
	}
	if len(w.Result().Cookies()) != 0 {
		t.Errorf("a failed sign-in set cookies: %v", w.Result().Cookies())
	}
}

// An oversized form is cut off: the page asks for the fields again, and no use case
// sees megabytes of input.
func TestOversizedFormIsRefusedClearly(t *testing.T) {
	e := newEnv(t, false)
	w := e.do("POST", "/signin", url.Values{"username": {strings.Repeat("a", 1<<20) + "@contoso.test"}, "password": {"x"}})
	if w.Code >= 500 {
		t.Fatalf("status %d for an oversized form", w.Code)
	}
	wantBody(t, w, w.Code, `id="error-summary"`)
	if strings.Contains(w.Body.String(), "aaaa") {
		t.Error("the oversized value was echoed into the page")
	}
	for _, call := range e.rec.changes() {
		if strings.Contains(call, "aaaa") {
			t.Errorf("an oversized form reached the use cases: %.60s…", call)
		}
	}
}

func TestSigninStartsFlowWithFlowCookie(t *testing.T) {
	e := newEnv(t, false)
	w := e.do("POST", "/signin", url.Values{"username": {"ada@contoso.test"}, "password": {"right"}})
	wantRedirect(t, w, "/signin/verify")
	c := cookie(t, w, "__Host-twofold_flow")
	if c.Value != "flow-mfa" || !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.MaxAge != 900 || c.Domain != "" {
		t.Errorf("flow cookie = %+v", c)
	}

	w = e.do("POST", "/signin", url.Values{"username": {"new@contoso.test"}, "password": {"right"}})
	wantRedirect(t, w, "/signin/register")
}

// A session cookie planted before sign-in is never adopted: sign-in always sets
// the new token the use case issued (session fixation).
func TestSigninReplacesAnyPlantedSessionCookie(t *testing.T) {
	e := newEnv(t, false)
	w := e.do("POST", "/signin", url.Values{"username": {"solo@contoso.test"}, "password": {"right"}}, "__Host-twofold_session=planted-by-attacker")
	wantRedirect(t, w, "/my")
	c := cookie(t, w, "__Host-twofold_session")
	if c.Value != "tok-new" {
		t.Errorf("session cookie = %q, want the newly issued token", c.Value)
	}
	if !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.MaxAge != 0 || !c.Expires.IsZero() {
		t.Errorf("session cookie attributes = %+v; want HttpOnly, Secure, Lax, Path=/, browser-session", c)
	}
}

func TestInsecureCookiesDropPrefixAndSecure(t *testing.T) {
	e := newEnv(t, true)
	w := e.do("POST", "/signin", url.Values{"username": {"solo@contoso.test"}, "password": {"right"}})
	c := cookie(t, w, "twofold_session")
	if c.Secure || !c.HttpOnly {
		t.Errorf("dev cookie = %+v", c)
	}
	w = e.do("GET", "/my", nil, "twofold_session=tok")
	wantBody(t, w, http.StatusOK, "Ada Lovelace")
}

func TestSigninOverloadedIs503WithRetryAfter(t *testing.T) {
	e := newEnv(t, false)
	w := e.do("POST", "/signin", url.Values{"username": {"ada@contoso.test"}, "password": {"busy"}})
	wantBody(t, w, http.StatusServiceUnavailable, "try again")
	if w.Header().Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
}

func TestVerifyWrongCodeShowsErrorAtFieldAndInSummary(t *testing.T) {
	e := newEnv(t, false)
	w := e.do("GET", "/signin/verify", nil, flowMFA)
	wantBody(t, w, http.StatusOK, "Enter the code displayed in your authenticator app", `name="code"`,
		`inputmode="numeric"`, `autocomplete="one-time-code"`, `href="/signin/other"`, "Sign in another way", "Cancel")

	w = e.do("POST", "/signin/verify", url.Values{"method": {""}, "code": {"999999"}}, flowMFA)
	wantBody(t, w, http.StatusBadRequest, "That code didn&#39;t work", `<a href="#code">`, `id="code-error"`, `aria-invalid="true"`, `value="999999"`)
}

func TestVerifyCodeSignsInAndClearsFlow(t *testing.T) {
	e := newEnv(t, false)
	w := e.do("POST", "/signin/verify", url.Values{"method": {""}, "code": {goodCode}}, flowMFA, "__Host-twofold_session=planted")
	wantRedirect(t, w, "/my")
	if c := cookie(t, w, "__Host-twofold_session"); c.Value != "tok-mfa" {
		t.Errorf("session cookie = %q", c.Value)
	}
	if c := cookie(t, w, "__Host-twofold_flow"); c.MaxAge >= 0 {
		t.Errorf("flow cookie not cleared: %+v", c)
	}
}

func TestVerifyEndedFlowGoesBackToSignin(t *testing.T) {
	e := newEnv(t, false)
	wantRedirect(t, e.do("GET", "/signin/verify", nil), "/signin")
	wantRedirect(t, e.do("GET", "/signin/verify", nil, "__Host-twofold_flow=gone"), "/signin?m=expired")
	w := e.do("POST", "/signin/verify", url.Values{"code": {"000000"}}, flowMFA)
	wantRedirect(t, w, "/signin?m=failed")
	w = e.do("GET", "/signin?m=expired", nil)
	wantBody(t, w, http.StatusOK, "Your sign-in has expired. Please sign in again.")
}

func TestSigninAnotherWayListsOptionsAndSwitches(t *testing.T) {
	e := newEnv(t, false)
	w := e.do("GET", "/signin/other", nil, flowMFA)
	wantBody(t, w, http.StatusOK, `name="method" value="m1"`, `name="method" value="m2"`, "Tablet", "Work phone")
	w = e.do("POST", "/signin/verify", url.Values{"method": {"m2"}}, flowMFA)
	wantBody(t, w, http.StatusOK, `name="method" value="m2"`, "(Tablet)")
	if got := e.rec.changes(); len(got) != 0 {
		t.Errorf("choosing a method changed state: %v", got)
	}
}

func TestNoticeOnlyForKnownKeys(t *testing.T) {
	e := newEnv(t, false)
	w := e.do("GET", "/signin?m=%3Cscript%3Ealert(1)%3C/script%3E", nil)
	if strings.Contains(w.Body.String(), "alert(1)") || strings.Contains(w.Body.String(), `role="status"`) {
		t.Error("an unknown notice key reached the page")
	}
}

func TestRegistrationInterrupt(t *testing.T) {
	e := newEnv(t, false)
	w := e.do("GET", "/signin/register", nil, flowReg)
	wantBody(t, w, http.StatusOK, "More information required", "Your organization needs more information to keep your account secure", "Next")

	w = e.do("POST", "/signin/register", url.Values{}, flowReg)
	wantBody(t, w, http.StatusOK, `src="data:image/png;base64,iVBORw0KGgo`, `alt="QR code for your authenticator app"`,
		"Can't scan the image?", `id="secret-key">JBSW Y3DP EHPK 3PXP`, "ada@contoso.test", `name="code"`, `name="name"`, `value="pend1"`)

	w = e.do("POST", "/signin/register/app", url.Values{"method": {"pend1"}, "name": {"My phone"}, "code": {"111111"}}, flowReg)
	wantBody(t, w, http.StatusBadRequest, "That code didn&#39;t work", `value="My phone"`, `id="secret-key"`)

	w = e.do("POST", "/signin/register/app", url.Values{"method": {"pend1"}, "name": {"My phone"}, "code": {goodCode}}, flowReg)
	wantRedirect(t, w, "/signin/register/done")
	if c := cookie(t, w, "__Host-twofold_session"); c.Value != "tok-reg" {
		t.Errorf("session cookie = %q", c.Value)
	}
	w = e.do("GET", "/signin/register/done", nil, "__Host-twofold_session=tok-reg")
	wantBody(t, w, http.StatusOK, "Authenticator app was successfully registered", `href="/my"`, "Done")
}

func TestCancelClearsFlow(t *testing.T) {
	e := newEnv(t, false)
	w := e.do("POST", "/signin/cancel", url.Values{}, flowReg)
	wantRedirect(t, w, "/signin?m=canceled")
	if c := cookie(t, w, "__Host-twofold_flow"); c.MaxAge >= 0 {
		t.Errorf("flow cookie not cleared: %+v", c)
	}
	if got := e.rec.changes(); len(got) != 1 || got[0] != "Cancel flow-reg" {
		t.Errorf("calls = %v", got)
	}
}

func TestUnauthenticatedAccountPagesRedirectToSignin(t *testing.T) {
	e := newEnv(t, false)
	for _, p := range []string{"/my", "/my/security-info", "/my/sessions", "/my/security-info/add", "/my/verify",
		"/my/security-info/methods/m1/delete", "/my/security-info/app/pend1", "/signin/register/done",
		"/my/security-info/phone", "/my/security-info/methods/p1/change", "/my/security-info/phone/pc1",
		"/my/security-info/phone/pc1/status", "/my/security-info/phone/pc1/done", "/my/verify/status"} {
		wantRedirect(t, e.do("GET", p, nil), "/signin")
	}
	wantRedirect(t, e.do("POST", "/my/security-info/methods/m1/delete", url.Values{}), "/signin")
	for _, p := range []string{"/my/security-info/phone", "/my/security-info/methods/p1/change", "/my/security-info/phone/pc1",
		"/my/security-info/phone/pc1/resend", "/my/verify/phone", "/my/verify/call"} {
		wantRedirect(t, e.do("POST", p, url.Values{}), "/signin")
	}
	w := e.do("GET", "/my", nil, "__Host-twofold_session=revoked")
	wantRedirect(t, w, "/signin?m=ended")
	if c := cookie(t, w, "__Host-twofold_session"); c.MaxAge >= 0 {
		t.Errorf("dead session cookie not removed: %+v", c)
	}
	if len(e.rec.changes()) != 0 {
		t.Errorf("unauthenticated requests changed state: %v", e.rec.changes())
	}
}

func TestStaleSecondFactorVerifiesAgainThenReturns(t *testing.T) {
	e := newEnv(t, false)
	for _, p := range []string{"/my/security-info", "/my/security-info/add", "/my/security-info/default",
		"/my/security-info/methods/m1/delete", "/my/security-info/app/pend1"} {
		wantRedirect(t, e.do("GET", p, nil, stale), "/my/verify?next="+url.QueryEscape(p))
	}
	wantRedirect(t, e.do("POST", "/my/security-info/methods/m1/delete", url.Values{}, stale),
		"/my/verify?next="+url.QueryEscape("/my/security-info/methods/m1/delete"))

	w := e.do("GET", "/my/verify?next=%2Fmy%2Fsecurity-info%2Fadd", nil, stale)
	wantBody(t, w, http.StatusOK, `name="next" value="/my/security-info/add"`, `name="code"`, "authenticator app")

	w = e.do("POST", "/my/verify", url.Values{"next": {"/my/security-info/add"}, "code": {"1"}}, stale)
	wantBody(t, w, http.StatusBadRequest, "That code didn&#39;t work", `name="next" value="/my/security-info/add"`)

	w = e.do("POST", "/my/verify", url.Values{"next": {"/my/security-info/add"}, "code": {goodCode}}, stale)
	wantRedirect(t, w, "/my/security-info/add")
}

func TestVerifyRefusesOpenRedirects(t *testing.T) {
	e := newEnv(t, false)
	for _, next := range []string{"//evil.test", "//evil.test/my/", "https://evil.test/my/", "/my//evil.test",
		"/my/\\evil.test", "/\\evil.test", "/signin", "", "my/security-info", "/my/../../evil", "/my/%2F%2Fevil.test",
		"/my/x\r\nLocation: https://evil.test"} {
		w := e.do("POST", "/my/verify", url.Values{"next": {next}, "code": {goodCode}}, stale)
		if loc := w.Header().Get("Location"); loc != "/my/security-info" {
			t.Errorf("next=%q: Location = %q, want the Security info page", next, loc)
		}
		w = e.do("GET", "/my/verify?next="+url.QueryEscape(next), nil, stale)
		if strings.Contains(w.Body.String(), "evil") {
			t.Errorf("next=%q reached the form", next)
		}
	}
	for _, next := range []string{"/my/security-info/add", "/my/security-info/methods/m1/delete"} {
		if got := safeNext(next); got != next {
			t.Errorf("safeNext(%q) = %q", next, got)
		}
	}
}

func TestSecurityInfoPage(t *testing.T) {
	e := newEnv(t, false)
	w := e.do("GET", "/my/security-info", nil, member)
	wantBody(t, w, http.StatusOK, "<h1 class=\"page-title\">Security info</h1>",
		"These are the methods you use to sign in to your account or reset your password.",
		"Default sign-in method: <strong>Authenticator app – code</strong>",
		`href="/my/security-info/default" id="change-default"`, `href="/my/security-info/add" id="add-method"`,
		"Work phone", `href="/my/security-info/methods/m1/delete"`, "<svg", `aria-current="page"`, `id="signout"`, "Contoso")

	e.info.noDefault = true
	w = e.do("GET", "/my/security-info", nil, member)
	wantBody(t, w, http.StatusOK, "You have no default sign-in method. Your organization may ask you to register again.",
		"Your organization no longer offers: Phone")
}

func TestChangeDefault(t *testing.T) {
	e := newEnv(t, false)
	w := e.do("GET", "/my/security-info/default", nil, member)
	wantBody(t, w, http.StatusOK, `type="radio" name="preference" value="oath" id="preference" checked`, "Confirm", "Cancel")
	w = e.do("POST", "/my/security-info/default", url.Values{"preference": {"sms"}}, member)
	wantBody(t, w, http.StatusBadRequest, "Choose one of your sign-in methods.", `<a href="#preference">`)
	wantRedirect(t, e.do("POST", "/my/security-info/default", url.Values{"preference": {"oath"}}, member), "/my/security-info?m=default")
}

func TestAddAuthenticatorApp(t *testing.T) {
	e := newEnv(t, false)
	w := e.do("GET", "/my/security-info/add", nil, member)
	wantBody(t, w, http.StatusOK, `name="kind" value="softwareOath" id="kind" checked`, "Add", "Cancel")
	w = e.do("POST", "/my/security-info/add", url.Values{}, member)
	wantBody(t, w, http.StatusBadRequest, "Choose a method to add.")
	wantRedirect(t, e.do("POST", "/my/security-info/add", url.Values{"kind": {"softwareOath"}}, member), "/my/security-info/app/pend1")

	w = e.do("GET", "/my/security-info/app/pend1", nil, member)
	wantBody(t, w, http.StatusOK, `id="secret-key"`, `data:image/png;base64,`, "Name this app", `name="code"`, "Back", "Cancel", "Next")
	w = e.do("POST", "/my/security-info/app/pend1", url.Values{"name": {"Pixel"}, "code": {"12"}}, member)
	wantBody(t, w, http.StatusBadRequest, "That code didn&#39;t work", `value="Pixel"`)
	wantRedirect(t, e.do("POST", "/my/security-info/app/pend1", url.Values{"name": {"Pixel"}, "code": {goodCode}}, member), "/my/security-info/app/pend1/done")
	w = e.do("GET", "/my/security-info/app/pend1/done", nil, member)
	wantBody(t, w, http.StatusOK, "Authenticator app was successfully registered.", "Done")

	w = e.do("GET", "/my/security-info/app/other", nil, member)
	wantBody(t, w, http.StatusNotFound, "Page not found")
}

func TestDeleteConfirmFocusesTheSafeChoice(t *testing.T) {
	e := newEnv(t, false)
	w := e.do("GET", "/my/security-info/methods/m1/delete", nil, member)
	wantBody(t, w, http.StatusOK, "Delete this authenticator app?", "You can't undo this.")
	body := w.Body.String()
	no := regexp.MustCompile(`<button[^>]*\bautofocus\b[^>]*>([^<]*)</button>`).FindStringSubmatch(body)
	if no == nil || no[1] != "No" {
		t.Fatalf("the focused button is %v, want No", no)
	}
	if strings.Count(body, "autofocus") != 1 {
		t.Error("more than one element asks for focus")
	}
	if !regexp.MustCompile(`<form method="post" action="/my/security-info/methods/m1/delete">\s*<button type="submit" id="delete-yes"`).MatchString(body) {
		t.Error("Yes is not a POST form")
	}
	if len(e.rec.changes()) != 0 {
		t.Errorf("the confirm page changed state: %v", e.rec.changes())
	}
	wantRedirect(t, e.do("POST", "/my/security-info/methods/m1/delete", url.Values{}, member), "/my/security-info?m=deleted")
	if got := e.rec.changes(); len(got) != 1 || got[0] != "Delete m1" {
		t.Errorf("calls = %v", got)
	}
	wantBody(t, e.do("GET", "/my/security-info/methods/nope/delete", nil, member), http.StatusNotFound)
}

func TestSessionsAndSignOutEverywhere(t *testing.T) {
	e := newEnv(t, false)
	w := e.do("GET", "/my/sessions", nil, member)
	wantBody(t, w, http.StatusOK, "Chrome on Linux", "Safari on iOS", "This device", "192.0.2.10", ">Now</time>", `id="signout-everywhere"`)
	if strings.Count(w.Body.String(), "This device") != 1 {
		t.Error("This device marked more than once")
	}
	w = e.do("POST", "/my/sessions/sign-out-everywhere", url.Values{}, member)
	wantRedirect(t, w, "/signin?m=everywhere")
	if c := cookie(t, w, "__Host-twofold_session"); c.MaxAge >= 0 {
		t.Errorf("cookie not cleared: %+v", c)
	}
	wantBody(t, e.do("GET", "/signin?m=everywhere", nil), http.StatusOK, "You&#39;ve signed out everywhere.")
}

func TestSignOut(t *testing.T) {
	e := newEnv(t, false)
	w := e.do("POST", "/signout", url.Values{}, member)
	wantRedirect(t, w, "/signin?m=signedout")
	if c := cookie(t, w, "__Host-twofold_session"); c.MaxAge >= 0 {
		t.Errorf("cookie not cleared: %+v", c)
	}
	if got := e.rec.changes(); len(got) != 1 || got[0] != "SignOut s1" {
		t.Errorf("calls = %v", got)
	}
	wantBody(t, e.do("GET", "/signin?m=signedout", nil), http.StatusOK, "You&#39;ve signed out.")
	// Signing out with a dead cookie still removes it.
	wantRedirect(t, e.do("POST", "/signout", url.Values{}, "__Host-twofold_session=dead"), "/signin?m=signedout")
}

func TestOverview(t *testing.T) {
	e := newEnv(t, false)
	wantBody(t, e.do("GET", "/my", nil, member), http.StatusOK, "Ada Lovelace", "Contoso", "You have 1 sign-in method", `href="/my/security-info"`,
		"You have 2 active sessions")
	// A stale second factor does not block the overview, nor hide the count.
	wantBody(t, e.do("GET", "/my", nil, stale), http.StatusOK, "You have 1 sign-in method")
}

func TestInternalErrorShowsOnlyAReference(t *testing.T) {
	e := newEnv(t, false)
	w := e.do("GET", "/my", nil, "__Host-twofold_session=tok-boom")
	wantBody(t, w, http.StatusInternalServerError, "Something went wrong (ref <code>")
	ref := w.Header().Get("X-Request-Id")
	if ref == "" || !strings.Contains(w.Body.String(), ref) {
		t.Errorf("the page does not show the request reference %q", ref)
	}
	if strings.Contains(w.Body.String(), "disk I/O") || strings.Contains(w.Body.String(), "secret.db") {
		t.Error("internal error text reached the page")
	}
	if !strings.Contains(e.logs.String(), "disk I/O error") || !strings.Contains(e.logs.String(), ref) {
		t.Errorf("the log lacks the error chain or the reference:\n%s", e.logs)
	}

	w = e.do("POST", "/signin", url.Values{"username": {"ada@contoso.test"}, "password": {"boom"}})
	wantBody(t, w, http.StatusInternalServerError, "Something went wrong (ref")
}

func TestNotFound(t *testing.T) {
	e := newEnv(t, false)
	wantBody(t, e.do("GET", "/nope", nil), http.StatusNotFound, "Page not found")
	wantBody(t, e.do("GET", "/static/style.css", nil), http.StatusNotFound)
	wantRedirect(t, e.do("GET", "/", nil), "/my")
}

func TestStaticAssetsAreHashedAndCachedForAYear(t *testing.T) {
	e := newEnv(t, false)
	page := e.do("GET", "/signin", nil).Body.String()
	for _, re := range []string{`href="(/static/style\.[0-9a-f]{10}\.css)"`, `src="(/static/focus\.[0-9a-f]{10}\.js)"`, `href="(/static/favicon\.[0-9a-f]{10}\.svg)"`} {
		m := regexp.MustCompile(re).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("page lacks %s", re)
		}
		w := e.do("GET", m[1], nil)
		if w.Code != http.StatusOK || !strings.Contains(w.Header().Get("Cache-Control"), "immutable") || w.Body.Len() == 0 {
			t.Errorf("%s: %d %q", m[1], w.Code, w.Header().Get("Cache-Control"))
		}
	}
}

// pageVisits are the GET pages of every state the member can be in, for the
// checks that hold on every page.
func pageVisits() [][2]string {
	return [][2]string{
		{"/signin", ""}, {"/signin?m=signedout", ""}, {"/signin/verify", flowMFA}, {"/signin/other", flowMFA},
		{"/signin/register", flowReg}, {"/signin/register/done", member}, {"/my", member}, {"/my", stale},
		{"/my/security-info", member}, {"/my/security-info/default", member}, {"/my/security-info/add", member},
		{"/my/security-info/app/pend1", member}, {"/my/security-info/app/pend1/done", member},
		{"/my/security-info/methods/m1/delete", member}, {"/my/verify?next=/my/security-info", stale},
		{"/my/sessions", member}, {"/nope", ""}, {"/my", "__Host-twofold_session=tok-boom"},
		{"/signin/verify", flowPhone}, {"/signin/other", flowPhone}, {"/signin/verify?method=m1", flowPhone},
		{"/my/security-info/phone", member}, {"/my/security-info/methods/p1/change", member},
		{"/my/verify?next=/my/security-info&phone=1", stale}, {"/dev/outbox", ""},
		{"/my/security-info/key", member}, {"/signin/key", flowKey},
	}
}

func TestGETNeverChangesState(t *testing.T) {
	e := newDevEnv(t)
	for _, v := range pageVisits() {
		e.do("GET", v[0], nil, strings.Fields(v[1])...)
		e.do("HEAD", v[0], nil, strings.Fields(v[1])...)
	}
	// And every page and status of a call in progress, in every state.
	e.signin.challenge["flow-phone"] = &twofold.Challenge{ID: "sc1", Channel: twofold.ChannelVoice, MethodID: "p1",
		PhoneNumber: testNumber, State: twofold.ChallengeSent}
	id := e.info.startPhone(twofold.ChannelVoice, "")
	e.info.reverify = &twofold.Challenge{ID: "rc1", Channel: twofold.ChannelVoice, MethodID: "p1", PhoneNumber: testNumber,
		State: twofold.ChallengeSent}
	for _, state := range []twofold.ChallengeState{twofold.ChallengeSent, twofold.ChallengeAnswered, twofold.ChallengeVerified,
		twofold.ChallengeFailed, twofold.ChallengeUsed} {
		e.signin.challenge["flow-phone"].State = state
		e.info.setPhone(id, state, "")
		e.info.setReverify(state, "")
		for _, v := range [][2]string{
			{"/signin/verify", flowPhone}, {"/signin/call/status", flowPhone},
			{"/my/security-info/phone/" + id, member}, {"/my/security-info/phone/" + id + "/status", member},
			{"/my/security-info/phone/" + id + "/done", member},
			{"/my/verify?next=/my/security-info&phone=1", stale}, {"/my/verify/status", stale},
		} {
			e.do("GET", v[0], nil, v[1])
		}
	}
	if got := e.rec.changes(); len(got) != 0 {
		t.Errorf("GET requests called %v", got)
	}
}

var (
	scriptTag   = regexp.MustCompile(`(?i)<script\b[^>]*>`)
	inlineStyle = regexp.MustCompile(`(?i)<style\b|\sstyle\s*=`)
	inlineEvent = regexp.MustCompile(`(?i)\son[a-z]+\s*=`)
	jsURL       = regexp.MustCompile(`(?i)javascript:`)
)

// checkPage asserts what the CSP demands of every page and what the UI asks of
// every page: no inline script or style, one h1, a language, labelled inputs.
func checkPage(t *testing.T, name, body string) {
	t.Helper()
	for _, tag := range scriptTag.FindAllString(body, -1) {
		// A JSON data block is never executed; any other script comes from /static.
		if !strings.Contains(tag, ` src="/static/`) && !strings.Contains(tag, ` type="application/json"`) {
			t.Errorf("%s: inline script %s", name, tag)
		}
	}
	if m := inlineStyle.FindString(body); m != "" {
		t.Errorf("%s: inline style %q", name, m)
	}
	if m := inlineEvent.FindString(body); m != "" {
		t.Errorf("%s: inline event handler %q", name, m)
	}
	if jsURL.MatchString(body) {
		t.Errorf("%s: javascript: URL", name)
	}
	if !strings.Contains(body, `<html lang="en">`) {
		t.Errorf("%s: no lang", name)
	}
	if n := strings.Count(body, "<h1"); n != 1 {
		t.Errorf("%s: %d h1 elements", name, n)
	}
	for _, m := range regexp.MustCompile(`<input[^>]*type="(?:text|password|radio)"[^>]*\sid="([^"]+)"`).FindAllStringSubmatch(body, -1) {
		if !strings.Contains(body, `<label for="`+m[1]+`"`) {
			t.Errorf("%s: input #%s has no label", name, m[1])
		}
	}
	for _, banned := range []string{"TOTP", "OTP ", "AAL"} {
		if strings.Contains(body, banned) {
			t.Errorf("%s: jargon %q in member-facing text", name, banned)
		}
	}
}

func TestEveryPageKeepsTheRules(t *testing.T) {
	e := newDevEnv(t)
	for _, v := range pageVisits() {
		w := e.do("GET", v[0], nil, strings.Fields(v[1])...)
		if w.Code == http.StatusSeeOther {
			t.Errorf("%s redirected to %s", v[0], w.Header().Get("Location"))
			continue
		}
		if got := w.Header().Get("Cache-Control"); got != "no-store" {
			t.Errorf("%s: Cache-Control = %q", v[0], got)
		}
		checkPage(t, v[0], w.Body.String())
	}
	// And the pages that show errors.
	posts := []struct {
		path, cookie string
		form         url.Values
	}{
		{"/signin", "", url.Values{"username": {"a@b"}, "password": {"x"}}},
		{"/signin/verify", flowMFA, url.Values{"code": {"1"}}},
		{"/signin/register", flowReg, url.Values{}},
		{"/signin/register/app", flowReg, url.Values{"method": {"pend1"}, "code": {"1"}}},
		{"/my/verify", stale, url.Values{"code": {"1"}}},
		{"/my/security-info/add", member, url.Values{}},
		{"/my/security-info/default", member, url.Values{"preference": {"x"}}},
		{"/my/security-info/app/pend1", member, url.Values{"code": {"1"}}},
		{"/my/security-info/phone", member, url.Values{"phoneNumber": {"12"}}},
		{"/my/security-info/methods/p1/change", member, url.Values{"phoneType": {"mobile"}, "phoneNumber": {""}}},
		{"/signin/choose", flowPhone, url.Values{"method": {"x"}}},
		{"/my/verify/phone", stale, url.Values{"method": {"x"}}},
	}
	for _, p := range posts {
		w := e.do("POST", p.path, p.form, strings.Fields(p.cookie)...)
		checkPage(t, "POST "+p.path, w.Body.String())
	}
}
