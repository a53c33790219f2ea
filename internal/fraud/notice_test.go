package fraud_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/testkit"
)

var linkRE = regexp.MustCompile(`\S+/report/([0-9a-f]+)`)

// The link in a real notice (as wired for the service) is on the configured
// base URL and reports the change it tells of.
func TestTheNoticeLinkReports(t *testing.T) {
	k := testkit.New(t)
	m := k.NewMember(k.NewOrg("contoso.test"), "ada")
	k.Enrol(m, client)
	var link []string
	for _, msg := range k.Messages(m) {
		if msg.Subject == "Your security info changed" {
			link = linkRE.FindStringSubmatch(msg.Body)
		}
	}
	if link == nil || !strings.HasPrefix(link[0], testkit.BaseURL+"/report/") {
		t.Fatalf("no report link on the base URL in the notice: %v", link)
	}
	if _, err := k.Report.Report(k.Ctx, link[1], client); err != nil {
		t.Fatalf("Report: %v", err)
	}
	if k.User(m.User.ID).MFABlockedUntil.IsZero() {
		t.Error("the report did not block MFA")
	}
	ev := k.Events(m.User.ID, twofold.ActivityFraudReported)
	reg := k.Events(m.User.ID, twofold.ActivityRegistered)
	if len(ev) != 1 || len(reg) == 0 || !strings.Contains(ev[0].Reason, " event "+itoa(reg[0].ID)+";") {
		t.Errorf("fraud events %+v, want one naming the registration event", ev)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
