package mapping_test

import (
	"fmt"

	"sweep/experiments/dataset"
	"sweep/experiments/mapping"
)

func ExampleMajority() {
	// Training rows: cluster of each row and its true FER2013 emotion.
	clusters := []int{0, 0, 0, 1, 1, 2, 2}
	labels := []int{3, 3, 6, 3, 4, 0, 2} // Happy Happy Neutral Happy Sad Angry Fear
	names := dataset.FER2013Emotions()
	m := mapping.Majority(clusters, labels, 4, len(names))
	for j, l := range m {
		name := "unmapped"
		if l >= 0 {
			name = names[l]
		}
		fmt.Printf("cluster %d: %s\n", j, name)
	}
	// Output:
	// cluster 0: Happy
	// cluster 1: Happy
	// cluster 2: Angry
	// cluster 3: unmapped
}

func ExampleOneToOne() {
	// Clusters 0 and 1 are both mostly label 0. Label 0 goes to cluster 1
	// (3 rows) and label 1 to cluster 0 or 2 (1 row either way); the tie
	// rule picks cluster 0 and the spare cluster 2 stays unmapped.
	clusters := []int{0, 0, 0, 1, 1, 1, 1, 2}
	labels := []int{0, 0, 1, 0, 0, 0, 1, 1}
	m, err := mapping.OneToOne(clusters, labels, 3, 2)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m)
	fmt.Println(mapping.Apply(m, clusters))

	_, err = mapping.OneToOne(clusters, labels, 3, 7)
	fmt.Println(err)
	// Output:
	// [1 0 -1]
	// [1 1 1 0 0 0 0 -1]
	// one-to-one mapping needs clusters (3) >= classes (7)
}

func ExampleHungarian() {
	// Row 0 is cheapest in column 0 but row 1 needs it more.
	cost := [][]float64{
		{1, 2, 9},
		{2, 9, 9},
	}
	fmt.Println(mapping.Hungarian(cost))
	// Output:
	// [1 0]
}

func ExampleManual() {
	// A config mapping "0: Happy, 2: sad".
	pairs := map[int]int{}
	for j, s := range map[int]string{0: "Happy", 2: "sad"} {
		l, err := mapping.ParseLabel(s, dataset.FER2013Emotions())
		if err != nil {
			fmt.Println(err)
			return
		}
		pairs[j] = l
	}
	m, err := mapping.Manual(pairs, 3, len(dataset.FER2013Emotions()))
	fmt.Println(m, err)

	_, err = mapping.Manual(map[int]int{9: 3}, 7, len(dataset.FER2013Emotions()))
	fmt.Println(err)
	// Output:
	// [3 -1 4] <nil>
	// cluster 9 is not below k = 7
}

func ExampleParseLabel() {
	for _, s := range []string{"3", "surprise", "Joy"} {
		l, err := mapping.ParseLabel(s, dataset.FER2013Emotions())
		fmt.Println(l, err)
	}
	// Output:
	// 3 <nil>
	// 5 <nil>
	// 0 parse label "Joy": not a label number or one of Angry, Disgust, Fear, Happy, Sad, Surprise, Neutral
}
