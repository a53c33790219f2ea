package e2e

import (
	"net/http"
	"testing"
)

// withAppWithoutMFA turns two-step sign-in off for the organization, signs m in
// with the password only, adds an authenticator app with that session (it is
// fresh, having just proven the app) and returns the session's token. From then
// on a password-only sign-in gives a session that is stale from the start and
// must verify again. The policy is set before the server first reads the
// organization, which it then keeps for a few seconds.
func withAppWithoutMFA(t *testing.T, s *server, c *apiClient, m *apiMember) string {
	t.Helper()
	cli(t, s, "", "policy", "set", "--org", apiOrg.Domain, "--mfa-required", "false")
	first := c.signIn(t, m).SessionToken
	var setup oathSetup
	c.do("POST", "/me/authentication/softwareOathMethods", nil, bearerToken(first)).want(t, http.StatusCreated).decode(t, &setup)
	m.app = &authApp{secret: setup.SecretKey}
	c.do("POST", "/me/authentication/softwareOathMethods/"+setup.ID+"/activate",
		map[string]string{"verificationCode": aheadCode(t, m.app)}, bearerToken(first)).want(t, http.StatusOK)
	return first
}
