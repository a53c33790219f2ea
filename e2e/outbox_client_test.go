package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The development outbox as a test sees it: the JSON list at
// GET /dev/outbox/messages, and the buttons of a simulated call, which are
// plain form posts answered with 303 back to /dev/outbox, as a person's
// browser would send them.

// outboxReader reads one server's dev outbox and plays the person who gets
// its texts and calls.
type outboxReader struct {
	t    *testing.T
	base string
	http *http.Client
}

// outboxItem is one message of GET /dev/outbox/messages.
type outboxItem struct {
	ID          string    `json:"id"`
	Channel     string    `json:"channel"` // sms, voice or email
	To          string    `json:"to"`      // E.164 for texts and calls, a user name for mail
	Subject     string    `json:"subject"`
	Body        string    `json:"body"`
	ChallengeID string    `json:"challengeId"`
	CallState   string    `json:"callState"` // ringing, answered, ended; "" for texts and mail
	CreatedAt   time.Time `json:"createdAt"`
}

func newOutboxReader(t *testing.T, s *server) *outboxReader {
	return &outboxReader{t: t, base: s.URL, http: &http.Client{
		Timeout:       apiTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// messages lists what was sent to `to` ("" for everything), newest first.
// The security notices texted to a mobile are left out: tests read and count
// the texts and calls that verify, which the throttles limit.
func (o *outboxReader) messages(to string) []outboxItem {
	o.t.Helper()
	u := o.base + "/dev/outbox/messages"
	if to != "" {
		u += "?to=" + url.QueryEscape(to)
	}
	req, err := http.NewRequest("GET", u, nil)
	if err != nil {
		o.t.Fatal(err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := o.http.Do(req)
	if err != nil {
		o.t.Fatalf("GET /dev/outbox/messages: %v", err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if resp.StatusCode != http.StatusOK {
		o.t.Fatalf("GET /dev/outbox/messages?to=%s: %s %s", to, resp.Status, data)
	}
	var list struct {
		Value []outboxItem `json:"value"`
	}
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&list); err != nil {
		o.t.Fatalf("GET /dev/outbox/messages: not the documented list: %v\n%s", err, data)
	}
	out := list.Value[:0]
	for _, m := range list.Value {
		if m.Channel != "sms" || !strings.HasPrefix(m.Body, noticeText) {
			out = append(out, m)
		}
	}
	return out
}

// of returns the messages to `to` on channel, newest first.
func (o *outboxReader) of(to, channel string) []outboxItem {
	o.t.Helper()
	var out []outboxItem
	for _, m := range o.messages(to) {
		if m.Channel == channel {
			out = append(out, m)
		}
	}
	return out
}

// newest returns the newest message to `to` on channel. Texts and calls are
// stored before the API answers, so it does not wait.
func (o *outboxReader) newest(to, channel string) outboxItem {
	o.t.Helper()
	list := o.of(to, channel)
	if len(list) == 0 {
		o.t.Fatalf("the outbox has no %s to %s; it has %+v", channel, to, o.messages(""))
	}
	return list[0]
}

// noticeText starts every security notice texted to a mobile
// (notify.NoticeTextPrefix).
const noticeText = "twofold: your security info changed."

// sixDigitCode finds the code in a text ("123456 is your Contoso verification code…").
var sixDigitCode = regexp.MustCompile(`\b[0-9]{6}\b`)

// code returns the code of the newest text to number.
func (o *outboxReader) code(number string) string {
	o.t.Helper()
	m := o.newest(number, "sms")
	code := sixDigitCode.FindString(m.Body)
	if code == "" || !strings.HasPrefix(m.Body, code+" is your ") {
		o.t.Fatalf("the text to %s does not start with its code (\"123456 is your …\"): %q", number, m.Body)
	}
	return code
}

// ringing returns the newest call to number and checks that it rings.
func (o *outboxReader) ringing(number string) outboxItem {
	o.t.Helper()
	m := o.newest(number, "voice")
	if m.CallState != "ringing" {
		o.t.Fatalf("the newest call to %s is %q, want ringing: %+v", number, m.CallState, m)
	}
	if !strings.Contains(m.Body, "press the pound key") {
		o.t.Errorf("the call to %s does not ask for the pound key: %q", number, m.Body)
	}
	return m
}

// answer, press and hangUp are the buttons of a call in the outbox.
func (o *outboxReader) answer(call outboxItem) { o.t.Helper(); o.button(call, "answer", nil) }
func (o *outboxReader) hangUp(call outboxItem) { o.t.Helper(); o.button(call, "hangup", nil) }
func (o *outboxReader) press(call outboxItem, digits string) {
	o.t.Helper()
	o.button(call, "press", url.Values{"digits": {digits}})
}

// pickUpAndPress answers the ringing call to number and presses digits.
func (o *outboxReader) pickUpAndPress(number, digits string) outboxItem {
	o.t.Helper()
	call := o.ringing(number)
	o.answer(call)
	o.press(call, digits)
	return call
}

// button posts a call's form and wants the 303 back to the outbox.
func (o *outboxReader) button(call outboxItem, action string, form url.Values) {
	o.t.Helper()
	resp, err := o.http.PostForm(o.base+"/dev/outbox/calls/"+url.PathEscape(call.ID)+"/"+action, form)
	if err != nil {
		o.t.Fatalf("outbox %s: %v", action, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/dev/outbox" {
		o.t.Fatalf("outbox %s %v on the call to %s: %s (Location %q), want 303 to /dev/outbox\n%.400s",
			action, form, call.To, resp.Status, resp.Header.Get("Location"), body)
	}
}

// mail returns the mail to a user name, newest first.
func (o *outboxReader) mail(username string) []outboxItem {
	o.t.Helper()
	return o.of(username, "email")
}
