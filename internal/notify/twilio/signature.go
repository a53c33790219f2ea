package twilio

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/url"
	"sort"
)

// signature computes Twilio's X-Twilio-Signature for a POST to fullURL with the
// form parameters params: base64 of HMAC-SHA1, keyed with the auth token, over
// the URL followed by every parameter's name and value, in name order (values of
// a repeated name in value order), with no separators.
func signature(authToken, fullURL string, params url.Values) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	mac := hmac.New(sha1.New, []byte(authToken))
	mac.Write([]byte(fullURL))
	for _, k := range keys {
		vs := append([]string(nil), params[k]...)
		sort.Strings(vs)
		for _, v := range vs {
			mac.Write([]byte(k))
			mac.Write([]byte(v))
		}
	}
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// validSignature reports whether got is the signature of the request, comparing
// in constant time so the check leaks nothing about the expected value.
func validSignature(authToken, fullURL string, params url.Values, got string) bool {
	if got == "" {
		return false
	}
	want := signature(authToken, fullURL, params)
	return hmac.Equal([]byte(want), []byte(got))
}
