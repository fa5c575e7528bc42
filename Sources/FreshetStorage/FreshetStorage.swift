// FreshetStorage
