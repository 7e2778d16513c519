// Package plot draws the pictures and writes the tables of a report: CSV
// and Markdown tables and PNG pictures (heatmaps, line plots, image
// montages, scatter plots, silhouette plots and bar charts) drawn with
// gonum.org/v1/plot and its vgimg raster backend. It knows nothing of
// sweeps: package report decides what to draw.
//
// Every file is written through internal/atomicfile.Write, so a report
// directory never holds a half-written file: a reader sees either the
// previous version or the new one.
//
// All pictures are rendered at 96 dots per inch, so a width of 960 pixels is
// 10 inches and the default 12 pt text is 16 pixels high. Colours of groups
// (clusters, classes, series) come from one table (matplotlib's tab20), so
// cluster k has the same colour in every picture of a report.
package plot
