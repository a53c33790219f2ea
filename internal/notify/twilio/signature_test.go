package twilio

import (
	"net/url"
	"testing"
	"time"
)

// The worked example of Twilio's webhook-security documentation, as pinned in
// Twilio's own helper-library tests (twilio-go client/request_validator_test.go).
const (
	docToken     = "12345"
	docURL       = "https://mycompany.com/myapp.php?foo=1&bar=2"
	docSignature = "RSOYDt4T1cUTdK1PDd93/VVr8B8="
)

func docParams() url.Values {
	return url.Values{
		"CallSid": {"CA1234567890ABCDE"},
		"Caller":  {"+14158675309"},
		"Digits":  {"1234"},
		"From":    {"+14158675309"},
		"To":      {"+18005551212"},
	}
}

func TestSignatureMatchesTwilioExample(t *testing.T) {
	if got := signature(docToken, docURL, docParams()); got != docSignature {
		t.Fatalf("signature = %q, want Twilio's %q", got, docSignature)
	}
	if !validSignature(docToken, docURL, docParams(), docSignature) {
		t.Fatal("Twilio's own example signature refused")
	}
}

func TestSignatureRefusals(t *testing.T) {
	tampered := docParams()
	tampered.Set("Digits", "#")
	extra := docParams()
	extra.Set("CallStatus", "completed")
	tests := []struct {
		name, token, url string
		params           url.Values
		sig              string
	}{
		{"empty signature", docToken, docURL, docParams(), ""},
		{"wrong token", "54321", docURL, docParams(), docSignature},
		{"other host", docToken, "https://evil.example/myapp.php?foo=1&bar=2", docParams(), docSignature},
		{"other query", docToken, "https://mycompany.com/myapp.php?foo=1&bar=3", docParams(), docSignature},
		{"tampered parameter", docToken, docURL, tampered, docSignature},
		{"added parameter", docToken, docURL, extra, docSignature},
		{"truncated signature", docToken, docURL, docParams(), docSignature[:len(docSignature)-1]},
	}
	for _, tt := range tests {
		if validSignature(tt.token, tt.url, tt.params, tt.sig) {
			t.Errorf("%s: accepted", tt.name)
		}
	}
}

func TestRingSeconds(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int
	}{{"0s", 60}, {"-1s", 60}, {"1s", 5}, {"5s", 5}, {"1500ms", 5}, {"45s", 45}, {"45100ms", 46}, {"10m", 600}, {"1h", 600}} {
		d, err := time.ParseDuration(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := ringSeconds(d); got != tt.want {
			t.Errorf("ringSeconds(%s) = %d, want %d", tt.in, got, tt.want)
		}
	}
}
