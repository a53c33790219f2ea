// Package campaign is the registration campaign: once a member is signed in,
// it asks them for what the sign-in interrupt did not require but their
// organization wants, the methods that let them reset a forgotten password
// themselves. A member may put it off ("Not now") for the policy's snooze days,
// at most twofold.MaxSnoozes times; then adding them is no longer optional.
//
// The interrupt itself ("More information required", internal/signin) stays
// about the second factor: a session is issued as soon as that is proven, and
// the campaign's page is where the signed-in member lands next.
package campaign
