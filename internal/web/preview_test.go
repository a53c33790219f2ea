package web

import (
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/httpx"
)

// TEMPORARY: serves the fakes for screenshots. Deleted before hand-off.
func TestPreviewServer(t *testing.T) {
	addr := os.Getenv("WEB_PREVIEW")
	if addr == "" {
		t.Skip()
	}
	rec := &recorder{}
	info := &fakeSecurityInfo{recorder: rec, methods: []*twofold.Method{
		{ID: "m1", Kind: twofold.KindSoftwareOath, Name: "Work phone", State: twofold.MethodActive},
		{ID: "m2", Kind: twofold.KindSoftwareOath, Name: "Personal tablet with a very long name that should wrap nicely", State: twofold.MethodActive},
	}}
	h, err := New(Deps{Signin: fakeSignin{rec}, Sessions: fakeSessions{rec}, SecurityInfo: info, InsecureCookies: true, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	inject := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, c := range r.URL.Query()["c"] {
			r.Header.Add("Cookie", c)
		}
		h.ServeHTTP(w, r)
	})
	t.Log(http.ListenAndServe(addr, httpx.SecurityHeaders(false, httpx.RequestContext(false, inject))))
}
