package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/twofold-id/twofold"
)

const flowRegOnly = "__Host-twofold_flow=flow-regonly"

func TestRegisterOffersAChoiceWhenBothAreAllowed(t *testing.T) {
	e := newEnv(t, false)
	w := e.do("GET", "/signin/register", nil, flowRegPhone)
	wantText(t, w, http.StatusOK,
		"<h1>More information required</h1>", "<legend>Which method do you want to set up?</legend>",
		`name="kind" value="softwareOath" id="kind" checked aria-describedby="kind-hint"`,
		`name="kind" value="phone" id="kind-phone" aria-describedby="kind-phone-hint"`,
		`<label for="kind">Authenticator app<span class="hint" id="kind-hint">Use an app on your phone`,
		`<label for="kind-phone">Phone<span class="hint" id="kind-phone-hint">Get a call or a text with a code on your phone.</span>`,
		`<form method="post" action="/signin/register" novalidate>`, `form="cancel-form"`)
	if strings.Count(w.Body.String(), " checked") != 1 {
		t.Error("not exactly one choice is made until the member chooses")
	}
	checkPage(t, "register choice", w.Body.String())

	// A form without a choice (the browser sends one): the error links the first
	// radio; nothing starts.
	w = e.do("POST", "/signin/register", url.Values{}, flowRegPhone)
	wantText(t, w, http.StatusBadRequest, `<a href="#kind">Choose a method to set up.</a>`, `id="kind-error"`,
		`<fieldset aria-describedby="kind-error">`)
	checkPage(t, "register choice error", w.Body.String())
	wantCalls(t, e)

	// A phone goes on to its form and creates nothing yet.
	wantRedirect(t, e.do("POST", "/signin/register", url.Values{"kind": {"phone"}}, flowRegPhone), "/signin/register/phone")
	wantCalls(t, e)

	// The app starts its setup, as before.
	w = e.do("POST", "/signin/register", url.Values{"kind": {"softwareOath"}}, flowRegPhone)
	wantText(t, w, http.StatusOK, "Set up your authenticator app", `id="secret-key"`)
	wantCalls(t, e, "BeginRegistration flow-regphone")
}

func TestRegisterWithOneKindGoesStraightToIt(t *testing.T) {
	e := newEnv(t, false)
	w := e.do("GET", "/signin/register", nil, flowReg)
	wantText(t, w, http.StatusOK, "You'll set up an authenticator app on your phone.",
		`<input type="hidden" name="kind" value="softwareOath">`)
	if strings.Contains(w.Body.String(), `type="radio"`) {
		t.Error("a choice of one")
	}

	w = e.do("GET", "/signin/register", nil, flowRegOnly)
	wantText(t, w, http.StatusOK, "You'll add your phone number, then we'll text you a code or call you to check it.")
	checkPage(t, "register phone only", w.Body.String())
	wantRedirect(t, e.do("POST", "/signin/register", url.Values{}, flowRegOnly), "/signin/register/phone")
	// A kind the flow doesn't offer is refused on the card.
	w = e.do("POST", "/signin/register", url.Values{"kind": {"softwareOath"}}, flowRegOnly)
	wantText(t, w, http.StatusForbidden, "Your organization doesn't allow any method you can set up here.")
	// So is one it no longer offers (the policy changed after the page was shown).
	w = e.do("POST", "/signin/register", url.Values{"kind": {"phone"}}, flowReg)
	wantText(t, w, http.StatusBadRequest, "<li>That method can't be set up here. Choose another.</li>",
		`<input type="hidden" name="kind" value="softwareOath">`)
	checkPage(t, "register kind not offered", w.Body.String())
}

func TestRegisterPhoneFormIsASigninCard(t *testing.T) {
	e := newEnv(t, false)
	w := e.do("GET", "/signin/register/phone", nil, flowRegPhone)
	body := w.Body.String()
	wantText(t, w, http.StatusOK,
		`<span class="identity">ada@contoso.test</span>`, "<h1>Phone</h1>",
		"You can prove who you are by answering a call on your phone or texting a code to your phone.",
		`<form method="post" action="/signin/register/phone" class="phone-form" novalidate>`,
		`name="phoneType" value="mobile" id="phoneType" data-channels="sms voice" checked`,
		`name="phoneType" value="office" id="phoneType-office" data-channels="voice"`,
		`<option value="US" selected>United States (+1)</option>`,
		`type="tel" id="phoneNumber" name="phoneNumber" value=""`,
		`name="method" value="sms" id="method" checked`, `<label for="method-voice">Call me</label>`,
		"Message and data rates may apply.",
		`<a class="button" href="/signin/register">Back</a>`, `<button type="submit" form="cancel-form" class="link">Cancel</button>`)
	if strings.Contains(body, "alternateMobile") {
		t.Error("the interrupt offers an alternate mobile")
	}
	if strings.Contains(body, "nav-list") || strings.Contains(body, `action="/signout"`) {
		t.Error("a sign-in card shows the account navigation")
	}
	if !regexp.MustCompile(`<script src="/static/phone-form\.[0-9a-f]{10}\.js" defer></script>`).MatchString(body) {
		t.Error("the form does not load phone-form.js")
	}
	checkPage(t, "register phone form", body)
	wantCalls(t, e)

	// A flow that offers no phone sends the member back to what it offers; a flow
	// past the interrupt moves on; no flow goes back to sign in.
	wantRedirect(t, e.do("GET", "/signin/register/phone", nil, flowReg), "/signin/register")
	wantRedirect(t, e.do("GET", "/signin/register/phone", nil, flowMFA), "/signin/verify")
	wantRedirect(t, e.do("GET", "/signin/register/phone", nil), "/signin")
}

func TestInterruptPhoneFormTypesAndCountries(t *testing.T) {
	pol := twofold.DefaultPolicy()
	pol.Phone.AllowedCountryCodes = []int{44}
	f := interruptPhoneForm(map[twofold.PhoneType][]string{
		twofold.PhoneOffice: {twofold.ChannelVoice},
		twofold.PhoneMobile: {twofold.ChannelSMS},
		"pager":             {twofold.ChannelSMS},
	}, pol)
	if len(f.Types) != 2 || f.Types[0].Type != twofold.PhoneMobile || f.Types[1].Type != twofold.PhoneOffice ||
		f.Types[1].Label != "Office phone" || strings.Join(f.Types[0].Channels, " ") != "sms" {
		t.Errorf("types = %+v, want mobile then office", f.Types)
	}
	gb := false
	for _, c := range f.Countries {
		gb = gb || c.Region == "GB"
		if c.CallingCode != 44 {
			t.Errorf("country %s (+%d) offered, but only +44 is allowed", c.Region, c.CallingCode)
		}
	}
	if !gb {
		t.Errorf("countries = %v, want the United Kingdom", f.Countries)
	}
}

func TestRegisterPhoneErrorsKeepWhatWasTyped(t *testing.T) {
	e := newEnv(t, false)
	w := e.do("POST", "/signin/register/phone", phoneForm("office", "GB", "12", "voice"), flowRegPhone)
	wantText(t, w, http.StatusBadRequest,
		`<a href="#phoneNumber">That doesn't look like a phone number: it has too few digits.</a>`,
		`id="phoneNumber-error"`, `value="12"`, `aria-invalid="true"`,
		`value="office" id="phoneType-office" data-channels="voice" checked`, `<option value="GB" selected>`,
		`value="voice" id="method-voice" checked`, `<span class="identity">ada@contoso.test</span>`)
	checkPage(t, "register phone error", w.Body.String())

	w = e.do("POST", "/signin/register/phone", phoneForm("office", "", "+1 425 555 1234", "sms"), flowRegPhone)
	wantText(t, w, http.StatusBadRequest, `<a href="#method">Texts can't be sent to this phone. Choose Call me.</a>`,
		`<option value="" selected>Other`, `value="+1 425 555 1234"`)

	w = e.do("POST", "/signin/register/phone", phoneForm("mobile", "US", "limit", "sms"), flowRegPhone)
	wantText(t, w, http.StatusTooManyRequests, "You've hit our limit on verification texts. Try again later.", `value="limit"`)
	if w.Header().Get("Retry-After") == "" {
		t.Error("no Retry-After on a throttle")
	}
	w = e.do("POST", "/signin/register/phone", phoneForm("mobile", "US", "down", "voice"), flowRegPhone)
	wantText(t, w, http.StatusServiceUnavailable, "We couldn't reach your phone right now.", `value="down"`, "<h1>Phone</h1>")

	// A flow that is over goes back to sign in.
	wantRedirect(t, e.do("POST", "/signin/register/phone", phoneForm("mobile", "US", "4255551234", "sms"),
		"__Host-twofold_flow=flow-gone"), "/signin?m=expired")
}

func TestRegisterPhoneByTextSignsIn(t *testing.T) {
	e := newEnv(t, false)
	w := e.do("POST", "/signin/register/phone", phoneForm("mobile", "US", "425 555 1234", "sms"), flowRegPhone)
	wantRedirect(t, w, "/signin/register/phone/verify")
	wantCalls(t, e, "BeginPhoneRegistration flow-regphone mobile US 425 555 1234 sms")

	w = e.do("GET", "/signin/register/phone/verify", nil, flowRegPhone)
	body := w.Body.String()
	wantText(t, w, http.StatusOK,
		`<span class="identity">ada@contoso.test</span>`,
		"We just sent a 6 digit code to +1 4255551234. Enter the code below.",
		`<form method="post" action="/signin/register/phone/verify" novalidate>`,
		`id="code" name="code" value="" inputmode="numeric" autocomplete="one-time-code"`,
		`<form id="resend-form" method="post" action="/signin/register/phone/resend">`,
		`<button type="submit" form="resend-form" class="link">Resend code</button>`,
		`<a class="button" href="/signin/register/phone">Back</a>`, `form="cancel-form" class="link">Cancel</button>`)
	if strings.Contains(body, "data-call-status") || strings.Contains(body, "extensions") {
		t.Error("a text page polls for a call, or tells of an extension there was none of")
	}
	checkPage(t, "register text verify", body)

	w = e.do("POST", "/signin/register/phone/verify", url.Values{"code": {"999999"}}, flowRegPhone)
	wantText(t, w, http.StatusBadRequest, "That code didn't work", `<a href="#code">`, `value="999999"`, `aria-invalid="true"`)
	checkPage(t, "register text verify error", w.Body.String())

	w = e.do("POST", "/signin/register/phone/verify", url.Values{"code": {goodCode}}, flowRegPhone)
	wantRedirect(t, w, "/signin/register/done?phone=sms")
	if c := cookie(t, w, "__Host-twofold_session"); c.Value != "tok-reg" || !c.HttpOnly || !c.Secure {
		t.Errorf("session cookie = %+v", c)
	}
	if c := cookie(t, w, "__Host-twofold_flow"); c.MaxAge >= 0 {
		t.Errorf("flow cookie not cleared: %+v", c)
	}
	w = e.do("GET", "/signin/register/done?phone=sms", nil, "__Host-twofold_session=tok-reg")
	wantText(t, w, http.StatusOK, "<h1>You're all set</h1>", "SMS verified. Your phone was registered successfully.",
		"we'll text a code to your phone", `<a class="button primary" href="/my">Done</a>`)
	checkPage(t, "register phone done", w.Body.String())
	// The app's words stay the app's.
	wantText(t, e.do("GET", "/signin/register/done", nil, "__Host-twofold_session=tok-reg"), http.StatusOK,
		"Authenticator app was successfully registered.")
}

func TestRegisterPhoneTellsOfTheRemovedExtension(t *testing.T) {
	e := newEnv(t, false)
	w := e.do("POST", "/signin/register/phone", phoneForm("mobile", "", "+1 4255551234X12345", "sms"), flowRegPhone)
	wantRedirect(t, w, "/signin/register/phone/verify?ext=12345")
	wantText(t, e.do("GET", "/signin/register/phone/verify?ext=12345", nil, flowRegPhone), http.StatusOK,
		"Security info doesn't support phone extensions, so we removed the extension 12345 and will use +1 4255551234.")
	w = e.do("GET", "/signin/register/phone/verify?ext=%3Cb%3Ex", nil, flowRegPhone)
	if strings.Contains(w.Body.String(), "extensions") || strings.Contains(w.Body.String(), "&lt;b") {
		t.Error("a non-digit extension reached the page")
	}
}

func TestRegisterPhoneByCall(t *testing.T) {
	e := newEnv(t, false)
	wantRedirect(t, e.do("POST", "/signin/register/phone", phoneForm("office", "US", "425 555 1234", "voice"), flowRegPhone),
		"/signin/register/phone/verify")
	w := e.do("GET", "/signin/register/phone/verify", nil, flowRegPhone)
	body := w.Body.String()
	wantText(t, w, http.StatusOK,
		`aria-live="polite">We're calling +1 4255551234 now. Answer the call to continue.</p>`,
		`data-call-status="/signin/register/phone/status" data-call-form="finish-form"`,
		`<form id="finish-form" method="post" action="/signin/register/phone/verify">`,
		"I've answered the call", "press # (the pound key)")
	if !regexp.MustCompile(`<script src="/static/call-wait\.[0-9a-f]{10}\.js" defer></script>`).MatchString(body) {
		t.Error("the waiting page does not load call-wait.js")
	}
	checkPage(t, "register call waiting", body)
	st := statusOf(t, e, "/signin/register/phone/status", flowRegPhone)
	if st.State != twofold.ChallengeSent || st.Done || st.Message != "We're calling +1 4255551234 now. Answer the call to continue." {
		t.Errorf("ringing: %+v", st)
	}

	// Without script, "I've answered the call" while it rings keeps waiting, on
	// a page reached by GET (post, then redirect).
	wantRedirect(t, e.do("POST", "/signin/register/phone/verify", url.Values{}, flowRegPhone), "/signin/register/phone/verify?m=waiting")
	w = e.do("GET", "/signin/register/phone/verify?m=waiting", nil, flowRegPhone)
	wantText(t, w, http.StatusOK, "We're still waiting for you to answer the call and press #.", `data-call-status=`)

	// A failed call says why and offers to call the same phone again.
	e.signin.setCall("flow-regphone", twofold.ChallengeFailed, "You didn't answer the call.")
	if st := statusOf(t, e, "/signin/register/phone/status", flowRegPhone); !st.Done || st.Message != "You didn't answer the call." {
		t.Errorf("failed: %+v", st)
	}
	w = e.do("GET", "/signin/register/phone/verify", nil, flowRegPhone)
	wantText(t, w, http.StatusOK, "You didn't answer the call.", "we'll call +1 4255551234 again",
		`<form method="post" action="/signin/register/phone/resend">`, "Call me again")
	if strings.Contains(w.Body.String(), "data-call-status") {
		t.Error("a failed call's page still polls")
	}
	checkPage(t, "register call failed", w.Body.String())
	wantRedirect(t, e.do("POST", "/signin/register/phone/resend", url.Values{"phoneNumber": {"+1 999 999 9999"}}, flowRegPhone),
		"/signin/register/phone/verify?m=called")
	wantCalls(t, e, "BeginPhoneRegistration flow-regphone office US 425 555 1234 voice", "FinishPhoneRegistration flow-regphone",
		"BeginPhoneRegistration flow-regphone office  +14255551234 voice")

	// "#" pressed: the form signs the member in, and the done page says the call was answered.
	e.signin.setCall("flow-regphone", twofold.ChallengeVerified, "")
	if st := statusOf(t, e, "/signin/register/phone/status", flowRegPhone); st.State != twofold.ChallengeVerified || !st.Done {
		t.Errorf("verified: %+v", st)
	}
	w = e.do("POST", "/signin/register/phone/verify", url.Values{}, flowRegPhone)
	wantRedirect(t, w, "/signin/register/done?phone=voice")
	if c := cookie(t, w, "__Host-twofold_session"); c.Value != "tok-reg" {
		t.Errorf("session cookie = %q", c.Value)
	}
	wantText(t, e.do("GET", "/signin/register/done?phone=voice", nil, "__Host-twofold_session=tok-reg"), http.StatusOK,
		"Call answered. Your phone was registered successfully.", "we'll call your phone")
}

func TestRegisterPhoneFraudStopsTheSignin(t *testing.T) {
	e := newEnv(t, false)
	e.do("POST", "/signin/register/phone", phoneForm("mobile", "US", "425 555 1234", "voice"), flowRegPhone)
	e.signin.setCall("flow-regphone", twofold.ChallengeFraud, "")
	st := statusOf(t, e, "/signin/register/phone/status", flowRegPhone)
	if st.State != twofold.ChallengeFraud || !st.Done || st.Message != fraudSignin {
		t.Errorf("fraud: %+v", st)
	}
	w := e.do("GET", "/signin/register/phone/verify", nil, flowRegPhone)
	body := w.Body.String()
	wantText(t, w, http.StatusOK, fraudSignin, "We won't call or text this number again for now.",
		`<button type="submit" form="cancel-form" class="primary">Back to sign in</button>`)
	if strings.Contains(body, "/resend") || strings.Contains(body, "data-call-status") || strings.Contains(body, `class="link">Cancel`) {
		t.Error("a fraud report's page offers to go on")
	}
	checkPage(t, "register fraud", body)
	w = e.do("POST", "/signin/register/phone/verify", url.Values{}, flowRegPhone)
	wantText(t, w, http.StatusForbidden, "You reported this call as fraud")
}

func TestRegisterPhoneResendAndUsedVerification(t *testing.T) {
	e := newEnv(t, false)
	e.do("POST", "/signin/register/phone", phoneForm("mobile", "US", "425 555 1234", "sms"), flowRegPhone)

	// A throttled resend is said in the summary, not against the code field.
	e.signin.sendErr = errTextLimit
	w := e.do("POST", "/signin/register/phone/resend", url.Values{}, flowRegPhone)
	wantText(t, w, http.StatusTooManyRequests, "You've hit our limit on verification texts.", `id="code"`)
	if strings.Contains(w.Body.String(), `<a href="#code">`) || strings.Contains(w.Body.String(), `aria-invalid`) {
		t.Error("a throttle is shown as a problem with the code")
	}
	if w.Header().Get("Retry-After") == "" {
		t.Error("no Retry-After on a throttle")
	}
	e.signin.sendErr = nil

	// A verification used while the interrupt still waits did not save the phone:
	// the page asks for a new one instead of waiting or reloading.
	e.signin.setCall("flow-regphone", twofold.ChallengeUsed, "")
	w = e.do("GET", "/signin/register/phone/verify", nil, flowRegPhone)
	wantText(t, w, http.StatusOK, reasonUsed, "Resend code", `action="/signin/register/phone/resend"`)
	if strings.Contains(w.Body.String(), `id="code"`) {
		t.Error("a used text still asks for its code")
	}
}

func TestRegisterPhoneFlowOverOrMissing(t *testing.T) {
	e := newEnv(t, false)
	// No verification yet: the form.
	wantRedirect(t, e.do("GET", "/signin/register/phone/verify", nil, flowRegPhone), "/signin/register/phone")
	wantRedirect(t, e.do("POST", "/signin/register/phone/resend", url.Values{}, flowRegPhone), "/signin/register/phone")
	// No flow: sign in; its status is JSON.
	wantRedirect(t, e.do("GET", "/signin/register/phone/verify", nil), "/signin")
	wantRedirect(t, e.do("POST", "/signin/register/phone/verify", url.Values{"code": {goodCode}}), "/signin")
	w := e.do("GET", "/signin/register/phone/status", nil)
	if w.Code != http.StatusGone || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
		t.Errorf("no flow: %d %q", w.Code, w.Header().Get("Content-Type"))
	}
	// Too many wrong codes end the sign-in.
	e.do("POST", "/signin/register/phone", phoneForm("mobile", "US", "425 555 1234", "sms"), flowRegPhone)
	w = e.do("POST", "/signin/register/phone/verify", url.Values{"code": {"000000"}}, flowRegPhone)
	wantRedirect(t, w, "/signin?m=tries")
	if c := cookie(t, w, "__Host-twofold_flow"); c.MaxAge >= 0 {
		t.Errorf("flow cookie not cleared: %+v", c)
	}
}

func TestRegisterPhoneGETNeverChangesState(t *testing.T) {
	e := newEnv(t, false)
	pages := [][2]string{
		{"/signin/register", flowRegPhone}, {"/signin/register", flowRegOnly}, {"/signin/register/phone", flowRegPhone},
		{"/signin/register/phone/verify", flowRegPhone}, {"/signin/register/phone/status", flowRegPhone},
		{"/signin/register/done?phone=sms", "__Host-twofold_session=tok-reg"},
	}
	for _, p := range pages {
		e.do("GET", p[0], nil, p[1])
	}
	wantCalls(t, e)
	e.do("POST", "/signin/register/phone", phoneForm("mobile", "US", "425 555 1234", "voice"), flowRegPhone)
	for _, state := range []twofold.ChallengeState{twofold.ChallengeSent, twofold.ChallengeAnswered, twofold.ChallengeVerified,
		twofold.ChallengeFailed, twofold.ChallengeFraud, twofold.ChallengeUsed} {
		e.signin.setCall("flow-regphone", state, "")
		for _, p := range pages {
			e.do("GET", p[0], nil, p[1])
			e.do("HEAD", p[0], nil, p[1])
		}
	}
	wantCalls(t, e, "BeginPhoneRegistration flow-regphone mobile US 425 555 1234 voice")
}
