package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/httpx"
)

// The development outbox shows what twofold would have sent, and answers its
// simulated calls. It exists only when Deps.Outbox is set (never in production),
// needs no session (a developer reads every member's texts), and its POSTs are
// plain forms, so tests can press keys on a call the way a person would.

// outboxLimit is how many messages the page and the JSON list.
const outboxLimit = 100

// outboxView is the /dev/outbox page.
type outboxView struct {
	Page
	To       string // the filter, "" for everything
	Messages []outboxMessage
}

func (outboxView) template() string { return "outbox" }

// outboxMessage is one message as the page shows it.
type outboxMessage struct {
	*twofold.Message
	Code string // a text's 6-digit code, shown large
	At   string // when it was sent, for people
}

// Text, Call and Mail say what kind of message m is.
func (m outboxMessage) Text() bool { return m.Channel == twofold.ChannelSMS }
func (m outboxMessage) Call() bool { return m.Channel == twofold.ChannelVoice }

// Ringing and Answered say which buttons the call has.
func (m outboxMessage) Ringing() bool  { return m.Call() && m.CallState == twofold.CallRinging }
func (m outboxMessage) Answered() bool { return m.Call() && m.CallState == twofold.CallAnswered }

// Action is the URL of a button of this call.
func (m outboxMessage) Action(what string) string {
	return "/dev/outbox/calls/" + url.PathEscape(m.ID) + "/" + what
}

// outboxJSON is one message in GET /dev/outbox/messages.
type outboxJSON struct {
	ID          string            `json:"id"`
	Channel     string            `json:"channel"`
	To          string            `json:"to"`
	Subject     string            `json:"subject"`
	Body        string            `json:"body"`
	ChallengeID string            `json:"challengeId"`
	CallState   twofold.CallState `json:"callState"`
	CreatedAt   time.Time         `json:"createdAt"`
}

var sixDigits = regexp.MustCompile(`\b[0-9]{6}\b`)

// outboxTo reads the ?to= filter. A literal "+" in a query means a space, so
// "?to=+14255551234" arrives as " 14255551234"; the leading space is read back as
// the "+" it was.
func outboxTo(r *http.Request) string {
	to := r.URL.Query().Get("to")
	if strings.HasPrefix(to, " ") {
		to = "+" + strings.TrimLeft(to, " ")
	}
	return strings.TrimSpace(to)
}

func (h *handler) outboxPage(w http.ResponseWriter, r *http.Request) {
	to := outboxTo(r)
	list, err := h.Outbox.List(r.Context(), to, outboxLimit)
	if err != nil {
		h.outboxFail(w, r, err)
		return
	}
	v := outboxView{Page: Page{Title: "Outbox"}, To: to}
	for _, m := range list {
		om := outboxMessage{Message: m, At: m.CreatedAt.UTC().Format("2 Jan 2006, 15:04:05 MST")}
		if om.Text() {
			om.Code = sixDigits.FindString(m.Body)
		}
		v.Messages = append(v.Messages, om)
	}
	h.render(w, r, http.StatusOK, v)
}

// outboxMessages is the JSON twin of the page, for tests.
func (h *handler) outboxMessages(w http.ResponseWriter, r *http.Request) {
	list, err := h.Outbox.List(r.Context(), outboxTo(r), outboxLimit)
	if err != nil {
		httpx.WriteJSONError(w, r, h.log, err)
		return
	}
	out := struct {
		Value []outboxJSON `json:"value"`
	}{Value: []outboxJSON{}}
	for _, m := range list {
		out.Value = append(out.Value, outboxJSON{
			ID: m.ID, Channel: m.Channel, To: m.To, Subject: m.Subject, Body: m.Body,
			ChallengeID: m.ChallengeID, CallState: m.CallState, CreatedAt: m.CreatedAt.UTC(),
		})
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

func (h *handler) outboxAnswer(w http.ResponseWriter, r *http.Request) {
	h.outboxDone(w, r, h.Outbox.Answer(r.Context(), r.PathValue("id")))
}

func (h *handler) outboxPress(w http.ResponseWriter, r *http.Request) {
	h.outboxDone(w, r, h.Outbox.Press(r.Context(), r.PathValue("id"), r.PostFormValue("digits")))
}

func (h *handler) outboxHangUp(w http.ResponseWriter, r *http.Request) {
	h.outboxDone(w, r, h.Outbox.HangUp(r.Context(), r.PathValue("id")))
}

// outboxDone goes back to the outbox after a call button, or says why the button
// did nothing.
func (h *handler) outboxDone(w http.ResponseWriter, r *http.Request, err error) {
	if err != nil {
		h.outboxFail(w, r, err)
		return
	}
	http.Redirect(w, r, "/dev/outbox", http.StatusSeeOther)
}

// outboxFail says what the provider said: 404, 409 or 400 with its sentence, as
// JSON for a client that asks for it.
func (h *handler) outboxFail(w http.ResponseWriter, r *http.Request, err error) {
	if strings.Contains(r.Header.Get("Accept"), "application/json") {
		httpx.WriteJSONError(w, r, h.log, err)
		return
	}
	if twofold.ErrorCode(err) == twofold.EINTERNAL {
		h.internalError(w, r, err)
		return
	}
	httpx.LogError(r.Context(), h.log, err)
	h.render(w, r, formStatus(w, err), errorView{
		Page:      Page{Title: "The outbox can't do that"},
		Message:   twofold.ErrorMessage(err),
		Back:      "/dev/outbox",
		BackLabel: "Back to the outbox",
	})
}
