package web

import (
	"context"
	"errors"
	"net/http"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/campaign"
	"github.com/twofold-id/twofold/internal/httpx"
	"github.com/twofold-id/twofold/internal/methodkind"
	"github.com/twofold-id/twofold/internal/securityinfo"
	"github.com/twofold-id/twofold/internal/signin"
)

// Campaign is the registration campaign as the pages call it
// (*campaign.Service): after sign-in it asks for the methods that let a member
// reset their password, and lets them put that off a few times.
type Campaign interface {
	// Status says what is still asked of the member and whether now.
	Status(ctx context.Context, p *twofold.Principal) (*campaign.Status, error)
	// Snooze puts it off ("Not now"); EFORBIDDEN when no snooze is allowed,
	// ECONFLICT when nothing is asked.
	Snooze(ctx context.Context, p *twofold.Principal) (*campaign.Status, error)
}

var _ Campaign = (*campaign.Service)(nil)

// campaignPath is the page a signed-in member lands on while the campaign
// asks for something.
const campaignPath = "/my/register"

// campaignView is "Help us protect your account": a way to reset the password
// to add, and "Not now" while snoozes are allowed.
type campaignView struct {
	Page
	Username string
	Status   *campaign.Status
	Options  []securityinfo.AddOption
	// MaxSnoozes is how many snoozes a member may take in a row.
	MaxSnoozes int
}

func (campaignView) template() string { return "campaign" }

// landing is where a member who has just signed in goes: the campaign's page
// when it asks for something now, otherwise My Account. A campaign that cannot
// be read must not stop a sign-in, so that error is logged and skipped.
func (h *handler) landing(r *http.Request, p *twofold.Principal) string {
	if h.Campaign == nil {
		return "/my"
	}
	st, err := h.Campaign.Status(r.Context(), p)
	if err != nil {
		httpx.LogError(r.Context(), h.log, err)
		return "/my"
	}
	if st.Due {
		return campaignPath
	}
	return "/my"
}

// signedInPrincipal is the member a sign-in result signed in, as the session's
// requests will see them.
func signedInPrincipal(r *http.Request, res *signin.Result) *twofold.Principal {
	return &twofold.Principal{User: res.User, Org: res.Org, Session: res.Session, Client: httpx.Client(r)}
}

func (h *handler) campaignPage(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	if h.Campaign == nil {
		http.Redirect(w, r, "/my", http.StatusSeeOther)
		return
	}
	st, err := h.Campaign.Status(r.Context(), p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !st.Due {
		http.Redirect(w, r, "/my", http.StatusSeeOther)
		return
	}
	h.renderCampaign(w, r, p, http.StatusOK, st, nil)
}

func (h *handler) renderCampaign(w http.ResponseWriter, r *http.Request, p *twofold.Principal, status int, st *campaign.Status, errs formErrors) {
	v := campaignView{
		Page:     Page{Title: "Help us protect your account", OrgName: p.Org.Name, Errors: errs},
		Username: p.User.Username, Status: st, MaxSnoozes: twofold.MaxSnoozes,
	}
	for _, k := range st.CanAdd {
		v.Options = append(v.Options, securityinfo.AddOption{Kind: k, Label: methodkind.Label(k), Description: methodkind.Description(k)})
	}
	h.render(w, r, status, v)
}

// campaignSnooze is "Not now". A snooze already running is kept (a second
// click counts once); a refused snooze shows the page again, saying why.
func (h *handler) campaignSnooze(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	if h.Campaign == nil {
		http.Redirect(w, r, "/my", http.StatusSeeOther)
		return
	}
	_, err := h.Campaign.Snooze(r.Context(), p)
	switch {
	case err == nil || errors.Is(err, campaign.ErrNothingToSnooze):
		http.Redirect(w, r, "/my", http.StatusSeeOther)
	case twofold.ErrorCode(err) == twofold.EFORBIDDEN:
		st, serr := h.Campaign.Status(r.Context(), p)
		if serr != nil {
			h.fail(w, r, serr)
			return
		}
		h.renderCampaign(w, r, p, http.StatusForbidden, st, formErrors{{Message: twofold.ErrorMessage(err)}})
	default:
		h.fail(w, r, err)
	}
}
