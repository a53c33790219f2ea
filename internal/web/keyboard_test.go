package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/securityinfo"
)

// On card pages the error summary comes under the page's heading, so the page
// still starts with what it is.
func TestCardErrorSummaryUnderHeading(t *testing.T) {
	e := newEnv(t, false)
	body := e.do("POST", "/signin", url.Values{"username": {"ada@contoso.test"}, "password": {"wrong"}}).Body.String()
	h1, summary := strings.Index(body, "<h1>Sign in</h1>"), strings.Index(body, `id="error-summary"`)
	if h1 < 0 || summary < 0 || summary < h1 {
		t.Errorf("heading at %d, error summary at %d; want the summary under the heading", h1, summary)
	}
	if strings.Count(body, `id="error-summary"`) != 1 {
		t.Error("the error summary is not on the page exactly once")
	}
}

// Adding an authenticator app takes only Tab and Enter: the first method is
// chosen already, the setup page focuses the code, and the done page focuses Done.
func TestAddAppByKeyboard(t *testing.T) {
	e := newEnv(t, false)
	e.info.canAdd = []securityinfo.AddOption{
		{Kind: twofold.KindSoftwareOath, Label: "Authenticator app"}, {Kind: twofold.KindPhone, Label: "Phone"}}
	body := e.do("GET", "/my/security-info/add", nil, member).Body.String()
	checked := regexp.MustCompile(`<input type="radio" name="kind" value="([^"]+)"[^>]*\bchecked\b`).FindAllStringSubmatch(body, -1)
	if len(checked) != 1 || checked[0][1] != string(twofold.KindSoftwareOath) {
		t.Errorf("checked options %v, want the first (the app) alone", checked)
	}
	for _, tc := range []struct{ path, focused string }{
		{"/my/security-info/app/pend1", `<input type="text" class="code" id="code"`},
		{"/my/security-info/app/pend1/done", `<a class="button primary" href="/my/security-info"`},
	} {
		body := e.do("GET", tc.path, nil, member).Body.String()
		got := regexp.MustCompile(`<[^>]*\bautofocus\b[^>]*>`).FindAllString(body, -1)
		if len(got) != 1 || !strings.HasPrefix(got[0], tc.focused) {
			t.Errorf("%s: autofocus on %q, want one on %s", tc.path, got, tc.focused)
		}
	}
}

// Re-verify says what it is for: seeing the security info, or changing it.
func TestReverifySaysWhy(t *testing.T) {
	e := newEnv(t, false)
	for next, want := range map[string]string{
		"/my/security-info":                   "verify your identity to see your security info",
		"/my/security-info/add":               "verify your identity to change your security info",
		"/my/security-info/methods/m1/delete": "verify your identity to change your security info",
	} {
		w := e.do("GET", "/my/verify?next="+url.QueryEscape(next), nil, stale)
		wantBody(t, w, http.StatusOK, want)
	}
}

// A phone number never breaks across lines ("+1" on one, the rest on the
// next): wherever a page shows one, it sits in a span that does not wrap.
func TestNumbersStayWhole(t *testing.T) {
	e := newEnv(t, false)
	e.info.methods = append(e.info.methods, testPhone)
	e.info.phoneChoices = true
	body := e.do("GET", "/my/security-info", nil, member).Body.String()
	wantPart(t, body, `<span class="method-detail"><span class="number">+1 4255551234</span></span>`)
	body = e.do("GET", "/my/security-info/default", nil, member).Body.String()
	wantPart(t, body, `Phone – call <span class="number">+1 4255551234</span></label>`)
}

func wantPart(t *testing.T, body, part string) {
	t.Helper()
	if !strings.Contains(body, part) {
		t.Errorf("page lacks %s", part)
	}
}
