// Package report writes a sweep's report directory from its results:
// results.csv and summary.csv (their columns read from the score schema of
// package experiments), summary.md, timings.csv, manifest.json, the
// heatmaps and curves, the pictures of the drawn cells (montages, scatter,
// silhouette and confusion plots), the data summary (data.md, classes.png,
// samples.png, also `sweep inspect`) and index.html, which links them. It
// decides what to draw; package report/plot draws it, and report/compare
// compares two report directories. It computes no scores: a drawn cell is
// recomputed through package experiments.
//
// A report directory holds only the current run's files: ReportFiles is
// the one list of what a report writes, and RemoveFiles what -fresh
// removes.
package report
