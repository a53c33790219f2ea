package twilio

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"time"

	"github.com/twofold-id/twofold/internal/notify"
)

var _ notify.Phone = (*Client)(nil)

// Ring-time bounds Twilio accepts for a call's Timeout, and what we ask for when
// the caller gave none (Twilio's own default).
const (
	minRing     = 5
	maxRing     = 600
	defaultRing = 60
)

// maxTwiml is the most Twilio accepts in a call's Twiml parameter.
const maxTwiml = 4000

// SendText sends t through the Messages API and returns the message SID.
// Returns an *APIError (in the chain) when Twilio refuses it.
func (c *Client) SendText(ctx context.Context, t notify.Text) (string, error) {
	if t.To == "" || t.Body == "" {
		return "", errors.New("twilio: text without To or Body")
	}
	form := url.Values{"To": {t.To}, "Body": {t.Body}}
	if c.cfg.MessagingServiceSID != "" {
		form.Set("MessagingServiceSid", c.cfg.MessagingServiceSID)
	} else {
		form.Set("From", c.cfg.From)
	}
	return c.create(ctx, "Messages.json", form)
}

// PlaceCall places call through the Calls API and returns the call SID. The call
// speaks the prompt inside a one-key <Gather> whose answer comes back to Handler's
// keys route, and Twilio reports the call's answer and end to the status route.
// Returns an *APIError (in the chain) when Twilio refuses it.
func (c *Client) PlaceCall(ctx context.Context, call notify.Call) (string, error) {
	if call.ChallengeID == "" || call.To == "" || call.Prompt == "" {
		return "", errors.New("twilio: call without ChallengeID, To or Prompt")
	}
	twiml, err := marshalTwiml(c.firstGather(call.ChallengeID, call.Prompt))
	if err != nil {
		return "", err
	}
	if len(twiml) > maxTwiml {
		return "", errors.New("twilio: call prompt too long for inline TwiML")
	}
	form := url.Values{
		"To":                   {call.To},
		"From":                 {c.cfg.From},
		"Twiml":                {twiml},
		"Timeout":              {strconv.Itoa(ringSeconds(call.Timeout))},
		"StatusCallback":       {c.callURL(call.ChallengeID, "status")},
		"StatusCallbackMethod": {"POST"},
		"StatusCallbackEvent":  {"answered", "completed"},
	}
	return c.create(ctx, "Calls.json", form)
}

// errNotInProgress is Twilio's code for updating a call that already ended.
const errNotInProgress = 21220

// EndCall hangs up the call sid by updating it with Status=completed, which
// ends a ringing or an answered call; Twilio then reports the call completed to
// the status route, which changes nothing for a challenge already ended. A call
// that already ended is not an error.
func (c *Client) EndCall(ctx context.Context, sid string) error {
	if !isSID(sid, "CA") {
		return errors.New("twilio: end call: not a call SID")
	}
	_, err := c.create(ctx, "Calls/"+sid+".json", url.Values{"Status": {"completed"}})
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.Code == errNotInProgress {
		return nil
	}
	return err
}

// ringSeconds turns the call timeout into Twilio's whole seconds within its range,
// rounding up so a call never rings shorter than asked.
func ringSeconds(d time.Duration) int {
	if d <= 0 {
		return defaultRing
	}
	s := int((d + time.Second - 1) / time.Second)
	return min(max(s, minRing), maxRing)
}

// callURL is the absolute URL of one of Handler's routes for a challenge.
func (c *Client) callURL(challengeID, route string) string {
	return c.cfg.PublicBaseURL + "/hooks/twilio/calls/" + url.PathEscape(challengeID) + "/" + route
}
