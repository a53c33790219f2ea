package api

import (
	"net/http"
	"testing"
)

// The key re-verification calls need a session, and use cases that cannot do
// keys (the fakes here) make them 503, not 500. What they do with a real key is
// in e2e's TestAPIReverifyWithKey.
func TestReverifyKeyCalls(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/api/v1/me/authentication/verify/fido2/options", "/api/v1/me/authentication/verify/fido2"} {
		e.do("POST", path, `{}`, "").apiError(t, http.StatusUnauthorized, "unauthorized")
		e.do("POST", path, `{"ceremonyId":"c","credential":{}}`, goodToken).apiError(t, http.StatusServiceUnavailable, "unavailable")
		e.do("GET", path, "", goodToken).apiError(t, http.StatusMethodNotAllowed, "method_not_allowed")
	}
}
