// FreshetStreams
