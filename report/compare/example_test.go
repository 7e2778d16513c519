package compare_test

import (
	"fmt"
	"os"
	"path/filepath"

	"sweep/report/compare"
)

// ExampleCompare compares the silhouette of two runs that differ in their
// seed, as sweep compare does.
func ExampleCompare() {
	dir, err := os.MkdirTemp("", "compare")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	write := func(name, summary string) string {
		d := filepath.Join(dir, name)
		if err := os.MkdirAll(d, 0o755); err != nil {
			fmt.Println(err)
		}
		if err := os.WriteFile(filepath.Join(d, "summary.csv"), []byte(summary), 0o644); err != nil {
			fmt.Println(err)
		}
		return d
	}
	const header = "reducer,components,clusters,folds,silhouette_mean,silhouette_sd\n"
	a, err := compare.ReadRun(write("seed1", header+"pca,2,5,5,0.41,0.02\npca,2,6,5,0.38,0.03\n"))
	if err != nil {
		fmt.Println(err)
		return
	}
	b, err := compare.ReadRun(write("seed2", header+"pca,2,5,5,0.36,0.02\npca,2,6,5,0.38,0.03\n"))
	if err != nil {
		fmt.Println(err)
		return
	}
	c := compare.Compare(a, b, []string{"silhouette"}, 0.01)
	for _, d := range c.Cells {
		m := d.Metrics[0]
		fmt.Printf("%s: delta %+.3f, 2 SE %.4f, flagged %v\n", d.Name(), m.Delta, 2*m.SE, m.Flag)
	}
	fmt.Println(len(c.Diffs), "value beyond the tolerance:", c.Diffs[0].Where, c.Diffs[0].Column)
	// Output:
	// pca-2-5: delta -0.050, 2 SE 0.0253, flagged true
	// pca-2-6: delta +0.000, 2 SE 0.0379, flagged false
	// 1 value beyond the tolerance: pca-2-5 silhouette_mean
}
