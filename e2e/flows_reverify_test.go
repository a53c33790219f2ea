package e2e

import (
	"net/http"
	"testing"
)

// reverified checks the answer of a successful re-verification, which is a
// re-authentication: 200 with a new session token, and the token the request
// was made with (old) refused from then on. It returns the new token.
func reverified(t *testing.T, c *apiClient, r *apiResp, old string) string {
	t.Helper()
	var v struct {
		SessionToken    string `json:"sessionToken"`
		ExpiresDateTime string `json:"expiresDateTime"`
	}
	r.want(t, http.StatusOK).decode(t, &v)
	if v.SessionToken == "" || v.SessionToken == old || v.ExpiresDateTime == "" {
		t.Fatalf("%s: answer %+v, want a new session token", r, v)
	}
	c.do("GET", "/me/authentication/methods", nil, bearerToken(old)).apiErr(t, http.StatusUnauthorized, "unauthorized", "")
	return v.SessionToken
}
