package e2e

import (
	"net/http"
	"testing"
)

// TestFraudOnReverifyCallEndsSession: 0# on a re-verification call means the
// member did not ask for it, so the session that asked is signed out at once,
// and its token no longer reaches anything.
func TestFraudOnReverifyCallEndsSession(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, postgres bool) {
		s := startServer(t, serverOptions{Postgres: postgres})
		seedOrg(t, s)
		// Password-only sign-in, so a session is stale once the member has a phone.
		cli(t, s, "", "policy", "set", "--org", apiOrg.Domain, "--mfa-required", "false")
		m := seedMember(t, s, "fran", "Fran Fraud")
		c, ob := newAPIClient(t, s), newOutboxReader(t, s)
		const number = "+1 4255550177"
		mobile := c.addMobileByText(t, c.signIn(t, m).SessionToken, number, ob.code)

		tok := c.signIn(t, m).SessionToken
		c.do("POST", "/me/authentication/verify/challenge", map[string]string{"methodId": mobile.ID, "preference": "voiceMobile"},
			bearerToken(tok)).want(t, http.StatusAccepted)
		c.do("GET", "/me/authentication/verify/challenge", nil, bearerToken(tok)).want(t, http.StatusOK)
		ob.pickUpAndPress(e164(number), "0#")
		c.do("GET", "/me/authentication/verify/challenge", nil, bearerToken(tok)).apiErr(t, http.StatusUnauthorized, "unauthorized", "")
		c.do("POST", "/me/authentication/verify/call", nil, bearerToken(tok)).apiErr(t, http.StatusUnauthorized, "unauthorized", "")
	})
}
