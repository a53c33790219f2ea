package useragent

import "testing"

func TestSummary(t *testing.T) {
	for ua, want := range map[string]string{
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36 Edg/156.0": "Edge on Windows",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:135.0) Gecko/20100101 Firefox/135.0":                                   "Firefox on macOS",
		"Mozilla/5.0 (Linux; Android 15; Pixel 9) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Mobile Safari/537.36":     "Chrome on Android",
		"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0 Safari/537.36":             "Chrome on Linux",
		"curl/8.5.0": "curl",
		"":           "Unknown browser",
	} {
		if got := Summary(ua); got != want {
			t.Errorf("Summary(%q) = %q, want %q", ua, got, want)
		}
	}
}
