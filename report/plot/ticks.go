package plot

import (
	"math"
	"strconv"

	"gonum.org/v1/plot"
)

// niceTicks is a plot.Ticker giving about five labelled ticks at multiples
// of a "nice" step 1, 2 or 5 × 10^e (Heckbert, "Nice numbers for graph
// labels", Graphics Gems, 1990), labelled with as many decimals as the step
// needs and no more, so counts read 0, 2000, 4000 rather than 7500.00.
// With integer set, the step is at least 1: ticks of cluster or component
// counts are whole numbers.
type niceTicks struct{ integer bool }

// niceStep returns the nice step whose ticks over [lo, hi] number
// nearest 5 (the smaller step on a tie), at least 1 when integer is set.
func niceStep(lo, hi float64, integer bool) float64 {
	span := hi - lo
	if !(span > 0) || math.IsInf(span, 0) {
		return 1
	}
	e := math.Pow(10, math.Floor(math.Log10(span/4)))
	best, bestDist := 0.0, math.Inf(1)
	for _, f := range []float64{0.1, 1, 10} {
		for _, m := range []float64{1, 2, 5} {
			step := m * e * f
			if integer && step < 1 {
				continue
			}
			n := math.Floor(hi/step+1e-9) - math.Ceil(lo/step-1e-9) + 1
			if d := math.Abs(n - 5); d < bestDist {
				best, bestDist = step, d
			}
		}
	}
	if best == 0 {
		best = 1
	}
	return best
}

// maxDecimals is the most decimals a tick label is written with; finer
// steps (such as differences of 1e-8) are labelled like 4e-8 by
// tinyLabel, not 0.00000004.
const maxDecimals = 5

// tinyLabel labels the tick i*step, step = m × 10^e with m in {1, 2, 5},
// as a whole multiple of 10^e, the same power for every tick of the axis:
// 0, 5e-9, 10e-9, 15e-9.
func tinyLabel(i, step float64) string {
	if i == 0 {
		return "0"
	}
	e := int(math.Floor(math.Log10(step) + 1e-9))
	x := int64(math.Round(i * step / math.Pow(10, float64(e))))
	return strconv.FormatInt(x, 10) + "e" + strconv.Itoa(e)
}

// Ticks implements plot.Ticker.
func (t niceTicks) Ticks(lo, hi float64) []plot.Tick {
	if lo > hi {
		lo, hi = hi, lo
	}
	step := niceStep(lo, hi, t.integer)
	decimals := max(0, int(-math.Floor(math.Log10(step)+1e-9)))
	// A label like 0.25 needs one more decimal than its step's order.
	if r := step * math.Pow(10, float64(decimals)); math.Abs(r-math.Round(r)) > 1e-9 {
		decimals++
	}
	var ticks []plot.Tick
	first := math.Ceil(lo/step - 1e-9)
	for i := first; i*step <= hi+1e-9*step; i++ {
		v := i * step
		if v == 0 {
			v = 0 // no "-0"
		}
		label := strconv.FormatFloat(v, 'f', decimals, 64)
		if decimals > maxDecimals {
			label = tinyLabel(i, step)
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: label})
		if len(ticks) > 100 {
			break // never more, whatever the range
		}
	}
	if len(ticks) == 1 && lo < hi {
		// A range inside one step: label its ends too.
		for _, v := range []float64{lo, hi} {
			ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'g', 3, 64)})
		}
	}
	return ticks
}
