package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/twofold-id/twofold"
)

// After "Resend code" or "Call me again" each page says what just happened, in
// the status region, so the click is not met with silence.
func TestResendSaysSo(t *testing.T) {
	const sent, calling = `<div class="notice success" role="status"><p>We sent a new code.</p></div>`,
		`<div class="notice success" role="status"><p>We&#39;re calling you again.</p></div>`

	e := newEnv(t, false)
	id := e.info.startPhone(twofold.ChannelSMS, "")
	w := e.do("POST", "/my/security-info/phone/"+id+"/resend", url.Values{}, member)
	wantRedirect(t, w, "/my/security-info/phone/pc2?m=resent")
	wantBody(t, e.do("GET", "/my/security-info/phone/pc2?m=resent", nil, member), http.StatusOK, sent)

	w = e.do("POST", "/signin/choose", url.Values{"method": {"p1"}, "pref": {"sms"}, "from": {"verify"}}, flowPhone)
	wantRedirect(t, w, "/signin/verify?m=resent")
	wantBody(t, e.do("GET", "/signin/verify?m=resent", nil, flowPhone), http.StatusOK, sent)

	e = newEnv(t, false)
	e.do("POST", "/signin/register/phone", url.Values{"phoneType": {"office"}, "country": {"US"}, "phoneNumber": {"425 555 1234"}, "method": {"voice"}}, flowRegPhone)
	w = e.do("POST", "/signin/register/phone/resend", url.Values{}, flowRegPhone)
	wantRedirect(t, w, "/signin/register/phone/verify?m=called")
	wantBody(t, e.do("GET", "/signin/register/phone/verify?m=called", nil, flowRegPhone), http.StatusOK, calling)

	// Only these words: another key, or none, shows no notice.
	body := e.do("GET", "/signin/register/phone/verify?m=deleted", nil, flowRegPhone).Body.String()
	if strings.Contains(body, `class="notice success"`) {
		t.Error("the verify page shows a notice it wasn't sent for")
	}
}
