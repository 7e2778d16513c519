package experiments

import "testing"

// report.inspect names a cell or one fold of it, in the spelling ParseCell
// reads (issue 17, item 9); mapping and sweep fit name cells only.
func TestFindCellFold(t *testing.T) {
	cfg := mustConfig(t, axisGrid("seed: [9, 10]"))
	ix := NewCellIndex(cfg.Cells())
	for _, tc := range []struct {
		in        string
		key       string // the cell found, as Key writes it
		hasFold   bool
		err, err1 string // FindCellFold's error, FindCell's
	}{
		{in: "pca-3-4/seed=10", key: "pca-3-4/seed=10/fold0",
			err1: ""},
		{in: "pca-3-4/seed=10/fold2", key: "pca-3-4/seed=10/fold2", hasFold: true,
			err1: `"pca-3-4/seed=10/fold2": name the cell without its fold`},
		{in: "svd-2-2/seed=9/fold0", key: "svd-2-2/seed=9/fold0", hasFold: true,
			err1: `"svd-2-2/seed=9/fold0": name the cell without its fold`},
		{in: "pca-3-4/seed=10/fold3",
			err:  `"pca-3-4/seed=10/fold3": fold 3 is not a fold of the grid (0..2)`,
			err1: `"pca-3-4/seed=10/fold3": fold 3 is not a fold of the grid (0..2)`},
		{in: "pca-3-5/seed=10/fold1",
			err:  `"pca-3-5/seed=10/fold1" is not a cell of the grid`,
			err1: `"pca-3-5/seed=10/fold1" is not a cell of the grid`},
		{in: "pca-3-4/fold1",
			err:  `"pca-3-4/fold1" is not a cell of the grid`,
			err1: `"pca-3-4/fold1" is not a cell of the grid`},
		{in: "pca-3-4/seed=10/fold01",
			err:  `cell "pca-3-4/seed=10/fold01": "fold01" is not fold<n>`,
			err1: `cell "pca-3-4/seed=10/fold01": "fold01" is not fold<n>`},
	} {
		c, hasFold, err := ix.FindCellFold(tc.in)
		if got := errString(err); got != tc.err {
			t.Errorf("FindCellFold(%s): error %q, want %q", tc.in, got, tc.err)
		} else if err == nil && (c.Key() != tc.key || hasFold != tc.hasFold) {
			t.Errorf("FindCellFold(%s) = %s, %v; want %s, %v", tc.in, c.Key(), hasFold, tc.key, tc.hasFold)
		}
		c, err = ix.FindCell(tc.in)
		if got := errString(err); got != tc.err1 {
			t.Errorf("FindCell(%s): error %q, want %q", tc.in, got, tc.err1)
		} else if err == nil && c.Key() != tc.key {
			t.Errorf("FindCell(%s) = %s, want %s", tc.in, c.Key(), tc.key)
		}
	}
}

// The config accepts a fold in report.inspect, and names a fold past the
// grid's in plain words.
func TestInspectFoldConfig(t *testing.T) {
	if _, err := ParseConfig([]byte(smallGrid+"report: {inspect: [pca-3-4/fold2, svd-2-2]}\n"), "test.yaml"); err != nil {
		t.Fatalf("inspect with a fold: %v", err)
	}
	_, err := ParseConfig([]byte(smallGrid+"report: {inspect: [pca-3-4/fold3]}\n"), "test.yaml")
	want := `test.yaml:6: report.inspect: "pca-3-4/fold3": fold 3 is not a fold of the grid (0..2)`
	if got := errString(err); got != want {
		t.Errorf("error %q, want %q", got, want)
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// With extra axes, report.inspect and mapping name cells in full, as the
// README says; checking an axis value checked them against a grid without
// the axes, and refused every such name.
func TestInspectWithAxes(t *testing.T) {
	y := axisGrid("seed: [9, 10]") + "report: {inspect: [pca-3-4/seed=10/fold1, svd-2-2/seed=9]}\n" +
		"mapping: [{cell: pca-3-4/seed=10, fold: 1, clusters: {0: \"0\", 1: \"1\"}}]\n"
	if _, err := ParseConfig([]byte(y), "test.yaml"); err != nil {
		t.Fatal(err)
	}
	_, err := ParseConfig([]byte(axisGrid("seed: [9, 10]")+"report: {inspect: [pca-3-4/seed=11]}\n"), "test.yaml")
	if want := `test.yaml:6: report.inspect: "pca-3-4/seed=11" is not a cell of the grid`; errString(err) != want {
		t.Errorf("error %q, want %q", errString(err), want)
	}
}
