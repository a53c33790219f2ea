package web

import (
	"errors"
	"net/http"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/httpx"
	"github.com/twofold-id/twofold/internal/phone"
	"github.com/twofold-id/twofold/internal/securityinfo"
	"github.com/twofold-id/twofold/internal/signin"
)

// The interrupt's phone: the phone form, then the texted code or
// the call, on sign-in cards. The form's and the verification's pieces are
// Security info's (templates/phone-parts.html, static/call-wait.js); the flow is
// the flow cookie's, as on every sign-in page, so its bearer ID stays out of URLs.

const (
	registerPhonePath  = "/signin/register/phone"
	registerVerifyPath = registerPhonePath + "/verify"
)

// registerPhoneView is the interrupt's phone form.
type registerPhoneView struct {
	phoneFormView
	Username string
}

func (registerPhoneView) template() string { return "register-phone" }

// registerPhoneVerifyView proves the interrupt's phone: the texted code, or the call.
type registerPhoneVerifyView struct {
	phoneVerifyView
	Username string
	Helpdesk string
}

func (registerPhoneVerifyView) template() string { return "register-phone-verify" }

// reasonUsed explains a text or call that was used while the interrupt still
// waits: its phone was not saved, so the member asks for a new one.
const reasonUsed = "We couldn't save your phone. Ask for a new code or call, then try again."

// Failed reports whether the text or call can no longer register the phone.
func (v registerPhoneVerifyView) Failed() bool {
	return v.phoneVerifyView.Failed() || v.Challenge.State == twofold.ChallengeUsed
}

// Reason says why it failed; a fraud report stops the sign-in.
func (v registerPhoneVerifyView) Reason() string {
	if v.Challenge.State == twofold.ChallengeUsed {
		return reasonUsed
	}
	return callMessage(v.Challenge, v.Number, fraudSignin)
}

// interruptPhoneForm is the interrupt's phone form: the types the flow may
// register, each with its channels, and the countries the organization allows.
func interruptPhoneForm(types map[twofold.PhoneType][]string, pol twofold.Policy) *securityinfo.PhoneForm {
	f := &securityinfo.PhoneForm{}
	for _, t := range []twofold.PhoneType{twofold.PhoneMobile, twofold.PhoneAlternateMobile, twofold.PhoneOffice} {
		if ch := types[t]; len(ch) > 0 {
			f.Types = append(f.Types, securityinfo.PhoneTypeChoice{Type: t, Label: phone.TypeLabel(t), Channels: ch})
		}
	}
	for _, c := range phone.Countries() {
		if pol.Phone.CountryAllowed(c.CallingCode) {
			f.Countries = append(f.Countries, c)
		}
	}
	return f
}

func (h *handler) registerPhonePage(w http.ResponseWriter, r *http.Request) {
	res := h.registering(w, r)
	if res == nil {
		return
	}
	h.renderRegisterPhone(w, r, res, http.StatusOK, phoneInput{}, true, nil)
}

// renderRegisterPhone shows the phone form, keeping what was typed and the problem.
func (h *handler) renderRegisterPhone(w http.ResponseWriter, r *http.Request, res *signin.Result, status int, in phoneInput, fresh bool, errs formErrors) {
	types, err := h.Signin.PhoneTypes(r.Context(), res.FlowID)
	if err != nil {
		h.registerFail(w, r, err)
		return
	}
	if len(types) == 0 {
		// No phone can be registered here (the policy changed): the first card
		// offers what can.
		http.Redirect(w, r, "/signin/register", http.StatusSeeOther)
		return
	}
	f := interruptPhoneForm(types, res.Org.Policy)
	v := registerPhoneView{
		phoneFormView: phoneFormView{Page: Page{Title: "Phone", OrgName: res.Org.Name, Errors: errs}, Form: f,
			Action: registerPhonePath, Back: "/signin/register", phoneInput: in.withDefaults(f, fresh)},
		Username: res.User.Username,
	}
	h.render(w, r, status, v)
}

// registerPhoneSubmit is Next on the phone form: the number is texted a code or
// called; nothing is saved until it is verified.
func (h *handler) registerPhoneSubmit(w http.ResponseWriter, r *http.Request) {
	id := value(r, h.cookies.flow)
	if id == "" {
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
		return
	}
	in := phoneInputFrom(r)
	_, n, err := h.Signin.BeginPhoneRegistration(r.Context(), id, signin.PhoneRegistration{
		Type: in.Type, Region: in.Country, Number: in.Number, Channel: in.Channel,
	}, httpx.Client(r))
	switch {
	case err == nil:
		target := registerVerifyPath
		if digitsOnly(n.Extension) {
			target += "?ext=" + n.Extension
		}
		http.Redirect(w, r, target, http.StatusSeeOther)
		return
	case flowEnded(err):
		h.restart(w, r, err)
		return
	case pageFailure(err):
		h.fail(w, r, err)
		return
	}
	res := h.registering(w, r)
	if res == nil {
		return
	}
	h.renderRegisterPhone(w, r, res, formStatus(w, err), in, false,
		errorsFrom(err, "", "phoneType", "country", "phoneNumber", "method"))
}

func (h *handler) registerVerifyPage(w http.ResponseWriter, r *http.Request) {
	res := h.registering(w, r)
	if res == nil {
		return
	}
	v, ok := h.registerVerifyView(w, r, res)
	if !ok {
		return
	}
	if ext := r.URL.Query().Get("ext"); digitsOnly(ext) {
		v.Extension = ext
	}
	v.Notice = resentNotice(r)
	h.render(w, r, http.StatusOK, v)
}

// registerVerifyView loads the flow's newest text or call into its page. Without
// one it sends the browser to the phone form and returns false.
func (h *handler) registerVerifyView(w http.ResponseWriter, r *http.Request, res *signin.Result) (registerPhoneVerifyView, bool) {
	ch, err := h.Signin.PhoneRegistrationStatus(r.Context(), res.FlowID)
	switch {
	case twofold.ErrorCode(err) == twofold.ENOTFOUND:
		http.Redirect(w, r, registerPhonePath, http.StatusSeeOther)
		return registerPhoneVerifyView{}, false
	case err != nil:
		h.registerFail(w, r, err)
		return registerPhoneVerifyView{}, false
	}
	number := phone.DisplayE164(ch.PhoneNumber)
	return registerPhoneVerifyView{
		phoneVerifyView: phoneVerifyView{Page: Page{Title: "Phone", OrgName: res.Org.Name}, Challenge: ch, Number: number,
			Back: registerPhonePath,
			Wait: callWait{StatusURL: registerPhonePath + "/status", FormID: "finish-form", Message: callMessage(ch, number, fraudSignin)}},
		Username: res.User.Username,
		Helpdesk: res.Org.Policy.HelpdeskContact,
	}, true
}

// registerVerifySubmit is Next with the texted code, or the call's form (submitted
// by the script once the call got "#", or by "I've answered the call"). The phone
// is saved and the member signed in, as the app path does.
func (h *handler) registerVerifySubmit(w http.ResponseWriter, r *http.Request) {
	id := value(r, h.cookies.flow)
	if id == "" {
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
		return
	}
	code := r.PostFormValue("code")
	res, err := h.Signin.FinishPhoneRegistration(r.Context(), id, code, httpx.Client(r))
	switch {
	case err == nil:
		// The text's form has the code field; the call's has none.
		channel := twofold.ChannelVoice
		if r.PostForm.Has("code") {
			channel = twofold.ChannelSMS
		}
		h.registered(w, r, res, "/signin/register/done?phone="+channel)
	// A failed text or call is EEXPIRED too, but only it is over; the flow's own
	// errors say the sign-in is.
	case errors.Is(err, signin.ErrFlowGone), errors.Is(err, signin.ErrTooManyTries):
		h.restart(w, r, err)
	case hardFailure(err):
		h.fail(w, r, err)
	case !r.PostForm.Has("code") && callRedirects(err):
		// The call's form: the page shows the call as it stands.
		http.Redirect(w, r, afterCall(registerVerifyPath, err), http.StatusSeeOther)
	default:
		h.renderRegisterVerify(w, r, formStatus(w, err), code, "code", err)
	}
}

// registerPhoneResend texts a new code or calls again, to the number, phone type
// and channel of the flow's verification: read from the use case, never from the
// form, so a resend cannot be pointed at another number.
func (h *handler) registerPhoneResend(w http.ResponseWriter, r *http.Request) {
	res := h.registering(w, r)
	if res == nil {
		return
	}
	v, ok := h.registerVerifyView(w, r, res)
	if !ok {
		return
	}
	ch := v.Challenge
	_, _, err := h.Signin.BeginPhoneRegistration(r.Context(), res.FlowID, signin.PhoneRegistration{
		Type: ch.PhoneType, Number: ch.PhoneNumber, Channel: ch.Channel,
	}, httpx.Client(r))
	switch {
	case err == nil:
		http.Redirect(w, r, registerVerifyPath+"?m="+resentKey(ch.Channel), http.StatusSeeOther)
	case flowEnded(err):
		h.restart(w, r, err)
	case pageFailure(err):
		h.fail(w, r, err)
	default:
		h.renderRegisterVerify(w, r, formStatus(w, err), "", "", err)
	}
}

// renderRegisterVerify shows the verification step again with the problem, kept
// next to the code field (fallback "code") or in the summary only (fallback "").
func (h *handler) renderRegisterVerify(w http.ResponseWriter, r *http.Request, status int, code, fallback string, problem error) {
	res := h.registering(w, r)
	if res == nil {
		return
	}
	v, ok := h.registerVerifyView(w, r, res)
	if !ok {
		return
	}
	if v.Text() && !v.Failed() {
		v.Code = code
		v.Errors = errorsFrom(problem, fallback, "code")
	} else {
		v.Errors = errorsFrom(problem, "")
	}
	h.render(w, r, status, v)
}

// registerPhoneStatus is the waiting page's JSON: where the flow's call stands.
func (h *handler) registerPhoneStatus(w http.ResponseWriter, r *http.Request) {
	ch, err := h.Signin.PhoneRegistrationStatus(r.Context(), value(r, h.cookies.flow))
	var st callStatus
	if err == nil {
		st = newCallStatus(ch, phone.DisplayE164(ch.PhoneNumber), fraudSignin)
	}
	h.writeStatus(w, r, st, err)
}
