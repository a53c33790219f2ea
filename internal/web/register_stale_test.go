package web

import (
	"net/http"
	"net/url"
	"testing"
)

// staleTabCode makes the fake interrupt answer as a tab whose member set up a
// second factor in another window meanwhile.
const staleTabCode = "654321"

// A stale interrupt tab is sent back to sign in, told why, with its flow
// cookie cleared and no session.
func TestStaleInterruptTabSignsInAgain(t *testing.T) {
	e := newEnv(t, false)
	w := e.do("POST", "/signin/register/app", url.Values{"method": {"m-new"}, "code": {staleTabCode}}, flowReg)
	wantRedirect(t, w, "/signin?m=elsewhere")
	for _, c := range w.Result().Cookies() {
		if c.Name == "__Host-twofold_session" && c.Value != "" {
			t.Errorf("a stale tab got a session cookie: %+v", c)
		}
	}
	wantText(t, e.do("GET", "/signin?m=elsewhere", nil), http.StatusOK,
		"Your security info was updated in another window, so that setup isn't needed any more. Please sign in again.")
}
