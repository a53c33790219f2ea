package api

import (
	"net/http"
	"slices"
	"strings"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/httpx"
)

// prefix is where the CLI mounts the API; patterns are full paths.
const prefix = "/api/v1"

// routes is the one table of the API. Each path also gets a method-less pattern,
// which the mux ranks below the method ones, so a wrong method is a JSON 405 with
// an Allow header instead of the mux's plain-text answer.
func (h *handler) routes() http.Handler {
	t := h.table()
	for path, methods := range t.allow {
		allow := strings.Join(methods, ", ")
		refuse := func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Allow", allow)
			h.fail(w, r, errMethod)
		}
		if !t.shadows(path) {
			t.mux.HandleFunc(prefix+path, refuse)
			continue
		}
		// A literal path beside a wildcard one (…/fido2Methods/creationOptions
		// beside …/fido2Methods/{id}) cannot have a method-less pattern: the mux
		// ranks neither above the other. It refuses each other method by name.
		for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
			if !slices.Contains(methods, m) {
				t.mux.HandleFunc(m+" "+prefix+path, refuse)
			}
		}
	}
	t.mux.HandleFunc(prefix+"/", func(w http.ResponseWriter, r *http.Request) {
		h.fail(w, r, errNoRoute)
	})
	return t.mux
}

// table registers every call; docs/openapi.yaml lists the same paths and methods
// (TestOpenAPIMatchesRoutes).
func (h *handler) table() *table {
	t := &table{mux: http.NewServeMux(), allow: map[string][]string{}}

	// Sign-in flow (signin.go, signinphone.go, signinregister.go). The flow ID is a
	// bearer secret from POST /signin.
	t.handle("POST", "/signin", h.signinPassword)
	t.handle("GET", "/signin/{flowId}", h.signinStatus)
	t.handle("DELETE", "/signin/{flowId}", h.signinCancel)
	t.handle("POST", "/signin/{flowId}/verify", h.signinVerify)
	t.handle("POST", "/signin/{flowId}/challenge", h.signinChoose)
	t.handle("GET", "/signin/{flowId}/challenge", h.signinChallenge)
	t.handle("POST", "/signin/{flowId}/call/complete", h.signinCompleteCall)
	t.handle("POST", "/signin/{flowId}/softwareOathMethods", h.signinBeginApp)
	t.handle("POST", "/signin/{flowId}/softwareOathMethods/{id}/activate", h.signinActivateApp)
	t.handle("POST", "/signin/{flowId}/phoneMethods", h.signinBeginPhone)
	t.handle("GET", "/signin/{flowId}/phoneMethods/verification", h.signinPhoneVerification)
	t.handle("POST", "/signin/{flowId}/phoneMethods/verification/complete", h.signinCompletePhone)
	t.handle("POST", "/signin/{flowId}/fido2/options", h.signinKeyOptions) // fido2.go
	t.handle("POST", "/signin/{flowId}/fido2", h.signinKey)
	t.handle("POST", "/signin/{flowId}/password", h.signinNewPassword) // signin_newpassword.go
	t.handle("POST", "/signin/passkey/options", h.passkeyOptions)
	t.handle("POST", "/signin/passkey", h.passkey)

	// Self-service password reset (reset.go). The attempt ID is a bearer secret
	// from POST /reset.
	t.handle("GET", "/reset/challenge", h.resetChallenge) // pow.go
	t.handle("POST", "/reset", h.resetOn(h.resetStart))
	t.handle("GET", "/reset/{attemptId}", h.resetOn(h.resetStatus))
	t.handle("POST", "/reset/{attemptId}/step", h.resetOn(h.resetStep))
	t.handle("POST", "/reset/{attemptId}/verify", h.resetOn(h.resetVerify))
	t.handle("POST", "/reset/{attemptId}/password", h.resetOn(h.resetPassword))

	// A "This wasn't me" report from the link in a notice (report.go); the
	// token is the link's, no session needed.
	t.handle("POST", "/report", h.report)

	// The signed-in member (me.go, methods.go, phones.go, sessions.go); bearer token required.
	t.handle("GET", "/me", h.member(h.me))
	t.handle("GET", "/me/registration", h.member(h.getRegistration)) // registration.go
	t.handle("POST", "/me/registration/snooze", h.member(h.snoozeRegistration))
	t.handle("GET", "/me/authentication/methods", h.member(h.listMethods))
	t.handle("DELETE", "/me/authentication/methods/{id}", h.member(h.deleteMethod))
	t.handle("POST", "/me/authentication/softwareOathMethods", h.member(h.beginApp))
	t.handle("GET", "/me/authentication/softwareOathMethods/{id}", h.member(h.getApp))
	t.handle("POST", "/me/authentication/softwareOathMethods/{id}/activate", h.member(h.activateApp))
	t.handle("GET", "/me/authentication/phoneMethods", h.member(h.listPhones))
	t.handle("POST", "/me/authentication/phoneMethods", h.member(h.addPhone))
	t.handle("GET", "/me/authentication/phoneMethods/{id}", h.member(h.getPhone))
	t.handle("PATCH", "/me/authentication/phoneMethods/{id}", h.member(h.changePhone))
	t.handle("DELETE", "/me/authentication/phoneMethods/{id}", h.member(h.deletePhone))
	t.handle("GET", "/me/authentication/securityQuestionMethods", h.member(h.listQuestionMethods)) // questions.go
	t.handle("POST", "/me/authentication/securityQuestionMethods", h.member(h.saveQuestionMethod))
	t.handle("DELETE", "/me/authentication/securityQuestionMethods/{id}", h.member(h.deleteQuestionMethod))
	t.handle("GET", "/securityQuestions", h.member(h.listOfferedQuestions))
	t.handle("GET", "/me/authentication/phoneMethods/verifications/{verificationId}", h.member(h.getPhoneVerification))
	t.handle("POST", "/me/authentication/phoneMethods/verifications/{verificationId}/complete", h.member(h.completePhoneVerification))
	t.handle("GET", "/me/authentication/emailMethods", h.member(h.listEmails)) // email.go
	t.handle("POST", "/me/authentication/emailMethods", h.member(h.addEmail))
	t.handle("GET", "/me/authentication/emailMethods/{id}", h.member(h.getEmail))
	t.handle("PATCH", "/me/authentication/emailMethods/{id}", h.member(h.changeEmail))
	t.handle("DELETE", "/me/authentication/emailMethods/{id}", h.member(h.deleteEmail))
	t.handle("POST", "/me/authentication/emailMethods/{id}/verify", h.member(h.verifyEmail))
	t.handle("GET", "/me/authentication/fido2Methods", h.member(h.listKeys)) // fido2.go
	t.handle("POST", "/me/authentication/fido2Methods", h.member(h.addKey))
	t.handle("POST", "/me/authentication/fido2Methods/creationOptions", h.member(h.beginKey))
	t.handle("GET", "/me/authentication/fido2Methods/{id}", h.member(h.getKey))
	t.handle("PATCH", "/me/authentication/fido2Methods/{id}", h.member(h.renameKey))
	t.handle("DELETE", "/me/authentication/fido2Methods/{id}", h.member(h.deleteKey))
	t.handle("POST", "/me/password", h.member(h.changePassword)) // password.go
	t.handle("GET", "/me/authentication/signInPreferences", h.member(h.getPreferences))
	t.handle("PATCH", "/me/authentication/signInPreferences", h.member(h.setPreferences))

	// Verifying again (reverify.go): no fresh second factor needed.
	t.handle("POST", "/me/authentication/verify", h.member(h.reverify))
	t.handle("GET", "/me/authentication/verify/options", h.member(h.reverifyOptions))
	t.handle("POST", "/me/authentication/verify/challenge", h.member(h.reverifyChallenge))
	t.handle("GET", "/me/authentication/verify/challenge", h.member(h.reverifyStatus))
	t.handle("POST", "/me/authentication/verify/call", h.member(h.reverifyCall))
	t.handle("POST", "/me/authentication/verify/fido2/options", h.member(h.reverifyKeyOptions)) // fido2_reverify.go
	t.handle("POST", "/me/authentication/verify/fido2", h.member(h.reverifyKey))

	t.handle("GET", "/me/sessions", h.member(h.listSessions))
	t.handle("POST", "/me/signOut", h.member(h.signOut))
	t.handle("POST", "/me/revokeSignInSessions", h.member(h.revokeSessions))
	// Sign-in with a Temporary Access Pass (signin_tap.go).
	h.tapSigninRoutes(t)
	// The admin API for API tokens (admin_*.go).
	h.adminRoutes(t)
	return t
}

// errMethod and errNoRoute answer requests that match no route. httpx has no
// code for 405, so fail writes errMethod itself.
var (
	errMethod  = twofold.Errorf(codeMethodNotAllowed, "This address doesn't accept that HTTP method; see the Allow header.")
	errNoRoute = twofold.Errorf(twofold.ENOTFOUND, "There is no API call at this address.")
)

// codeMethodNotAllowed is the one error code of the API that is not a domain code:
// it describes the request's shape, not an outcome of a use case.
const codeMethodNotAllowed = "method_not_allowed"

// table registers routes and remembers each path's methods for the 405 answer.
type table struct {
	mux   *http.ServeMux
	allow map[string][]string
}

func (t *table) handle(method, path string, f http.HandlerFunc) {
	t.mux.HandleFunc(method+" "+prefix+path, f)
	if method == http.MethodGet {
		t.allow[path] = append(t.allow[path], http.MethodHead)
	}
	t.allow[path] = append(t.allow[path], method)
	slices.Sort(t.allow[path])
}

// fail writes err as the API's JSON error. A stale second factor gets a message
// that tells a native client which call re-verifies; an unknown code (only
// errMethod) is written as 405 here, because httpx would call it internal.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	switch twofold.ErrorCode(err) {
	case codeMethodNotAllowed:
		httpx.WriteJSON(w, http.StatusMethodNotAllowed, httpx.ErrorBody{Error: httpx.ErrorDetail{
			Code: codeMethodNotAllowed, Message: twofold.ErrorMessage(err),
		}})
		return
	case twofold.EREAUTH:
		err = &twofold.Error{Code: twofold.EREAUTH, Err: err,
			Message: "For your security, verify your identity again: send a current code to POST " +
				prefix + "/me/authentication/verify (for a text or call, start with POST " + prefix +
				"/me/authentication/verify/challenge), then repeat this request."}
	}
	httpx.WriteJSONError(w, r, h.log, err)
}

// shadows reports whether a wildcard path of the table also matches path.
func (t *table) shadows(path string) bool {
	segs := strings.Split(path, "/")
	for other := range t.allow {
		o := strings.Split(other, "/")
		if other == path || len(o) != len(segs) {
			continue
		}
		match := true
		for i := range o {
			wild := strings.HasPrefix(o[i], "{")
			match = match && (o[i] == segs[i] || (wild && !strings.HasPrefix(segs[i], "{")))
		}
		if match {
			return true
		}
	}
	return false
}
