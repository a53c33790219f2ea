package api

import (
	"net/http"
	"testing"
)

// The literal key paths beside wildcard ones still answer a wrong method with
// 405 and Allow, and the passkey paths are not taken for a flow ID.
func TestKeyRoutesRefuseOtherMethods(t *testing.T) {
	for _, tc := range []struct{ method, path, allow string }{
		{"GET", "/api/v1/me/authentication/fido2Methods/creationOptions", "POST"},
		{"DELETE", "/api/v1/me/authentication/fido2Methods/creationOptions", "POST"},
		{"GET", "/api/v1/signin/passkey", "POST"},
		{"DELETE", "/api/v1/signin/passkey", "POST"},
		{"GET", "/api/v1/signin/passkey/options", "POST"},
		{"PUT", "/api/v1/me/authentication/fido2Methods/x", "DELETE, GET, HEAD, PATCH"},
	} {
		e := newEnv(t)
		r := e.do(tc.method, tc.path, "", goodToken)
		r.apiError(t, http.StatusMethodNotAllowed, "method_not_allowed")
		if got := r.header.Get("Allow"); got != tc.allow {
			t.Errorf("%s %s: Allow = %q, want %q", tc.method, tc.path, got, tc.allow)
		}
	}
}

// Use cases that cannot do keys (the fakes here) make the key calls 503, not 500.
func TestKeyCallsUnavailableWithoutKeys(t *testing.T) {
	e := newEnv(t)
	e.do("POST", "/api/v1/signin/passkey/options", "", "").apiError(t, http.StatusServiceUnavailable, "unavailable")
	e.do("POST", "/api/v1/me/authentication/fido2Methods/creationOptions", "", goodToken).apiError(t, http.StatusServiceUnavailable, "unavailable")
}
