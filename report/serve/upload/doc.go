// Package upload is the upload page and predict API of sweep serve: an
// http.Handler that labels images with fitted models (experiments/model).
//
// GET / serves a page on which a user drops or chooses images (PNG, JPEG
// or GIF of any size, or zips of them) and gets a table of each image's
// thumbnail, cluster, mapped label, distance to the centre and the
// training images nearest that centre, which downloads as CSV (built in
// the page, from the JSON). The page is one html/template with inline
// vanilla JS and CSS; it loads nothing from the network, and its Content
// Security Policy forbids it to.
//
// POST /api/predict takes multipart/form-data: an optional field "model"
// (a served model's cell name or index; it must come before the files, or
// be given in the URL's query) and files under any field name. It answers
// a JSON array [{"name", "cluster", "label", "distance"}], in upload order
// with a zip's images in its order, "label" left out where the model maps
// no label; with the field thumbs=1 each also has "thumbnail", a PNG data
// URL of the grey image the model saw. Errors answer 400 (bad input), 413
// (over a limit), 503 (busy or too slow) or 500 with {"error": message}
// naming the file.
//
// Limits (see Limits) are checked before any pixel is decoded: the request
// body through http.MaxBytesReader, the number of images (zip entries
// included), each image's width and height from its header, and each zip
// entry's declared and actual uncompressed size. Zips inside zips are not
// opened. Images are decoded, made grey and resized by experiments/dataset,
// exactly as an image folder is read, and labelled by model.Predict.
//
// It is not the server: sweep serve (package report/serve) listens, sets
// the connection timeouts and mounts this handler under a path ending in a
// slash (the page posts to the relative URL api/predict). It writes no
// file and keeps nothing between requests.
package upload
