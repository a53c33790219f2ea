package api

import (
	"net/http"
	"testing"

	"github.com/twofold-id/twofold"
)

// steppedUpToken is the token the fake re-verification gives the session.
const steppedUpToken = "tok-stepped-up"

// stepUp is the fake re-verification's answer: the new token unless the code
// or call was refused.
func stepUp(_ *twofold.Principal, err error) (string, error) {
	if err != nil {
		return "", err
	}
	return steppedUpToken, nil
}

// Re-verifying answers with the session's new token, as a sign-in does, by an
// app code, a texted code and a call.
func TestReverifyAnswersNewToken(t *testing.T) {
	for _, tc := range []struct{ path, body string }{
		{verifyPath, `{"code":"123456"}`},
		{verifyPath, `{"methodId":"` + phoneID + `","code":"123456"}`},
		{verifyPath + "/call", ``},
	} {
		e := newEnv(t)
		r := e.do("POST", tc.path, tc.body, goodToken)
		r.want(t, http.StatusOK)
		body := r.object(t)
		wantKeys(t, tc.path, body, "sessionToken", "expiresDateTime")
		if body["sessionToken"] != steppedUpToken || body["expiresDateTime"] == "" {
			t.Errorf("%s %s: body = %s, want the new token", tc.path, tc.body, r.body)
		}
	}
	// A refused code gives no token.
	e := newEnv(t)
	e.secinfo.errs["Reverify"] = twofold.FieldError("code", "That code didn't work.")
	e.do("POST", verifyPath, `{"code":"000000"}`, goodToken).apiError(t, http.StatusBadRequest, "invalid_request")
}
