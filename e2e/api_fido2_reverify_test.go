package e2e

import (
	"net/http"
	"testing"

	"github.com/twofold-id/twofold/internal/testkit/softkey"
)

// TestAPIReverifyWithKey: a stale session verifies again with a security key
// through /me/authentication/verify/fido2…; the old token stops working and the
// new one reaches Security info.
func TestAPIReverifyWithKey(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, postgres bool) {
		s := startServer(t, serverOptions{Postgres: postgres})
		seedOrg(t, s)
		m := seedMember(t, s, "kim", "Kim Key")
		c := newAPIClient(t, s)
		// The first session, made fresh by adding the app, adds the key; later
		// password-only sessions are stale.
		first := withAppWithoutMFA(t, s, c, m)
		key := softkey.New(softkey.Options{})
		c.addKey(t, s, first, key, "Blue")

		a := c.signIn(t, m)
		if a.Status != "signed_in" || a.SessionToken == "" {
			t.Fatalf("sign-in without MFA required: %+v, want signed_in", a)
		}
		tok := a.SessionToken
		c.do("GET", "/me/authentication/methods", nil, bearerToken(tok)).
			apiErr(t, http.StatusForbidden, "reauthentication_required", "")

		// A forged answer is refused and the token still works (stale).
		k := c.ceremony(t, "/me/authentication/verify/fido2/options", bearerToken(tok))
		cred, err := key.WithForgedSignature().Get(k.PublicKey, s.URL)
		if err != nil {
			t.Fatal(err)
		}
		c.do("POST", "/me/authentication/verify/fido2", answer(k, cred), bearerToken(tok)).apiErr(t, http.StatusUnauthorized, "unauthorized", "")
		c.do("GET", "/me/authentication/methods", nil, bearerToken(tok)).
			apiErr(t, http.StatusForbidden, "reauthentication_required", "")

		// The key's answer: a new token, the old one refused, Security info open.
		k = c.ceremony(t, "/me/authentication/verify/fido2/options", bearerToken(tok))
		cred, err = key.Get(k.PublicKey, s.URL)
		if err != nil {
			t.Fatal(err)
		}
		tok = reverified(t, c, c.do("POST", "/me/authentication/verify/fido2", answer(k, cred), bearerToken(tok)), tok)
		c.do("GET", "/me/authentication/methods", nil, bearerToken(tok)).want(t, http.StatusOK)
		// The ceremony is used up.
		c.do("POST", "/me/authentication/verify/fido2", answer(k, cred), bearerToken(tok)).apiErr(t, http.StatusGone, "expired", "")
	})
}
