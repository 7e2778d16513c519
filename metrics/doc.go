// Package metrics provides pure functions for evaluating clusterings.
//
// Points are float64 values stored row-major: x holds n*dim values and point i
// is x[i*dim : (i+1)*dim]. Labels are non-negative ints (cluster or class ids);
// they need not be contiguous. A negative label or a length mismatch between
// arguments is a programmer error and panics with a "metrics:" prefix; a data
// problem, such as a labeling with too few distinct labels for the silhouette to
// be defined, is reported as an error.
//
// Internal criteria: Silhouette, SilhouetteSamples, SilhouetteBatch,
// SilhouetteSampled and Inertia. External criteria comparing a clustering with
// ground truth: AdjustedRandIndex, NormalizedMutualInfo, Purity, Accuracy and
// Contingency. Where scikit-learn has the same measure, results follow
// scikit-learn 1.2.1, including its special cases.
package metrics
