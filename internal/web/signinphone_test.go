package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/twofold-id/twofold"
)

var callWaitScript = regexp.MustCompile(`<script src="/static/call-wait\.[0-9a-f]{10}\.js" defer></script>`)

func TestSigninTextsTheDefaultPhone(t *testing.T) {
	e := newEnv(t, false)
	w := e.do("POST", "/signin", url.Values{"username": {"phone@contoso.test"}, "password": {"right"}})
	wantRedirect(t, w, "/signin/verify")
	if c := cookie(t, w, "__Host-twofold_flow"); c.Value != "flow-phone" {
		t.Errorf("flow cookie = %q", c.Value)
	}
	wantCalls(t, e, "Password phone@contoso.test", "Send flow-phone sms")

	w = e.do("GET", "/signin/verify", nil, flowPhone)
	wantText(t, w, http.StatusOK,
		"<h1>Enter code</h1>",
		"We texted your phone +1 XXXXXXX234. Please enter the code to sign in.",
		`<input type="hidden" name="method" value="p1">`,
		`id="code" name="code" value="" inputmode="numeric" autocomplete="one-time-code"`,
		`<button type="submit" class="primary">Verify</button>`,
		`<form id="resend-form" method="post" action="/signin/choose">`, `name="pref" value="sms"`, `name="from" value="verify"`,
		`<button type="submit" form="resend-form" class="link">Resend code</button>`,
		`<a href="/signin/other">Sign in another way</a>`, "Cancel")
	if strings.Contains(w.Body.String(), "authenticator app") || strings.Contains(w.Body.String(), "data-call-status") {
		t.Error("the text step reads like another step")
	}
	checkPage(t, "text step", w.Body.String())
}

func TestSigninTextedCode(t *testing.T) {
	e := newEnv(t, false)
	e.do("POST", "/signin/choose", url.Values{"method": {"p1"}, "pref": {"sms"}}, flowPhone)

	w := e.do("POST", "/signin/verify", url.Values{"method": {"p1"}, "code": {"999999"}}, flowPhone)
	wantText(t, w, http.StatusBadRequest, "That code didn't work. Check the code in the text and try again.",
		`<a href="#code">`, `value="999999"`, "We texted your phone +1 XXXXXXX234.")
	checkPage(t, "text step error", w.Body.String())

	// A text's own "too many codes" ends the code, not the sign-in: ask for another.
	w = e.do("POST", "/signin/verify", url.Values{"method": {"p1"}, "code": {"000001"}}, flowPhone)
	wantText(t, w, http.StatusGone, "That was too many wrong codes. Ask for a new code.", "That was too many wrong codes.",
		`<button type="submit" class="primary">Resend code</button>`)
	if strings.Contains(w.Body.String(), `name="code"`) {
		t.Error("a code field is offered for a text that can no longer be used")
	}
	if strings.Contains(w.Body.String(), `href="#code"`) {
		t.Error("the summary links to a field the page does not have")
	}
	checkPage(t, "text step spent", w.Body.String())

	w = e.do("POST", "/signin/verify", url.Values{"method": {"p1"}, "code": {goodCode}}, flowPhone)
	wantRedirect(t, w, "/my")
	if c := cookie(t, w, "__Host-twofold_session"); c.Value != "tok-text" {
		t.Errorf("session cookie = %q", c.Value)
	}
}

func TestSigninSendErrorIsShownWithTheOtherWays(t *testing.T) {
	e := newEnv(t, false)
	w := e.do("POST", "/signin", url.Values{"username": {"limit@contoso.test"}, "password": {"right"}})
	wantText(t, w, http.StatusTooManyRequests,
		`id="error-summary" role="alert" tabindex="-1"`,
		"<li>You've hit our limit on verification texts. Try again later.</li>",
		"We'll text a code to your phone +1 XXXXXXX234.",
		"Or use another way", "Call +1 XXXXXXX234", "Use a code from your authenticator app (Work phone)",
		`name="pref" value="voiceMobile"`, `name="pref" value="oath"`)
	if w.Header().Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
	if c := cookie(t, w, "__Host-twofold_flow"); c.Value != "flow-phone" {
		t.Errorf("flow cookie = %q", c.Value)
	}
	if strings.Contains(w.Body.String(), "We texted") {
		t.Error("the page says a text went out")
	}
	checkPage(t, "send error", w.Body.String())
}

func TestSigninAnotherWayPostsEachOption(t *testing.T) {
	e := newEnv(t, false)
	w := e.do("GET", "/signin/other", nil, flowPhone)
	body := w.Body.String()
	wantText(t, w, http.StatusOK, "Text +1 XXXXXXX234", "Call +1 XXXXXXX234", "Use a code from your authenticator app (Work phone)")
	forms := regexp.MustCompile(`(?s)<form method="post" action="/signin/choose">\s*<input type="hidden" name="method" value="([^"]*)">\s*<input type="hidden" name="pref" value="([^"]*)">`).FindAllStringSubmatch(body, -1)
	var got []string
	for _, f := range forms {
		got = append(got, f[1]+" "+f[2])
	}
	if strings.Join(got, ",") != "p1 sms,p1 voiceMobile,m1 oath" {
		t.Errorf("option forms = %q", got)
	}
	checkPage(t, "other", body)
	wantCalls(t, e)

	// An app is shown by name; nothing is sent.
	wantRedirect(t, e.do("POST", "/signin/choose", url.Values{"method": {"m1"}, "pref": {"oath"}}, flowPhone), "/signin/verify?method=m1")
	wantText(t, e.do("GET", "/signin/verify?method=m1", nil, flowPhone), http.StatusOK,
		"Enter the code displayed in your authenticator app (Work phone).", `name="method" value="m1"`)
	// A phone is texted now, and the verify page shows it by its challenge.
	wantRedirect(t, e.do("POST", "/signin/choose", url.Values{"method": {"p1"}, "pref": {"sms"}}, flowPhone), "/signin/verify")
	wantCalls(t, e, "Choose flow-phone m1 oath", "Choose flow-phone p1 sms", "Send flow-phone sms")

	// Refusals are told on the page they came from.
	w = e.do("POST", "/signin/choose", url.Values{"method": {"nope"}, "pref": {"sms"}}, flowPhone)
	wantText(t, w, http.StatusNotFound, "<h1>Sign in another way</h1>", "That sign-in method isn't available.")
	e.signin.sendErr = errTextLimit
	w = e.do("POST", "/signin/choose", url.Values{"method": {"p1"}, "pref": {"sms"}}, flowPhone)
	wantText(t, w, http.StatusTooManyRequests, "<h1>Sign in another way</h1>", "You've hit our limit on verification texts.")
	w = e.do("POST", "/signin/choose", url.Values{"method": {"p1"}, "pref": {"sms"}, "from": {"verify"}}, flowPhone)
	wantText(t, w, http.StatusTooManyRequests, "<h1>Enter code</h1>", "You've hit our limit on verification texts.")

	// No flow, or an ended one: back to sign in.
	wantRedirect(t, e.do("POST", "/signin/choose", url.Values{"method": {"p1"}}), "/signin")
	wantRedirect(t, e.do("POST", "/signin/choose", url.Values{"method": {"p1"}}, "__Host-twofold_flow=gone"), "/signin?m=expired")
}

func TestSigninCallStep(t *testing.T) {
	e := newEnv(t, false)
	wantRedirect(t, e.do("POST", "/signin/choose", url.Values{"method": {"p1"}, "pref": {"voiceMobile"}}, flowPhone), "/signin/verify")

	w := e.do("GET", "/signin/verify", nil, flowPhone)
	body := w.Body.String()
	wantText(t, w, http.StatusOK, "<h1>Answer the call</h1>",
		`aria-live="polite">We're calling +1 XXXXXXX234 now. Answer the call to continue.</p>`,
		`data-call-status="/signin/call/status" data-call-form="call-form"`,
		`<form id="call-form" method="post" action="/signin/call">`, "I've answered the call",
		"Sign in another way")
	if !callWaitScript.MatchString(body) {
		t.Error("the call page does not load call-wait.js")
	}
	if strings.Contains(body, `name="code"`) {
		t.Error("the call page asks for a code")
	}
	checkPage(t, "call step", body)

	// Without script, the button while it rings keeps waiting and says so, on a
	// page reached by GET (post, then redirect), so the script's reload never
	// posts again.
	w = e.do("POST", "/signin/call", url.Values{}, flowPhone)
	wantRedirect(t, w, "/signin/verify?m=waiting")
	w = e.do("GET", "/signin/verify?m=waiting", nil, flowPhone)
	wantText(t, w, http.StatusOK, "We're still waiting for you to answer the call and press #.", "data-call-status")
	checkPage(t, "call step waiting", w.Body.String())

	// A failed call says why, offers to call again, and stops polling.
	for _, reason := range []string{
		"You pressed a different key. When the call asks, press # (the pound key).",
		"You didn't answer the call.", "The call ended before you pressed #.", "We didn't hear back from the call in time.",
	} {
		e.signin.setCall("flow-phone", twofold.ChallengeFailed, reason)
		w = e.do("GET", "/signin/verify", nil, flowPhone)
		wantText(t, w, http.StatusOK, reason, `<button type="submit" class="primary">Call again</button>`,
			`name="pref" value="voiceMobile"`, "Sign in another way")
		if strings.Contains(w.Body.String(), "data-call-status") || strings.Contains(w.Body.String(), "call-wait") {
			t.Errorf("%q: a failed call still polls", reason)
		}
	}
	e.signin.setCall("flow-phone", twofold.ChallengeFailed, "You didn't answer the call.")
	wantRedirect(t, e.do("POST", "/signin/call", url.Values{}, flowPhone), "/signin/verify")

	// "#" pressed: the form signs the member in.
	e.signin.setCall("flow-phone", twofold.ChallengeVerified, "")
	w = e.do("POST", "/signin/call", url.Values{}, flowPhone)
	wantRedirect(t, w, "/my")
	if c := cookie(t, w, "__Host-twofold_session"); c.Value != "tok-call" {
		t.Errorf("session cookie = %q", c.Value)
	}
	if c := cookie(t, w, "__Host-twofold_flow"); c.MaxAge >= 0 {
		t.Errorf("flow cookie not cleared: %+v", c)
	}
}

func TestSigninFraudReportStopsTheSignin(t *testing.T) {
	e := newEnv(t, false)
	e.do("POST", "/signin/choose", url.Values{"method": {"p1"}, "pref": {"voiceMobile"}}, flowPhone)
	e.signin.setCall("flow-phone", twofold.ChallengeFraud, "You reported this call as fraud.")
	pages := map[string]func() (int, string, []*http.Cookie){
		"GET /signin/verify": func() (int, string, []*http.Cookie) {
			w := e.do("GET", "/signin/verify", nil, flowPhone)
			return w.Code, w.Body.String(), w.Result().Cookies()
		},
		"POST /signin/call": func() (int, string, []*http.Cookie) {
			w := e.do("POST", "/signin/call", url.Values{}, flowPhone)
			return w.Code, w.Body.String(), w.Result().Cookies()
		},
	}
	for name, do := range pages {
		code, body, cookies := do()
		if code != http.StatusForbidden {
			t.Errorf("%s = %d, want 403", name, code)
		}
		if !strings.Contains(body, "You reported this call as fraud, so we stopped this sign-in. Contact your help desk.") ||
			!strings.Contains(body, `href="/signin">Back to sign in</a>`) {
			t.Errorf("%s does not say the sign-in was stopped:\n%s", name, body)
		}
		cleared := false
		for _, c := range cookies {
			cleared = cleared || (c.Name == "__Host-twofold_flow" && c.MaxAge < 0)
		}
		if !cleared {
			t.Errorf("%s kept the flow cookie", name)
		}
		checkPage(t, name, body)
	}
}

func TestReverifyByPhone(t *testing.T) {
	e := newEnv(t, false)
	next := "/my/security-info/add"
	w := e.do("GET", "/my/verify?next="+url.QueryEscape(next), nil, stale)
	body := w.Body.String()
	wantText(t, w, http.StatusOK, "enter the code displayed in your authenticator app", `name="code"`,
		"Or use your phone", "Text +1 XXXXXXX234", "Call +1 XXXXXXX234")
	if n := strings.Count(body, `<form method="post" action="/my/verify/phone">`); n != 2 {
		t.Errorf("%d phone buttons, want 2", n)
	}
	checkPage(t, "reverify choices", body)

	// A text: the code field, then back to where the member was going.
	w = e.do("POST", "/my/verify/phone", url.Values{"method": {"p1"}, "pref": {"sms"}, "next": {next}}, stale)
	wantRedirect(t, w, "/my/verify?next=%2Fmy%2Fsecurity-info%2Fadd&phone=1")
	w = e.do("GET", "/my/verify?next=%2Fmy%2Fsecurity-info%2Fadd&phone=1", nil, stale)
	wantText(t, w, http.StatusOK, "We texted your phone +1 XXXXXXX234. Enter the code to continue.",
		"<input type=\"hidden\" name=\"next\" value=\"/my/security-info/add\">\n      <input type=\"hidden\" name=\"method\" value=\"p1\">\n      <p id=\"code-hint\">",
		"Resend code", "Verify another way")
	checkPage(t, "reverify text", w.Body.String())
	w = e.do("POST", "/my/verify", url.Values{"method": {"p1"}, "code": {"1"}, "next": {next}}, stale)
	wantText(t, w, http.StatusBadRequest, "That code didn't work. Check the code in the text", `<a href="#code">`, `value="1"`)
	wantRedirect(t, e.do("POST", "/my/verify", url.Values{"method": {"p1"}, "code": {goodCode}, "next": {next}}, stale), next)
	// A used text is not offered again: back to the choices.
	if body := e.do("GET", "/my/verify?next=%2Fmy%2Fsecurity-info%2Fadd&phone=1", nil, stale).Body.String(); strings.Contains(body, "We texted your phone") {
		t.Error("a used text's code field is shown again")
	}

	// A call: the waiting page, then the call's form.
	wantRedirect(t, e.do("POST", "/my/verify/phone", url.Values{"method": {"p1"}, "pref": {"voiceMobile"}, "next": {next}}, stale),
		"/my/verify?next=%2Fmy%2Fsecurity-info%2Fadd&phone=1")
	w = e.do("GET", "/my/verify?next=%2Fmy%2Fsecurity-info%2Fadd&phone=1", nil, stale)
	wantText(t, w, http.StatusOK, `aria-live="polite">We're calling +1 XXXXXXX234 now. Answer the call to continue.</p>`,
		`data-call-status="/my/verify/status" data-call-form="call-form"`, `<form id="call-form" method="post" action="/my/verify/call">`)
	if !callWaitScript.MatchString(w.Body.String()) {
		t.Error("the re-verify call page does not load call-wait.js")
	}
	checkPage(t, "reverify call", w.Body.String())
	wantRedirect(t, e.do("POST", "/my/verify/call", url.Values{"next": {next}}, stale),
		"/my/verify?next=%2Fmy%2Fsecurity-info%2Fadd&phone=1&m=waiting")
	wantText(t, e.do("GET", "/my/verify?next=%2Fmy%2Fsecurity-info%2Fadd&phone=1&m=waiting", nil, stale), http.StatusOK,
		"We're still waiting for you to answer the call and press #.", "data-call-status")
	e.info.setReverify(twofold.ChallengeFailed, "You pressed a different key. When the call asks, press # (the pound key).")
	w = e.do("GET", "/my/verify?next=%2Fmy%2Fsecurity-info%2Fadd&phone=1", nil, stale)
	wantText(t, w, http.StatusOK, "You pressed a different key.", "Call me again")
	if strings.Contains(w.Body.String(), "data-call-status") {
		t.Error("a failed call still polls")
	}
	e.info.setReverify(twofold.ChallengeVerified, "")
	wantRedirect(t, e.do("POST", "/my/verify/call", url.Values{"next": {next}}, stale), next)

	// The choices page never shows an old call by itself.
	if strings.Contains(e.do("GET", "/my/verify?next="+url.QueryEscape(next), nil, stale).Body.String(), "data-call-status") {
		t.Error("the choices page shows a call")
	}
	// next is checked here too.
	w = e.do("POST", "/my/verify/phone", url.Values{"method": {"p1"}, "pref": {"sms"}, "next": {"//evil.test"}}, stale)
	wantRedirect(t, w, "/my/verify?next=%2Fmy%2Fsecurity-info&phone=1")
	wantCalls(t, e, "ReverifyByPhone p1 sms", "ReverifyText", "ReverifyText", "ReverifyByPhone p1 voiceMobile",
		"ReverifyCall", "ReverifyCall", "ReverifyByPhone p1 sms")
}
