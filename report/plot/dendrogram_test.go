package plot

import (
	"bytes"
	"image/png"
	"math"
	"testing"
)

// refLinks is Ward's linkage of 9 points in the plane, and refLayouts
// scipy.cluster.hierarchy.dendrogram's icoord, dcoord and ivl of it
// (truncate_mode='lastp'), both printed by testdata/dendrogram_ref.py
// (scipy 1.10.1, Debian's python3-scipy).
var refLinks = []Link{
	{2, 3, 0.22360679774997896, 2}, {0, 1, 0.31622776601683794, 2}, {6, 10, 0.5228129047119374, 3},
	{4, 5, 0.6403124237432849, 2}, {7, 9, 0.7505553499465129, 3}, {8, 13, 5.143604443060009, 4},
	{12, 14, 12.270425148841962, 6}, {11, 15, 13.905594397779463, 9},
}

var refLayouts = []struct {
	p              int
	icoord, dcoord [][4]float64
	ivl            []string
}{
	{4,
		[][4]float64{{25, 25, 35, 35}, {15, 15, 30, 30}, {5, 5, 22.5, 22.5}},
		[][4]float64{{0, 5.143604443060009, 5.143604443060009, 0}, {0, 12.270425148841962, 12.270425148841962, 5.143604443060009}, {0, 13.905594397779463, 13.905594397779463, 12.270425148841962}},
		[]string{"(3)", "(2)", "8", "(3)"}},
	{9,
		[][4]float64{{15, 15, 25, 25}, {5, 5, 20, 20}, {35, 35, 45, 45}, {75, 75, 85, 85}, {65, 65, 80, 80}, {55, 55, 72.5, 72.5}, {40, 40, 63.75, 63.75}, {12.5, 12.5, 51.875, 51.875}},
		[][4]float64{{0, 0.31622776601683794, 0.31622776601683794, 0}, {0, 0.5228129047119374, 0.5228129047119374, 0.31622776601683794}, {0, 0.6403124237432849, 0.6403124237432849, 0}, {0, 0.22360679774997896, 0.22360679774997896, 0}, {0, 0.7505553499465129, 0.7505553499465129, 0.22360679774997896}, {0, 5.143604443060009, 5.143604443060009, 0.7505553499465129}, {0.6403124237432849, 12.270425148841962, 12.270425148841962, 5.143604443060009}, {0.5228129047119374, 13.905594397779463, 13.905594397779463, 12.270425148841962}},
		[]string{"6", "0", "1", "4", "5", "8", "7", "2", "3"}},
}

// ivl is scipy's leaf label: the row id of a single row, else "(size)".
func ivl(l DendrogramLeaf) string {
	if l.Size == 1 {
		return itoa(l.ID)
	}
	return "(" + itoa(l.Size) + ")"
}

func itoa(i int) string { return string(appendInt(nil, i)) }

func appendInt(b []byte, i int) []byte {
	if i >= 10 {
		b = appendInt(b, i/10)
	}
	return append(b, byte('0'+i%10))
}

func TestDendrogramLayoutMatchesScipy(t *testing.T) {
	for _, ref := range refLayouts {
		leaves, us := DendrogramLayout(9, refLinks, ref.p)
		if len(leaves) != len(ref.ivl) || len(us) != len(ref.icoord) {
			t.Fatalf("p=%d: %d leaves and %d merges, scipy %d and %d", ref.p, len(leaves), len(us), len(ref.ivl), len(ref.icoord))
		}
		for i, l := range leaves {
			if got := ivl(l); got != ref.ivl[i] || l.X != 5+10*float64(i) {
				t.Errorf("p=%d leaf %d: %s at x=%g, scipy %s at %d", ref.p, i, got, l.X, ref.ivl[i], 5+10*i)
			}
		}
		for i, u := range us {
			got := [2][4]float64{{u.XLeft, u.XLeft, u.XRight, u.XRight}, {u.YLeft, u.Y, u.Y, u.YRight}}
			for j := range 4 {
				// Same arithmetic (midpoints of halves): exact up to 1e-12.
				if math.Abs(got[0][j]-ref.icoord[i][j]) > 1e-12 || math.Abs(got[1][j]-ref.dcoord[i][j]) > 1e-12 {
					t.Errorf("p=%d merge %d: icoord %v dcoord %v, scipy %v %v", ref.p, i, got[0], got[1], ref.icoord[i], ref.dcoord[i])
					break
				}
			}
		}
	}
}

// TestDendrogramLayoutProperties checks, on a caterpillar and a balanced
// tree of 64 leaves at every p, that no line crosses another (no ∩'s
// horizontal bar passes through another's vertical leg), each ∩ stands on
// its children, and the leaves sum to all rows.
func TestDendrogramLayoutProperties(t *testing.T) {
	const n = 64
	var cater, balanced []Link
	for i := 1; i < n; i++ {
		if i == 1 {
			cater = append(cater, Link{0, 1, 1, 2})
		} else {
			cater = append(cater, Link{i, n + i - 2, float64(i), i + 1})
		}
	}
	ids := make([]int, n)
	for i := range ids {
		ids[i] = i
	}
	sizes := map[int]int{}
	for i := range n {
		sizes[i] = 1
	}
	for len(ids) > 1 {
		var next []int
		for j := 0; j < len(ids); j += 2 {
			id := n + len(balanced)
			sizes[id] = sizes[ids[j]] + sizes[ids[j+1]]
			balanced = append(balanced, Link{ids[j], ids[j+1], float64(len(balanced) + 1), sizes[id]})
			next = append(next, id)
		}
		ids = next
	}
	for name, links := range map[string][]Link{"caterpillar": cater, "balanced": balanced} {
		for p := 1; p <= n; p++ {
			leaves, us := DendrogramLayout(n, links, p)
			if len(leaves) != p || len(us) != p-1 {
				t.Fatalf("%s p=%d: %d leaves, %d merges", name, p, len(leaves), len(us))
			}
			total := 0
			for _, l := range leaves {
				total += l.Size
			}
			if total != n {
				t.Errorf("%s p=%d: leaves hold %d rows, want %d", name, p, total, n)
			}
			for i, u := range us {
				if !(u.XLeft < u.XRight) || u.YLeft > u.Y || u.YRight > u.Y {
					t.Errorf("%s p=%d merge %d: %+v is not a ∩ over its children", name, p, i, u)
				}
				for _, v := range us {
					for _, leg := range [][2]float64{{u.XLeft, u.YLeft}, {u.XRight, u.YRight}} {
						if v.XLeft < leg[0] && leg[0] < v.XRight && leg[1] < v.Y && v.Y < u.Y {
							t.Errorf("%s p=%d: the bar of %+v crosses a leg of %+v", name, p, v, u)
						}
					}
				}
			}
		}
	}
}

func TestDendrogramPNG(t *testing.T) {
	var buf bytes.Buffer
	d := Dendrogram{Title: "t", N: 9, Links: refLinks, P: 4, Cut: 9, CutLabel: "cut: k=3", LeafNames: map[int]string{8: "c1"}, Width: 400, Height: 300}
	if err := DendrogramPNG(&buf, d); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil || img.Bounds().Dx() != 400 || img.Bounds().Dy() != 300 {
		t.Fatalf("decode: %v, bounds %v", err, img.Bounds())
	}
	d.Links = append([]Link(nil), refLinks...)
	d.Links[3].Height = math.Inf(1)
	if err := DendrogramPNG(&buf, d); err == nil {
		t.Error("an infinite height drew without error")
	}
}
