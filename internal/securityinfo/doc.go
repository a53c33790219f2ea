// Package securityinfo holds the manage-mode use cases of the Security info page:
// list the member's methods, add and activate an authenticator app, delete a method,
// change the default sign-in method, and re-verify to open the fresh-MFA window.
//
// Every change needs a second factor proven in this session within the last
// FreshWindow, is audited and is notified to the member.
package securityinfo
