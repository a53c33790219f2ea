package web

import (
	"strconv"
	"strings"
	"testing"
)

func TestBarChartIsAnAccessibleImage(t *testing.T) {
	svg := string(barChart("c1", "Members <by> method", "Of 10 members: app 5.", []chartBar{{"App & co", 5}, {"Key", 10}, {"None", 0}}, 10))
	for _, want := range []string{`role="img"`, `aria-labelledby="c1-title c1-desc"`, `<title id="c1-title">Members &lt;by&gt; method</title>`,
		`<desc id="c1-desc">Of 10 members: app 5.</desc>`, `data-label="App &amp; co" data-value="5"`, `>5 of 10</text>`} {
		if !strings.Contains(svg, want) {
			t.Errorf("chart lacks %q:\n%s", want, svg)
		}
	}
	// Bars are as long as their share: the full track for all, half for half.
	track := chartWidth - barValueW
	if !strings.Contains(svg, `width="`+strconv.Itoa(track/2)+`" height="24" rx="3" data-label="App &amp; co"`) ||
		!strings.Contains(svg, `width="`+strconv.Itoa(track)+`" height="24" rx="3" data-label="Key"`) {
		t.Errorf("bar lengths:\n%s", svg)
	}
	if strings.Contains(svg, "<script") || strings.Contains(svg, "style=") {
		t.Error("the chart has a script or inline style")
	}
	// No members draws empty bars rather than dividing by zero.
	if svg := string(barChart("c2", "t", "d", []chartBar{{"A", 0}}, 0)); !strings.Contains(svg, `width="0"`) {
		t.Errorf("empty chart:\n%s", svg)
	}
}

func TestColumnChartScalesToTheLargestValue(t *testing.T) {
	svg := string(columnChart("c3", "Over time", "d", []string{"day 1", "day 2"},
		[]chartSeries{{"MFA", []int{2, 4}}, {"Reset", []int{1, 0}}}, 0))
	full := columnH - 8
	for _, want := range []string{`height="` + strconv.Itoa(full) + `" data-label="day 2" data-series="MFA" data-value="4"`,
		`height="` + strconv.Itoa(full/2) + `" data-label="day 1" data-series="MFA" data-value="2"`,
		`data-label="day 2" data-series="Reset" data-value="0"`, `>day 1</text>`, `>day 2</text>`} {
		if !strings.Contains(svg, want) {
			t.Errorf("chart lacks %q:\n%s", want, svg)
		}
	}
}
