package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/twofold-id/twofold"
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
			Browser:    browserSummary(s.UserAgent),
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

// browserSummary names the browser and system of a User-Agent in a few words. It
// is a hint for people, not a security decision, so a rough match is enough.
func browserSummary(ua string) string {
	browser := "Unknown browser"
	switch {
	case strings.Contains(ua, "Edg/"):
		browser = "Edge"
	case strings.Contains(ua, "OPR/"):
		browser = "Opera"
	case strings.Contains(ua, "Firefox/"):
		browser = "Firefox"
	case strings.Contains(ua, "Chrome/"), strings.Contains(ua, "CriOS/"):
		browser = "Chrome"
	case strings.Contains(ua, "Safari/"):
		browser = "Safari"
	case strings.HasPrefix(ua, "curl/"):
		browser = "curl"
	case ua != "":
		browser = "Other app"
	}
	system := ""
	switch {
	case strings.Contains(ua, "iPhone"), strings.Contains(ua, "iPad"):
		system = "iOS"
	case strings.Contains(ua, "Android"):
		system = "Android"
	case strings.Contains(ua, "Windows"):
		system = "Windows"
	case strings.Contains(ua, "Mac OS X"), strings.Contains(ua, "Macintosh"):
		system = "macOS"
	case strings.Contains(ua, "CrOS"):
		system = "ChromeOS"
	case strings.Contains(ua, "Linux"):
		system = "Linux"
	}
	if system == "" {
		return browser
	}
	return browser + " on " + system
}
