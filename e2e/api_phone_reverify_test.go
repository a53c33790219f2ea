package e2e

import (
	"net/http"
	"testing"
)

// TestPhoneReverify: a session without a recent second factor must verify
// again before it reads or changes security info, and a phone
// does it by text or by call through /me/authentication/verify/…. The
// organization does not require two-step sign-in here, so a password-only
// session is stale from the start and no test has to wait ten minutes.
func TestPhoneReverify(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, postgres bool) {
		s := startServer(t, serverOptions{Postgres: postgres})
		seedOrg(t, s)
		cli(t, s, "", "policy", "set", "--org", apiOrg.Domain, "--mfa-required", "false")
		m := seedMember(t, s, "rei", "Rei Verify")
		c, ob := newAPIClient(t, s), newOutboxReader(t, s)
		const number = "+1 4255550160"
		passwordOnly := func() string {
			t.Helper()
			a := c.signIn(t, m)
			if a.Status != "signed_in" || a.SessionToken == "" {
				t.Fatalf("sign-in without MFA required: %+v, want signed_in", a)
			}
			return a.SessionToken
		}

		// With no second factor yet, a password-only session may add the first
		// (proving the phone makes that session fresh); the next one is stale.
		tok := passwordOnly()
		mobile := c.addMobileByText(t, tok, number, ob.code)
		c.do("GET", "/me/authentication/methods", nil, bearerToken(tok)).want(t, http.StatusOK)
		tok = passwordOnly()
		c.do("GET", "/me/authentication/methods", nil, bearerToken(tok)).
			apiErr(t, http.StatusForbidden, "reauthentication_required", "")

		var opts struct {
			Value []signInMethod `json:"value"`
		}
		c.do("GET", "/me/authentication/verify/options", nil, bearerToken(tok)).want(t, http.StatusOK).decode(t, &opts)
		prefs := map[string]bool{}
		for _, o := range opts.Value {
			if o.ID != mobile.ID || o.MaskedNumber != maskOf(number) || o.IsDefault {
				t.Errorf("option %+v, want the mobile, masked %s", o, maskOf(number))
			}
			prefs[o.Preference] = true
		}
		if len(opts.Value) != 2 || !prefs["sms"] || !prefs["voiceMobile"] {
			t.Errorf("verify options %+v, want the mobile by text and by call", opts.Value)
		}

		// By text: a wrong code, then the right one.
		var ch signInChallenge
		c.do("POST", "/me/authentication/verify/challenge", map[string]string{"methodId": mobile.ID, "preference": "sms"},
			bearerToken(tok)).want(t, http.StatusAccepted).decode(t, &ch)
		if ch.ID == "" || ch.Channel != "sms" || ch.State != "sent" || ch.MaskedNumber != maskOf(number) {
			t.Errorf("re-verification text: %+v", ch)
		}
		code := ob.code(e164(number))
		c.do("POST", "/me/authentication/verify", map[string]string{"methodId": mobile.ID, "code": otherCode(code, 1)},
			bearerToken(tok)).apiErr(t, http.StatusBadRequest, "invalid_request", "code")
		tok = reverified(t, c, c.do("POST", "/me/authentication/verify", map[string]string{"methodId": mobile.ID, "code": code},
			bearerToken(tok)), tok)
		c.do("GET", "/me/authentication/methods", nil, bearerToken(tok)).want(t, http.StatusOK)
		c.do("POST", "/me/authentication/verify", map[string]string{"methodId": mobile.ID, "code": code},
			bearerToken(tok)).apiErr(t, http.StatusConflict, "conflict", "")

		// By call, in another session: 409 until #, then 204.
		tok = passwordOnly()
		c.do("POST", "/me/authentication/verify/call", nil, bearerToken(tok)).apiErr(t, http.StatusNotFound, "not_found", "")
		c.do("POST", "/me/authentication/verify/challenge", map[string]string{"methodId": mobile.ID, "preference": "voiceMobile"},
			bearerToken(tok)).want(t, http.StatusAccepted).decode(t, &ch)
		c.do("POST", "/me/authentication/verify/call", nil, bearerToken(tok)).apiErr(t, http.StatusConflict, "conflict", "")
		ob.pickUpAndPress(e164(number), "#")
		var st signInChallenge
		c.do("GET", "/me/authentication/verify/challenge", nil, bearerToken(tok)).want(t, http.StatusOK).decode(t, &st)
		if st.ID != ch.ID || st.State != "verified" {
			t.Errorf("re-verification call after #: %+v, want %s verified", st, ch.ID)
		}
		tok = reverified(t, c, c.do("POST", "/me/authentication/verify/call", nil, bearerToken(tok)), tok)
		c.do("GET", "/me/authentication/methods", nil, bearerToken(tok)).want(t, http.StatusOK)
		wantAudit(t, auditLog(t, s), m.Username, "Phone verification", "success", "(reverify): call answered with #", 1)
	})
}
