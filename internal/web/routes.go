package web

import "net/http"

// routes is the one table of every page. GET never changes state; every change is
// a POST, protected from other sites by httpx.CrossOrigin around this handler.
func (h *handler) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /static/{file}", h.assets.serve)
	mux.HandleFunc("GET /{$}", h.home)
	h.resetRoutes(mux) // reset.go
	h.powRoutes(mux)   // pow.go
	// A temporary password replaced at sign-in (signin_newpassword.go).
	h.newPasswordRoutes(mux)
	// Change password (password.go).
	h.passwordRoutes(mux)
	// The "This wasn't me" links of notices (report.go).
	h.reportRoutes(mux)
	// Sign-in with a Temporary Access Pass (signin_tap.go).
	h.tapSigninRoutes(mux)
	// The admin console: members and passes (admin_members.go), policy, audit
	// log and registration report (admin_policy.go, admin_audit.go,
	// admin_report.go).
	h.memberConsoleRoutes(mux)
	h.policyConsoleRoutes(mux)

	// Sign-in (signin.go, verify.go, signinkey.go, signincall.go, register.go, registerphone.go,
	// signout.go).
	mux.HandleFunc("GET /signin", h.signinPage)
	mux.HandleFunc("POST /signin", h.signinSubmit)
	mux.HandleFunc("GET /signin/verify", h.verifyPage)
	mux.HandleFunc("POST /signin/verify", h.verifySubmit)
	mux.HandleFunc("GET /signin/key", h.signinKeyPage)
	mux.HandleFunc("POST /signin/key", h.signinKeySubmit)
	mux.HandleFunc("POST /signin/passkey", h.passkeySubmit)
	mux.HandleFunc("GET /signin/other", h.otherPage)
	mux.HandleFunc("POST /signin/choose", h.chooseSubmit)
	mux.HandleFunc("GET /signin/call/status", h.signinCallStatus)
	mux.HandleFunc("POST /signin/call", h.callSubmit)
	mux.HandleFunc("GET /signin/register", h.registerPage)
	mux.HandleFunc("POST /signin/register", h.registerBegin)
	mux.HandleFunc("POST /signin/register/app", h.registerFinish)
	mux.HandleFunc("GET /signin/register/phone", h.registerPhonePage)
	mux.HandleFunc("POST /signin/register/phone", h.registerPhoneSubmit)
	mux.HandleFunc("GET /signin/register/phone/verify", h.registerVerifyPage)
	mux.HandleFunc("POST /signin/register/phone/verify", h.registerVerifySubmit)
	mux.HandleFunc("POST /signin/register/phone/resend", h.registerPhoneResend)
	mux.HandleFunc("GET /signin/register/phone/status", h.registerPhoneStatus)
	mux.HandleFunc("GET /signin/register/done", h.member(h.registerDone))
	mux.HandleFunc("POST /signin/cancel", h.signinCancel)
	mux.HandleFunc("POST /signout", h.signout)

	// My Account (overview.go, securityinfo.go, default.go, add.go, phone.go,
	// phoneverify.go, key.go, delete.go, reverify.go, sessions.go).
	mux.HandleFunc("GET /my", h.member(h.overview))
	mux.HandleFunc("GET /my/register", h.member(h.campaignPage)) // campaign.go
	mux.HandleFunc("POST /my/register/snooze", h.member(h.campaignSnooze))
	mux.HandleFunc("GET /my/verify", h.member(h.reverifyPage))
	mux.HandleFunc("POST /my/verify", h.member(h.reverifySubmit))
	mux.HandleFunc("POST /my/verify/phone", h.member(h.reverifyPhone))
	mux.HandleFunc("GET /my/verify/status", h.member(h.reverifyStatus))
	mux.HandleFunc("POST /my/verify/call", h.member(h.reverifyCall))
	mux.HandleFunc("POST /my/verify/cancel", h.member(h.reverifyCancel))
	mux.HandleFunc("GET /my/verify/key", h.member(h.reverifyKeyPage))
	mux.HandleFunc("POST /my/verify/key", h.member(h.reverifyKeySubmit))
	mux.HandleFunc("GET /my/security-info", h.member(h.securityInfo))
	mux.HandleFunc("GET /my/security-info/default", h.member(h.defaultPage))
	mux.HandleFunc("POST /my/security-info/default", h.member(h.defaultSubmit))
	mux.HandleFunc("GET /my/security-info/add", h.member(h.addPage))
	mux.HandleFunc("POST /my/security-info/add", h.member(h.addSubmit))
	mux.HandleFunc("GET /my/security-info/app/{id}", h.member(h.appPage))
	mux.HandleFunc("POST /my/security-info/app/{id}", h.member(h.appSubmit))
	mux.HandleFunc("GET /my/security-info/app/{id}/done", h.member(h.appDone))
	mux.HandleFunc("GET /my/security-info/phone", h.member(h.phonePage))
	mux.HandleFunc("POST /my/security-info/phone", h.member(h.phoneSubmit))
	mux.HandleFunc("GET /my/security-info/methods/{id}/change", h.member(h.phonePage))
	mux.HandleFunc("POST /my/security-info/methods/{id}/change", h.member(h.phoneSubmit))
	mux.HandleFunc("GET /my/security-info/phone/{challenge}", h.member(h.phoneVerifyPage))
	mux.HandleFunc("POST /my/security-info/phone/{challenge}", h.member(h.phoneVerifySubmit))
	mux.HandleFunc("POST /my/security-info/phone/{challenge}/resend", h.member(h.phoneResend))
	mux.HandleFunc("POST /my/security-info/phone/{challenge}/cancel", h.member(h.phoneCancel))
	mux.HandleFunc("GET /my/security-info/phone/{challenge}/status", h.member(h.phoneStatus))
	mux.HandleFunc("GET /my/security-info/phone/{challenge}/done", h.member(h.phoneDone))
	mux.HandleFunc("GET /my/security-info/email", h.member(h.emailPage))
	mux.HandleFunc("POST /my/security-info/email", h.member(h.emailSubmit))
	mux.HandleFunc("GET /my/security-info/email/change/{id}", h.member(h.emailPage))
	mux.HandleFunc("POST /my/security-info/email/change/{id}", h.member(h.emailSubmit))
	mux.HandleFunc("GET /my/security-info/email/code/{challenge}", h.member(h.emailCodePage))
	mux.HandleFunc("POST /my/security-info/email/code/{challenge}", h.member(h.emailCodeSubmit))
	mux.HandleFunc("POST /my/security-info/email/code/{challenge}/resend", h.member(h.emailResend))
	mux.HandleFunc("GET /my/security-info/email/code/{challenge}/done", h.member(h.emailDone))
	mux.HandleFunc("GET /my/security-info/key", h.member(h.keyPage))
	mux.HandleFunc("POST /my/security-info/key", h.member(h.keySubmit))
	mux.HandleFunc("GET /my/security-info/key/{id}/done", h.member(h.keyDone))
	mux.HandleFunc("GET "+questionsPath, h.member(h.questionsPage))
	mux.HandleFunc("POST "+questionsPath, h.member(h.questionsSubmit))
	mux.HandleFunc("GET "+questionsPath+"/done", h.member(h.questionsDone))
	mux.HandleFunc("GET /my/security-info/methods/{id}/rename", h.member(h.renamePage))
	mux.HandleFunc("POST /my/security-info/methods/{id}/rename", h.member(h.renameSubmit))
	mux.HandleFunc("GET /my/security-info/methods/{id}/delete", h.member(h.deletePage))
	mux.HandleFunc("POST /my/security-info/methods/{id}/delete", h.member(h.deleteSubmit))
	mux.HandleFunc("GET /my/sessions", h.member(h.sessions))
	mux.HandleFunc("POST /my/sessions/sign-out-everywhere", h.member(h.signOutEverywhere))

	// The development outbox (outbox.go): only when one is configured, so in
	// production every /dev/ path is the plain 404 below.
	if h.Outbox != nil {
		mux.HandleFunc("GET /dev/outbox", h.outboxPage)
		mux.HandleFunc("GET /dev/outbox/messages", h.outboxMessages)
		mux.HandleFunc("POST /dev/outbox/calls/{id}/answer", h.outboxAnswer)
		mux.HandleFunc("POST /dev/outbox/calls/{id}/press", h.outboxPress)
		mux.HandleFunc("POST /dev/outbox/calls/{id}/hangup", h.outboxHangUp)
	}

	mux.HandleFunc("/", h.notFound)
	return limitForms(mux)
}

// maxForm bounds a form post. Every form here is a few short fields; a larger body
// is cut off, its fields read as empty, and the page asks for them again.
const maxForm = 64 << 10

// limitForms caps request bodies, so a form post cannot make the server read and
// parse megabytes (net/http alone would accept 10 MB).
func limitForms(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxForm)
		next.ServeHTTP(w, r)
	})
}

// home sends people to their account; /my sends them on to sign in if needed.
func (h *handler) home(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/my", http.StatusSeeOther)
}
