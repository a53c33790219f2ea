package twilio

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/notify"
)

// maxHookBody bounds webhook bodies; Twilio's call callbacks are about 1 KiB.
const maxHookBody = 64 << 10

// Handler serves Twilio's callbacks for the calls this Client places, reporting
// them to events:
//
//	POST /hooks/twilio/calls/{id}/keys    the <Gather> action: the key pressed
//	POST /hooks/twilio/calls/{id}/status  the status callback: answered and the end
//
// Every request must carry a valid X-Twilio-Signature for PublicBaseURL plus the
// request's path and query; anything else is refused with 403 and reports nothing.
func (c *Client) Handler(events notify.CallEvents) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /hooks/twilio/calls/{id}/keys", func(w http.ResponseWriter, r *http.Request) {
		c.keys(w, r, events)
	})
	mux.HandleFunc("POST /hooks/twilio/calls/{id}/status", func(w http.ResponseWriter, r *http.Request) {
		c.status(w, r, events)
	})
	return mux
}

// keys turns the key pressed into a CallKeys event and tells Twilio what to say.
// A first "0" is not reported yet: it asks for one more key, so "0" then "#"
// arrives as the fraud report "0#".
func (c *Client) keys(w http.ResponseWriter, r *http.Request, events notify.CallEvents) {
	form, ok := c.verified(w, r)
	if !ok {
		return
	}
	id := r.PathValue("id")
	key := form.Get("Digits")
	afterZero := r.URL.Query().Get("first") == "0"
	var digits, words string
	switch {
	case !isKey(key):
		// Silence (with actionOnEmptyResult) or input we never asked for:
		// end the call and let the status callback report it.
		writeTwiml(w, sayAndHangUp(""))
		return
	case !afterZero && key == "0":
		writeTwiml(w, c.secondGather(id))
		return
	case !afterZero && key == "#":
		digits, words = "#", sayDone
	case afterZero && key == "#":
		digits, words = "0#", sayFraudOK
	case afterZero:
		digits, words = "0"+key, sayWrong
	default:
		digits, words = key, sayWrong
	}
	if !c.report(w, r, events, notify.CallEvent{ChallengeID: id, Kind: notify.CallKeys, Digits: digits}) {
		return
	}
	writeTwiml(w, sayAndHangUp(words))
}

// statusKind maps Twilio's CallStatus to a call event; queued, initiated and
// ringing change nothing and report false.
func statusKind(callStatus string) (notify.CallEventKind, bool) {
	switch callStatus {
	case "in-progress":
		return notify.CallAnswered, true
	case "completed":
		return notify.CallCompleted, true
	case "busy":
		return notify.CallBusy, true
	case "no-answer":
		return notify.CallNoAnswer, true
	case "failed", "canceled":
		return notify.CallFailed, true
	}
	return "", false
}

// status reports the call being answered or ending.
func (c *Client) status(w http.ResponseWriter, r *http.Request, events notify.CallEvents) {
	form, ok := c.verified(w, r)
	if !ok {
		return
	}
	if kind, known := statusKind(form.Get("CallStatus")); known {
		if !c.report(w, r, events, notify.CallEvent{ChallengeID: r.PathValue("id"), Kind: kind}) {
			return
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

// verified reads the form body and checks Twilio's signature over
// PublicBaseURL + path + query and the body's parameters. On failure it has
// answered and returns false.
func (c *Client) verified(w http.ResponseWriter, r *http.Request) (url.Values, bool) {
	r.Body = http.MaxBytesReader(w, r.Body, maxHookBody)
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "Request body too large.", http.StatusRequestEntityTooLarge)
			return nil, false
		}
		http.Error(w, "Malformed form body.", http.StatusBadRequest)
		return nil, false
	}
	// PostForm only: query parameters are already part of the signed URL.
	fullURL := c.cfg.PublicBaseURL + r.URL.RequestURI()
	if !validSignature(c.cfg.AuthToken, fullURL, r.PostForm, r.Header.Get("X-Twilio-Signature")) {
		c.log.WarnContext(r.Context(), "twilio webhook with a bad signature refused", "path", r.URL.Path)
		http.Error(w, "Invalid signature.", http.StatusForbidden)
		return nil, false
	}
	return r.PostForm, true
}

// report passes e on. On failure it has answered (404 for an unknown challenge,
// 500 otherwise, with the detail only in the log) and returns false.
func (c *Client) report(w http.ResponseWriter, r *http.Request, events notify.CallEvents, e notify.CallEvent) bool {
	err := events.CallEvent(r.Context(), e)
	switch {
	case err == nil:
		return true
	case twofold.ErrorCode(err) == twofold.ENOTFOUND:
		http.Error(w, "Unknown call.", http.StatusNotFound)
	default:
		c.log.ErrorContext(r.Context(), "twilio webhook: call event failed", "challenge", e.ChallengeID, "kind", string(e.Kind), "err", err)
		http.Error(w, "Something went wrong.", http.StatusInternalServerError)
	}
	return false
}

// isKey reports whether s is exactly one phone key, as numDigits="1" delivers.
func isKey(s string) bool {
	return len(s) == 1 && (s[0] >= '0' && s[0] <= '9' || s[0] == '*' || s[0] == '#')
}

func writeTwiml(w http.ResponseWriter, r twimlResponse) {
	s, err := marshalTwiml(r)
	if err != nil {
		http.Error(w, "Something went wrong.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	_, _ = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + s))
}
