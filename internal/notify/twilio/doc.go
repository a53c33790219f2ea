// Package twilio delivers texts and verification calls through Twilio's
// Programmable Messaging and Voice APIs and receives Twilio's call webhooks.
//
// # Outgoing requests
//
// Both are form POSTs with HTTP basic auth (account SID, auth token):
//
//	POST {APIBase}/2010-04-01/Accounts/{AccountSID}/Messages.json
//	     To, Body, and From or (when configured) MessagingServiceSid
//	POST {APIBase}/2010-04-01/Accounts/{AccountSID}/Calls.json
//	     To, From, Twiml, Timeout (ring seconds, 5–600), StatusCallback,
//	     StatusCallbackMethod=POST, StatusCallbackEvent=answered,
//	     StatusCallbackEvent=completed
//
// Twilio answers 201 with the created resource's "sid", which is returned as the
// provider reference, or with {"code", "message", "more_info", "status"}, which
// is returned as an *APIError. The auth token never appears in an error.
//
// The call's inline TwiML speaks the prompt inside
//
//	<Gather input="dtmf" numDigits="1" finishOnKey="" timeout="10"
//	        action="{PublicBaseURL}/hooks/twilio/calls/{challengeID}/keys" method="POST">
//
// followed by a goodbye and <Hangup/> for silence. One digit with no finish key
// makes "#" arrive as Digits="#" instead of ending the Gather empty. A first "0"
// is answered with a second one-key Gather whose action carries ?first=0, so the
// fraud report "0" then "#" is reported as the digits "0#".
//
// # Webhooks
//
// Handler serves, under the paths above,
//
//	POST /hooks/twilio/calls/{id}/keys    Digits → CallKeys ("#", "0#", or the wrong key);
//	                                      answers TwiML (text/xml)
//	POST /hooks/twilio/calls/{id}/status  CallStatus in-progress → CallAnswered,
//	                                      completed → CallCompleted, busy → CallBusy,
//	                                      no-answer → CallNoAnswer, failed and
//	                                      canceled → CallFailed; others ignored; 204
//
// Every request is checked against X-Twilio-Signature: base64(HMAC-SHA1(auth
// token, URL + each POST parameter's name and value in name order)), where the URL
// is the configured PublicBaseURL plus the request's path and query. The request's
// Host header is never used, so a sender cannot choose the URL it is checked
// against. A missing or wrong signature gets 403 and reports nothing; an unknown
// challenge gets 404.
package twilio
