package api

import (
	"net/http"
	"strings"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/httpx"
	"github.com/twofold-id/twofold/internal/securityinfo"
)

// listPhones lists the member's phones as Graph phoneAuthenticationMethods.
func (h *handler) listPhones(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	o, err := h.SecurityInfo.Overview(r.Context(), p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := collection[phoneView]{Value: []phoneView{}}
	for _, row := range o.Methods {
		if row.Method.Kind == twofold.KindPhone {
			out.Value = append(out.Value, newPhoneView(row.Method))
		}
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// getPhone shows one phone; another kind's ID is not found here.
func (h *handler) getPhone(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	m, err := h.phone(r, p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, newPhoneView(m))
}

// deletePhone removes one phone; another kind's ID is not found here (the
// generic DELETE …/methods/{id} removes any kind).
func (h *handler) deletePhone(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	m, err := h.phone(r, p)
	if err == nil {
		err = h.SecurityInfo.Delete(r.Context(), p, m.ID)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// phone returns the member's phone named by the path's id, or ENOTFOUND.
func (h *handler) phone(r *http.Request, p *twofold.Principal) (*twofold.Method, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	m, err := h.SecurityInfo.Method(r.Context(), p, id)
	if err != nil {
		return nil, err
	}
	if m.Kind != twofold.KindPhone {
		return nil, errNotFound
	}
	return m, nil
}

// addPhone starts adding a phone: the number is texted a code or called, and
// nothing is saved until .../verifications/{id}/complete.
func (h *handler) addPhone(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	var in phoneInput
	if err := in.read(w, r, true); err != nil {
		h.fail(w, r, err)
		return
	}
	h.beginPhone(w, r, p, in, "")
}

// changePhone starts changing a phone's number; the new number is verified like
// a new phone's, and the phone keeps its type.
func (h *handler) changePhone(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var in phoneInput
	if err := in.read(w, r, false); err != nil {
		h.fail(w, r, err)
		return
	}
	h.beginPhone(w, r, p, in, id)
}

// beginPhone answers 202 with the verification, whose address is in Location.
func (h *handler) beginPhone(w http.ResponseWriter, r *http.Request, p *twofold.Principal, in phoneInput, methodID string) {
	s, err := h.SecurityInfo.BeginPhone(r.Context(), p, securityinfo.PhoneRequest{
		Type: in.PhoneType, Region: in.CountryCode, Number: in.PhoneNumber,
		Channel: in.VerificationMethod, MethodID: methodID,
	})
	if err != nil {
		h.fail(w, r, renamePhoneField(err, methodID != ""))
		return
	}
	w.Header().Set("Location", prefix+"/me/authentication/phoneMethods/verifications/"+s.Challenge.ID)
	httpx.WriteJSON(w, http.StatusAccepted, struct {
		Verification verificationView `json:"verification"`
	}{newVerificationView(s.Challenge, s.Number.Extension)})
}

// getPhoneVerification shows where a number's verification stands, for polling
// while a call rings.
func (h *handler) getPhoneVerification(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	id, err := pathID(r, "verificationId")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	c, err := h.SecurityInfo.PhoneStatus(r.Context(), p, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, newVerificationView(c, ""))
}

// completePhoneVerification saves the verified number: 201 with the new phone,
// or 200 with the changed one. A text needs its code; a call needs none and
// answers 409 until the member has pressed "#".
func (h *handler) completePhoneVerification(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	id, err := pathID(r, "verificationId")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	// The verification also says whether this adds a phone or changes one.
	c, code, err := readVerificationCode(w, r, func() (*twofold.Challenge, error) {
		return h.SecurityInfo.PhoneStatus(r.Context(), p, id)
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	m, err := h.SecurityInfo.FinishPhone(r.Context(), p, id, code)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	status := http.StatusOK
	if c.MethodID == "" {
		status = http.StatusCreated
		w.Header().Set("Location", prefix+"/me/authentication/phoneMethods/"+m.ID)
	}
	httpx.WriteJSON(w, status, newPhoneView(m))
}

// readVerificationCode reads the optional {"code"} body that completes a phone
// verification, finds the verification with find, and checks that the code fits
// it: a text's completion carries its code, a call's none.
func readVerificationCode(w http.ResponseWriter, r *http.Request, find func() (*twofold.Challenge, error)) (*twofold.Challenge, string, error) {
	var in struct {
		Code string `json:"code"`
	}
	if err := readOptionalJSON(w, r, &in); err != nil {
		return nil, "", err
	}
	c, err := find()
	if err == nil {
		err = codeFits(c, in.Code)
	}
	return c, in.Code, err
}

// codeFits checks that a text's completion carries a code and a call's none.
func codeFits(c *twofold.Challenge, code string) error {
	if c.Channel == twofold.ChannelVoice && code != "" {
		return twofold.FieldError("code", "This number is being verified by a call, which needs no code: "+
			"answer it, press #, then send {}.")
	}
	if c.Channel == twofold.ChannelSMS {
		return required("code", code)
	}
	return nil
}

// phoneInput is the body that adds a phone or changes its number, named as in
// Graph's phoneAuthenticationMethod plus how to verify the number.
type phoneInput struct {
	PhoneNumber        string            `json:"phoneNumber"`
	PhoneType          twofold.PhoneType `json:"phoneType"`
	VerificationMethod string            `json:"verificationMethod"`
	CountryCode        string            `json:"countryCode"`
}

// read decodes and checks the body; adding needs phoneType, a change may leave
// it out (the phone keeps its own).
func (in *phoneInput) read(w http.ResponseWriter, r *http.Request, adding bool) error {
	if err := httpx.ReadJSON(w, r, in); err != nil {
		return err
	}
	var typeRequired error
	if adding {
		typeRequired = required("phoneType", string(in.PhoneType))
	}
	return firstErr(
		required("phoneNumber", in.PhoneNumber),
		typeRequired,
		oneOf("phoneType", string(in.PhoneType),
			string(twofold.PhoneMobile), string(twofold.PhoneAlternateMobile), string(twofold.PhoneOffice)),
		required("verificationMethod", in.VerificationMethod),
		oneOf("verificationMethod", in.VerificationMethod, twofold.ChannelSMS, twofold.ChannelVoice),
		regionCode(in.CountryCode),
	)
}

// regionCode checks the shape of countryCode: two letters (ISO 3166-1 alpha-2);
// whether it is a region we know is the use case's question.
func regionCode(v string) error {
	if v == "" {
		return nil
	}
	if len(v) != 2 || strings.Trim(strings.ToUpper(v), "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
		return errRegion
	}
	return nil
}

var errRegion = twofold.FieldError("countryCode",
	`The field "countryCode" must be a two-letter ISO 3166 region code, like "US"; leave it out when "phoneNumber" starts with + and the country code.`)

// renamePhoneField names a BeginPhone field error after the API's body. A type
// refused while changing a number can only be a different type than the phone's.
func renamePhoneField(err error, changing bool) error {
	switch twofold.ErrorField(err) {
	case "country":
		return &twofold.Error{Code: twofold.EINVALID, Field: "countryCode", Err: err,
			Message: `The field "countryCode" isn't a region we know; send a two-letter ISO 3166 region code, like "US".`}
	case "phoneType":
		if changing {
			return &twofold.Error{Code: twofold.EINVALID, Field: "phoneType", Err: err,
				Message: `A phone's type can't be changed; leave "phoneType" out, or delete this phone and add one of the other type.`}
		}
	}
	return renameField(err, "method", "verificationMethod")
}
