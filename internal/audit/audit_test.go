package audit_test

import (
	"strings"
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/testkit"
)

// One unauthenticated request with a 60 KB User-Agent must not store 60 KB: the
// audit row keeps what a session keeps of it.
func TestHugeUserAgentIsTruncatedInTheAuditLog(t *testing.T) {
	for _, backend := range testkit.Backends() {
		t.Run(backend, func(t *testing.T) {
			k := testkit.NewWith(t, testkit.Options{Backend: backend})
			m := k.NewMember(k.NewOrg("contoso.test"), "alex")
			huge := twofold.Client{IP: "192.0.2.7", UserAgent: "Mozilla/5.0 " + strings.Repeat("A", 60<<10)}

			if _, err := k.SignIn.Password(k.Ctx, m.Username(), "not the password", huge); err == nil {
				t.Fatal("a wrong password was accepted")
			}
			if err := k.Audit.Record(k.Ctx, &twofold.AuditEvent{OrgID: m.User.OrgID, TargetID: m.User.ID,
				Activity: "test", UserAgent: huge.UserAgent}); err != nil {
				t.Fatal(err)
			}
			var longest int
			if err := k.DB().QueryRowContext(k.Ctx, "SELECT COALESCE(MAX(LENGTH(user_agent)), 0) FROM audit_events").Scan(&longest); err != nil {
				t.Fatal(err)
			}
			if longest > twofold.MaxUserAgent {
				t.Errorf("an audit row stores a %d-byte User-Agent, want at most %d", longest, twofold.MaxUserAgent)
			}
			if es := k.Events(m.User.ID, ""); len(es) < 2 || !strings.HasPrefix(es[0].UserAgent, "Mozilla/5.0 AAA") {
				t.Errorf("events %d; the kept User-Agent should start as sent", len(es))
			}
		})
	}
}
