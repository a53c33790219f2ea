package notify_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/notify"
)

type keep struct{ got []*twofold.Message }

func (k *keep) Send(_ context.Context, m *twofold.Message) error {
	k.got = append(k.got, m)
	return nil
}

// A notice names the browser as the Sessions page does ("Chrome on Linux"),
// not with the raw User-Agent header.
func TestSecurityChangeNamesTheBrowser(t *testing.T) {
	k := &keep{}
	n := &notify.Notifier{Sender: k, Now: func() time.Time { return time.Date(2030, 1, 7, 9, 0, 0, 0, time.UTC) }}
	ua := "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0 Safari/537.36"
	err := n.SecurityChange(context.Background(), notify.Change{
		User: &twofold.User{ID: "u1", Username: "ada@contoso.com", DisplayName: "Ada"},
		What: "An authenticator app was added to your account.",
		From: twofold.Client{IP: "198.51.100.7", UserAgent: ua},
	})
	if err != nil || len(k.got) != 1 {
		t.Fatalf("SecurityChange: %v, %d messages", err, len(k.got))
	}
	body := k.got[0].Body
	if !strings.Contains(body, "From: 198.51.100.7\nBrowser: Chrome on Linux\n") || strings.Contains(body, "Mozilla") {
		t.Errorf("notice body:\n%s\nwant \"Browser: Chrome on Linux\" and no raw User-Agent", body)
	}
}
