package experiments_test

import (
	"fmt"

	"sweep/experiments"
)

// A features axis names its cells; the default, pixels alone, does not.
func ExampleConfig_FeaturesList() {
	for _, grid := range []string{
		"grid: {components: [2], clusters: [7]}",
		"grid: {features: [pixels, hog], components: [2], clusters: [7]}\nfeatures: {hog: {orientations: 12}}",
	} {
		cfg, err := experiments.ParseConfig([]byte(grid), "grid.yaml")
		if err != nil {
			fmt.Println(err)
			return
		}
		for _, c := range cfg.Cells() {
			v, _ := cfg.Variant(c.Axes)
			fmt.Println(c.Name(), cfg.FeaturesList(), v.Features.Kind(), v.Features.HOG.Orientations)
		}
	}
	// Output:
	// pca-2-7 [pixels] pixels 9
	// pca-2-7/features=pixels [pixels hog] pixels 12
	// pca-2-7/features=hog [pixels hog] hog 12
}
