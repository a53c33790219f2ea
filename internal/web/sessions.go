package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/useragent"
)

// sessionsView lists where the member is signed in.
type sessionsView struct {
	Page
	Sessions []sessionRow
}

func (sessionsView) template() string { return "sessions" }

// sessionRow is one session as people read it.
type sessionRow struct {
	Browser    string // "Firefox on Windows"
	IP         string
	Created    time.Time
	LastSeen   time.Time
	LastSeenAt string // "Now", "5 minutes ago" or a date
	ThisDevice bool
}

func (h *handler) sessions(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	list, err := h.Sessions.List(r.Context(), p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	now := h.Now()
	v := sessionsView{Page: accountPage(p, "Sessions", "sessions")}
	for _, s := range list {
		v.Sessions = append(v.Sessions, sessionRow{
			Browser:    useragent.Summary(s.UserAgent),
			IP:         s.IP,
			Created:    s.CreatedAt,
			LastSeen:   s.LastSeenAt,
			LastSeenAt: lastSeen(now, s.LastSeenAt),
			ThisDevice: s.ID == p.Session.ID,
		})
	}
	h.render(w, r, http.StatusOK, v)
}

func (h *handler) signOutEverywhere(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	if _, err := h.Sessions.SignOutEverywhere(r.Context(), p); err != nil {
		h.fail(w, r, err)
		return
	}
	h.cookies.clearSession(w)
	http.Redirect(w, r, "/signin?m="+noticeEverywhere, http.StatusSeeOther)
}

// dateFormat is how pages write a moment: unambiguous in every locale.
const dateFormat = "2 Jan 2006, 15:04 MST"

// lastSeen says when a session was last used, in words for the last hour.
func lastSeen(now, t time.Time) string {
	switch d := now.Sub(t); {
	case d < 2*time.Minute:
		return "Now"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + " minutes ago"
	}
	return t.UTC().Format(dateFormat)
}
