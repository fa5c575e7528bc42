// FreshetTestSupport
