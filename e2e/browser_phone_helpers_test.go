package e2e

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
)

// Helpers of the phone journeys in the browser (browser_phone_test.go): the
// phone form, waiting for a page that moves on by itself, and the development
// outbox driven in a tab of its own, as a person holding the phone would.

// callWaitTimeout bounds how long a page waiting for a call may take to move
// on by itself: call-wait.js polls every two seconds.
const callWaitTimeout = 20 * time.Second

// waitFor polls the JavaScript expression expr in the tab every 100 ms until
// it is true, and fails the test after timeout. It survives navigations (an
// evaluation that fails while a page is replaced is tried again), so it can
// watch a page that submits itself.
func (b *browser) waitFor(what, expr string, timeout time.Duration) {
	b.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		cancel()
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			b.fatalf("waited %s for %s (last error: %v)", timeout, what, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// armWait tags the page now shown, before something elsewhere (the outbox)
// makes it move on by itself: waitText then waits for a new page, and
// waitLive for an update of this one.
func (b *browser) armWait() {
	b.t.Helper()
	eval[bool](b, `(window.__e2eWaiting = true)`)
}

// waitText waits until the page armed by armWait has been replaced, by
// itself, with a fully loaded page at a path starting with pathPrefix that
// says text. (The waiting page's live region often says the same words just
// before its script moves on, so the new document is what counts.)
func (b *browser) waitText(pathPrefix, text string) {
	b.t.Helper()
	b.waitFor(fmt.Sprintf("the page to move on by itself to %s… saying %q", pathPrefix, text), fmt.Sprintf(
		`window.__e2eWaiting !== true && document.readyState === 'complete' && location.pathname.startsWith(%q) && !!document.body && document.body.innerText.includes(%q)`,
		pathPrefix, text), callWaitTimeout)
}

// waitLive waits until the live region of the page armed by armWait (the
// call-wait message) says text, the page updated in place.
func (b *browser) waitLive(text string) {
	b.t.Helper()
	b.waitFor(fmt.Sprintf("the live region to say %q in place", text), fmt.Sprintf(
		`(() => { const m = document.querySelector('#call-message[aria-live=polite]'); return window.__e2eWaiting === true && !!m && m.textContent.includes(%q); })()`,
		text), callWaitTimeout)
}

// expectScriptCSP fails the test unless the page is served with a
// Content-Security-Policy whose scripts are the site's own files only, so a
// page that moves on by itself proves its script runs under that policy.
func (b *browser) expectScriptCSP() {
	b.t.Helper()
	csp := eval[string](b, `fetch(location.href, {cache: 'no-store'}).then(r => r.headers.get('content-security-policy') || '')`)
	script := ""
	for _, d := range strings.Split(csp, ";") {
		if f := strings.Fields(d); len(f) > 0 && (f[0] == "script-src" || (f[0] == "default-src" && script == "")) {
			script = strings.Join(f[1:], " ")
		}
	}
	if script != "'self'" && script != "'none'" {
		b.t.Errorf("the page at %s allows scripts from %q (CSP %q), want only 'self'", b.path(), script, csp)
	}
}

// openQuery navigates to path?query and returns the page's HTTP status.
func (b *browser) openQuery(path string, q url.Values) int64 {
	b.t.Helper()
	u := b.base.ResolveReference(&url.URL{Path: path, RawQuery: q.Encode()})
	resp := run(b, "open "+u.String(), chromedp.NavigateResponse(u.String()))
	return b.status("open "+u.String(), resp)
}

// selectOption picks the option of the <select> sel whose value is value.
func (b *browser) selectOption(sel, value string) {
	b.t.Helper()
	ok := eval[bool](b, fmt.Sprintf(`(() => {
		const s = document.querySelector(%q);
		if (!s || ![...s.options].some(o => o.value === %q)) return false;
		s.focus();
		s.value = %q;
		s.dispatchEvent(new Event('input', {bubbles: true}));
		s.dispatchEvent(new Event('change', {bubbles: true}));
		return true;
	})()`, sel, value, value))
	if !ok {
		b.fatalf("%s has no option with the value %q", sel, value)
	}
}

// fillPhoneForm fills the phone form: the phone type (its label, "" to leave
// it), the country picker's region ("" is "Other — I'll type +country code"),
// the number as typed, and the way to verify it ("Call me", "Text me a code"),
// chosen when the form offers more than one.
func (b *browser) fillPhoneForm(phoneType, region, number, channel string) {
	b.t.Helper()
	if phoneType != "" {
		b.choose("phoneType", phoneType)
	}
	b.selectOption("#country", region)
	b.fill("#phoneNumber", number)
	if b.has(`input[type=radio][name=method]`) {
		b.choose("method", channel)
		return
	}
	// One way only: the form says which instead of offering a choice.
	only := map[string]string{"Call me": "We'll call this number.", "Text me a code": "We'll text a code to this number."}[channel]
	b.expectText(only)
}

// methodRows returns the text of each row of Security info, in order.
func (b *browser) methodRows() []string {
	b.t.Helper()
	return eval[[]string](b, `[...document.querySelectorAll('li.method')].map(r => r.innerText.trim().replace(/\s+/g, ' '))`)
}

// followRowLink follows the link starting with action ("Change", "Delete")
// of the first Security info row whose text contains detail.
func (b *browser) followRowLink(detail, action string) {
	b.t.Helper()
	ok := eval[bool](b, fmt.Sprintf(`(() => {
		document.querySelectorAll('[data-e2e-mark]').forEach(e => e.removeAttribute('data-e2e-mark'));
		for (const row of document.querySelectorAll('li.method')) {
			if (!row.innerText.includes(%q)) continue;
			const a = [...row.querySelectorAll('a')].find(a => a.innerText.trim().startsWith(%q));
			if (a) { a.setAttribute('data-e2e-mark', ''); return true; }
		}
		return false;
	})()`, detail, action))
	if !ok {
		b.fatalf("no Security info row with %q has a %s link", detail, action)
	}
	b.submit("[data-e2e-mark]")
}

// changeDefault goes from Security info through "Default sign-in method:
// Change" to Confirm with the choice whose label contains choice, and checks
// that the default line then says the choice. It returns the choice's label.
func (b *browser) changeDefault(shotName, choice string) string {
	b.t.Helper()
	b.expectPath("/my/security-info")
	b.submit("#change-default")
	b.expectPath("/my/security-info/default")
	label := b.choose("preference", choice)
	if shotName != "" {
		b.page(shotName)
	}
	b.submitText("Confirm")
	b.expectPath("/my/security-info")
	b.expectText("Default sign-in method: " + label)
	return label
}

// signOut uses the header's Sign out and checks that /my is closed.
func (b *browser) signOut() {
	b.t.Helper()
	b.submit("#signout")
	b.expectPath("/signin…")
}

// startAppAtInterrupt goes from "More information required" to the
// authenticator app's setup, choosing the app where the interrupt offers a
// choice (the app or a phone).
func (b *browser) startAppAtInterrupt() {
	b.t.Helper()
	b.expectPath("/signin/register…")
	b.expectText("More information required")
	if b.has(`input[type=radio][name=kind]`) {
		b.choose("kind", "Authenticator app")
	}
	b.submitText("Next")
}

// setUpAppQuietly sets up an authenticator app from the key under "Can't
// scan the image?", for members other than alex (setUpApp checks the QR code
// against alex's user name).
func (b *browser) setUpAppQuietly(shotName string) *authApp {
	b.t.Helper()
	b.expectText("Set up your authenticator app")
	b.click("details.manual summary")
	app := &authApp{secret: b.text("#secret-key")}
	b.page(shotName)
	b.fill(`input[name=code]`, app.code(b.t))
	b.submitText("Next")
	return app
}

// --- The development outbox, in a tab of its own. Its calls are
// looked up by the number they went to, in E.164 ("+14255551234").

// e164Of turns a number as pages show it ("+1 4255551234") into E.164.
func e164Of(display string) string { return strings.ReplaceAll(display, " ", "") }

// outboxShow opens the outbox filtered on one number.
func (o *browser) outboxShow(number string) {
	o.t.Helper()
	o.openQuery("/dev/outbox", url.Values{"to": {e164Of(number)}})
	o.expectText("Development outbox")
}

// outboxPress opens the outbox, finds the newest call to number and presses
// its button whose text starts with button ("Answer", "Decline", "Press #",
// "Press 0 then #", "Press 1", "Hang up"), as the person holding the phone.
func (o *browser) outboxPress(number, button string) {
	o.t.Helper()
	o.outboxShow(number)
	state := eval[string](o, fmt.Sprintf(`(() => {
		document.querySelectorAll('[data-e2e-mark]').forEach(e => e.removeAttribute('data-e2e-mark'));
		for (const li of document.querySelectorAll('li.outbox-message')) {
			const to = li.querySelector('.outbox-meta strong');
			const kind = li.querySelector('.outbox-kind');
			if (!to || to.innerText.trim() !== %q || !kind || !kind.innerText.includes('Call')) continue;
			const b = [...li.querySelectorAll('button')].find(b => b.innerText.trim().startsWith(%q));
			if (!b) return 'the newest call has no such button: ' + li.innerText;
			b.setAttribute('data-e2e-mark', '');
			return 'ok';
		}
		return 'there is no call';
	})()`, e164Of(number), button))
	if state != "ok" {
		o.fatalf("outbox: press %q on the call to %s: %s", button, number, state)
	}
	o.submit("[data-e2e-mark]")
	o.expectPath("/dev/outbox")
}

// outboxCode returns the code of the newest text to number, as the outbox
// page shows it, and checks that the text starts with it.
func (o *browser) outboxCode(number string) string {
	o.t.Helper()
	o.outboxShow(number)
	type text struct{ Code, Body string }
	got := eval[text](o, fmt.Sprintf(`(() => {
		for (const li of document.querySelectorAll('li.outbox-message')) {
			const to = li.querySelector('.outbox-meta strong');
			const code = li.querySelector('.outbox-code .key');
			if (to && to.innerText.trim() === %q && code) {
				return {Code: code.innerText.trim(), Body: li.querySelector('.outbox-body').innerText.trim()};
			}
		}
		return {Code: '', Body: ''};
	})()`, e164Of(number)))
	if len(got.Code) != 6 || !strings.HasPrefix(got.Body, got.Code+" is your ") {
		o.fatalf("outbox: no texted code to %s (%+v)", number, got)
	}
	return got.Code
}
