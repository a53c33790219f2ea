package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	cdpwebauthn "github.com/chromedp/cdproto/webauthn"
)

// The member's journey with security keys, in real Chromium with virtual
// authenticators against the real binary: add a key, sign in with password
// and key, make the key the default, sign in with a passkey alone, a key
// that is not theirs and the same key twice are refused, rename, delete.

func TestBrowserKeys(t *testing.T) {
	for _, v := range []struct {
		name     string
		postgres bool
	}{
		{"sqlite", false},
		{"postgres", true},
	} {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			s := startServer(t, serverOptions{Postgres: v.postgres})
			seed(t, s)
			b := newBrowser(t, s.URL)
			b.Review = !v.postgres
			keysJourney(t, b)
		})
	}
}

// keyFailed is what webauthn.js says when the browser gives up.
const keyFailed = "Your browser didn't finish. Try again, or choose another way."

func keysJourney(t *testing.T, b *browser) {
	// 1. The interrupt: an authenticator app first (a key needs another way
	// to sign in beside it).
	b.open("/signin")
	b.signInPassword(alex)
	b.startAppAtInterrupt()
	app := b.setUpApp("keys-register-app", "")
	b.expectText("You're all set")
	b.submitText("Done")

	// 2. Add a security key with a name.
	b.open("/my/security-info/add")
	b.choose("kind", "Security key")
	b.submitText("Add")
	b.expectPath("/my/security-info/key")
	b.expectText("Add a security key", "Give your security key a name, such as YubiKey 5.")
	key := b.securityKey(cdpwebauthn.AuthenticatorTransportUsb)
	b.page("key-add")
	b.fill("#name", "YubiKey 5")
	b.submit("[data-webauthn-start]")
	b.expectPath("/my/security-info/key/…")
	b.expectText("Your security key YubiKey 5 was registered.")
	if got := b.focused(); got != "a Done" {
		t.Errorf("the key's done page focuses %q, want Done", got)
	}
	b.page("key-added")
	if n := len(b.keyCredentials(key)); n != 1 {
		t.Fatalf("the virtual key holds %d credentials, want 1", n)
	}
	b.submitText("Done")
	b.expectPath("/my/security-info")
	b.expectText("Security key", "YubiKey 5", "Added ")
	b.page("security-info-with-key")

	// 3. The same key again is refused by the browser, and the page says so.
	b.open("/my/security-info/key")
	b.fill("#name", "Again")
	b.click("[data-webauthn-start]")
	const again = "This security key is already registered. Use another one, or choose another way."
	b.waitFor(fmt.Sprintf("the form to say %q", again), liveSays(again), 18*time.Second)
	b.expectPath("/my/security-info/key")
	b.page("key-already-registered")
	if n := len(b.keyCredentials(key)); n != 1 {
		t.Errorf("after adding it twice the key holds %d credentials, want 1", n)
	}

	// 4. Password, then the key chosen under "Sign in another way".
	b.open("/my/security-info")
	b.signOut()
	b.signInPassword(alex)
	b.expectPath("/signin/verify")
	b.submit(`a[href="/signin/other"]`)
	b.submitText("Security key")
	b.expectPath("/signin/key")
	b.expectText("Use your security key")
	b.page("signin-key")
	b.submit("[data-webauthn-start]")
	b.expectPath("/my")

	// 5. The key as the default: password, then straight to the key.
	b.open("/my/security-info")
	b.changeDefault("", "Security key")
	b.signOut()
	b.signInPassword(alex)
	b.expectPath("/signin/key")
	b.submit("[data-webauthn-start]")
	b.expectPath("/my")

	// 6. A passkey alone, without the password.
	b.signOut()
	b.open("/signin")
	b.page("signin-with-passkey")
	b.submit("#passkey-start")
	b.expectPath("/my")
	b.expectText("Hello, " + alex.Name)

	// 7. Another device whose key holds nothing for this member is refused,
	// and the page says so and offers the other ways.
	other := b.newContext("nokey")
	other.Review = false
	other.open("/signin")
	other.securityKey(cdpwebauthn.AuthenticatorTransportUsb)
	other.signInPassword(alex)
	other.expectPath("/signin/key")
	other.click("[data-webauthn-start]")
	other.waitFor(fmt.Sprintf("the form to say %q", keyFailed), liveSays(keyFailed), 18*time.Second)
	other.expectPath("/signin/key")
	other.expectText("Sign in another way")
	// The app still works there.
	other.submit(`a[href="/signin/other"]`)
	other.submitText("Use a code from your authenticator app")
	other.fill(`input[name=code]`, app.code(t))
	other.submitText("Verify")
	other.expectPath("/my")

	// 8. Rename, then delete.
	b.open("/my/security-info")
	b.followRowLink("YubiKey 5", "Rename")
	b.expectPath("/my/security-info/methods/…")
	b.page("key-rename")
	b.fill("#name", "Desk key")
	b.submitText("Save")
	b.expectPath("/my/security-info")
	b.expectText("Your security key was renamed.", "Desk key")
	b.followRowLink("Desk key", "Delete")
	b.expectPath("/my/security-info/methods/…")
	b.expectText("Delete this security key?")
	b.page("key-delete")
	b.submit("#delete-yes")
	b.expectPath("/my/security-info")
	for _, row := range b.methodRows() {
		if strings.Contains(row, "Desk key") {
			t.Errorf("the deleted key is still listed: %q", row)
		}
	}
}
