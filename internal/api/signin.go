package api

import (
	"net/http"

	"github.com/twofold-id/twofold/internal/httpx"
)

// signinPassword starts a sign-in: 200 with a flow that needs another step, or
// with a session token when none is needed.
func (h *handler) signinPassword(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Username string `json:"username"`
		Password string `json:"password"`
	}
	if err := httpx.ReadJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := firstErr(required("username", in.Username), required("password", in.Password)); err != nil {
		h.fail(w, r, err)
		return
	}
	res, err := h.Signin.Password(r.Context(), in.Username, in.Password, httpx.Client(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, h.resultView(r, res))
}

// signinStatus shows where a flow stands; one in the interrupt also lists what it
// can set up.
func (h *handler) signinStatus(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "flowId")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	res, err := h.Signin.Resume(r.Context(), id)
	var v any
	if err == nil {
		v, err = h.statusView(r, res)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, v)
}

// signinVerify checks a second-factor code and, when right, signs the member in:
// an authenticator app's code, or with a phone's methodId the code texted to it.
func (h *handler) signinVerify(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "flowId")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var in struct {
		MethodID string `json:"methodId"`
		Code     string `json:"code"`
	}
	if err := readRequired(w, r, &in, "code", &in.Code); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := bodyID("methodId", in.MethodID); err != nil {
		h.fail(w, r, err)
		return
	}
	res, err := h.Signin.Verify(r.Context(), id, in.MethodID, in.Code, httpx.Client(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, h.resultView(r, res))
}

// signinBeginApp starts (or shows again) the interrupt's authenticator app.
func (h *handler) signinBeginApp(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "flowId")
	if err == nil {
		err = readOptionalJSON(w, r, &struct{}{})
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	e, err := h.Signin.BeginRegistration(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, newEnrolmentView(e))
}

// signinActivateApp finishes the interrupt's app with a code and signs in.
func (h *handler) signinActivateApp(w http.ResponseWriter, r *http.Request) {
	flowID, err := pathID(r, "flowId")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	methodID, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var in activateInput
	if err := in.read(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	res, err := h.Signin.FinishRegistration(r.Context(), flowID, methodID, in.DisplayName, in.VerificationCode, httpx.Client(r))
	if err != nil {
		h.fail(w, r, renameActivateField(err))
		return
	}
	httpx.WriteJSON(w, http.StatusOK, h.resultView(r, res))
}

// signinCancel ends a waiting sign-in flow; 204 also when it was already gone.
func (h *handler) signinCancel(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "flowId")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.Signin.Cancel(r.Context(), id, httpx.Client(r)); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// activateInput is the body of both activate calls.
type activateInput struct {
	VerificationCode string `json:"verificationCode"`
	DisplayName      string `json:"displayName"`
}

func (in *activateInput) read(w http.ResponseWriter, r *http.Request) error {
	return readRequired(w, r, in, "verificationCode", &in.VerificationCode)
}

// renameActivateField names a use-case field error after the activate body.
func renameActivateField(err error) error {
	return renameField(err, "code", "verificationCode", "name", "displayName")
}

// firstErr returns the first non-nil error.
func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
