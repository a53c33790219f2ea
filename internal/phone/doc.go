// Package phone registers and checks phones: it reads the numbers members type,
// and sends and checks texted codes and verification calls.
//
// Numbers are read with libphonenumber's rules (github.com/nyaruka/phonenumbers)
// and kept in E.164 form. Parse refuses, with a reason a person understands,
// anything a verification text or call could not reach or should not go to:
// numbers that are impossible or invalid for their country, toll-free,
// premium-rate and other service numbers, countries the organization does not
// allow, and definite landlines when the code is to be texted. An extension is
// removed and reported separately, because automated calls and texts cannot
// dial one and the member should be told it was dropped.
//
// Numbers are shown to members as "+1 4255551234" (Display) and, wherever the
// viewer might not be the owner (audit log, admin pages, notifications), masked
// as "+1 XXXXXXX234" (Mask), which is enough to recognize one's own phone
// without handing out the number.
package phone
