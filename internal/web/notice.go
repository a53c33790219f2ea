package web

import (
	"net/http"
	"strings"

	"github.com/twofold-id/twofold"
)

// Notices are the fixed sentences a redirect can ask the next page to show, by key
// in the "m" query parameter. Only these keys are honoured, so a link cannot put
// words of its own on a twofold page.
const (
	noticeSignedOut    = "signedout"
	noticeEverywhere   = "everywhere"
	noticeSessionEnded = "ended"
	noticeFlowExpired  = "expired"
	noticeFlowFailed   = "failed"
	noticeTooManyTries = "tries"
	noticeCanceled     = "canceled"
	noticeDeleted      = "deleted"
	noticeDefault      = "default"
	noticeResent       = "resent"
	noticeCalledAgain  = "called"
	noticeCallWaiting  = "waiting"
	noticeKeyRenamed   = "renamed"
)

// noticeDoneElsewhere ends an interrupt tab made stale by a setup finished in
// another window.
const noticeDoneElsewhere = "elsewhere"

// noticeText returns the sentence for key, or "" for an unknown key.
func noticeText(key string) string {
	switch key {
	case noticeSignedOut:
		return "You've signed out."
	case noticeEverywhere:
		return "You've signed out everywhere. Every session of your account has ended, including this one."
	case noticeSessionEnded:
		return "Your session has ended. Please sign in again."
	case noticeFlowExpired:
		return "Your sign-in has expired. Please sign in again."
	case noticeFlowFailed:
		return "That sign-in can't continue. Please sign in again."
	case noticeTooManyTries:
		return "That was too many wrong codes. Please sign in again."
	case noticeDoneElsewhere:
		return "Your security info was updated in another window, so that setup isn't needed any more. Please sign in again."
	case noticeCanceled:
		return "Sign-in canceled."
	case noticeDeleted:
		return "The method was deleted from your security info."
	case noticeDefault:
		return "Your default sign-in method was changed."
	case noticeResent:
		return "We sent a new code."
	case noticeCalledAgain:
		return "We're calling you again."
	case noticeKeyRenamed:
		return "Your security key was renamed."
	case noticeCallWaiting:
		return "We're still waiting for you to answer the call and press #."
	}
	return ""
}

// resentKey is the notice for a text or call sent again over channel.
func resentKey(channel string) string {
	if channel == twofold.ChannelSMS {
		return noticeResent
	}
	return noticeCalledAgain
}

// resentNotice is the sentence a verification page shows after a resend, or
// after "I've answered the call" while the call still rings: only those
// notices, so no other key's words appear there.
func resentNotice(r *http.Request) string {
	switch key := r.URL.Query().Get("m"); key {
	case noticeResent, noticeCalledAgain, noticeCallWaiting:
		return noticeText(key)
	}
	return ""
}

// afterCall is where "I've answered the call" goes when the call did not verify:
// back to the waiting page by GET (post, then redirect), so the page's script
// never reloads a POST; while the call still rings, the page says so.
func afterCall(page string, err error) string {
	if twofold.ErrorCode(err) != twofold.ECONFLICT {
		return page
	}
	if strings.Contains(page, "?") {
		return page + "&m=" + noticeCallWaiting
	}
	return page + "?m=" + noticeCallWaiting
}

// callRedirects reports whether "I've answered the call" answered with err goes
// back to the waiting page (afterCall): the call still rings (ECONFLICT), ended
// without "#" (EEXPIRED), or is gone (ENOTFOUND). Other refusals are shown as
// they are.
func callRedirects(err error) bool {
	switch twofold.ErrorCode(err) {
	case twofold.ECONFLICT, twofold.EEXPIRED, twofold.ENOTFOUND:
		return true
	}
	return false
}
