// Package experiments is what a sweep is: its config (defaults, YAML,
// overrides and validation), its grid of cells (the classic reducer x
// components x clusters x folds, times any extra axis), the selection of
// rows and folds, the pipeline that computes each cell, and the results
// with the one schema of their scores.
//
// The pipeline, for each variant of the grid's extra axes:
//
//	data ──select──> rows, folds          (usage, balance, stratified folds; identical images in one fold)
//	  │                                    one per data variant (seed, data.* axes)
//	  ├──scale──> per fold                 (min-max fitted on the training rows, or x/255)
//	  │                                    shared stage: fold x data variant
//	  ├──reduce──> per fold, reducer       (PCA or truncated SVD at the largest component count)
//	  │                                    shared stage: fold x reducer x data variant
//	  └──cluster──> per cell               (k-means on the training rows; held-out rows to the nearest centre)
//	       └──score──> per group           (silhouettes batched over the cells of one embedding;
//	                                        label scores: accuracy, ARI, NMI, AMI, purity)
//
// Shared stages are computed once, by whichever cell needs them first
// (package runner); every random stream is seeded by (seed, cell key), so
// results never depend on -workers, shards or resumes.
//
// It is not the report (package report), the results store
// (experiments/store), the model file (experiments/model) nor the command
// line (cmd/sweep). The numeric steps live in its sub-packages: dataset,
// reduce, kmeans, mapping, features.
package experiments
