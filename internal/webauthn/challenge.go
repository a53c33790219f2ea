package webauthn

import "encoding/json"

// Challenge is a ceremony begun for a browser: its ID, which the browser sends
// back with its answer, and the options it passes to navigator.credentials
// ({"publicKey": …}). Security info and sign-in both hand out this one shape.
type Challenge struct {
	ID      string
	Options json.RawMessage
}
