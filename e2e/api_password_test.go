package e2e

import (
	"net/http"
	"testing"
)

// Changing the password through the JSON API on the real binary: a wrong
// current password and a common new one refused on their fields, the change
// accepted with 204, the token used still working and another session ended,
// the old password refused at sign-in and the new one accepted.
func TestAPIChangePassword(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, postgres bool) {
		s := startServer(t, serverOptions{Postgres: postgres})
		seedOrg(t, s)
		alex := seedMember(t, s, "alex", "Alex Wilber")
		c := newAPIClient(t, s)
		c.registerByInterrupt(t, alex, "")
		other := c.signInWithCode(t, alex, alex.app)
		auth := bearerToken(alex.token)
		const path = "/me/password"
		const newPW = "lantern meadow copper"

		c.do("POST", path, map[string]any{"currentPassword": "not it", "newPassword": newPW}, auth).
			apiErr(t, http.StatusBadRequest, "invalid_request", "currentPassword")
		c.do("POST", path, map[string]any{"currentPassword": alex.Password, "newPassword": "baseball"}, auth).
			apiErr(t, http.StatusBadRequest, "invalid_request", "newPassword")
		c.do("POST", path, map[string]any{"currentPassword": alex.Password, "newPassword": newPW}, auth).
			want(t, http.StatusNoContent)

		c.do("GET", "/me", nil, auth).want(t, http.StatusOK)
		c.do("GET", "/me", nil, bearerToken(other)).want(t, http.StatusUnauthorized)
		c.do("POST", "/signin", map[string]string{"username": alex.Username, "password": alex.Password}).
			apiErr(t, http.StatusUnauthorized, "unauthorized", "-")
		alex.Password = newPW
		if a := c.signIn(t, alex); a.Status != "mfa_required" {
			t.Fatalf("sign-in with the new password: %+v, want mfa_required", a)
		}
	})
}
