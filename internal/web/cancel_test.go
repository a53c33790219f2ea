package web

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/twofold-id/twofold"
)

// Cancel on the page that waits for a new number's call is a POST that hangs
// the call up before going back to Security info.
func TestPhoneCallCancelHangsUp(t *testing.T) {
	e := newEnv(t, false)
	id := e.info.startPhone(twofold.ChannelVoice, "")
	path := "/my/security-info/phone/" + id
	wantText(t, e.do("GET", path, nil, member), http.StatusOK,
		`<form id="cancel-form" method="post" action="`+path+`/cancel"></form>`,
		`<button type="submit" form="cancel-form">Cancel</button>`)
	wantRedirect(t, e.do("POST", path+"/cancel", url.Values{}, member), "/my/security-info")
	wantCalls(t, e, "CancelPhone "+id)
}
