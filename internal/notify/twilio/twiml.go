package twilio

import (
	"encoding/xml"
	"fmt"
)

// TwiML verbs, marshalled with encoding/xml so prompts and URLs are always
// escaped correctly.
type (
	twimlResponse struct {
		XMLName xml.Name `xml:"Response"`
		Verbs   []any
	}
	gatherVerb struct {
		XMLName xml.Name `xml:"Gather"`
		Input   string   `xml:"input,attr"`
		// NumDigits 1 with an empty FinishOnKey makes "#" an ordinary key that
		// arrives as Digits="#"; with the default finishOnKey="#" it would end
		// the Gather and arrive as an empty Digits, indistinguishable from silence.
		NumDigits   int    `xml:"numDigits,attr"`
		FinishOnKey string `xml:"finishOnKey,attr"`
		Timeout     int    `xml:"timeout,attr"`
		Action      string `xml:"action,attr"`
		Method      string `xml:"method,attr"`
		Say         sayVerb
	}
	sayVerb struct {
		XMLName xml.Name `xml:"Say"`
		Text    string   `xml:",chardata"`
	}
	hangupVerb struct {
		XMLName xml.Name `xml:"Hangup"`
	}
)

// Words spoken on calls.
const (
	sayNoKey   = "We didn't receive a key press. Goodbye."
	sayFraud   = "If you didn't ask for this call, press the pound key now to report it."
	sayDone    = "Thank you. Your verification is complete. Goodbye."
	sayFraudOK = "Thank you. We have reported this call as fraud. Goodbye."
	sayWrong   = "That wasn't the pound key, so we couldn't verify you. Please try again from the sign-in page. Goodbye."
)

// gatherTimeout is how many seconds of silence end a Gather.
const gatherTimeout = 10

// firstGather speaks prompt and waits for one key, posted to the keys route.
func (c *Client) firstGather(challengeID, prompt string) twimlResponse {
	return c.gather(c.callURL(challengeID, "keys"), prompt)
}

// secondGather follows a first "0": one more key decides between a fraud report
// ("0#") and a wrong key. The query marker tells the keys route what came first;
// it is covered by Twilio's signature like the rest of the URL.
func (c *Client) secondGather(challengeID string) twimlResponse {
	return c.gather(c.callURL(challengeID, "keys")+"?first=0", sayFraud)
}

func (c *Client) gather(action, prompt string) twimlResponse {
	return twimlResponse{Verbs: []any{
		gatherVerb{Input: "dtmf", NumDigits: 1, FinishOnKey: "", Timeout: gatherTimeout,
			Action: action, Method: "POST", Say: sayVerb{Text: prompt}},
		sayVerb{Text: sayNoKey},
		hangupVerb{},
	}}
}

// sayAndHangUp ends the call after words ("" for none).
func sayAndHangUp(words string) twimlResponse {
	if words == "" {
		return twimlResponse{Verbs: []any{hangupVerb{}}}
	}
	return twimlResponse{Verbs: []any{sayVerb{Text: words}, hangupVerb{}}}
}

func marshalTwiml(r twimlResponse) (string, error) {
	b, err := xml.Marshal(r)
	if err != nil {
		return "", fmt.Errorf("twilio: marshal TwiML: %w", err)
	}
	return string(b), nil
}
