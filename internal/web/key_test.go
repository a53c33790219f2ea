package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/securityinfo"
)

// keyEnv offers a security key on Add sign-in method.
func keyEnv(t *testing.T) *env {
	e := newEnv(t, false)
	e.info.canAdd = []securityinfo.AddOption{{Kind: twofold.KindFido2, Label: "Security key"}}
	return e
}

func TestAddSecurityKey(t *testing.T) {
	e := keyEnv(t)
	w := e.do("GET", "/my/security-info/add", nil, member)
	wantBody(t, w, http.StatusOK, `name="kind" value="fido2" id="kind" checked`, "Security key")
	wantRedirect(t, e.do("POST", "/my/security-info/add", url.Values{"kind": {"fido2"}}, member), "/my/security-info/key")

	w = e.do("GET", "/my/security-info/key", nil, member)
	wantBody(t, w, http.StatusOK, `data-webauthn="create"`, `<script type="application/json" id="webauthn-options">`,
		`"challenge":"Y2hhbGxlbmdl"`, `name="ceremony" value="cer-1"`, `<input type="hidden" name="credential">`,
		`id="name"`, "Give your security key a name, such as YubiKey 5.", `data-webauthn-start>Continue</button>`,
		`aria-live="polite"`, "<noscript>", "This browser can't use security keys here.", `src="/static/webauthn.`, "defer")
	// The options are data: text in them cannot end the block.
	if body := w.Body.String(); strings.Contains(body, "</script><b>") {
		t.Errorf("the options block can be closed by its content:\n%s", body)
	}
	if len(e.rec.changes()) != 0 {
		t.Fatalf("showing the key step changed something: %q", e.rec.changes())
	}

	// Enter in the name field posts without the browser's answer.
	w = e.do("POST", "/my/security-info/key", url.Values{"ceremony": {"cer-1"}, "name": {"YubiKey 5"}}, member)
	wantBody(t, w, http.StatusBadRequest, "Choose Continue, then follow your browser&#39;s steps", `value="YubiKey 5"`, `value="cer-2"`)
	w = e.do("POST", "/my/security-info/key", url.Values{"ceremony": {"cer-2"}, "name": {""}, "credential": {"good"}}, member)
	wantBody(t, w, http.StatusBadRequest, `id="name-error"`, `aria-invalid="true"`, `value="cer-3"`)
	w = e.do("POST", "/my/security-info/key", url.Values{"ceremony": {"cer-3"}, "name": {"Blue"}, "credential": {"again"}}, member)
	wantBody(t, w, http.StatusConflict, "This security key is already registered.", `value="Blue"`)

	w = e.do("POST", "/my/security-info/key", url.Values{"ceremony": {"cer-4"}, "name": {"YubiKey 5"}, "credential": {"good"}}, member)
	wantRedirect(t, w, "/my/security-info/key/k1/done")
	w = e.do("GET", "/my/security-info/key/k1/done", nil, member)
	wantBody(t, w, http.StatusOK, "Your security key YubiKey 5 was registered.", `href="/my/security-info" autofocus>Done`)
	// Another kind's done page is not a key's.
	wantBody(t, e.do("GET", "/my/security-info/key/m1/done", nil, member), http.StatusNotFound)

	w = e.do("GET", "/my/security-info", nil, member)
	wantBody(t, w, http.StatusOK, "Security key", "YubiKey 5", "Added 4 Mar 2026, 12:00 UTC</span>",
		`href="/my/security-info/methods/k1/rename">Rename`, `href="/my/security-info/methods/k1/delete">Delete`)
	if strings.Contains(w.Body.String(), "/methods/m1/rename") {
		t.Error("an authenticator app has a Rename action")
	}
}

func TestSecurityKeyRefusedAtBeginStaysOnTheChoice(t *testing.T) {
	e := keyEnv(t)
	e.info.keyRefusal = twofold.Errorf(twofold.EFORBIDDEN, "Add another way to sign in before you add a security key.")
	w := e.do("GET", "/my/security-info/key", nil, member)
	wantBody(t, w, http.StatusForbidden, "Add another way to sign in before you add a security key.", `value="fido2"`)
	e.info.keyRefusal = twofold.Errorf(twofold.EUNAVAILABLE, "Security keys aren't available on this address. Use the service's name, such as localhost.")
	w = e.do("GET", "/my/security-info/key", nil, member)
	wantBody(t, w, http.StatusServiceUnavailable, "Security keys aren&#39;t available on this address.")
	wantRedirect(t, e.do("GET", "/my/security-info/key", nil, stale), "/my/verify?next=%2Fmy%2Fsecurity-info%2Fkey")
}

func TestRenameSecurityKey(t *testing.T) {
	e := keyEnv(t)
	e.info.methods = append(e.info.methods, &twofold.Method{ID: "k1", Kind: twofold.KindFido2, Name: "YubiKey 5",
		State: twofold.MethodActive, ActivatedAt: testNow, LastUsedAt: testNow})
	w := e.do("GET", "/my/security-info", nil, member)
	wantBody(t, w, http.StatusOK, "Added 4 Mar 2026, 12:00 UTC, last used 4 Mar 2026, 12:00 UTC")

	w = e.do("GET", "/my/security-info/methods/k1/rename", nil, member)
	wantBody(t, w, http.StatusOK, "Rename security key", `value="YubiKey 5"`, "Save", "Cancel")
	w = e.do("POST", "/my/security-info/methods/k1/rename", url.Values{"name": {" "}}, member)
	wantBody(t, w, http.StatusBadRequest, "Give your security key a name", `aria-invalid="true"`)
	wantRedirect(t, e.do("POST", "/my/security-info/methods/k1/rename", url.Values{"name": {"Desk key"}}, member),
		"/my/security-info?m=renamed")
	wantBody(t, e.do("GET", "/my/security-info?m=renamed", nil, member), http.StatusOK, "Your security key was renamed.", "Desk key")

	// An app is not renamed here, and a stale second factor verifies first.
	wantBody(t, e.do("GET", "/my/security-info/methods/m1/rename", nil, member), http.StatusNotFound)
	wantBody(t, e.do("POST", "/my/security-info/methods/nope/rename", url.Values{"name": {"x"}}, member), http.StatusNotFound)
	wantRedirect(t, e.do("POST", "/my/security-info/methods/k1/rename", url.Values{"name": {"x"}}, stale),
		"/my/verify?next=%2Fmy%2Fsecurity-info%2Fmethods%2Fk1%2Frename")
}
