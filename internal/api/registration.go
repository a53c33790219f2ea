package api

import (
	"context"
	"net/http"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/campaign"
	"github.com/twofold-id/twofold/internal/httpx"
	"github.com/twofold-id/twofold/internal/signin"
)

// Campaign is the registration campaign as the API calls it
// (*campaign.Service), the twin of the page a signed-in member lands on.
type Campaign interface {
	// Status says what is still asked of the member and whether now.
	Status(ctx context.Context, p *twofold.Principal) (*campaign.Status, error)
	// Snooze puts it off; EFORBIDDEN when no snooze is allowed, ECONFLICT when
	// nothing is asked.
	Snooze(ctx context.Context, p *twofold.Principal) (*campaign.Status, error)
}

var _ Campaign = (*campaign.Service)(nil)

// campaignView is what the registration campaign asks of the member.
type campaignView struct {
	// RegistrationRequired names what the member should register now
	// ("resetMethods"); empty when nothing is asked or it is snoozed.
	RegistrationRequired []string `json:"registrationRequired"`
	// RegistrationSnoozed names what is put off until SnoozedUntilDateTime.
	RegistrationSnoozed  []string             `json:"registrationSnoozed"`
	ResetMethodsMissing  int                  `json:"resetMethodsMissing"`
	MethodTypes          []twofold.MethodKind `json:"methodTypes"`
	SnoozeDays           int                  `json:"snoozeDays"`
	SnoozesLeft          int                  `json:"snoozesLeft"`
	CanSnooze            bool                 `json:"canSnooze"`
	SnoozedUntilDateTime string               `json:"snoozedUntilDateTime,omitempty"`
}

func newCampaignView(st *campaign.Status) campaignView {
	v := campaignView{
		RegistrationRequired: []string{}, RegistrationSnoozed: []string{}, MethodTypes: []twofold.MethodKind{},
		ResetMethodsMissing: st.ResetMissing, SnoozeDays: st.SnoozeDays, SnoozesLeft: st.SnoozesLeft,
		SnoozedUntilDateTime: dateTime(st.SnoozedUntil),
	}
	if len(st.Required) > 0 {
		v.MethodTypes = append(v.MethodTypes, st.CanAdd...)
		if st.Due {
			v.RegistrationRequired = append(v.RegistrationRequired, st.Required...)
			v.CanSnooze = st.CanSnooze()
		} else {
			v.RegistrationSnoozed = append(v.RegistrationSnoozed, st.Required...)
		}
	}
	return v
}

// errNoCampaign answers the campaign's calls on a server built without it.
var errNoCampaign = twofold.Errorf(twofold.ENOTFOUND, "Registration isn't available on this server.")

// getRegistration shows what the registration campaign asks of the member.
func (h *handler) getRegistration(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	if h.Campaign == nil {
		h.fail(w, r, errNoCampaign)
		return
	}
	st, err := h.Campaign.Status(r.Context(), p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, newCampaignView(st))
}

// snoozeRegistration is "Not now". A snooze already running is answered as it
// stands and not counted again.
func (h *handler) snoozeRegistration(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	if h.Campaign == nil {
		h.fail(w, r, errNoCampaign)
		return
	}
	st, err := h.Campaign.Snooze(r.Context(), p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, newCampaignView(st))
}

// registrationRequired is what the campaign asks now of the member a sign-in
// just signed in, for the signed-in answer; nil when nothing is asked. A
// campaign that cannot be read must not fail a sign-in, so that is logged.
func (h *handler) registrationRequired(r *http.Request, res *signin.Result) []string {
	if h.Campaign == nil || res.User == nil || res.Org == nil {
		return nil
	}
	p := &twofold.Principal{User: res.User, Org: res.Org, Session: res.Session, Client: httpx.Client(r)}
	st, err := h.Campaign.Status(r.Context(), p)
	if err != nil {
		httpx.LogError(r.Context(), h.log, err)
		return nil
	}
	if !st.Due {
		return nil
	}
	return st.Required
}
