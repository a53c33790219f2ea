package webhook

import (
	"bytes"
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
	"unicode"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/notify"
)

// Config is how twofold reaches the operator's gateway.
type Config struct {
	URL string // the gateway endpoint every text and call is POSTed to
	// Secret is the HMAC key shared with the gateway, at least 32 bytes. It signs
	// requests to the gateway and verifies its callbacks; never logged.
	Secret []byte
	// PublicBaseURL is this service's configured external URL, such as
	// "https://id.example.com"; call callback URLs are built on it.
	PublicBaseURL string
	HTTPClient    *http.Client     // default: 10-second timeout, redirects not followed
	Now           func() time.Time // default time.Now
	Log           *slog.Logger     // callback failures; nil discards
}

// LogValue implements slog.LogValuer so a logged Config never shows the secret.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("url", c.URL),
		slog.String("secret", "REDACTED"),
		slog.String("public_base_url", c.PublicBaseURL),
	)
}

// MinSecret is the shortest accepted shared secret: 256 bits.
const MinSecret = 32

// Client sends texts and calls to the operator's gateway and serves its call
// callbacks (see Handler). It is safe for concurrent use.
type Client struct {
	cfg  Config
	http *http.Client
	now  func() time.Time
	log  *slog.Logger
}

var _ notify.Phone = (*Client)(nil)

// New checks cfg and returns a Client. Every problem is reported at once.
func New(cfg Config) (*Client, error) {
	cfg.PublicBaseURL = strings.TrimRight(cfg.PublicBaseURL, "/")
	var problems []error
	if !absoluteURL(cfg.URL, true) {
		problems = append(problems, errors.New("URL must be an absolute http(s) URL"))
	}
	if len(cfg.Secret) < MinSecret {
		problems = append(problems, fmt.Errorf("the Secret must be at least %d bytes", MinSecret))
	}
	if !absoluteURL(cfg.PublicBaseURL, false) {
		problems = append(problems, errors.New(`PublicBaseURL must be an absolute http(s) URL without query, such as "https://id.example.com"`))
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("webhook: %w", errors.Join(problems...))
	}
	c := &Client{cfg: cfg, http: cfg.HTTPClient, now: cfg.Now, log: cfg.Log}
	if c.http == nil {
		c.http = &http.Client{
			Timeout: 10 * time.Second,
			// A redirect would carry the signed body somewhere the operator did
			// not configure; a gateway that redirects is misconfigured.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	return c, nil
}

// String names the gateway without the secret, so printing a Client is safe.
func (c *Client) String() string { return "webhook.Client(" + c.cfg.URL + ")" }

// textRequest and callRequest are the bodies POSTed to the gateway (see doc.go).
type (
	textRequest struct {
		ID     string `json:"id"`
		Type   string `json:"type"`
		To     string `json:"to"`
		Body   string `json:"body"`
		OrgID  string `json:"orgId"`
		UserID string `json:"userId"`
	}
	hangUpRequest struct {
		ID   string `json:"id"`
		Type string `json:"type"`
		Ref  string `json:"ref"`
	}
	callRequest struct {
		ID             string `json:"id"`
		Type           string `json:"type"`
		To             string `json:"to"`
		Prompt         string `json:"prompt"`
		TimeoutSeconds int    `json:"timeoutSeconds"`
		CallbackURL    string `json:"callbackUrl"`
		ChallengeID    string `json:"challengeId"`
		OrgID          string `json:"orgId"`
		UserID         string `json:"userId"`
	}
)

// SendText asks the gateway to send t. It returns the gateway's ref, or the
// request's id when the gateway gives none.
func (c *Client) SendText(ctx context.Context, t notify.Text) (string, error) {
	if t.To == "" || t.Body == "" {
		return "", errors.New("webhook: text without To or Body")
	}
	id := twofold.NewID()
	return c.send(ctx, id, textRequest{ID: id, Type: "text", To: t.To, Body: t.Body, OrgID: t.OrgID, UserID: t.UserID})
}

// PlaceCall asks the gateway to place call, which it reports back to
// callbackUrl. It returns the gateway's ref, or the request's id.
func (c *Client) PlaceCall(ctx context.Context, call notify.Call) (string, error) {
	if call.ChallengeID == "" || call.To == "" || call.Prompt == "" {
		return "", errors.New("webhook: call without ChallengeID, To or Prompt")
	}
	id := twofold.NewID()
	return c.send(ctx, id, callRequest{
		ID: id, Type: "call", To: call.To, Prompt: call.Prompt,
		TimeoutSeconds: ringSeconds(call.Timeout),
		CallbackURL:    c.cfg.PublicBaseURL + "/hooks/webhook/calls/" + url.PathEscape(call.ChallengeID),
		ChallengeID:    call.ChallengeID, OrgID: call.OrgID, UserID: call.UserID,
	})
}

// EndCall asks the gateway to hang up the call ref (its ref, or the request's
// id), ringing or answered, because the member canceled. The gateway answers
// 2xx, also for a call that already ended.
func (c *Client) EndCall(ctx context.Context, ref string) error {
	if ref == "" {
		return errors.New("webhook: hang-up without a ref")
	}
	id := twofold.NewID()
	_, err := c.send(ctx, id, hangUpRequest{ID: id, Type: "hangup", Ref: ref})
	return err
}

// ringSeconds rounds the ring time up to whole seconds; 0 asks for a minute.
func ringSeconds(d time.Duration) int {
	if d <= 0 {
		return 60
	}
	return int((d + time.Second - 1) / time.Second)
}

// maxRef bounds the gateway's ref, which is stored with the challenge.
const maxRef = 200

// send POSTs v, signed, and returns the gateway's ref or id.
func (c *Client) send(ctx context.Context, id string, v any) (string, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("webhook: encode: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.cfg.URL, bytes.NewReader(body))
	if err != nil {
		return "", fmt.Errorf("webhook: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set(SignatureHeader, Sign(c.cfg.Secret, c.now(), body))
	resp, err := c.http.Do(req)
	if err != nil {
		return "", fmt.Errorf("webhook: gateway: %w", err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		// The status only: the gateway's body is its business and may hold
		// anything, so it stays out of our errors and logs.
		return "", fmt.Errorf("webhook: gateway answered %d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
	}
	var accepted struct {
		Ref string `json:"ref"`
	}
	if json.Unmarshal(answer, &accepted) == nil && usableRef(accepted.Ref) {
		return accepted.Ref, nil
	}
	return id, nil
}

func usableRef(s string) bool {
	if s == "" || len(s) > maxRef {
		return false
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

// absoluteURL accepts http(s) URLs with a host and, unless query is allowed, no
// query or fragment (it is a base that paths are appended to).
func absoluteURL(s string, query bool) bool {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return false
	}
	return query || (u.RawQuery == "" && u.Fragment == "")
}
