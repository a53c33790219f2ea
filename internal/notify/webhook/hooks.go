package webhook

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/notify"
)

// maxBody bounds callback bodies and gateway answers; both are tiny.
const maxBody = 64 << 10

// callback is the body the gateway POSTs about a call (see doc.go).
type callback struct {
	Event       string `json:"event"`
	Digits      string `json:"digits"`
	ChallengeID string `json:"challengeId"`
}

// Handler serves the gateway's call reports, POST /hooks/webhook/calls/{id},
// passing them to events. It answers 204 when the report was applied, 401 for a
// missing, wrong or stale signature, 400 for a body that breaks the contract,
// 404 for an unknown call, 413 for a body over 64 KiB and 500 when applying failed.
func (c *Client) Handler(events notify.CallEvents) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /hooks/webhook/calls/{id}", func(w http.ResponseWriter, r *http.Request) {
		c.callback(w, r, events)
	})
	return mux
}

func (c *Client) callback(w http.ResponseWriter, r *http.Request, events notify.CallEvents) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		http.Error(w, "Request body too large.", http.StatusRequestEntityTooLarge)
		return
	case err != nil:
		http.Error(w, "Request body could not be read.", http.StatusBadRequest)
		return
	}
	// The signature comes first: nothing about an unsigned body is worth parsing.
	if err := Verify(c.cfg.Secret, r.Header.Get(SignatureHeader), body, c.now()); err != nil {
		c.log.WarnContext(r.Context(), "webhook callback refused", "path", r.URL.Path, "reason", err)
		http.Error(w, "Invalid signature.", http.StatusUnauthorized)
		return
	}
	id := r.PathValue("id")
	e, problem := parseCallback(body, id)
	if problem != "" {
		http.Error(w, problem, http.StatusBadRequest)
		return
	}
	err = events.CallEvent(r.Context(), e)
	switch {
	case err == nil:
		w.WriteHeader(http.StatusNoContent)
	case twofold.ErrorCode(err) == twofold.ENOTFOUND:
		http.Error(w, "Unknown call.", http.StatusNotFound)
	default:
		c.log.ErrorContext(r.Context(), "webhook callback: call event failed", "challenge", id, "kind", string(e.Kind), "err", err)
		http.Error(w, "Something went wrong.", http.StatusInternalServerError)
	}
}

// parseCallback decodes a signed body strictly, so a gateway that drifts from the
// contract hears about it at once instead of having reports half-understood. It
// returns the event or a sentence for the operator saying what is wrong.
func parseCallback(body []byte, id string) (notify.CallEvent, string) {
	const notObject = `Body must be a JSON object with "event" and, for keys, "digits".`
	// null, [] and "x" would decode into the struct without complaint.
	if trimmed := bytes.TrimSpace(body); len(trimmed) == 0 || trimmed[0] != '{' {
		return notify.CallEvent{}, notObject
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	var cb callback
	if err := dec.Decode(&cb); err != nil {
		return notify.CallEvent{}, notObject
	}
	if dec.More() {
		return notify.CallEvent{}, "Body must hold exactly one JSON object."
	}
	// The signature covers the body, not the URL: naming the call in the body is
	// what stops a signed report from being replayed against another call.
	switch {
	case cb.ChallengeID == "":
		return notify.CallEvent{}, `"challengeId" is required: the call's ID, as at the end of its callbackUrl.`
	case cb.ChallengeID != id:
		return notify.CallEvent{}, `"challengeId" does not match the callback URL.`
	}
	kind, ok := eventKind(cb.Event)
	switch {
	case !ok:
		return notify.CallEvent{}, `Unknown "event"; use answered, keys, no-answer, busy, hung-up, failed or completed.`
	case kind == notify.CallKeys && !validDigits(cb.Digits):
		return notify.CallEvent{}, `"digits" must be 1 to 8 of 0-9, * and #.`
	case kind != notify.CallKeys && cb.Digits != "":
		return notify.CallEvent{}, `"digits" belongs only to the keys event.`
	}
	return notify.CallEvent{ChallengeID: id, Kind: kind, Digits: cb.Digits}, ""
}

// eventKind maps the wire name of an event to its kind; they are spelled alike,
// but the contract must not change if notify's names ever do.
func eventKind(s string) (notify.CallEventKind, bool) {
	switch s {
	case "answered":
		return notify.CallAnswered, true
	case "keys":
		return notify.CallKeys, true
	case "no-answer":
		return notify.CallNoAnswer, true
	case "busy":
		return notify.CallBusy, true
	case "hung-up":
		return notify.CallHungUp, true
	case "failed":
		return notify.CallFailed, true
	case "completed":
		return notify.CallCompleted, true
	}
	return "", false
}

// validDigits reports whether s is 1–8 phone keys.
func validDigits(s string) bool {
	if len(s) < 1 || len(s) > 8 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && c != '*' && c != '#' {
			return false
		}
	}
	return true
}
