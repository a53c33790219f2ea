package api

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/httpx"
	"github.com/twofold-id/twofold/internal/reset"
)

// Reset is self-service password reset as the API calls it (*reset.Service).
// The attempt ID is a bearer secret from Start. Left nil in Deps, the reset
// calls answer 404.
type Reset interface {
	// Start returns a new attempt's ID for any user name, known or not, after
	// the proof of work. EINVALID for a malformed name or a refused proof,
	// ERATELIMIT past the per-network or per-name limit.
	Start(ctx context.Context, username, proofOfWork string, c twofold.Client) (string, error)
	// Attempt returns the method step: the ways left to verify, or why the
	// member can't reset here. EEXPIRED for an attempt that is gone.
	Attempt(ctx context.Context, id string) (*reset.View, error)
	// Begin starts a step: target is the full number or address for a text,
	// call or email (EINVALID on "target" when it doesn't match, counted as a
	// failed verification).
	Begin(ctx context.Context, id, choice, target string, c twofold.Client) (*reset.View, error)
	// Verify checks the answer for the step under way. ECONFLICT while a call
	// still waits for "#", ERATELIMIT when reset is blocked.
	Verify(ctx context.Context, id string, ans reset.Answer, c twofold.Client) (*reset.View, error)
	// SetPassword replaces the password once verified. EINVALID on "password"
	// or "confirm" with the reason.
	SetPassword(ctx context.Context, id, password, confirm string, c twofold.Client) error
}

var _ Reset = (*reset.Service)(nil)

// resetStart begins a reset: the same 200 and body shape for every name.
func (h *handler) resetStart(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Username    string `json:"username"`
		ProofOfWork string `json:"proofOfWork"`
	}
	if err := httpx.ReadJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := firstErr(required("username", in.Username), required("proofOfWork", in.ProofOfWork)); err != nil {
		h.fail(w, r, err)
		return
	}
	id, err := h.Reset.Start(r.Context(), in.Username, in.ProofOfWork, httpx.Client(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, struct {
		AttemptID string `json:"attemptId"`
	}{id})
}

// resetStatus shows the method step.
func (h *handler) resetStatus(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "attemptId")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v, err := h.Reset.Attempt(r.Context(), id)
	h.writeReset(w, r, v, err)
}

// resetStep starts a step: {choice, target}.
func (h *handler) resetStep(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "attemptId")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var in struct {
		Choice string `json:"choice"`
		Target string `json:"target"`
	}
	if err := readRequired(w, r, &in, "choice", &in.Choice); err != nil {
		h.fail(w, r, err)
		return
	}
	v, err := h.Reset.Begin(r.Context(), id, in.Choice, in.Target, httpx.Client(r))
	h.writeReset(w, r, v, err)
}

// resetVerify answers the step under way: a code, a key's credential, or the
// security questions' answers; an empty body takes an answered call.
func (h *handler) resetVerify(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "attemptId")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var in struct {
		Code       string            `json:"verificationCode"`
		CeremonyID string            `json:"ceremonyId"`
		Credential json.RawMessage   `json:"credential"`
		Answers    map[string]string `json:"answers"`
	}
	if err := readOptionalJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	v, err := h.Reset.Verify(r.Context(), id, reset.Answer{
		Code: in.Code, CeremonyID: in.CeremonyID, Credential: string(in.Credential), Answers: in.Answers,
	}, httpx.Client(r))
	h.writeReset(w, r, v, renameField(err, "code", "verificationCode"))
}

// resetPassword sets the new password: {password, confirmPassword}.
func (h *handler) resetPassword(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "attemptId")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var in struct {
		Password string `json:"password"`
		Confirm  string `json:"confirmPassword"`
	}
	if err := readRequired(w, r, &in, "password", &in.Password); err != nil {
		h.fail(w, r, err)
		return
	}
	err = h.Reset.SetPassword(r.Context(), id, in.Password, in.Confirm, httpx.Client(r))
	if err != nil {
		h.fail(w, r, renameField(err, "confirm", "confirmPassword"))
		return
	}
	httpx.WriteJSON(w, http.StatusOK, struct {
		State   twofold.ResetState `json:"state"`
		Message string             `json:"message"`
	}{twofold.ResetDone, "Your password was reset. Sign in with your new password."})
}

// resetView is an attempt as the API shows it. A member who can't reset here
// and a name that is no member's read the same: eligible false and the
// message.
type resetView struct {
	State             twofold.ResetState `json:"state"`
	Eligible          bool               `json:"eligible"`
	Message           string             `json:"message,omitempty"`
	MethodsRequired   int                `json:"methodsRequired"`
	MethodsProven     int                `json:"methodsProven"`
	Options           []resetOptionView  `json:"options"`
	Step              *resetStepView     `json:"step,omitempty"`
	MinPasswordLength int                `json:"minPasswordLength,omitempty"`
	ExpiresDateTime   string             `json:"expiresDateTime"`
}

type resetOptionView struct {
	Choice      string `json:"choice"`
	Proof       string `json:"proof"`
	Label       string `json:"label"`
	Masked      string `json:"masked,omitempty"`
	NeedsTarget bool   `json:"needsTarget"`
}

type resetStepView struct {
	resetOptionView
	Challenge  *challengeView  `json:"challenge,omitempty"`
	CeremonyID string          `json:"ceremonyId,omitempty"`
	KeyOptions json.RawMessage `json:"keyOptions,omitempty"`
	Questions  []string        `json:"questions,omitempty"`
}

func newResetOptionView(o reset.Option) resetOptionView {
	return resetOptionView{Choice: o.Choice, Proof: string(o.Proof), Label: o.Label, Masked: o.Masked, NeedsTarget: o.NeedsTarget()}
}

func (h *handler) writeReset(w http.ResponseWriter, r *http.Request, v *reset.View, err error) {
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := resetView{
		State: v.State, Eligible: v.Eligible, MethodsRequired: v.Required, MethodsProven: v.Proven,
		Options: []resetOptionView{}, ExpiresDateTime: dateTime(v.ExpiresAt),
	}
	if !v.Eligible {
		out.Message = twofold.ErrorMessage(v.Refusal)
	} else {
		out.MinPasswordLength = v.MinPasswordLength
	}
	for _, o := range v.Options {
		out.Options = append(out.Options, newResetOptionView(o))
	}
	if s := v.Step; s != nil {
		out.Step = &resetStepView{resetOptionView: newResetOptionView(s.Option), CeremonyID: s.CeremonyID,
			KeyOptions: s.KeyOptions, Questions: s.Questions}
		if s.Challenge != nil {
			out.Step.Challenge = newChallengeView(s.Challenge)
		}
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// resetOn answers 404 where reset is not wired.
func (h *handler) resetOn(f http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if h.Reset == nil {
			h.fail(w, r, errNoRoute)
			return
		}
		f(w, r)
	}
}
