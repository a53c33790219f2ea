package web

import (
	"net/http"
	"net/url"
	"testing"
)

// On re-verify too, a resend says so, and Cancel while the call rings is a
// POST that hangs it up.
func TestReverifyResendAndCancel(t *testing.T) {
	e := newEnv(t, false)
	e.info.methods = append(e.info.methods, testPhone)
	next := "/my/security-info/add"
	page := "/my/verify?next=%2Fmy%2Fsecurity-info%2Fadd&phone=1"
	wantRedirect(t, e.do("POST", "/my/verify/phone", url.Values{"method": {"p1"}, "pref": {"voiceMobile"}, "next": {next}}, stale), page)
	wantRedirect(t, e.do("POST", "/my/verify/phone", url.Values{"method": {"p1"}, "pref": {"voiceMobile"}, "next": {next}, "again": {"1"}}, stale),
		page+"&m=called")
	w := e.do("GET", page+"&m=called", nil, stale)
	wantText(t, w, http.StatusOK, "We're calling you again.",
		`<form id="cancel-form" method="post" action="/my/verify/cancel"></form>`,
		`<button type="submit" form="cancel-form">Cancel</button>`)
	wantRedirect(t, e.do("POST", "/my/verify/cancel", url.Values{}, stale), "/my")
	wantCalls(t, e, "ReverifyByPhone p1 voiceMobile", "ReverifyByPhone p1 voiceMobile", "CancelReverify")
}
