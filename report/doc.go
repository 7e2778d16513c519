// Package report writes the files of a sweep's report directory: CSV and
// Markdown tables and PNG pictures (heatmaps, line plots, image montages,
// scatter plots, silhouette plots and bar charts) drawn with gonum.org/v1/plot
// and its vgimg raster backend.
//
// Every file is written through internal/atomicfile.Write, so a report directory never holds
// a half-written file: a reader sees either the previous version or the new one.
//
// All pictures are rendered at 96 dots per inch, so a width of 960 pixels is
// 10 inches and the default 12 pt text is 16 pixels high. Colours of groups
// (clusters, classes, series) come from one table (matplotlib's tab20), so
// cluster k has the same colour in every picture of a report.
package report
