package e2e

import (
	"testing"

	cdpwebauthn "github.com/chromedp/cdproto/webauthn"
)

// TestBrowserReverifyWithKey: in Chromium with a virtual authenticator, a
// stale session reaches Security info by verifying again with the member's
// security key. Two-step sign-in is off for the organization, so once the
// member has methods a password-only session is stale from the start. One
// database: the pages are the same on both, and the use case runs on both in
// its own tests and in TestAPIReverifyWithKey.
func TestBrowserReverifyWithKey(t *testing.T) {
	t.Parallel()
	s := startServer(t, serverOptions{})
	seed(t, s)
	s.run(t, "policy", "set", "--org", "contoso.test", "--mfa-required", "false")
	b := newBrowser(t, s.URL)

	// A password-only session adds the first method, an app, then a key.
	b.signInPassword(alex)
	// With no method yet, the registration campaign first asks for a way to
	// reset the password.
	b.expectPath("/my/register")
	b.open("/my/security-info/add")
	b.choose("kind", "Authenticator app")
	b.submitText("Add")
	b.setUpApp("reverify-key-app", "")
	b.open("/my/security-info/add")
	b.choose("kind", "Security key")
	b.submitText("Add")
	b.expectPath("/my/security-info/key")
	b.securityKey(cdpwebauthn.AuthenticatorTransportUsb)
	b.fill("#name", "YubiKey 5")
	b.submit("[data-webauthn-start]")
	b.expectText("Your security key YubiKey 5 was registered.")

	// A new password-only session is stale: Security info asks to verify,
	// and the key does it.
	b.signOut()
	b.signInPassword(alex)
	b.expectPath("/my")
	b.open("/my/security-info")
	b.expectPath("/my/verify")
	b.page("reverify-with-key")
	b.submitText("Use your security key")
	b.expectPath("/my/verify/key")
	b.expectText("Use your security key")
	b.page("reverify-key")
	b.submit("[data-webauthn-start]")
	b.expectPath("/my/security-info")
	b.expectText("Security info", "YubiKey 5")
}
