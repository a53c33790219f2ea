package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/tap"
)

// tapView is the form that issues a Temporary Access Pass: how long it lasts,
// whether it works once, and when it starts.
type tapView struct {
	Page
	Name     string
	Back     string
	Action   string
	Lifetime string // minutes; "" is the policy's default
	OneTime  bool
	StartAt  string // "2006-01-02 15:04" in UTC; "" is now
	Policy   twofold.TAPPolicy
	Choices  []option
}

func (tapView) template() string { return "admin-tap" }

// startLayouts are the ways the start may be typed, in UTC.
var startLayouts = []string{"2006-01-02 15:04", "2006-01-02T15:04"}

func parseStart(s string) (time.Time, bool) {
	for _, l := range startLayouts {
		if t, err := time.ParseInLocation(l, strings.TrimSpace(s), time.UTC); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// tapLifetimes are the lifetimes the form offers, up to the policy's maximum.
func tapLifetimes(def, max time.Duration) []option {
	label := "Your organization's default"
	if def > 0 {
		label += " (" + lifetimeWords(def) + ")"
	}
	o := []option{{"", label}}
	for _, c := range []struct {
		d     time.Duration
		label string
	}{
		{time.Hour, "1 hour"}, {8 * time.Hour, "8 hours"}, {24 * time.Hour, "1 day"},
		{3 * 24 * time.Hour, "3 days"}, {7 * 24 * time.Hour, "7 days"}, {30 * 24 * time.Hour, "30 days"},
	} {
		if max == 0 || c.d <= max {
			o = append(o, option{strconv.Itoa(int(c.d / time.Minute)), c.label})
		}
	}
	return o
}

func (h *handler) tapForm(w http.ResponseWriter, r *http.Request, p *twofold.Principal, a *twofold.Actor) (tapView, bool) {
	mv, ok := h.loadMember(w, r, p, a)
	if !ok {
		return tapView{}, false
	}
	pol := p.Org.Policy.TemporaryAccessPass
	v := tapView{Page: staffPage(p, a, "Issue a Temporary Access Pass", "members"), Name: mv.Name,
		Back: memberPath(mv.User.ID), Action: memberPath(mv.User.ID) + "/tap", Policy: pol,
		Choices: tapLifetimes(time.Duration(pol.DefaultLifetime), time.Duration(pol.MaxLifetime)), OneTime: pol.OneTimeOnly}
	return v, true
}

func (h *handler) tapPage(w http.ResponseWriter, r *http.Request, p *twofold.Principal, a *twofold.Actor) {
	if v, ok := h.tapForm(w, r, p, a); ok {
		h.render(w, r, http.StatusOK, v)
	}
}

func (h *handler) tapSubmit(w http.ResponseWriter, r *http.Request, p *twofold.Principal, a *twofold.Actor) {
	v, ok := h.tapForm(w, r, p, a)
	if !ok {
		return
	}
	v.Lifetime, v.OneTime, v.StartAt = r.PostFormValue("lifetime"), r.PostFormValue("oneTime") == "1" || v.Policy.OneTimeOnly, r.PostFormValue("startAt")
	req := tap.Request{OneTime: v.OneTime}
	if v.Lifetime != "" {
		minutes, err := strconv.Atoi(v.Lifetime)
		if err != nil || minutes <= 0 {
			v.Errors = formErrors{{Field: "lifetime", Message: "Choose how long the pass lasts."}}
			h.render(w, r, http.StatusBadRequest, v)
			return
		}
		req.Lifetime = time.Duration(minutes) * time.Minute
	}
	if v.StartAt != "" {
		t, ok := parseStart(v.StartAt)
		if !ok {
			v.Errors = formErrors{{Field: "startAt", Message: "Enter the start as a date and time, like 2026-03-04 09:30, or leave it empty to start now."}}
			h.render(w, r, http.StatusBadRequest, v)
			return
		}
		req.StartAt = t
	}
	id := r.PathValue("id")
	issued, err := h.Console.AccessPasses.Issue(r.Context(), a, id, req)
	if err != nil {
		switch twofold.ErrorCode(err) {
		// The member page let the staff member in, so a refusal here is the
		// policy's (passes off), which the form says in its own words.
		case twofold.EINVALID, twofold.ECONFLICT, twofold.ERATELIMIT, twofold.EFORBIDDEN:
			v.Errors = errorsFrom(err, "", "lifetime", "oneTime", "startAt")
			h.render(w, r, formStatus(w, err), v)
		default:
			h.consoleFail(w, r, p, err, memberPath(id)+"/tap")
		}
		return
	}
	s := shownSecret{UserID: id, Kind: shownPass, Secret: issued.Pass, Ends: issued.Method.ExpiresAt, Once: issued.Method.UsableOnce}
	if !req.StartAt.IsZero() {
		s.Starts = req.StartAt
	}
	h.setShown(w, s)
	http.Redirect(w, r, memberPath(id)+"/shown", http.StatusSeeOther)
}

// lifetimeWords says a pass's lifetime for people: "10 minutes", "1 hour", "3 days".
func lifetimeWords(d time.Duration) string {
	n, unit := int(d/time.Minute), "minute"
	switch {
	case d%(24*time.Hour) == 0:
		n, unit = int(d/(24*time.Hour)), "day"
	case d%time.Hour == 0:
		n, unit = int(d/time.Hour), "hour"
	}
	if n == 1 {
		return "1 " + unit
	}
	return strconv.Itoa(n) + " " + unit + "s"
}
