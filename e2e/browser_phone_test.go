package e2e

import (
	"strings"
	"testing"
)

// The member's life with phones in real Chromium against the real binary:
// phones added by call and by text, a number changed, the default moved, sign-in by a call answered in another tab and by
// "Sign in another way", a call declined, a wrong key, a fraud report. The
// pages waiting for a call move on by themselves (static/call-wait.js, under
// the real CSP); the test never reloads them. Every page and state is
// screenshotted at desktop and phone widths and checked with axe-core and for
// console errors (page()).
//
// TestPhoneJourney is the JSON twin (api_phone_journey_test.go); these are
// named TestBrowserPhone… so both can live in one package.
//
// Sends to one number are throttled (internal/phone.Backoff: the 4th of a day
// waits 30 s), so each number below gets at most three texts or calls.

func TestBrowserPhoneJourney(t *testing.T) {
	for _, v := range []struct {
		name     string
		postgres bool
	}{{"sqlite", false}, {"postgres", true}} {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			s := startServer(t, serverOptions{Postgres: v.postgres})
			seed(t, s)
			b := newBrowser(t, s.URL)
			b.Review = !v.postgres // the pages are the same on both databases
			phoneJourney(t, b)
		})
	}
}

func phoneJourney(t *testing.T, b *browser) {
	const (
		typed  = "+1 4255551234X12345" // the article's number, with an extension
		first  = "+1 4255551234"
		second = "+1 4255550123" // the mobile's new number, typed "425 555 0123" with United States
		office = "+1 4255550155"
	)
	// The person's phone: the dev outbox in a second browser context.
	phone := b.newContext("outbox")
	phone.Review = b.Review

	// 0. Sign in; the interrupt asks for an authenticator app.
	b.signInPassword(alex)
	b.startAppAtInterrupt()
	b.setUpApp("register-app", "")
	b.expectText("You're all set")
	b.submitText("Done")
	b.expectPath("/my")

	// 1. A mobile phone by call, typed with an extension and "Other" in the
	// country picker. The extension is removed, and the member told.
	b.submit(`a[href="/my/security-info"]`)
	b.submit("#add-method")
	b.choose("kind", "Phone")
	b.submitText("Add")
	b.expectPath("/my/security-info/phone")
	b.expectText("Which phone is this?", "Country or region", "Text me a code", "Call me")
	if got := eval[string](b, `document.querySelector('#country').value`); got != "US" {
		t.Errorf("the country picker starts at %q, want US (United States)", got)
	}
	b.fillPhoneForm("Mobile phone", "", typed, "Call me")
	b.page("phone-add-form")
	b.submitText("Next")
	b.expectPath("/my/security-info/phone/…")
	b.expectText("we removed the extension 12345", "We're calling "+first+" now. Answer the call to continue.")
	b.expectScriptCSP()
	b.page("phone-calling")
	b.armWait()

	// The phone rings: the outbox, found with its "Sent to" filter.
	phone.open("/dev/outbox")
	phone.fill("#to", e164Of(first))
	phone.submitText("Show")
	phone.expectText("Ringing", "press the pound key")
	phone.page("ringing")
	phone.outboxPress(first, "Answer")
	phone.expectText("Answered — waiting for keys", "Press #", "Press 0 then #", "Press 1", "Hang up")
	phone.page("answered")
	b.waitLive("You answered the call.")
	b.page("phone-call-picked-up")
	phone.outboxPress(first, "Press #")
	b.waitText("/my/security-info/phone/", "Call answered. Your phone was registered successfully.")
	if p := b.path(); !strings.HasSuffix(p, "/done") {
		t.Errorf("the call was answered at %s, want the phone's done page", p)
	}
	b.page("phone-call-answered")
	b.submitText("Done")
	b.expectPath("/my/security-info")
	b.expectRows("Authenticator app", "Phone "+first)
	phone.open("/dev/outbox") // everything sent so far: the extension went nowhere
	if text := phone.bodyText(); strings.Contains(text, "12345") {
		t.Errorf("the extension reached the outbox:\n%s", text)
	}
	if text := b.bodyText(); strings.Contains(text, "12345") {
		t.Errorf("Security info shows the extension:\n%s", text)
	}
	b.page("security-info-phone")

	// 2. Change the mobile's number by text, typed nationally with United
	// States in the picker; the code is read in the outbox.
	b.followRowLink(first, "Change")
	b.expectPath("/my/security-info/methods/…")
	b.expectText("Change phone number", "before it replaces "+first)
	b.fillPhoneForm("", "US", "425 555 0123", "Text me a code")
	b.page("phone-change-form")
	b.submitText("Next")
	b.expectText("We just sent a 6 digit code to " + second)
	b.page("phone-change-code")
	code := phone.outboxCode(second)
	phone.page("text")
	b.fill("#code", code)
	b.submitText("Next")
	b.expectPath("/my/security-info/phone/…")
	b.expectText("SMS verified. Your phone number was changed.")
	b.page("phone-changed")
	b.submitText("Done")
	b.expectRows("Authenticator app", "Phone "+second)

	// 3. An office phone by call (office phones take calls only). The first
	// call is declined: the page says so by itself and offers to call again.
	b.submit("#add-method")
	b.choose("kind", "Phone")
	b.submitText("Add")
	b.fillPhoneForm("Office phone", "US", "425 555 0155", "Call me")
	if eval[bool](b, `(() => { const li = document.querySelector('li[data-channel=sms]'); return !!li && !li.hidden; })()`) {
		t.Errorf("with Office phone chosen, the form still offers Text me a code")
	}
	b.page("phone-add-office-form")
	b.submitText("Next")
	b.expectText("We're calling " + office + " now.")
	b.armWait()
	phone.outboxPress(office, "Decline")
	b.waitText("/my/security-info/phone/", "You didn't answer the call.")
	b.expectText("Call me again")
	b.page("phone-no-answer")
	b.submitText("Call me again")
	b.expectText("We're calling you again.", "We're calling "+office+" now.")
	b.armWait()
	phone.outboxPress(office, "Answer")
	phone.outboxPress(office, "Press #")
	b.waitText("/my/security-info/phone/", "Call answered. Your phone was registered successfully.")
	b.submitText("Done")
	b.expectRows("Authenticator app", "Phone "+second, "Office phone "+office)
	b.expectRowsHoldAtPhoneWidth()
	b.page("security-info-two-phones")

	// 4. The default: a call to the mobile. Then sign out.
	b.changeDefault("change-default-phones", "Phone – call")
	b.expectText("Default sign-in method: Phone – call " + second)
	b.page("default-phone-call")
	b.signOut()

	// 5. Sign in: the call is placed at once; answered in the other tab, the
	// page finishes the sign-in by itself.
	b.signInPassword(alex)
	b.expectPath("/signin/verify")
	b.expectText("Answer the call", "We're calling +1 XXXXXXX123 now.", "Sign in another way")
	if strings.Contains(b.bodyText(), "4255550123") {
		t.Errorf("the sign-in page shows the full number before the sign-in is finished")
	}
	b.expectScriptCSP()
	b.page("signin-calling")
	b.armWait()
	phone.outboxPress(second, "Answer")
	b.waitLive("You answered the call.")
	b.page("signin-call-picked-up")
	phone.outboxPress(second, "Press #")
	b.waitText("/my", "Hello, "+alex.Name)
	b.expectPath("/my")
	b.page("signed-in-by-call")

	// The office phone becomes the default for the next sign-in: its call
	// rings and is left for another way. (With the mobile's call as the
	// default, the text below would be the mobile's fourth send within
	// seconds, which phone.Backoff holds back for 30 s.)
	b.submit(`a[href="/my/security-info"]`)
	b.changeDefault("", "Office phone – call")
	b.signOut()

	// 6. Sign in again: the office phone rings, but the member uses "Sign in
	// another way" and a text to the mobile.
	b.signInPassword(alex)
	b.expectPath("/signin/verify")
	b.expectText("We're calling +1 XXXXXXX155 now.")
	b.submitText("Sign in another way")
	b.expectPath("/signin/other")
	b.expectText("Call +1 XXXXXXX123", "Text +1 XXXXXXX123", "Call +1 XXXXXXX155", "Use a code from your authenticator app")
	for _, full := range []string{"4255550123", "4255550155"} {
		if strings.Contains(b.bodyText(), full) {
			t.Errorf("Sign in another way shows the full number %s", full)
		}
	}
	b.page("signin-other")
	b.submitText("Text +1 XXXXXXX123")
	b.expectPath("/signin/verify")
	b.expectText("We texted your phone +1 XXXXXXX123")
	b.page("signin-text-code")
	b.fill("#code", phone.outboxCode(second))
	b.submitText("Verify")
	b.expectPath("/my")

	// 7. The default goes from a call to a text to the mobile.
	b.submit(`a[href="/my/security-info"]`)
	b.changeDefault("", "Phone – call")
	b.changeDefault("change-default-text", "Phone – text")
	b.expectText("Default sign-in method: Phone – text " + second)
	b.page("default-phone-text")

	// 8. Delete the mobile, the default. The default moves to the strongest
	// remaining second factor, in strength order (security key, authenticator
	// app, phone call, text): with the app still registered that is the app,
	// not the office phone's call (internal/policy.EffectiveDefault).
	b.followRowLink(second, "Delete")
	b.expectPath("/my/security-info/methods/…")
	b.expectText("Delete this phone?", "You can't undo this.")
	if focused := b.focused(); focused != "#delete-no" {
		t.Errorf("the delete confirmation focuses %q; the safe choice (No) should have focus", focused)
	}
	b.page("phone-delete-confirm")
	b.submitText("Yes")
	b.expectPath("/my/security-info")
	b.expectText("Default sign-in method: Authenticator app – code")
	b.expectRows("Authenticator app", "Office phone "+office)
	b.page("phone-deleted")

	// 9. The office phone's number again, as a mobile: refused before anything
	// is sent, so sign-in never lists two identical calls.
	b.submit("#add-method")
	b.choose("kind", "Phone")
	b.submitText("Add")
	b.fillPhoneForm("", "US", "425 555 0155", "Call me") // a mobile: the one type left
	b.submitText("Next")
	b.expectPath("/my/security-info/phone")
	b.expectText("You already use " + office + " as your office phone.")
	b.page("phone-number-in-use")

	// 10. Cancel while a new number rings hangs the call up: the phone (the
	// outbox) shows the call ended, and nothing was added.
	const fresh = "+1 4255550177"
	b.fillPhoneForm("", "US", "425 555 0177", "Call me")
	b.submitText("Next")
	b.expectText("We're calling " + fresh + " now.")
	phone.outboxShow(fresh)
	phone.expectText("Ringing")
	b.submit(`button[form="cancel-form"]`)
	b.expectRows("Authenticator app", "Office phone "+office)
	phone.outboxShow(fresh)
	phone.expectText("State: Ended")
	phone.page("call-ended-by-cancel")
}

// TestBrowserPhoneFraud is a second member whose sign-in call gets a wrong
// key (the page says why and offers "Call again"), then "0#": the fraud
// report stops the sign-in.
func TestBrowserPhoneFraud(t *testing.T) {
	for _, v := range []struct {
		name     string
		postgres bool
	}{{"sqlite", false}, {"postgres", true}} {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			s := startServer(t, serverOptions{Postgres: v.postgres})
			seed(t, s)
			megan := member{Username: "megan@contoso.test", Password: "Lantern-Meadow-Softly-37", Name: "Megan Bowen"}
			s.runInput(t, megan.Password+"\n", "user", "create",
				"--username", megan.Username, "--display-name", megan.Name, "--password-stdin")
			b := newBrowser(t, s.URL)
			b.Review = !v.postgres
			phoneFraud(t, b, megan)
		})
	}
}

func phoneFraud(t *testing.T, b *browser, m member) {
	const mobile = "+1 4255550188"
	phone := b.newContext("outbox")
	phone.Review = b.Review

	// A mobile by call, the default.
	b.signInPassword(m)
	b.startAppAtInterrupt()
	b.setUpAppQuietly("register-app")
	b.submitText("Done")
	b.open("/my/security-info/phone")
	b.fillPhoneForm("Mobile phone", "US", "425 555 0188", "Call me")
	b.submitText("Next")
	b.armWait()
	phone.outboxPress(mobile, "Answer")
	phone.outboxPress(mobile, "Press #")
	b.waitText("/my/security-info/phone/", "Call answered. Your phone was registered successfully.")
	b.submitText("Done")
	b.changeDefault("", "Phone – call")
	b.signOut()

	// A wrong key: the waiting page says why by itself and offers "Call again".
	b.signInPassword(m)
	b.expectPath("/signin/verify")
	b.expectText("We're calling +1 XXXXXXX188 now.")
	b.armWait()
	phone.outboxPress(mobile, "Answer")
	phone.outboxPress(mobile, "Press 1")
	b.waitText("/signin/verify", "You pressed a different key.")
	b.expectText("We couldn't verify the call", "Call again")
	b.page("signin-wrong-key")
	b.submitText("Call again")
	b.expectPath("/signin/verify")
	// The automatic call and this first "Call again" both went out.
	b.expectText("We're calling you again.", "We're calling +1 XXXXXXX188 now.")

	// "0#": this wasn't me. The sign-in is denied.
	b.armWait()
	phone.outboxPress(mobile, "Answer")
	phone.outboxPress(mobile, "Press 0 then #")
	phone.page("fraud-reported")
	b.waitText("/signin", "You reported this call as fraud, so we stopped this sign-in. Contact your help desk.")
	b.expectText("Sign-in stopped", "Back to sign in")
	b.page("signin-fraud")
	b.open("/my")
	b.expectPath("/signin…")

	// MFA is blocked now: the password alone does not get the member in.
	b.signInPassword(m)
	if p := b.path(); p == "/my" {
		b.fatalf("after a fraud report the member signed in again")
	}
	b.expectText("Two-step verification is blocked")
	b.page("signin-after-fraud")
}

// expectRows fails the test unless Security info lists exactly these rows,
// in order, each row's text starting with the given label and detail.
func (b *browser) expectRows(want ...string) {
	b.t.Helper()
	b.expectPath("/my/security-info")
	got := b.methodRows()
	ok := len(got) == len(want)
	for i := 0; ok && i < len(want); i++ {
		ok = strings.HasPrefix(got[i], want[i])
	}
	if !ok {
		b.t.Errorf("Security info lists %q, want rows starting with %q", got, want)
	}
}
