// Package outbox is the development delivery provider: instead of sending texts,
// placing calls or mailing, it stores every message in the database, where the
// /dev/outbox page and tests read it. It must never be configured in production,
// because anyone who can read the outbox can complete anyone's verification.
//
// Calls are simulated. PlaceCall stores a voice message in the ringing state; the
// page (or a test) then acts as the callee with Answer, Press and HangUp, which
// move the stored call along
//
//	ringing --Answer--> answered --Press--> ended   (CallAnswered, then CallKeys)
//	ringing --HangUp--> ended                        (CallNoAnswer: declined)
//	answered --HangUp--> ended                       (CallHungUp)
//
// and report each step to notify.CallEvents exactly as a real provider's webhook
// would, so the phone use case cannot tell the outbox from Twilio. Each move is an
// atomic compare-and-set in the store, so of two racing clicks only one reports an
// event. The outbox never ends a call by itself: the call timeout belongs to the
// phone use case, as it does with real providers.
package outbox
