package web

import (
	"net/http"
	"net/url"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/phone"
	"github.com/twofold-id/twofold/internal/securityinfo"
)

// phoneVerifyView proves a new number: the texted code, or the call.
type phoneVerifyView struct {
	Page
	Challenge *twofold.Challenge
	Number    string // "+1 4255551234"
	// Extension is the extension removed from what the member typed, told once.
	Extension string
	Code      string
	Back      string
	Wait      callWait
}

func (phoneVerifyView) template() string { return "phone-verify" }

// Text reports whether the number gets a texted code (else a call).
func (v phoneVerifyView) Text() bool { return v.Challenge.Channel == twofold.ChannelSMS }

// Waiting reports whether the call is still going or waits to be taken.
func (v phoneVerifyView) Waiting() bool { return waiting(v.Challenge) }

// Failed reports whether the text or call can no longer prove the number.
func (v phoneVerifyView) Failed() bool {
	return v.Challenge.State == twofold.ChallengeFailed || v.Challenge.State == twofold.ChallengeFraud
}

// Fraud reports whether the member reported the call as fraud.
func (v phoneVerifyView) Fraud() bool { return v.Challenge.State == twofold.ChallengeFraud }

// Reason says why it failed.
func (v phoneVerifyView) Reason() string { return callMessage(v.Challenge, v.Number, fraudAccount) }

// phoneDoneView says the number was verified and saved.
type phoneDoneView struct {
	Page
	Verified string // "SMS verified." or "Call answered."
	Outcome  string // "Your phone was registered successfully." or "Your phone number was changed."
	Number   string
}

func (phoneDoneView) template() string { return "phone-done" }

func phoneVerifyPath(id string) string { return "/my/security-info/phone/" + url.PathEscape(id) }

func (h *handler) phoneVerifyPage(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	ch, err := h.SecurityInfo.PhoneStatus(r.Context(), p, r.PathValue("challenge"))
	if err != nil {
		h.phoneFail(w, r, err)
		return
	}
	if ch.State == twofold.ChallengeUsed {
		http.Redirect(w, r, phoneVerifyPath(ch.ID)+"/done", http.StatusSeeOther)
		return
	}
	v := newPhoneVerifyView(p, ch)
	if ext := r.URL.Query().Get("ext"); digitsOnly(ext) {
		v.Extension = ext
	}
	v.Notice = resentNotice(r)
	h.render(w, r, http.StatusOK, v)
}

func newPhoneVerifyView(p *twofold.Principal, ch *twofold.Challenge) phoneVerifyView {
	title := "Phone"
	if ch.MethodID != "" {
		title = "Change phone number"
	}
	v := phoneVerifyView{Page: accountPage(p, title, "security-info"), Challenge: ch, Number: phone.DisplayE164(ch.PhoneNumber),
		Back: "/my/security-info/phone"}
	if ch.MethodID != "" {
		v.Back = "/my/security-info/methods/" + url.PathEscape(ch.MethodID) + "/change"
	}
	v.Wait = callWait{StatusURL: phoneVerifyPath(ch.ID) + "/status", FormID: "finish-form",
		Message: callMessage(ch, v.Number, fraudAccount)}
	return v
}

// phoneVerifySubmit is Next with the texted code, or the call's form (submitted
// by the script once the call got "#", or by "I've answered the call").
func (h *handler) phoneVerifySubmit(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	id, code := r.PathValue("challenge"), r.PostFormValue("code")
	_, err := h.SecurityInfo.FinishPhone(r.Context(), p, id, code)
	switch {
	case err == nil:
		http.Redirect(w, r, phoneVerifyPath(id)+"/done", http.StatusSeeOther)
		return
	case hardFailure(err) || twofold.ErrorCode(err) == twofold.EREAUTH:
		h.phoneFail(w, r, err)
		return
	}
	// The script and the button can both finish one call: the loser is told "no
	// call waiting", but the number was saved, so it goes to the same done page.
	if ch, serr := h.SecurityInfo.PhoneStatus(r.Context(), p, id); serr == nil && ch.State == twofold.ChallengeUsed {
		http.Redirect(w, r, phoneVerifyPath(id)+"/done", http.StatusSeeOther)
		return
	}
	if twofold.ErrorCode(err) == twofold.ENOTFOUND {
		h.phoneFail(w, r, err)
		return
	}
	if !r.PostForm.Has("code") && callRedirects(err) {
		// The call's form: the page shows the call as it stands.
		http.Redirect(w, r, afterCall(phoneVerifyPath(id), err), http.StatusSeeOther)
		return
	}
	h.renderPhoneVerify(w, r, p, id, formStatus(w, err), code, err)
}

// renderPhoneVerify shows the verification step again with the problem err.
func (h *handler) renderPhoneVerify(w http.ResponseWriter, r *http.Request, p *twofold.Principal, id string, status int, code string, problem error) {
	ch, err := h.SecurityInfo.PhoneStatus(r.Context(), p, id)
	if err != nil {
		h.phoneFail(w, r, err)
		return
	}
	v := newPhoneVerifyView(p, ch)
	if v.Text() && !v.Failed() {
		v.Code = code
		v.Errors = errorsFrom(problem, "code", "code")
	} else {
		v.Errors = errorsFrom(problem, "")
	}
	h.render(w, r, status, v)
}

// phoneResend texts a new code or calls again, to the number, phone type and
// channel of the verification on the page. They are read from the use case, not
// from the form, so a resend cannot be pointed at another number.
func (h *handler) phoneResend(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	id := r.PathValue("challenge")
	ch, err := h.SecurityInfo.PhoneStatus(r.Context(), p, id)
	if err != nil {
		h.phoneFail(w, r, err)
		return
	}
	started, err := h.SecurityInfo.BeginPhone(r.Context(), p, securityinfo.PhoneRequest{
		Type: ch.PhoneType, Number: ch.PhoneNumber, Channel: ch.Channel, MethodID: ch.MethodID,
	})
	switch {
	case err == nil:
		http.Redirect(w, r, phoneVerifyPath(started.Challenge.ID)+"?m="+resentKey(ch.Channel), http.StatusSeeOther)
	case pageFailure(err) || twofold.ErrorCode(err) == twofold.EREAUTH:
		h.securityFail(w, r, err)
	default:
		h.renderPhoneVerify(w, r, p, id, formStatus(w, err), "", err)
	}
}

// phoneCancel is Cancel while a call rings: it is hung up, then back to the list.
func (h *handler) phoneCancel(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	if err := h.SecurityInfo.CancelPhone(r.Context(), p, r.PathValue("challenge")); err != nil {
		h.phoneFail(w, r, err)
		return
	}
	http.Redirect(w, r, "/my/security-info", http.StatusSeeOther)
}

// phoneStatus is the waiting page's JSON: where the verification call stands.
func (h *handler) phoneStatus(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	ch, err := h.SecurityInfo.PhoneStatus(r.Context(), p, r.PathValue("challenge"))
	var st callStatus
	if err == nil {
		st = newCallStatus(ch, phone.DisplayE164(ch.PhoneNumber), fraudAccount)
	}
	h.writeStatus(w, r, st, err)
}

func (h *handler) phoneDone(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	ch, err := h.SecurityInfo.PhoneStatus(r.Context(), p, r.PathValue("challenge"))
	if err != nil {
		h.phoneFail(w, r, err)
		return
	}
	if ch.State != twofold.ChallengeUsed {
		http.Redirect(w, r, phoneVerifyPath(ch.ID), http.StatusSeeOther)
		return
	}
	v := phoneDoneView{Page: accountPage(p, "Phone registered", "security-info"), Verified: "Call answered.",
		Outcome: "Your phone was registered successfully.", Number: phone.DisplayE164(ch.PhoneNumber)}
	if ch.Channel == twofold.ChannelSMS {
		v.Verified = "SMS verified."
	}
	if ch.MethodID != "" {
		v.Title, v.Outcome = "Phone number changed", "Your phone number was changed."
	}
	h.render(w, r, http.StatusOK, v)
}
