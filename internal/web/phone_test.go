package web

import (
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/httpx"
)

const flowPhone = "__Host-twofold_flow=flow-phone"

func newRequest(method, target string, cookies ...string) *http.Request {
	r := httptest.NewRequest(method, target, nil)
	for _, c := range cookies {
		name, value, _ := strings.Cut(c, "=")
		r.AddCookie(&http.Cookie{Name: name, Value: value})
	}
	return r
}

func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// wantText is wantBody on the text as a browser reads it: entities decoded, so
// "+1 4255551234" matches however the template escaped it.
func wantText(t *testing.T, w *httptest.ResponseRecorder, status int, parts ...string) {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status = %d, want %d; body:\n%s", w.Code, status, w.Body)
	}
	text := html.UnescapeString(w.Body.String())
	for _, p := range parts {
		if !strings.Contains(text, p) {
			t.Errorf("page lacks %q; page:\n%s", p, text)
		}
	}
}

func wantCalls(t *testing.T, e *env, want ...string) {
	t.Helper()
	got := e.rec.changes()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("calls = %q, want %q", got, want)
	}
}

func phoneForm(kind, country, number, method string) url.Values {
	return url.Values{"phoneType": {kind}, "country": {country}, "phoneNumber": {number}, "method": {method}}
}

func TestAddPhoneGoesToThePhoneForm(t *testing.T) {
	e := newEnv(t, false)
	wantRedirect(t, e.do("POST", "/my/security-info/add", url.Values{"kind": {"phone"}}, member), "/my/security-info/phone")
	wantCalls(t, e) // choosing creates nothing; the number is saved once verified
}

func TestAddPhoneFormOffersTypesCountriesAndChannels(t *testing.T) {
	e := newEnv(t, false)
	w := e.do("GET", "/my/security-info/phone", nil, member)
	wantText(t, w, http.StatusOK,
		"<h1>Phone</h1>",
		"You can prove who you are by answering a call on your phone or texting a code to your phone.",
		"<legend>Which phone is this?</legend>",
		`name="phoneType" value="mobile" id="phoneType" data-channels="sms voice" checked`,
		`name="phoneType" value="alternateMobile" id="phoneType-alternateMobile" data-channels="voice"`,
		`name="phoneType" value="office" id="phoneType-office" data-channels="voice"`,
		`<label for="phoneType">Mobile phone</label>`, "Alternate mobile phone", "Office phone",
		`<select id="country" name="country" autocomplete="country">`,
		`<option value="US" selected>United States (+1)</option>`,
		`<option value="GB">United Kingdom (+44)</option>`,
		`<option value="">Other — I'll type +country code</option>`,
		`<label for="phoneNumber">Phone number</label>`,
		`type="tel" id="phoneNumber" name="phoneNumber" value="" autocomplete="tel"`,
		"<legend>How should we verify this number?</legend>",
		`name="method" value="sms" id="method" checked`, `<label for="method">Text me a code</label>`,
		`name="method" value="voice" id="method-voice"`, `<label for="method-voice">Call me</label>`,
		"Message and data rates may apply.",
		`href="/my/security-info">Cancel</a>`, `href="/my/security-info/add">Back</a>`, `<button type="submit" class="primary">Next</button>`,
		`action="/my/security-info/phone"`)
	if !regexp.MustCompile(`<script src="/static/phone-form\.[0-9a-f]{10}\.js" defer></script>`).MatchString(w.Body.String()) {
		t.Error("the form does not load phone-form.js")
	}
	checkPage(t, "phone form", w.Body.String())
	wantCalls(t, e)
}

func TestAddPhoneErrorKeepsWhatWasTypedAndLinksTheField(t *testing.T) {
	e := newEnv(t, false)
	w := e.do("POST", "/my/security-info/phone", phoneForm("office", "GB", "12", "voice"), member)
	wantText(t, w, http.StatusBadRequest,
		`id="error-summary" role="alert" tabindex="-1"`,
		`<a href="#phoneNumber">That doesn't look like a phone number: it has too few digits.</a>`,
		`<p class="field-error" id="phoneNumber-error">`,
		`value="12"`, `aria-describedby="phoneNumber-hint phoneNumber-error" aria-invalid="true"`,
		`value="office" id="phoneType-office" data-channels="voice" checked`,
		`<option value="GB" selected>`,
		`value="voice" id="method-voice" checked`)
	if strings.Contains(w.Body.String(), `<option value="US" selected>`) {
		t.Error("the country typed was replaced by the default")
	}
	checkPage(t, "phone form error", w.Body.String())

	// Texts to an office phone: the server says so, even without the script.
	w = e.do("POST", "/my/security-info/phone", phoneForm("office", "", "+1 425 555 1234", "sms"), member)
	wantText(t, w, http.StatusBadRequest, `<a href="#method">Texts can't be sent to this phone. Choose Call me.</a>`,
		`id="method-error"`, `<fieldset aria-describedby="method-error">`, `<option value="" selected>Other`, `value="+1 425 555 1234"`)

	// A throttle is told on the form, with Retry-After.
	w = e.do("POST", "/my/security-info/phone", phoneForm("mobile", "US", "limit", "sms"), member)
	wantText(t, w, http.StatusTooManyRequests, "You've hit our limit on verification texts. Try again later.", `value="limit"`)
	if w.Header().Get("Retry-After") == "" {
		t.Error("no Retry-After on a throttle")
	}
	// A provider that could not reach the phone is not "twofold is busy".
	w = e.do("POST", "/my/security-info/phone", phoneForm("mobile", "US", "down", "voice"), member)
	wantText(t, w, http.StatusServiceUnavailable, "We couldn't reach your phone right now.", `value="down"`, "Text me a code")
}

func TestAddPhoneNeedsAFreshSecondFactor(t *testing.T) {
	e := newEnv(t, false)
	wantRedirect(t, e.do("GET", "/my/security-info/phone", nil, stale), "/my/verify?next=%2Fmy%2Fsecurity-info%2Fphone")
	wantRedirect(t, e.do("POST", "/my/security-info/phone", phoneForm("mobile", "US", "4255551234", "sms"), stale),
		"/my/verify?next=%2Fmy%2Fsecurity-info%2Fphone")
	wantRedirect(t, e.do("GET", "/my/security-info/phone", nil), "/signin")
}

func TestAddPhoneStartsVerificationAndTellsOfTheRemovedExtension(t *testing.T) {
	e := newEnv(t, false)
	w := e.do("POST", "/my/security-info/phone", phoneForm("mobile", "US", "425 555 1234", "sms"), member)
	wantRedirect(t, w, "/my/security-info/phone/pc1")
	wantCalls(t, e, "BeginPhone mobile US 425 555 1234 sms ")
	if strings.Contains(e.do("GET", "/my/security-info/phone/pc1", nil, member).Body.String(), "extensions") {
		t.Error("an extension notice without an extension")
	}

	w = e.do("POST", "/my/security-info/phone", phoneForm("mobile", "", "+1 4255551234X12345", "sms"), member)
	wantRedirect(t, w, "/my/security-info/phone/pc2?ext=12345")
	w = e.do("GET", "/my/security-info/phone/pc2?ext=12345", nil, member)
	wantText(t, w, http.StatusOK,
		"Security info doesn't support phone extensions, so we removed the extension 12345 and will use +1 4255551234.")

	// Only digits come back from a link.
	w = e.do("GET", "/my/security-info/phone/pc2?ext=%3Cb%3Ex", nil, member)
	if strings.Contains(w.Body.String(), "extensions") || strings.Contains(w.Body.String(), "&lt;b") {
		t.Error("a non-digit extension reached the page")
	}
}

func TestPhoneTextVerification(t *testing.T) {
	e := newEnv(t, false)
	id := e.info.startPhone(twofold.ChannelSMS, "")
	path := "/my/security-info/phone/" + id
	w := e.do("GET", path, nil, member)
	wantText(t, w, http.StatusOK,
		"We just sent a 6 digit code to +1 4255551234. Enter the code below.",
		`<form method="post" action="`+path+`" novalidate>`,
		`id="code" name="code" value="" inputmode="numeric" autocomplete="one-time-code"`,
		`action="`+path+`/resend"`, "Resend code", `href="/my/security-info/phone">Back</a>`, "Next")
	checkPage(t, "text verify", w.Body.String())
	if strings.Contains(w.Body.String(), "data-call-status") {
		t.Error("a text page polls for a call")
	}

	w = e.do("POST", path, url.Values{"code": {"999999"}}, member)
	wantText(t, w, http.StatusBadRequest, "That code didn't work", `<a href="#code">`, `value="999999"`, `aria-invalid="true"`)
	checkPage(t, "text verify error", w.Body.String())

	wantRedirect(t, e.do("POST", path, url.Values{"code": {goodCode}}, member), path+"/done")
	w = e.do("GET", path+"/done", nil, member)
	wantText(t, w, http.StatusOK, "SMS verified. Your phone was registered successfully.",
		`<a class="button primary" href="/my/security-info" autofocus>Done</a>`)
	checkPage(t, "phone done", w.Body.String())
	// The page of a used verification moves on to the done page.
	wantRedirect(t, e.do("GET", path, nil, member), path+"/done")
}

func TestPhoneResendUsesTheVerificationsNumber(t *testing.T) {
	e := newEnv(t, false)
	id := e.info.startPhone(twofold.ChannelSMS, "")
	w := e.do("POST", "/my/security-info/phone/"+id+"/resend", url.Values{"phoneNumber": {"+1 999 999 9999"}}, member)
	wantRedirect(t, w, "/my/security-info/phone/pc2?m=resent")
	wantCalls(t, e, "BeginPhone mobile  +14255551234 sms ")
	// The old verification is replaced: its page says so, not a bare 404.
	wantText(t, e.do("GET", "/my/security-info/phone/"+id, nil, member), http.StatusNotFound,
		"That verification was replaced by a newer one.", `href="/my/security-info">Back to security info</a>`)
}

func TestPhoneCallWaitingPage(t *testing.T) {
	e := newEnv(t, false)
	id := e.info.startPhone(twofold.ChannelVoice, "")
	path := "/my/security-info/phone/" + id
	w := e.do("GET", path, nil, member)
	body := w.Body.String()
	wantText(t, w, http.StatusOK,
		`aria-live="polite">We're calling +1 4255551234 now. Answer the call to continue.</p>`,
		`data-call-status="`+path+`/status" data-call-form="finish-form"`,
		`<form id="finish-form" method="post" action="`+path+`">`,
		"I've answered the call", "press # (the pound key)")
	if !regexp.MustCompile(`<script src="/static/call-wait\.[0-9a-f]{10}\.js" defer></script>`).MatchString(body) {
		t.Error("the waiting page does not load call-wait.js")
	}
	checkPage(t, "call waiting", body)

	// Without script, "I've answered the call" while it rings keeps waiting, on
	// a page reached by GET (post, then redirect).
	wantRedirect(t, e.do("POST", path, url.Values{}, member), path+"?m=waiting")
	w = e.do("GET", path+"?m=waiting", nil, member)
	wantText(t, w, http.StatusOK, "We're still waiting for you to answer the call and press #.", `data-call-status=`)

	// A failed call says why and offers to call again, without polling.
	e.info.setPhone(id, twofold.ChallengeFailed, "You didn't answer the call.")
	w = e.do("GET", path, nil, member)
	wantText(t, w, http.StatusOK, "You didn't answer the call.", "Call me again", `action="`+path+`/resend"`, "Back")
	if strings.Contains(w.Body.String(), "data-call-status") {
		t.Error("a failed call's page still polls")
	}

	// "#" pressed: the form finishes, and the done page says the call was answered.
	e.info.setPhone(id, twofold.ChallengeVerified, "")
	wantRedirect(t, e.do("POST", path, url.Values{}, member), path+"/done")
	wantText(t, e.do("GET", path+"/done", nil, member), http.StatusOK, "Call answered. Your phone was registered successfully.")
	// The script and the button both submitting end on the same done page.
	wantRedirect(t, e.do("POST", path, url.Values{}, member), path+"/done")
}

func TestChangePhoneNumber(t *testing.T) {
	e := newEnv(t, false)
	e.info.methods = append(e.info.methods, testPhone)
	w := e.do("GET", "/my/security-info", nil, member)
	wantText(t, w, http.StatusOK, `href="/my/security-info/methods/p1/change">Change<span class="visually-hidden"> Phone +1 4255551234</span>`,
		`href="/my/security-info/methods/p1/delete"`, "+1 4255551234")
	if strings.Contains(w.Body.String(), `methods/m1/change`) {
		t.Error("an authenticator app has a Change link")
	}

	w = e.do("GET", "/my/security-info/methods/p1/change", nil, member)
	wantText(t, w, http.StatusOK, "<h1>Change phone number</h1>", "Enter the new number for your mobile phone", "+1 4255551234",
		`action="/my/security-info/methods/p1/change"`, `<input type="hidden" name="phoneType" value="mobile">`)
	if strings.Contains(w.Body.String(), "Which phone is this?") {
		t.Error("a change offers to change the phone's type")
	}
	checkPage(t, "change phone", w.Body.String())

	w = e.do("POST", "/my/security-info/methods/p1/change", phoneForm("mobile", "US", "425 555 0199", "sms"), member)
	wantRedirect(t, w, "/my/security-info/phone/pc1")
	wantCalls(t, e, "BeginPhone mobile US 425 555 0199 sms p1")
	wantText(t, e.do("GET", "/my/security-info/phone/pc1", nil, member), http.StatusOK,
		"<h1>Change phone number</h1>", `href="/my/security-info/methods/p1/change">Back</a>`)
	wantRedirect(t, e.do("POST", "/my/security-info/phone/pc1", url.Values{"code": {goodCode}}, member), "/my/security-info/phone/pc1/done")
	wantText(t, e.do("GET", "/my/security-info/phone/pc1/done", nil, member), http.StatusOK,
		"SMS verified. Your phone number was changed.")

	wantText(t, e.do("GET", "/my/security-info/methods/zz/change", nil, member), http.StatusNotFound,
		"That phone isn't part of your security info.")
}

func TestDefaultPageShowsPhoneChoices(t *testing.T) {
	e := newEnv(t, false)
	w := e.do("GET", "/my/security-info/default", nil, member)
	wantText(t, w, http.StatusOK, "Authenticator app – code")
	// The labels come from the use case; the page shows them as they are.
	e.info.phoneChoices = true
	w = e.do("GET", "/my/security-info/default", nil, member)
	wantText(t, w, http.StatusOK,
		`value="voiceMobile" id="preference-voiceMobile"`, "<label for=\"preference-voiceMobile\">Phone – call <span class=\"number\">+1 4255551234</span></label>",
		`value="sms" id="preference-sms"`, "Phone – text <span class=\"number\">+1 4255551234</span>")
	checkPage(t, "default with phones", w.Body.String())
}

// statusOf fetches a status endpoint and checks what every one must do.
func statusOf(t *testing.T, e *env, path string, cookies ...string) callStatus {
	t.Helper()
	before := len(e.rec.changes())
	w := e.do("GET", path, nil, cookies...)
	if w.Code != http.StatusOK {
		t.Fatalf("GET %s = %d: %s", path, w.Code, w.Body)
	}
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("GET %s: Content-Type = %q", path, ct)
	}
	if cc := w.Header().Get("Cache-Control"); cc != "no-store" {
		t.Errorf("GET %s: Cache-Control = %q, want no-store", path, cc)
	}
	if after := e.rec.changes(); len(after) != before {
		t.Errorf("GET %s changed state: %q", path, after[before:])
	}
	var raw map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &raw); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	for _, k := range []string{"state", "message", "done"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("GET %s: no %q in %s", path, k, w.Body)
		}
	}
	var st callStatus
	_ = json.Unmarshal(w.Body.Bytes(), &st)
	return st
}

func TestStatusEndpointsAnswerJSONAndChangeNothing(t *testing.T) {
	e := newEnv(t, false)
	id := e.info.startPhone(twofold.ChannelVoice, "")
	st := statusOf(t, e, "/my/security-info/phone/"+id+"/status", member)
	if st.State != twofold.ChallengeSent || st.Done || st.Message != "We're calling +1 4255551234 now. Answer the call to continue." {
		t.Errorf("ringing: %+v", st)
	}
	e.info.setPhone(id, twofold.ChallengeVerified, "")
	if st := statusOf(t, e, "/my/security-info/phone/"+id+"/status", member); st.State != twofold.ChallengeVerified || !st.Done {
		t.Errorf("verified: %+v", st)
	}
	e.info.setPhone(id, twofold.ChallengeFailed, "The call ended before you pressed #.")
	if st := statusOf(t, e, "/my/security-info/phone/"+id+"/status", member); st.Message != "The call ended before you pressed #." || !st.Done {
		t.Errorf("failed: %+v", st)
	}

	e.do("POST", "/signin/choose", url.Values{"method": {"p1"}, "pref": {"voiceMobile"}}, flowPhone)
	st = statusOf(t, e, "/signin/call/status", flowPhone)
	if st.State != twofold.ChallengeSent || st.Message != "We're calling +1 XXXXXXX234 now. Answer the call to continue." {
		t.Errorf("sign-in ringing: %+v", st)
	}
	e.signin.setCall("flow-phone", twofold.ChallengeFraud, "You reported this call as fraud.")
	if st := statusOf(t, e, "/signin/call/status", flowPhone); st.State != twofold.ChallengeFraud || !st.Done ||
		st.Message != "You reported this call as fraud, so we stopped this sign-in. Contact your help desk." {
		t.Errorf("sign-in fraud: %+v", st)
	}

	e.do("POST", "/my/verify/phone", url.Values{"method": {"p1"}, "pref": {"voiceMobile"}}, stale)
	if st := statusOf(t, e, "/my/verify/status", stale); st.State != twofold.ChallengeSent || st.Done {
		t.Errorf("re-verify ringing: %+v", st)
	}

	// Errors are JSON too, and a status needs the flow or the session.
	w := e.do("GET", "/signin/call/status", nil)
	if w.Code != http.StatusGone || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
		t.Errorf("no flow: %d %q", w.Code, w.Header().Get("Content-Type"))
	}
	wantRedirect(t, e.do("GET", "/my/verify/status", nil), "/signin")
}

func TestCSPForbidsInlineScriptOnTheWaitingPages(t *testing.T) {
	e := newEnv(t, false)
	h := httpx.SecurityHeaders(false, e.h)
	id := e.info.startPhone(twofold.ChannelVoice, "")
	for _, path := range []string{"/my/security-info/phone/" + id, "/my/security-info/phone"} {
		r := newRequest("GET", path, member)
		w := serve(h, r)
		csp := w.Header().Get("Content-Security-Policy")
		if csp == "" || strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") || !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("%s: CSP = %q", path, csp)
		}
		checkPage(t, path, w.Body.String())
	}
}
