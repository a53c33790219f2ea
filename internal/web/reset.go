package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/httpx"
	"github.com/twofold-id/twofold/internal/reset"
)

// Reset is self-service password reset as the pages call it (*reset.Service).
// The attempt ID travels in its own cookie, like a sign-in's flow ID.
type Reset interface {
	// Start returns an attempt ID for any name after the proof of work;
	// EINVALID for a malformed name or refused proof, ERATELIMIT past a limit.
	Start(ctx context.Context, username, proofOfWork string, c twofold.Client) (string, error)
	// Attempt is the method step; EEXPIRED for an attempt that is gone.
	Attempt(ctx context.Context, id string) (*reset.View, error)
	// Begin starts a step; EINVALID on "target" for a number or address that
	// doesn't match.
	Begin(ctx context.Context, id, choice, target string, c twofold.Client) (*reset.View, error)
	// Verify answers the step under way; ECONFLICT while a call still rings.
	Verify(ctx context.Context, id string, ans reset.Answer, c twofold.Client) (*reset.View, error)
	// SetPassword replaces the password once verified; EINVALID on
	// "password" or "confirm" with the reason.
	SetPassword(ctx context.Context, id, password, confirm string, c twofold.Client) error
}

var _ Reset = (*reset.Service)(nil)

// resetTitle is the heading of every reset card.
const resetTitle = "Get back into your account"

// resetCookie names the cookie holding the attempt ID, with the same prefix
// rules as the flow cookie.
func (h *handler) resetCookie() string {
	if h.cookies.secure {
		return "__Host-twofold_reset"
	}
	return "twofold_reset"
}

func (h *handler) setReset(w http.ResponseWriter, id string) {
	h.cookies.set(w, h.resetCookie(), id, int(flowLifetime.Seconds()))
}

func (h *handler) clearReset(w http.ResponseWriter) { h.cookies.set(w, h.resetCookie(), "", -1) }

// resetStartView is the user name card.
type resetStartView struct {
	Page
	Username string
}

func (resetStartView) template() string { return "reset" }

func (h *handler) resetPage(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, resetStartView{Page: Page{Title: resetTitle, Notice: resetNotice(r.URL.Query().Get("m"))}})
}

// resetNotice is the sentence a restart shows.
func resetNotice(key string) string {
	if key == "expired" {
		return "Your password reset expired. Please start again."
	}
	return ""
}

func (h *handler) resetSubmit(w http.ResponseWriter, r *http.Request) {
	username := r.PostFormValue("username")
	id, err := h.Reset.Start(r.Context(), username, r.PostFormValue("proofOfWork"), httpx.Client(r))
	if err != nil {
		if hardFailure(err) {
			h.fail(w, r, err)
			return
		}
		v := resetStartView{Page: Page{Title: resetTitle, Errors: errorsFrom(err, "", "username")}, Username: username}
		h.render(w, r, formStatus(w, err), v)
		return
	}
	h.setReset(w, id)
	http.Redirect(w, r, "/reset/verify", http.StatusSeeOther)
}

// resetContactView tells someone who can't reset here whom to contact. An
// unknown name gets the same card.
type resetContactView struct {
	Page
	Message string
}

func (resetContactView) template() string { return "reset-contact" }

// resetChooseView lists the ways left to verify.
type resetChooseView struct {
	Page
	View *reset.View
}

func (resetChooseView) template() string { return "reset-choose" }

// resetTargetView asks for the whole number or address before a send.
type resetTargetView struct {
	Page
	Option reset.Option
	Target string
}

func (resetTargetView) template() string { return "reset-target" }

// resetStepView is the step under way: a code, a call, a key or questions.
type resetStepView struct {
	Page
	Step  *reset.Step
	Code  string
	Wait  *callWait
	Count string // "Step 1 of 2"
	// KeyOptions are the key login's options, for webauthn.js.
	KeyOptions json.RawMessage
	// Questions are the security questions asked, each with its input's name.
	Questions []questionField
}

// questionField is one security question asked and the input answering it.
type questionField struct {
	Field    string
	Question string
}

func (resetStepView) template() string { return "reset-step" }

// resetPasswordView asks for the new password twice.
type resetPasswordView struct {
	Page
	MinLength int
	// Words joins the names the password may not contain with "|", for
	// password-rules.js.
	Words string
}

func (resetPasswordView) template() string { return "reset-password" }

// resetDoneView says the password was reset; nobody is signed in.
type resetDoneView struct{ Page }

func (resetDoneView) template() string { return "reset-done" }

// attempt loads the attempt named by the cookie; without one, or when it is
// gone, the browser goes back to the start and nil is returned.
func (h *handler) attempt(w http.ResponseWriter, r *http.Request) (string, *reset.View) {
	id := value(r, h.resetCookie())
	if id == "" {
		http.Redirect(w, r, "/reset", http.StatusSeeOther)
		return "", nil
	}
	v, err := h.Reset.Attempt(r.Context(), id)
	if err != nil {
		h.resetFail(w, r, err)
		return "", nil
	}
	return id, v
}

// resetFail answers an error no form shows: a gone attempt restarts.
func (h *handler) resetFail(w http.ResponseWriter, r *http.Request, err error) {
	if twofold.ErrorCode(err) == twofold.EEXPIRED && err == reset.ErrGone {
		h.clearReset(w)
		http.Redirect(w, r, "/reset?m=expired", http.StatusSeeOther)
		return
	}
	if twofold.ErrorCode(err) == twofold.EFORBIDDEN {
		h.clearReset(w)
		h.render(w, r, http.StatusForbidden, resetContactView{Page: Page{Title: resetTitle}, Message: twofold.ErrorMessage(err)})
		return
	}
	h.fail(w, r, err)
}

// resetVerifyPage shows the method step, or the step under way, or moves on
// to the new password once enough methods are proven.
func (h *handler) resetVerifyPage(w http.ResponseWriter, r *http.Request) {
	_, v := h.attempt(w, r)
	if v == nil {
		return
	}
	h.renderReset(w, r, http.StatusOK, v, r.URL.Query().Get("choose") != "", "", nil)
}

// renderReset shows where the attempt stands; choose asks for the list even
// with a step under way ("Verify another way").
func (h *handler) renderReset(w http.ResponseWriter, r *http.Request, status int, v *reset.View, choose bool, code string, errs formErrors) {
	switch {
	case !v.Eligible:
		h.render(w, r, status, resetContactView{Page: Page{Title: resetTitle}, Message: twofold.ErrorMessage(v.Refusal)})
	case v.State == twofold.ResetVerified:
		http.Redirect(w, r, "/reset/password", http.StatusSeeOther)
	case v.Step != nil && !choose:
		sv := resetStepView{Page: Page{Title: resetTitle, Errors: errs}, Step: v.Step, Code: code,
			Count: stepCount(v), KeyOptions: v.Step.KeyOptions}
		for i, q := range v.Step.Questions {
			sv.Questions = append(sv.Questions, questionField{Field: answerField(i), Question: q})
		}
		if ch := v.Step.Challenge; ch != nil && ch.Channel == twofold.ChannelVoice {
			sv.Wait = &callWait{StatusURL: "/reset/call/status", FormID: "call-form", Message: callMessage(ch, v.Step.Masked, fraudAccount)}
		}
		h.render(w, r, status, sv)
	default:
		h.render(w, r, status, resetChooseView{Page: Page{Title: resetTitle, Errors: errs}, View: v})
	}
}

func stepCount(v *reset.View) string {
	if v.Required < 2 {
		return ""
	}
	return "Step " + strconv.Itoa(v.Proven+1) + " of " + strconv.Itoa(v.Required)
}

// resetChoose starts the chosen option, first asking for the whole number or
// address where one is needed.
func (h *handler) resetChoose(w http.ResponseWriter, r *http.Request) {
	id, v := h.attempt(w, r)
	if v == nil {
		return
	}
	choice := r.PostFormValue("choice")
	for _, o := range v.Options {
		if o.Choice == choice && o.NeedsTarget() {
			h.render(w, r, http.StatusOK, resetTargetView{Page: Page{Title: resetTitle}, Option: o})
			return
		}
	}
	h.resetBegin(w, r, id, v, choice, "")
}

// resetStep sends the text, call or mail once the whole number or address
// was typed.
func (h *handler) resetStep(w http.ResponseWriter, r *http.Request) {
	id, v := h.attempt(w, r)
	if v == nil {
		return
	}
	h.resetBegin(w, r, id, v, r.PostFormValue("choice"), r.PostFormValue("target"))
}

func (h *handler) resetBegin(w http.ResponseWriter, r *http.Request, id string, v *reset.View, choice, target string) {
	nv, err := h.Reset.Begin(r.Context(), id, choice, target, httpx.Client(r))
	if err == nil {
		h.renderReset(w, r, http.StatusOK, nv, false, "", nil)
		return
	}
	if hardFailure(err) || err == reset.ErrGone || twofold.ErrorCode(err) == twofold.EFORBIDDEN {
		h.resetFail(w, r, err)
		return
	}
	if twofold.ErrorField(err) == "target" {
		for _, o := range v.Options {
			if o.Choice == choice {
				tv := resetTargetView{Page: Page{Title: resetTitle, Errors: errorsFrom(err, "target", "target")}, Option: o, Target: target}
				h.render(w, r, formStatus(w, err), tv)
				return
			}
		}
	}
	h.renderReset(w, r, formStatus(w, err), v, true, "", errorsFrom(err, ""))
}

// resetVerifySubmit answers the step under way.
func (h *handler) resetVerifySubmit(w http.ResponseWriter, r *http.Request) {
	id, v := h.attempt(w, r)
	if v == nil {
		return
	}
	ans := reset.Answer{Code: r.PostFormValue("code"), CeremonyID: r.PostFormValue("ceremony"), Credential: r.PostFormValue("credential")}
	if v.Step != nil && len(v.Step.Questions) > 0 {
		ans.Answers = map[string]string{}
		for i, q := range v.Step.Questions {
			ans.Answers[q] = r.PostFormValue(answerField(i))
		}
	}
	nv, err := h.Reset.Verify(r.Context(), id, ans, httpx.Client(r))
	if err == nil {
		h.renderReset(w, r, http.StatusOK, nv, false, "", nil)
		return
	}
	if hardFailure(err) || err == reset.ErrGone || twofold.ErrorCode(err) == twofold.EFORBIDDEN {
		h.resetFail(w, r, err)
		return
	}
	// Shown again on the step: a wrong code, a call still ringing, a block.
	if fresh, ferr := h.Reset.Attempt(r.Context(), id); ferr == nil {
		v = fresh
	}
	h.renderReset(w, r, formStatus(w, err), v, false, ans.Code, errorsFrom(err, "", "code", "answers"))
}

// answerField names the input of the i-th security question.
func answerField(i int) string { return "answer" + strconv.Itoa(i+1) }

// resetCallStatus is the JSON the call-wait script polls.
func (h *handler) resetCallStatus(w http.ResponseWriter, r *http.Request) {
	id := value(r, h.resetCookie())
	v, err := h.Reset.Attempt(r.Context(), id)
	if err != nil || v.Step == nil || v.Step.Challenge == nil {
		httpx.WriteJSON(w, http.StatusOK, callStatus{Message: reasonUnknown, Done: true})
		return
	}
	httpx.WriteJSON(w, http.StatusOK, newCallStatus(v.Step.Challenge, v.Step.Masked, fraudAccount))
}

func (h *handler) resetPasswordPage(w http.ResponseWriter, r *http.Request) {
	_, v := h.attempt(w, r)
	if v == nil {
		return
	}
	if !v.Eligible || v.State != twofold.ResetVerified {
		h.renderReset(w, r, http.StatusOK, v, false, "", nil)
		return
	}
	h.render(w, r, http.StatusOK, resetPasswordView{Page: Page{Title: "Choose a new password"}, MinLength: v.MinPasswordLength, Words: strings.Join(v.PasswordWords, "|")})
}

func (h *handler) resetPasswordSubmit(w http.ResponseWriter, r *http.Request) {
	id, v := h.attempt(w, r)
	if v == nil {
		return
	}
	err := h.Reset.SetPassword(r.Context(), id, r.PostFormValue("password"), r.PostFormValue("confirm"), httpx.Client(r))
	if err != nil {
		if hardFailure(err) || err == reset.ErrGone || twofold.ErrorCode(err) == twofold.EFORBIDDEN {
			h.resetFail(w, r, err)
			return
		}
		pv := resetPasswordView{Page: Page{Title: "Choose a new password", Errors: errorsFrom(err, "password", "password", "confirm")}, MinLength: v.MinPasswordLength, Words: strings.Join(v.PasswordWords, "|")}
		h.render(w, r, formStatus(w, err), pv)
		return
	}
	h.clearReset(w)
	h.render(w, r, http.StatusOK, resetDoneView{Page: Page{Title: "Your password was reset"}})
}

// resetRoutes mounts the reset pages; without a reset use case they are 404.
func (h *handler) resetRoutes(mux *http.ServeMux) {
	if h.Reset == nil {
		return
	}
	mux.HandleFunc("GET /reset", h.resetPage)
	mux.HandleFunc("POST /reset", h.resetSubmit)
	mux.HandleFunc("GET /reset/verify", h.resetVerifyPage)
	mux.HandleFunc("POST /reset/choose", h.resetChoose)
	mux.HandleFunc("POST /reset/step", h.resetStep)
	mux.HandleFunc("POST /reset/verify", h.resetVerifySubmit)
	mux.HandleFunc("GET /reset/call/status", h.resetCallStatus)
	mux.HandleFunc("GET /reset/password", h.resetPasswordPage)
	mux.HandleFunc("POST /reset/password", h.resetPasswordSubmit)
}
