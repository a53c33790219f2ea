package api

import (
	"net/http"
	"net/url"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/httpx"
	"github.com/twofold-id/twofold/internal/signin"
)

// The interrupt's phone, the twin of the pages under
// /signin/register/phone: the member types a number, which is texted a code or
// called; completing the verification saves the phone and finishes the sign-in,
// as activating the interrupt's authenticator app does.

// errNoVerification answers a status or completion before any text or call.
var errNoVerification = twofold.Errorf(twofold.ENOTFOUND,
	"No phone is being verified for this sign-in. Start with POST "+prefix+"/signin/{flowId}/phoneMethods.")

// registrationView is a flow in registration_required with what it can set up.
type registrationView struct {
	flowView
	RegistrationKinds []twofold.MethodKind `json:"registrationKinds"`
}

// statusView is GET /signin/{flowId}'s answer: resultView, plus for a flow in the
// interrupt the kinds of method it can set up there.
func (h *handler) statusView(r *http.Request, res *signin.Result) (any, error) {
	v := h.resultView(r, res)
	fv, ok := v.(flowView)
	if !ok || res.State != twofold.FlowRegistrationRequired {
		return v, nil
	}
	kinds, err := h.Signin.RegistrationKinds(r.Context(), res.FlowID)
	if err != nil {
		return nil, err
	}
	if kinds == nil {
		kinds = []twofold.MethodKind{}
	}
	return registrationView{flowView: fv, RegistrationKinds: kinds}, nil
}

// signinBeginPhone starts registering a phone during the interrupt: 202 with the
// verification, whose address is in Location. Nothing is saved until
// …/phoneMethods/verification/complete.
func (h *handler) signinBeginPhone(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "flowId")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var in phoneInput
	if err := in.read(w, r, true); err != nil {
		h.fail(w, r, err)
		return
	}
	c, n, err := h.Signin.BeginPhoneRegistration(r.Context(), id, signin.PhoneRegistration{
		Type: in.PhoneType, Region: in.CountryCode, Number: in.PhoneNumber, Channel: in.VerificationMethod,
	}, httpx.Client(r))
	if err != nil {
		h.fail(w, r, renamePhoneField(err, false))
		return
	}
	w.Header().Set("Location", prefix+"/signin/"+url.PathEscape(id)+"/phoneMethods/verification")
	httpx.WriteJSON(w, http.StatusAccepted, struct {
		Verification verificationView `json:"verification"`
	}{newVerificationView(c, n.Extension)})
}

// signinPhoneVerification shows where the interrupt's newest text or call stands,
// for polling while a call rings. The number is shown in full: the member typed it.
func (h *handler) signinPhoneVerification(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "flowId")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	c, err := h.registration(r, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, newVerificationView(c, ""))
}

// signinCompletePhone saves the verified phone and finishes the sign-in: the
// texted code, or {} once the call got its "#" (409 until then). The answer is
// the activate call's: the session token.
func (h *handler) signinCompletePhone(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "flowId")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	_, code, err := readVerificationCode(w, r, func() (*twofold.Challenge, error) { return h.registration(r, id) })
	if err != nil {
		h.fail(w, r, err)
		return
	}
	res, err := h.Signin.FinishPhoneRegistration(r.Context(), id, code, httpx.Client(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, h.resultView(r, res))
}

// registration returns the interrupt's newest text or call, or errNoVerification.
func (h *handler) registration(r *http.Request, flowID string) (*twofold.Challenge, error) {
	c, err := h.Signin.PhoneRegistrationStatus(r.Context(), flowID)
	if twofold.ErrorCode(err) == twofold.ENOTFOUND {
		return nil, errNoVerification
	}
	return c, err
}
