// FreshetRuntime
