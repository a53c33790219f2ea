package web

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/campaign"
	"github.com/twofold-id/twofold/internal/httpx"
)

// fakeCampaign asks for one reset method until snoozed; snoozes counts "Not
// now" as the use case would (one per running snooze), left how many remain.
type fakeCampaign struct {
	mu      sync.Mutex
	due     bool
	left    int
	days    int
	snoozes int
	err     error // what Status answers, when set
}

func (f *fakeCampaign) status() *campaign.Status {
	st := &campaign.Status{ResetMissing: 1, CanAdd: []twofold.MethodKind{twofold.KindPhone, twofold.KindFido2},
		Due: f.due, SnoozeDays: f.days, SnoozesLeft: f.left, HelpdeskContact: "helpdesk@contoso.test"}
	if f.due || f.left < twofold.MaxSnoozes {
		st.Required = []string{campaign.ResetMethods}
	}
	return st
}

func (f *fakeCampaign) Status(context.Context, *twofold.Principal) (*campaign.Status, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return nil, f.err
	}
	return f.status(), nil
}

func (f *fakeCampaign) Snooze(context.Context, *twofold.Principal) (*campaign.Status, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case !f.due:
		return f.status(), nil
	case f.days == 0:
		return nil, campaign.ErrNoSnooze
	case f.left == 0:
		return nil, campaign.ErrSnoozesUsed
	}
	f.due, f.left, f.snoozes = false, f.left-1, f.snoozes+1
	return f.status(), nil
}

func newCampaignEnv(t *testing.T, fc *fakeCampaign) *env {
	t.Helper()
	rec := &recorder{}
	info := &fakeSecurityInfo{recorder: rec, methods: []*twofold.Method{
		{ID: "m1", Kind: twofold.KindSoftwareOath, Name: "Work phone", State: twofold.MethodActive},
	}}
	logs := &bytes.Buffer{}
	e := &env{t: t, rec: rec, signin: newFakeSignin(rec), info: info, logs: logs}
	h, err := New(Deps{
		Signin: e.signin, Sessions: fakeSessions{rec}, SecurityInfo: info, Campaign: fc,
		Logger: slog.New(slog.NewTextHandler(logs, nil)), Now: func() time.Time { return testNow },
	})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	e.h = httpx.RequestContext(nil, h)
	return e
}

func TestSignInLandsOnTheCampaignWhenItAsks(t *testing.T) {
	fc := &fakeCampaign{due: true, left: 3, days: 1}
	e := newCampaignEnv(t, fc)
	wantRedirect(t, e.do("POST", "/signin", url.Values{"username": {"solo@contoso.test"}, "password": {"right"}}), campaignPath)
	wantRedirect(t, e.do("POST", "/signin/verify", url.Values{"method": {""}, "code": {goodCode}}, flowMFA), campaignPath)
	// Done after the interrupt's registration goes on to the campaign too.
	wantBody(t, e.do("GET", "/signin/register/done", nil, member), http.StatusOK, `href="/my/register"`, ">Next<")

	fc.due = false
	wantRedirect(t, e.do("POST", "/signin", url.Values{"username": {"solo@contoso.test"}, "password": {"right"}}), "/my")
	wantBody(t, e.do("GET", "/signin/register/done", nil, member), http.StatusOK, `href="/my"`, ">Done<")
	wantRedirect(t, e.do("GET", campaignPath, nil, member), "/my")

	// A campaign that can't be read doesn't stop the sign-in.
	fc.due, fc.err = true, fmt.Errorf("campaign: read: %w", errInternal)
	wantRedirect(t, e.do("POST", "/signin", url.Values{"username": {"solo@contoso.test"}, "password": {"right"}}), "/my")
}

func TestCampaignPageOffersMethodsAndNotNow(t *testing.T) {
	fc := &fakeCampaign{due: true, left: 2, days: 7}
	e := newCampaignEnv(t, fc)
	w := e.do("GET", campaignPath, nil, member)
	wantBody(t, w, http.StatusOK, "Help us protect your account", "ada@contoso.test",
		"one more method", `action="/my/security-info/add"`, `name="kind" value="phone"`, `name="kind" value="fido2"`,
		"Add Phone", "Add Security key", `action="/my/register/snooze"`, "Not now", `aria-describedby="snooze-hint"`,
		"2 more times", "7 days", "helpdesk@contoso.test", `action="/signout"`)

	wantRedirect(t, e.do("POST", "/my/register/snooze", url.Values{}, member), "/my")
	// A second click while the snooze runs counts nothing more.
	wantRedirect(t, e.do("POST", "/my/register/snooze", url.Values{}, member), "/my")
	if fc.snoozes != 1 {
		t.Errorf("%d snoozes, want 1", fc.snoozes)
	}
	// Not signed in: to sign-in, as every My Account page.
	wantRedirect(t, e.do("GET", campaignPath, nil), "/signin")
	wantRedirect(t, e.do("POST", "/my/register/snooze", url.Values{}), "/signin")
}

func TestCampaignForcedAfterTheLastSnooze(t *testing.T) {
	fc := &fakeCampaign{due: true, left: 0, days: 1}
	e := newCampaignEnv(t, fc)
	w := e.do("GET", campaignPath, nil, member)
	wantBody(t, w, http.StatusOK, "Add Phone", "put this off 3 times, so your organization asks you to add it now")
	if strings.Contains(w.Body.String(), "Not now") {
		t.Error("Not now offered after the last snooze")
	}
	// A forged "Not now" is refused on the page, saying why, with the summary.
	w = e.do("POST", "/my/register/snooze", url.Values{}, member)
	wantBody(t, w, http.StatusForbidden, `id="error-summary"`, "You&#39;ve put this off 3 times already", "Add Phone")

	fc.left, fc.days = 3, 0
	w = e.do("GET", campaignPath, nil, member)
	wantBody(t, w, http.StatusOK, "Your organization asks you to add it now.")
	if strings.Contains(w.Body.String(), "Not now") {
		t.Error("Not now offered with snoozes off")
	}
	wantBody(t, e.do("POST", "/my/register/snooze", url.Values{}, member), http.StatusForbidden, "asks you to add a way to reset your password now")
}

func TestCampaignPageWithoutACampaign(t *testing.T) {
	e := newEnv(t, false)
	wantRedirect(t, e.do("GET", campaignPath, nil, member), "/my")
	wantRedirect(t, e.do("POST", "/my/register/snooze", url.Values{}, member), "/my")
}
