package twofold_test

import (
	"bytes"
	"encoding/base64"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
)

// A logged ceremony shows which one it is, never its challenge or the flow
// secret its binding may hold.
func TestCeremonyLogsNoSecrets(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	c := &twofold.Ceremony{ID: "cer-1", Binding: "flow:f10wsecret", Purpose: twofold.CeremonyLogin,
		UserID: "user-1", SessionData: []byte(`{"challenge":"ch4llenge"}`), ExpiresAt: time.Unix(0, 0)}
	log.Info("ceremony", "c", c, "v", *c)
	out := buf.String()
	for _, secret := range []string{"f10wsecret", "ch4llenge", base64.StdEncoding.EncodeToString(c.SessionData)} {
		if strings.Contains(out, secret) {
			t.Errorf("log shows %q: %s", secret, out)
		}
	}
	for _, want := range []string{"cer-1", "login", "user-1"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q: %s", want, out)
		}
	}
}
