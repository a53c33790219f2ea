package twilio

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Config is how twofold reaches a Twilio account.
type Config struct {
	AccountSID string // "AC" followed by 32 hex digits
	AuthToken  string // signs API requests and verifies webhooks; never logged
	// From is the E.164 number calls come from, and texts too unless
	// MessagingServiceSID is set.
	From string
	// MessagingServiceSID ("MG…"), when set, sends texts through that service so
	// Twilio picks the sender (number pools, alphanumeric IDs) instead of From.
	MessagingServiceSID string
	APIBase             string // default "https://api.twilio.com"; tests point it at a fake
	// PublicBaseURL is this service's configured external URL, such as
	// "https://id.example.com". Callback URLs are built on it and webhook
	// signatures are checked against it, never against the request's Host header,
	// which the sender controls.
	PublicBaseURL string
	HTTPClient    *http.Client // default: a client with a 10-second timeout
	Log           *slog.Logger // webhook failures; nil discards
}

// LogValue implements slog.LogValuer so a logged Config never shows the token.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("account_sid", c.AccountSID),
		slog.String("auth_token", "REDACTED"),
		slog.String("from", c.From),
		slog.String("messaging_service_sid", c.MessagingServiceSID),
		slog.String("api_base", c.APIBase),
		slog.String("public_base_url", c.PublicBaseURL),
	)
}

// Client sends texts and places calls through Twilio, and serves Twilio's call
// webhooks (see Handler). It is safe for concurrent use.
type Client struct {
	cfg  Config
	http *http.Client
	log  *slog.Logger
}

// New checks cfg and returns a Client. Every problem is reported at once.
func New(cfg Config) (*Client, error) {
	if cfg.APIBase == "" {
		cfg.APIBase = "https://api.twilio.com"
	}
	cfg.APIBase = strings.TrimRight(cfg.APIBase, "/")
	cfg.PublicBaseURL = strings.TrimRight(cfg.PublicBaseURL, "/")
	var problems []error
	if !isSID(cfg.AccountSID, "AC") {
		problems = append(problems, errors.New(`AccountSID must be "AC" followed by 32 hex digits`))
	}
	if cfg.AuthToken == "" {
		problems = append(problems, errors.New("AuthToken is required"))
	}
	if !isE164(cfg.From) {
		problems = append(problems, errors.New(`the From number must be an E.164 number such as "+14255550100"`))
	}
	if cfg.MessagingServiceSID != "" && !isSID(cfg.MessagingServiceSID, "MG") {
		problems = append(problems, errors.New(`MessagingServiceSID must be "MG" followed by 32 hex digits`))
	}
	if err := checkBase("APIBase", cfg.APIBase); err != nil {
		problems = append(problems, err)
	}
	if err := checkBase("PublicBaseURL", cfg.PublicBaseURL); err != nil {
		problems = append(problems, err)
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("twilio: %w", errors.Join(problems...))
	}
	c := &Client{cfg: cfg, http: cfg.HTTPClient, log: cfg.Log}
	if c.http == nil {
		c.http = &http.Client{Timeout: 10 * time.Second}
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	return c, nil
}

// String names the account without the token, so printing a Client is safe.
func (c *Client) String() string { return "twilio.Client(" + c.cfg.AccountSID + ")" }

// APIError is Twilio refusing a request. Code is Twilio's error code (21211:
// invalid To number), documented at MoreInfo.
type APIError struct {
	Status   int    // the HTTP status
	Code     int    `json:"code"`
	Message  string `json:"message"`
	MoreInfo string `json:"more_info"`
}

func (e *APIError) Error() string {
	if e.Code == 0 {
		return fmt.Sprintf("twilio: HTTP %d", e.Status)
	}
	return fmt.Sprintf("twilio: error %d (HTTP %d): %s", e.Code, e.Status, e.Message)
}

// maxAnswer bounds what we read of Twilio's answers; real ones are a few KiB.
const maxAnswer = 1 << 20

// create POSTs form to the account's resource ("Messages.json", "Calls.json", or
// "Calls/<sid>.json" to update a call) and returns the SID of what Twilio
// created or updated.
func (c *Client) create(ctx context.Context, resource string, form url.Values) (string, error) {
	u := c.cfg.APIBase + "/2010-04-01/Accounts/" + c.cfg.AccountSID + "/" + resource
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		return "", fmt.Errorf("twilio: %s: %w", resource, err)
	}
	req.SetBasicAuth(c.cfg.AccountSID, c.cfg.AuthToken)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		// The URL in err holds the account SID but not the token, which only
		// travels in the Authorization header.
		return "", fmt.Errorf("twilio: %s: %w", resource, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return "", fmt.Errorf("twilio: %s: read answer: %w", resource, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		apiErr := &APIError{}
		_ = json.Unmarshal(body, apiErr) // a non-JSON error still has its status
		apiErr.Status = resp.StatusCode
		return "", fmt.Errorf("twilio: %s: %w", resource, apiErr)
	}
	var created struct {
		SID string `json:"sid"`
	}
	if err := json.Unmarshal(body, &created); err != nil || created.SID == "" {
		return "", fmt.Errorf("twilio: %s: answer %d without a sid", resource, resp.StatusCode)
	}
	return created.SID, nil
}

func isSID(s, prefix string) bool {
	if len(s) != 34 || !strings.HasPrefix(s, prefix) {
		return false
	}
	for _, c := range s[2:] {
		if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
			return false
		}
	}
	return true
}

func isE164(s string) bool {
	if len(s) < 3 || len(s) > 16 || s[0] != '+' || s[1] == '0' {
		return false
	}
	for _, c := range s[1:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// checkBase accepts an absolute http(s) URL without query or fragment, so that
// appending a path to it gives a well-formed URL.
func checkBase(name, s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return fmt.Errorf("%s must be an absolute http(s) URL without query, such as \"https://id.example.com\"", name)
	}
	return nil
}
