package web

import (
	"fmt"
	"html/template"
	"strings"
)

// Charts are drawn on the server as inline SVG, so the report needs no
// script. Each is one image to assistive technology (role="img" with its
// <title> and <desc>); the page puts a table with the same numbers next to
// it. Colours come from the stylesheet's classes, so both themes keep their
// contrast.

// chartBar is one labelled value of a bar chart.
type chartBar struct {
	Label string
	Value int
}

// chartSeries is one named row of values of a column chart, one per label.
type chartSeries struct {
	Name   string
	Values []int
}

// Chart geometry, in SVG user units (the viewBox scales it to the page).
// A bar's label sits above it, so long labels never run into the bar.
const (
	chartWidth  = 640
	barLabelH   = 28
	barHeight   = 24
	barGap      = 14
	barValueW   = 130
	columnH     = 200
	columnAxisH = 40
	columnMaxW  = 32
)

// esc escapes text for SVG inside HTML.
func esc(s string) string { return template.HTMLEscapeString(s) }

// openChart starts an accessible SVG of the given height.
func openChart(b *strings.Builder, id, title, desc string, height int) {
	fmt.Fprintf(b, `<svg class="chart" id="%s" role="img" aria-labelledby="%s-title %s-desc" viewBox="0 0 %d %d" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">`,
		esc(id), esc(id), esc(id), chartWidth, height)
	fmt.Fprintf(b, `<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, esc(id), esc(title), esc(id), esc(desc))
}

// barChart draws one horizontal bar per value, each as long as its share of
// total, with its label above it and "value of total" at its end.
func barChart(id, title, desc string, bars []chartBar, total int) template.HTML {
	var b strings.Builder
	row := barLabelH + barHeight + barGap
	openChart(&b, id, title, desc, len(bars)*row)
	track := chartWidth - barValueW
	for i, bar := range bars {
		y := i * row
		w := 0
		if total > 0 {
			w = bar.Value * track / total
		}
		fmt.Fprintf(&b, `<text class="chart-label" x="0" y="%d">%s</text>`, y+barLabelH-8, esc(bar.Label))
		fmt.Fprintf(&b, `<rect class="chart-track" x="0" y="%d" width="%d" height="%d" rx="3"/>`, y+barLabelH, track, barHeight)
		fmt.Fprintf(&b, `<rect class="chart-bar series-0" x="0" y="%d" width="%d" height="%d" rx="3" data-label="%s" data-value="%d"/>`,
			y+barLabelH, w, barHeight, esc(bar.Label), bar.Value)
		fmt.Fprintf(&b, `<text class="chart-value" x="%d" y="%d">%d of %d</text>`, track+8, y+barLabelH+barHeight*2/3+1, bar.Value, total)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// columnChart draws, for each label (a day), one column per series side by
// side, scaled to the largest value (at least top), with the first and last
// labels under the axis and a legend on top.
func columnChart(id, title, desc string, labels []string, series []chartSeries, top int) template.HTML {
	var b strings.Builder
	legendH := 30
	openChart(&b, id, title, desc, legendH+columnH+columnAxisH)
	for _, s := range series {
		for _, v := range s.Values {
			top = max(top, v)
		}
	}
	for i, s := range series {
		x := i * 300
		fmt.Fprintf(&b, `<rect class="chart-bar series-%d" x="%d" y="8" width="14" height="14"/><text class="chart-label" x="%d" y="21">%s</text>`,
			i, x, x+20, esc(s.Name))
	}
	base := legendH + columnH
	fmt.Fprintf(&b, `<line class="chart-axis" x1="0" y1="%d" x2="%d" y2="%d"/>`, base, chartWidth, base)
	if len(labels) > 0 && len(series) > 0 {
		slot := min(chartWidth/len(labels), columnMaxW*len(series)+4)
		colW := max(1, (slot-4)/len(series))
		for d, label := range labels {
			for i, s := range series {
				v := 0
				if d < len(s.Values) {
					v = s.Values[d]
				}
				h := 0
				if top > 0 {
					h = v * (columnH - 8) / top
				}
				fmt.Fprintf(&b, `<rect class="chart-bar series-%d" x="%d" y="%d" width="%d" height="%d" data-label="%s" data-series="%s" data-value="%d"/>`,
					i, d*slot+i*colW, base-h, colW, h, esc(label), esc(s.Name), v)
			}
		}
		fmt.Fprintf(&b, `<text class="chart-label" x="0" y="%d">%s</text>`, base+24, esc(labels[0]))
		if len(labels) > 1 {
			fmt.Fprintf(&b, `<text class="chart-label" x="%d" y="%d" text-anchor="end">%s</text>`, len(labels)*slot, base+24, esc(labels[len(labels)-1]))
		}
	}
	fmt.Fprintf(&b, `<text class="chart-value" x="%d" y="%d" text-anchor="end">scale: 0 to %d</text>`, chartWidth, 21, top)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
